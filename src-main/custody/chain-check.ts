import { present } from '../archive';
import type { ClipProof } from '../catalogue/clips';
import { applyClockOffset, isLateCustody, sameBadge, type ClockOffset } from '../domain';
import { inside, type ProblemSink } from './archive-check';
import type { ChainedClip, ChainRecord } from './chain-record';

/**
 * The integrity sweep's comparison of the catalogue with the audit chain's record of the archive
 * (rule D-NO-TAMPER): a row and a sidecar can be rewritten to match new bytes, or removed with the
 * file; the chain's entry of the archiving cannot be without breaking the chain.
 */

/** Later entries that record an archived clip again with other facts: the chain contradicts itself. */
export function reportContradictions(chain: ChainRecord, problem: ProblemSink): void {
  for (const { first, later } of chain.contradictions) {
    problem(
      'chain-broken',
      first.clipId,
      later.archivePath,
      `audit entry #${later.seq} records clip ${first.clipId} archived again as ${later.archivePath} ` +
        `(sha256 ${later.sha256}), unlike entry #${first.seq} (${first.archivePath}, sha256 ${first.sha256})`,
      { firstSeq: first.seq, laterSeq: later.seq, sha256: later.sha256 },
    );
  }
}

/** The recorded date an archive path carries (`archive/YYYY/MM/DD/SERIAL/NAME`), or null. */
function recordedOnOf(archivePath: string): string | null {
  const match = /^archive\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(archivePath);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** How a clip is named in a finding: its recorder, when it was recorded, where it is. */
function described(
  clipId: number,
  facts: { recorderSerial: string | null; recordedStart: string | null; archivePath: string },
): { label: string; details: Record<string, unknown> } {
  const recordedOn = recordedOnOf(facts.archivePath);
  const recorded = facts.recordedStart ?? recordedOn;
  return {
    label: `clip ${clipId} (recorder ${facts.recorderSerial ?? 'unknown'}, recorded ${recorded ?? 'unknown'}, ${facts.archivePath})`,
    details: {
      recorderSerial: facts.recorderSerial,
      recordedStart: facts.recordedStart,
      recordedOn,
    },
  };
}

/**
 * A catalogued clip against the chain's entry of its archiving: a row the chain never recorded
 * was inserted behind its back; a row whose facts differ from the entry was rewritten. The times
 * (D-24H), the officer (D-WHO-RECORDS) and late custody are held to the chain where its entries
 * record them; entries from before they did leave those unchecked, not failed.
 */
export function checkAgainstChain(
  clip: ClipProof,
  chained: ChainedClip | undefined,
  chain: ChainRecord,
  problem: ProblemSink,
): void {
  const { label, details } = described(clip.id, clip);
  if (chained === undefined) {
    problem(
      'unchained',
      clip.id,
      clip.archivePath,
      `${label} is in the catalogue, but the audit chain never recorded it archived`,
      { ...details, sha256: clip.sha256 },
    );
    return;
  }
  if (chained.unproven !== null) {
    problem(
      'unproven',
      clip.id,
      clip.archivePath,
      `${label} was catalogued from its sidecar alone by a recovery (audit entry #${chained.seq}), and nothing in the audit chain shows the station ever copied it: ${chained.unproven}`,
      { ...details, chainSeq: chained.seq, dockingId: chained.dockingId, sha256: chained.sha256 },
    );
  }
  const at = chained.seq;
  const compared: [string, unknown, unknown, number][] = [
    ['sha256', chained.sha256, clip.sha256, at],
    ['sm3', chained.sm3, chained.sm3 === null ? null : clip.sm3, at],
    ['size', chained.size, chained.size === null ? null : clip.originalSize, at],
    ['archivePath', chained.archivePath, clip.archivePath, at],
    [
      'recorderSerial',
      chained.recorderSerial,
      chained.recorderSerial === null ? null : clip.recorderSerial,
      at,
    ],
  ];
  const differs = compared.filter(([, recorded, now]) => recorded !== now);
  const times = chained.times;
  if (times !== null) {
    const timed: [string, string | null, string | null][] = [
      ['custodyAt', times.custodyAt, clip.custodyAt],
      ['recordedStart', times.recordedStart, clip.recordedStart],
      ['recordedEnd', times.recordedEnd, clip.recordedEnd],
    ];
    for (const [name, recorded, now] of timed) {
      if (!sameInstant(recorded, now)) differs.push([name, recorded, now, at]);
    }
    if (times.clockOffsetMs !== clip.clockOffsetMs) {
      differs.push(['clockOffsetMs', times.clockOffsetMs, clip.clockOffsetMs, at]);
    }
    if (times.clockOffsetSource !== clip.clockOffsetSource) {
      differs.push(['clockOffsetSource', times.clockOffsetSource, clip.clockOffsetSource, at]);
    }
    const late = lateByChain(chained, chain);
    if (late !== null && late !== clip.lateCustody) {
      differs.push(['lateCustody', late, clip.lateCustody, at]);
    }
  }
  const officer = chain.officers.get(clip.id);
  if (officer !== undefined && !sameOfficer(officer.badge, clip.officerBadge)) {
    differs.push(['officerBadge', officer.badge, clip.officerBadge, officer.seq]);
  }
  if (differs.length === 0) return;
  const field = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
  const entries = [...new Set(differs.map(([, , , seq]) => seq))].sort((a, b) => a - b);
  problem(
    'rewritten',
    clip.id,
    clip.archivePath,
    `${label}: the catalogue's ${differs.map(([name]) => name).join(', ')} ` +
      `${differs.length === 1 ? 'is' : 'are'} not what the audit chain recorded ` +
      `(entr${entries.length === 1 ? 'y' : 'ies'} #${entries.join(', #')})`,
    {
      ...details,
      chainSeq: chained.seq,
      ...(officer !== undefined && officer.seq !== chained.seq ? { officerSeq: officer.seq } : {}),
      differs: differs.map(([name]) => name),
      ...Object.fromEntries(
        differs.flatMap(([name, recorded, now]) => [
          [`chain${field(name)}`, recorded],
          [`catalogue${field(name)}`, now],
        ]),
      ),
    },
  );
}

/** Two recorded times are the same instant (or both unknown). */
function sameInstant(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ms = Date.parse(a);
  return !Number.isNaN(ms) && ms === Date.parse(b);
}

function sameOfficer(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : sameBadge(a, b);
}

/**
 * What the chain's times say of late custody (D-24H, as found at docking), or null where they
 * cannot settle the catalogue's flag. Late by the recorded times means the docking's rules found
 * it late, but only for a clip archived in a docking that completed (the rules run then); a flag
 * of late where the recorded times say on time was never found by the station.
 */
function lateByChain(chained: ChainedClip, chain: ChainRecord): boolean | null {
  const times = chained.times;
  if (times === null || times.custodyAt === null) return null;
  const offset: ClockOffset | null =
    times.clockOffsetMs === null ||
    (times.clockOffsetSource !== 'driver' && times.clockOffsetSource !== 'estimate')
      ? null
      : { offsetMs: times.clockOffsetMs, source: times.clockOffsetSource };
  const late = isLateCustody({
    recordedEnd: applyClockOffset(times.recordedEnd, offset),
    custodyAt: times.custodyAt,
  });
  if (!late) return false;
  const docking = chained.dockingId === null ? undefined : chain.dockings.get(chained.dockingId);
  const judged =
    chained.action === 'clip.archived' &&
    docking !== undefined &&
    docking.startedSeq < chained.seq &&
    docking.finished !== null &&
    docking.finished.seq > chained.seq &&
    docking.finished.status === 'complete';
  return judged ? true : null;
}

/**
 * Clips the chain records archived, and no lawful removal since, that the catalogue no longer
 * has: taken away with their row (and usually their file and sidecar).
 */
export async function findVanished(
  dataDir: string,
  clips: readonly ClipProof[],
  chain: ChainRecord,
  chainHead: number,
  problem: ProblemSink,
): Promise<void> {
  const catalogued = new Set(clips.map((c) => c.id));
  const bySha256 = new Map(clips.map((c) => [c.sha256, c.id]));
  for (const chained of chain.archived.values()) {
    if (chained.seq > chainHead || catalogued.has(chained.clipId)) continue;
    if (chain.removed.has(chained.clipId)) continue;
    const { label, details } = described(chained.clipId, chained);
    const file = inside(dataDir, chained.archivePath);
    const stillThere = file !== null && (await present(file));
    const refused = chain.refusedRemovals.find((r) => r.clipId === chained.clipId);
    // Its bytes under another row: taken out and catalogued again (recovery does that to a file
    // whose row is gone), which loses the clip's history and labels.
    const nowClipId = bySha256.get(chained.sha256) ?? null;
    problem(
      'vanished',
      chained.clipId,
      chained.archivePath,
      `${label} was archived (audit entry #${chained.seq}, sha256 ${chained.sha256}) but is no ` +
        `longer in the catalogue, and no lawful removal is recorded; its file is ` +
        `${stillThere ? 'still in the archive' : 'gone from the archive too'}` +
        (nowClipId === null ? '' : `; its bytes are catalogued again as clip ${nowClipId}`),
      {
        ...details,
        chainSeq: chained.seq,
        sha256: chained.sha256,
        size: chained.size,
        fileInArchive: stillThere,
        nowClipId,
        ...(refused ? { removalRefused: { seq: refused.seq, reason: refused.reason } } : {}),
      },
    );
  }
}

/**
 * Files recovery moved aside (D-NO-TAMPER): found in the archive with no catalogue row a crash
 * accounts for, or proven copies in staging that no crash left. Never catalogued, never deleted:
 * each is named on every sweep, as the chain recorded it, and whether it is still where it went.
 */
export async function nameQuarantined(
  dataDir: string,
  chain: ChainRecord,
  chainHead: number,
  problem: ProblemSink,
): Promise<void> {
  for (const moved of chain.quarantined) {
    if (moved.seq > chainHead) continue;
    const target = moved.movedTo === null ? null : inside(dataDir, moved.movedTo);
    const held = target !== null && (await present(target));
    problem(
      'quarantined',
      null,
      moved.archivePath,
      `${moved.archivePath} was moved to ${moved.movedTo ?? 'an unrecorded place'} (audit entry ` +
        `#${moved.seq}) and is not in the catalogue: ${moved.reason ?? 'no reason recorded'}` +
        (held ? '' : '; it is no longer there'),
      { chainSeq: moved.seq, movedTo: moved.movedTo, reason: moved.reason, inQuarantine: held },
    );
  }
}
