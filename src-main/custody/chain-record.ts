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

/**
 * The actions that put a clip into the archive: ingest (and recovery finishing a placement a crash
 * cut short), and `clip.recovered`, which stations before this check wrote when they catalogued an
 * archive file from its sidecar alone.
 */
const ARCHIVING_ACTIONS = new Set(['clip.archived', 'clip.recovered']);
/** Who a docking's clips belong to (D-WHO-RECORDS): confirmed at the dock, or re-attributed. */
const OFFICER_ACTIONS = new Set(['docking.officer.identified', 'docking.reattributed']);
const DOCKING_ACTIONS = new Set(['docking.started', 'docking.finished']);
const QUARANTINED_ACTION = 'archive.quarantined';

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
  dockingId: number | null;
  /** The times the entry recorded; null in entries written before the chain recorded them. */
  times: ChainedTimes | null;
  /**
   * For a clip the chain records only as recovered from a sidecar: why nothing in the chain shows
   * it ever came from a docking (null when its docking was still under way, as a crash leaves it).
   */
  unproven: string | null;
}

/** A clip's times as recorded at its archiving (D-24H is judged on them). */
export interface ChainedTimes {
  custodyAt: string | null;
  recordedStart: string | null;
  recordedEnd: string | null;
  clockOffsetMs: number | null;
  clockOffsetSource: string | null;
}

/** A docking as the chain records it: started, and how it ended (null while it has not). */
export interface ChainedDocking {
  startedSeq: number;
  recorderSerial: string | null;
  finished: { seq: number; status: string | null } | null;
}

/** The officer a clip belongs to by the chain (D-WHO-RECORDS), and the entry that says so. */
export interface ChainedOfficer {
  badge: string | null;
  seq: number;
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
  /** Dockings by id, as their entries record them. */
  dockings: Map<number, ChainedDocking>;
  /**
   * The officer of each clip whose archiving recorded one, followed through its docking's
   * confirmations and re-attributions; a clip the entries cannot settle is left out.
   */
  officers: Map<number, ChainedOfficer>;
  /** Files recovery moved aside: found without a catalogue row, or proven copies no crash left. */
  quarantined: {
    seq: number;
    archivePath: string;
    movedTo: string | null;
    reason: string | null;
  }[];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) ? value : null;

