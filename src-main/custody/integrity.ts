import { lstat, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  archiveFiles,
  errnoOf,
  hashFromDisk,
  resolveInside,
  SIDECAR_SUFFIX,
  type DiskDigest,
} from '../archive';
import type { Catalogue } from '../catalogue/catalogue';
import type { ClipProof } from '../catalogue/clips';
import type { IntegrityProblem, IntegrityProblemCode } from '../contract';
import { applyClockOffset, isLateCustody, sameBadge, type ClockOffset } from '../domain';
import type { AuditLog } from './audit-log';
import { STATION_ACTOR } from './audit-log';
import { readChainRecord, recordedOnOf, type ChainedClip, type ChainRecord } from './chain-record';

/**
 * The integrity sweep (rule D-NO-TAMPER): three sources held against each other — the archive's
 * files and sidecars, the catalogue's rows, and the audit chain's record of every clip archived.
 * A row and a sidecar can be rewritten to match new bytes, or removed with the file; the chain's
 * entry of the archiving cannot be without breaking the chain.
 */

export { INTEGRITY_PROBLEMS, type IntegrityProblem, type IntegrityProblemCode } from '../contract';

export interface IntegrityReport {
  ok: boolean;
  clipsChecked: number;
  bytesChecked: number;
  /** How many originals were read past the cache and how many through it. */
  readBack: { direct: number; cached: number };
  /** What the audit chain holds of the archive, and whether the chain passed its own check. */
  chain: { intact: boolean; clipsArchived: number; clipsRemoved: number };
  problems: IntegrityProblem[];
  startedAt: string;
  finishedAt: string;
}

export interface IntegrityProgressReport {
  clipsChecked: number;
  clips: number;
  bytes: number;
}

export interface IntegrityOptions {
  catalogue: Catalogue;
  dataDir: string;
  /** The chain the archive is held to; the sweep and each problem are written to it. */
  audit: AuditLog;
  actor?: string;
  now?: () => Date;
  onProgress?: (progress: IntegrityProgressReport) => void;
  /** Aborting ends the sweep between reads; nothing is recorded then (it proved nothing). */
  signal?: AbortSignal;
}

/**
 * Re-hashes every archived original against the catalogue and the audit chain, checks each
 * sidecar, looks for files the catalogue does not know and for clips the chain knows and the
 * catalogue does not. Reads, never writes, the archive.
 */
export async function verifyArchive(options: IntegrityOptions): Promise<IntegrityReport> {
  const now = options.now ?? (() => new Date());
  const signal = options.signal;
  const startedAt = now().toISOString();
  const dataDir = resolve(options.dataDir);
  const problems: IntegrityProblem[] = [];
  const problem = (
    code: IntegrityProblemCode,
    clipId: number | null,
    archivePath: string,
    message: string,
    details: Record<string, unknown> = {},
  ) => problems.push({ code, clipId, archivePath, message, details });

  const verification = options.audit.verify();
  if (!verification.ok) {
    problem('chain-broken', null, '', `the audit chain is broken: ${verification.problem}`, {
      firstBadSeq: verification.firstBadSeq,
      problemCode: verification.problemCode,
    });
  }
  // Entries after this one may name clips committed after the rows below were read: not missing.
  const chainHead = options.catalogue.audit.head()?.seq ?? 0;
  // Loaded up front: a statement iterator would hold the connection across the awaits below.
  const clips = options.catalogue.clips.proofs();
  const chain = readChainRecord(options.catalogue);
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
  const readBack = { direct: 0, cached: 0 };
  let bytesChecked = 0;
  let clipsChecked = 0;

  for (const clip of clips) {
    signal?.throwIfAborted();
    checkAgainstChain(clip, chain.archived.get(clip.id), chain, problem);
    const file = inside(dataDir, clip.archivePath);
    if (file === null) {
      problem('not-a-file', clip.id, clip.archivePath, 'the catalogued path leaves the data dir');
    } else {
      const digest = await checkOriginal(file, clip, problem, signal);
      if (digest) {
        bytesChecked += digest.bytes;
        readBack[digest.readBack.method] += 1;
      }
      await checkSidecar(file, clip, problem);
    }
    clipsChecked += 1;
    options.onProgress?.({ clipsChecked, clips: clips.length, bytes: bytesChecked });
  }

  await findVanished(dataDir, clips, chain, chainHead, problem);
  await nameQuarantined(dataDir, chain, chainHead, problem);

  const known = new Set(clips.map((c) => c.archivePath));
  const unlisted = (error: unknown) => {
    // No archive/ yet, or a folder gone since it was listed: nothing in it to report. Any other
    // failure ends the sweep.
    if (errnoOf(error) !== 'ENOENT') throw error;
  };
  for await (const relPath of archiveFiles(dataDir, unlisted)) {
    signal?.throwIfAborted();
    const original = relPath.endsWith(SIDECAR_SUFFIX)
      ? relPath.slice(0, -SIDECAR_SUFFIX.length)
      : relPath;
    if (!known.has(original)) {
      problem(
        'uncatalogued',
        null,
        relPath,
        `${relPath} is in the archive but not in the catalogue`,
      );
    }
  }

  const report: IntegrityReport = {
    ok: problems.length === 0,
    clipsChecked,
    bytesChecked,
    readBack,
    chain: {
      intact: verification.ok,
      clipsArchived: chain.archived.size,
      clipsRemoved: chain.removed.size,
    },
    problems,
    startedAt,
    finishedAt: now().toISOString(),
  };
  record(options.catalogue, options.audit, options.actor ?? STATION_ACTOR, report);
  return report;
}

