import { resolve } from 'node:path';
import type { Catalogue } from '../catalogue/catalogue';
import type { IntegrityProblem, IntegrityProgress } from '../contract';
import {
  checkOriginal,
  checkSidecar,
  findUncatalogued,
  inside,
  type ProblemSink,
} from './archive-check';
import type { AuditLog } from './audit-log';
import { STATION_ACTOR } from './audit-log';
import {
  checkAgainstChain,
  findVanished,
  nameQuarantined,
  reportContradictions,
} from './chain-check';
import { readChainRecord } from './chain-record';

/**
 * The integrity sweep (rule D-NO-TAMPER): three sources held against each other — the archive's
 * files and sidecars (archive-check), the catalogue's rows, and the audit chain's record of every
 * clip archived (chain-record, read once per sweep; chain-check holds the rows to it).
 */

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

/** How far the sweep is, as it reports it (the station adds when it started). */
export type IntegrityProgressReport = Omit<IntegrityProgress, 'startedAt'>;

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
  const problem: ProblemSink = (code, clipId, archivePath, message, details = {}) =>
    problems.push({ code, clipId, archivePath, message, details });

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
  reportContradictions(chain, problem);
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

  const catalogued = new Set(clips.map((c) => c.archivePath));
  await findUncatalogued(dataDir, catalogued, problem, signal);

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