/** Reads the chain's record of the archive: one walk over the entries that concern it. */
export function readChainRecord(catalogue: Catalogue): ChainRecord {
  const archived = new Map<number, ChainedClip>();
  const contradictions: ChainRecord['contradictions'] = [];
  const removals: { seq: number; clipId: number | null; details: Record<string, unknown> }[] = [];
  const dockings = new Map<number, ChainedDocking>();
  const officers = new Map<number, ChainedOfficer>();
  const clipsOfDocking = new Map<number, number[]>();
  const quarantined: ChainRecord['quarantined'] = [];
  for (const entry of catalogue.audit.inOrder()) {
    const archiving = ARCHIVING_ACTIONS.has(entry.action);
    const officer = OFFICER_ACTIONS.has(entry.action);
    const docking = DOCKING_ACTIONS.has(entry.action);
    const quarantine = entry.action === QUARANTINED_ACTION;
    if (!archiving && !officer && !docking && !quarantine && entry.action !== CLIP_REMOVED_ACTION) {
      continue;
    }
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(entry.details) as Record<string, unknown>;
    } catch {
      // Unreadable details break the chain's own check, which the sweep reports: nothing to use.
      continue;
    }
    if (quarantine) {
      quarantined.push({
        seq: entry.seq,
        archivePath: text(details.archivePath) ?? entry.subject.replace(/^archive:/, ''),
        movedTo: text(details.movedTo),
        reason: text(details.reason),
      });
      continue;
    }
    if (docking || officer) {
      const dockingId = dockingOfEntry(entry.subject);
      if (dockingId === null) continue;
      if (entry.action === 'docking.started') {
        if (!dockings.has(dockingId)) {
          dockings.set(dockingId, {
            startedSeq: entry.seq,
            recorderSerial: text(details.recorderSerial),
            finished: null,
          });
        }
      } else if (entry.action === 'docking.finished') {
        const started = dockings.get(dockingId);
        if (started && started.finished === null) {
          started.finished = { seq: entry.seq, status: text(details.status) };
        }
      } else {
        followOfficer(entry.seq, entry.action, details, clipsOfDocking.get(dockingId), officers);
      }
      continue;
    }
    const clipId = clipOfEntry(entry);
    if (!archiving) {
      removals.push({ seq: entry.seq, clipId, details });
      continue;
    }
    const sha256 = text(details.sha256);
    const archivePath = text(details.archivePath);
    if (clipId === null || sha256 === null || archivePath === null) continue;
    const dockingId = count(details.dockingId);
    const recorderSerial = text(details.recorderSerial);
    const clip: ChainedClip = {
      clipId,
      seq: entry.seq,
      action: entry.action,
      sha256,
      sm3: text(details.sm3),
      size: count(details.size),
      archivePath,
      recorderSerial,
      recordedStart: text(details.recordedStart),
      dockingId,
      times: 'custodyAt' in details ? timesOf(details) : null,
      unproven:
        entry.action === 'clip.recovered'
          ? ingestUnproven(entry.seq, dockingId, recorderSerial, dockings)
          : null,
    };
    const first = archived.get(clipId);
    if (first === undefined) {
      archived.set(clipId, clip);
      if (dockingId !== null) {
        const list = clipsOfDocking.get(dockingId) ?? [];
        list.push(clipId);
        clipsOfDocking.set(dockingId, list);
      }
      if ('officerBadge' in details) {
        officers.set(clipId, { badge: text(details.officerBadge), seq: entry.seq });
      }
    } else if (first.sha256 !== clip.sha256 || first.archivePath !== clip.archivePath) {
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
  return {
    archived,
    contradictions,
    removed,
    refusedRemovals,
    dockings,
    officers,
    quarantined,
  };
}

/** The docking an entry is about (`docking:<id>`), if any. */
function dockingOfEntry(subject: string): number | null {
  const id = /^docking:(\d+)$/.exec(subject)?.[1];
  return id === undefined ? null : Number(id);
}

function timesOf(details: Record<string, unknown>): ChainedTimes {
  return {
    custodyAt: text(details.custodyAt),
    recordedStart: text(details.recordedStart),
    recordedEnd: text(details.recordedEnd),
    clockOffsetMs: count(details.clockOffsetMs),
    clockOffsetSource: text(details.clockOffsetSource),
  };
}

/**
 * Why a `clip.recovered` entry has nothing behind it, or null. A crash leaves a clip in the
 * archive only while its docking is under way: the chain then records the docking started, for
 * the same recorder, and not yet finished. A clip "recovered" into a docking that had ended, or
 * one the chain never records, was not left by a crash (D-NO-TAMPER).
 */
function ingestUnproven(
  seq: number,
  dockingId: number | null,
  recorderSerial: string | null,
  dockings: ReadonlyMap<number, ChainedDocking>,
): string | null {
  if (dockingId === null) return 'the entry names no docking';
  const docking = dockings.get(dockingId);
  if (docking === undefined) return `the audit chain records no docking #${dockingId} before it`;
  if (
    recorderSerial !== null &&
    docking.recorderSerial !== null &&
    recorderSerial.toUpperCase() !== docking.recorderSerial.toUpperCase()
  ) {
    return `docking #${dockingId} docked recorder ${docking.recorderSerial}, not ${recorderSerial}`;
  }
  if (docking.finished !== null && docking.finished.seq < seq) {
    return `docking #${dockingId} had finished (entry #${docking.finished.seq}) before the clip was recovered into it`;
  }
  return null;
}

/**
 * A docking's officer confirmed or re-attributed: its clips follow as the catalogue moves them
 * (`setOfficerOfDocking`): a clip with no officer, or with the docking's officer until then, or
 * with the recorder's assigned officer, becomes the new officer's; a clip whose file name named
 * someone else stays theirs. An entry that does not say who the recorder's officer was (written
 * before it did) cannot settle such a clip: it is left out, not guessed.
 */
function followOfficer(
  seq: number,
  action: string,
  details: Record<string, unknown>,
  clipIds: readonly number[] | undefined,
  officers: Map<number, ChainedOfficer>,
): void {
  if (clipIds === undefined) return;
  const before = details.before as Record<string, unknown> | undefined;
  const after = details.after as Record<string, unknown> | undefined;
  const to = text(action === 'docking.reattributed' ? after?.officerBadge : details.officerBadge);
  const from = text(before?.officerBadge);
  const recorders = 'recorderOfficerBadge' in details;
  const assigned = text(details.recorderOfficerBadge);
  for (const clipId of clipIds) {
    const now = officers.get(clipId);
    if (now === undefined) continue;
    if (to === null) {
      officers.delete(clipId);
      continue;
    }
    const badge = now.badge;
    if (badge === to) continue;
    if (badge === null || badge === from || (recorders && badge === assigned)) {
      officers.set(clipId, { badge: to, seq });
    } else if (!recorders) {
      officers.delete(clipId);
    }
  }
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
