import type { Catalogue } from '../catalogue/catalogue';
import { clipOfEntry } from '../domain';

/**
 * What the audit chain records of the archive (rule D-NO-TAMPER): every clip archived, with the
 * hash its copy was proven to, and every clip lawfully removed. The catalogue row and the sidecar
 * of a clip can be rewritten together; the chain's entry of its archiving cannot be without
 * breaking the chain, so the integrity sweep holds the other two to it.
 */

/**
 * The action a lawful removal of an archived clip will record (D-APPROVAL: handler, reviewer and
 * approver, at the end of D-RETAIN). No flow records it yet, and it is deliberately not among
 * the contract's AUDIT_ACTIONS, so that no code can append it until that flow exists; the sweep
 * already honours it, on the conditions `lawfulRemoval` checks.
 */
export const CLIP_REMOVED_ACTION = 'clip.removed';

/** The actions that put a clip into the archive: ingest, and recovery after a crash. */
const ARCHIVING_ACTIONS = new Set(['clip.archived', 'clip.recovered']);

/** A clip as the chain recorded it when it entered the archive. */
export interface ChainedClip {
  clipId: number;
  /** The entry that recorded it. */
  seq: number;
  action: string;
  sha256: string;
  /** Null where the entry does not say (recovery records no SM3 and no size). */
  sm3: string | null;
  size: number | null;
  archivePath: string;
  recorderSerial: string | null;
  /** The clip's recorded start, where the entry carries it. */
  recordedStart: string | null;
}

export interface ChainRecord {
  /**
   * Every clip the chain records archived, by clip id, as its first entry says: a clip is
   * archived once, so a later entry cannot move what the first one recorded.
   */
  archived: Map<number, ChainedClip>;
  /** Later entries that record an archived clip again with other facts: the chain contradicts itself. */
  contradictions: { first: ChainedClip; later: ChainedClip }[];
  /** Clips whose lawful removal the chain records, by clip id. */
  removed: Map<number, number>;
  /** Removal entries the sweep did not accept, by seq, with why. */
  refusedRemovals: { seq: number; clipId: number | null; reason: string }[];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) ? value : null;

/** Reads the chain's record of the archive: one walk over the entries that concern it. */
export function readChainRecord(catalogue: Catalogue): ChainRecord {
  const archived = new Map<number, ChainedClip>();
  const contradictions: ChainRecord['contradictions'] = [];
  const removals: { seq: number; clipId: number | null; details: Record<string, unknown> }[] = [];
  for (const entry of catalogue.audit.inOrder()) {
    const archiving = ARCHIVING_ACTIONS.has(entry.action);
    if (!archiving && entry.action !== CLIP_REMOVED_ACTION) continue;
    const clipId = clipOfEntry(entry);
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(entry.details) as Record<string, unknown>;
    } catch {
      // Unreadable details break the chain's own check, which the sweep reports: nothing to use.
      continue;
    }
    if (!archiving) {
      removals.push({ seq: entry.seq, clipId, details });
      continue;
    }
    const sha256 = text(details.sha256);
    const archivePath = text(details.archivePath);
    if (clipId === null || sha256 === null || archivePath === null) continue;
    const clip: ChainedClip = {
      clipId,
      seq: entry.seq,
      action: entry.action,
      sha256,
      sm3: text(details.sm3),
      size: count(details.size),
      archivePath,
      recorderSerial: text(details.recorderSerial),
      recordedStart: text(details.recordedStart),
    };
    const first = archived.get(clipId);
    if (first === undefined) archived.set(clipId, clip);
    else if (first.sha256 !== clip.sha256 || first.archivePath !== clip.archivePath) {
      contradictions.push({ first, later: clip });
    }
  }
  const removed = new Map<number, number>();
  const refusedRemovals: ChainRecord['refusedRemovals'] = [];
  for (const removal of removals) {
    const reason = lawfulRemoval(removal, archived);
    if (reason === null) removed.set(removal.clipId!, removal.seq);
    else refusedRemovals.push({ seq: removal.seq, clipId: removal.clipId, reason });
  }
  return { archived, contradictions, removed, refusedRemovals };
}

/**
 * Null when a removal entry is one the sweep accepts, else why not: it must follow the clip's
 * archiving, name the same bytes and place, and carry the D-APPROVAL of three different people.
 * An entry that names anything less removes nothing, and the clip stays expected.
 */
function lawfulRemoval(
  removal: { seq: number; clipId: number | null; details: Record<string, unknown> },
  archived: ReadonlyMap<number, ChainedClip>,
): string | null {
  const clip = removal.clipId === null ? undefined : archived.get(removal.clipId);
  if (clip === undefined || clip.seq > removal.seq) return 'it names no clip archived before it';
  if (removal.details.sha256 !== clip.sha256 || removal.details.archivePath !== clip.archivePath) {
    return 'it names other bytes or another place than the archiving did';
  }
  const approval = removal.details.approval as Record<string, unknown> | undefined;
  const people = ['handler', 'reviewer', 'approver'].map((role) => text(approval?.[role]));
  if (people.some((badge) => badge === null) || new Set(people).size !== 3) {
    return 'it lacks the approval of a handler, a reviewer and an approver, three different people (D-APPROVAL)';
  }
  return null;
}

/** The recorded date an archive path carries (`archive/YYYY/MM/DD/SERIAL/NAME`), or null. */
export function recordedOnOf(archivePath: string): string | null {
  const match = /^archive\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(archivePath);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}