type ProblemSink = (
  code: IntegrityProblemCode,
  clipId: number | null,
  archivePath: string,
  message: string,
  details?: Record<string, unknown>,
) => void;

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
function checkAgainstChain(
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
async function findVanished(
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
    const stillThere = file !== null && (await exists(file));
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
async function nameQuarantined(
  dataDir: string,
  chain: ChainRecord,
  chainHead: number,
  problem: ProblemSink,
): Promise<void> {
  for (const moved of chain.quarantined) {
    if (moved.seq > chainHead) continue;
    const target = moved.movedTo === null ? null : inside(dataDir, moved.movedTo);
    const held = target !== null && (await exists(target));
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

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}

async function checkOriginal(
  file: string,
  clip: ClipProof,
  problem: ProblemSink,
  signal: AbortSignal | undefined,
): Promise<DiskDigest | null> {
  const path = clip.archivePath;
  try {
    const info = await lstat(file);
    if (!info.isFile()) {
      problem('not-a-file', clip.id, path, `${path} is not a regular file`);
      return null;
    }
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      problem('missing', clip.id, path, `clip ${clip.id}: ${path} is missing from the archive`);
    } else {
      problem('unreadable', clip.id, path, `clip ${clip.id}: ${path}: ${String(error)}`);
    }
    return null;
  }
  let digest: DiskDigest;
  try {
    digest = await hashFromDisk(file, clip.sm3 === null ? ['sha256'] : ['sha256', 'sm3'], {
      checkpoint: () => signal?.throwIfAborted(),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    problem(
      'unreadable',
      clip.id,
      path,
      `clip ${clip.id}: ${path} could not be read: ${String(error)}`,
    );
    return null;
  }
  const sha256Differs = digest.sha256 !== clip.sha256;
  const sm3Differs = clip.sm3 !== null && digest.sm3 !== clip.sm3;
  if (sha256Differs || sm3Differs || digest.bytes !== clip.originalSize) {
    problem('mismatch', clip.id, path, `clip ${clip.id}: ${path} no longer matches its hash`, {
      expectedSha256: clip.sha256,
      actualSha256: digest.sha256,
      ...(clip.sm3 === null ? {} : { expectedSm3: clip.sm3, actualSm3: digest.sm3 }),
      expectedSize: clip.originalSize,
      actualSize: digest.bytes,
    });
  }
  return digest;
}

async function checkSidecar(file: string, clip: ClipProof, problem: ProblemSink): Promise<void> {
  const path = clip.archivePath + SIDECAR_SUFFIX;
  let sidecar: { clip?: { sha256?: unknown; archivePath?: unknown } };
  try {
    sidecar = JSON.parse(await readFile(file + SIDECAR_SUFFIX, 'utf8')) as typeof sidecar;
  } catch (error) {
    const missing = errnoOf(error) === 'ENOENT';
    problem(
      missing ? 'sidecar-missing' : 'sidecar-mismatch',
      clip.id,
      path,
      missing ? `clip ${clip.id}: ${path} is missing` : `clip ${clip.id}: ${path} is unreadable`,
    );
    return;
  }
  if (sidecar.clip?.sha256 !== clip.sha256 || sidecar.clip?.archivePath !== clip.archivePath) {
    problem(
      'sidecar-mismatch',
      clip.id,
      path,
      `clip ${clip.id}: ${path} disagrees with the catalogue`,
    );
  }
}

/** The absolute path of a data-dir-relative path, or null if it would leave the data dir. */
function inside(dataDir: string, relPath: string): string | null {
  try {
    return resolveInside(dataDir, relPath);
  } catch {
    // The catalogue or the chain names a path outside the data dir: reported as not a file, or
    // as a vanished clip whose file is not in the archive.
    return null;
  }
}

function record(
  catalogue: Catalogue,
  audit: AuditLog,
  actor: string,
  report: IntegrityReport,
): void {
  catalogue.write((tx) => {
    for (const p of report.problems) {
      audit.append(tx, {
        actor,
        action: 'integrity.problem',
        subject: p.clipId === null ? `archive:${p.archivePath}` : `clip:${p.clipId}`,
        details: { code: p.code, archivePath: p.archivePath, message: p.message, ...p.details },
      });
    }
    audit.append(tx, {
      actor,
      action: 'integrity.checked',
      subject: 'archive',
      details: {
        ok: report.ok,
        startedAt: report.startedAt,
        clipsChecked: report.clipsChecked,
        bytesChecked: report.bytesChecked,
        problems: report.problems.length,
        readBack: report.readBack,
        chain: report.chain,
      },
    });
    // The alarm custodians and supervisors look for (D-SUPERVISION): one entry per failed sweep.
    if (!report.ok) {
      audit.append(tx, {
        actor,
        action: 'integrity.sweep.failed',
        subject: 'archive',
        details: { reason: 'findings', problems: report.problems.length },
      });
    }
  });
}
