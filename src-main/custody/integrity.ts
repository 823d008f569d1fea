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
import type { AuditLog } from './audit-log';
import { STATION_ACTOR } from './audit-log';

/** The integrity sweep (rule D-NO-TAMPER): the archive re-proven against the catalogue. */

export const INTEGRITY_PROBLEMS = [
  /** The catalogue names an original the archive no longer has. */
  'missing',
  /** The original's bytes differ from the hashes taken when it was archived. */
  'mismatch',
  /** Something else sits where the original should be (a link, a folder). */
  'not-a-file',
  'unreadable',
  /** The sidecar that lets the catalogue be rebuilt is gone, unreadable, or disagrees. */
  'sidecar-missing',
  'sidecar-mismatch',
  /** A file in the archive that the catalogue does not know: footage inserted behind its back. */
  'uncatalogued',
] as const;
export type IntegrityProblemCode = (typeof INTEGRITY_PROBLEMS)[number];

export interface IntegrityProblem {
  code: IntegrityProblemCode;
  clipId: number | null;
  /** Relative to the data dir, `/`-separated. */
  archivePath: string;
  message: string;
  details: Record<string, unknown>;
}

export interface IntegrityReport {
  ok: boolean;
  clipsChecked: number;
  bytesChecked: number;
  /** How many originals were read past the cache and how many through it. */
  readBack: { direct: number; cached: number };
  problems: IntegrityProblem[];
  startedAt: string;
  finishedAt: string;
}

export interface IntegrityOptions {
  catalogue: Catalogue;
  dataDir: string;
  /** When given, the sweep and each problem are written to the audit log. */
  audit?: AuditLog;
  actor?: string;
  now?: () => Date;
  onProgress?: (progress: { clipsChecked: number; clips: number; bytes: number }) => void;
}

/**
 * Re-hashes every archived original against the catalogue, checks each sidecar, and looks for
 * files the catalogue does not know. Reads, never writes, the archive.
 */
export async function verifyArchive(options: IntegrityOptions): Promise<IntegrityReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const dataDir = resolve(options.dataDir);
  // Loaded up front: a statement iterator would hold the connection across the awaits below.
  const clips = options.catalogue.clips.proofs();
  const problems: IntegrityProblem[] = [];
  const readBack = { direct: 0, cached: 0 };
  let bytesChecked = 0;
  let clipsChecked = 0;
  const problem = (
    code: IntegrityProblemCode,
    clip: ClipProof | null,
    archivePath: string,
    message: string,
    details: Record<string, unknown> = {},
  ) => problems.push({ code, clipId: clip?.id ?? null, archivePath, message, details });

  for (const clip of clips) {
    const file = inside(dataDir, clip.archivePath);
    if (file === null) {
      problem('not-a-file', clip, clip.archivePath, 'the catalogued path leaves the data dir');
    } else {
      const digest = await checkOriginal(file, clip, problem);
      if (digest) {
        bytesChecked += digest.bytes;
        readBack[digest.readBack.method] += 1;
      }
      await checkSidecar(file, clip, problem);
    }
    clipsChecked += 1;
    options.onProgress?.({ clipsChecked, clips: clips.length, bytes: bytesChecked });
  }

  const known = new Set(clips.map((c) => c.archivePath));
  const unlisted = (error: unknown) => {
    // No archive/ yet, or a folder gone since it was listed: nothing in it to report. Any other
    // failure ends the sweep.
    if (errnoOf(error) !== 'ENOENT') throw error;
  };
  for await (const relPath of archiveFiles(dataDir, unlisted)) {
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
    problems,
    startedAt,
    finishedAt: now().toISOString(),
  };
  if (options.audit)
    record(options.catalogue, options.audit, options.actor ?? STATION_ACTOR, report);
  return report;
}

type ProblemSink = (
  code: IntegrityProblemCode,
  clip: ClipProof,
  archivePath: string,
  message: string,
  details?: Record<string, unknown>,
) => void;

async function checkOriginal(
  file: string,
  clip: ClipProof,
  problem: ProblemSink,
): Promise<DiskDigest | null> {
  const path = clip.archivePath;
  try {
    const info = await lstat(file);
    if (!info.isFile()) {
      problem('not-a-file', clip, path, `${path} is not a regular file`);
      return null;
    }
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      problem('missing', clip, path, `clip ${clip.id}: ${path} is missing from the archive`);
    } else {
      problem('unreadable', clip, path, `clip ${clip.id}: ${path}: ${String(error)}`);
    }
    return null;
  }
  let digest: DiskDigest;
  try {
    digest = await hashFromDisk(file, clip.sm3 === null ? ['sha256'] : ['sha256', 'sm3']);
  } catch (error) {
    problem(
      'unreadable',
      clip,
      path,
      `clip ${clip.id}: ${path} could not be read: ${String(error)}`,
    );
    return null;
  }
  const sha256Differs = digest.sha256 !== clip.sha256;
  const sm3Differs = clip.sm3 !== null && digest.sm3 !== clip.sm3;
  if (sha256Differs || sm3Differs || digest.bytes !== clip.originalSize) {
    problem('mismatch', clip, path, `clip ${clip.id}: ${path} no longer matches its hash`, {
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
      clip,
      path,
      missing ? `clip ${clip.id}: ${path} is missing` : `clip ${clip.id}: ${path} is unreadable`,
    );
    return;
  }
  if (sidecar.clip?.sha256 !== clip.sha256 || sidecar.clip?.archivePath !== clip.archivePath) {
    problem(
      'sidecar-mismatch',
      clip,
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
    // The catalogue names a path outside the data dir: reported by the caller as not a file.
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
        clipsChecked: report.clipsChecked,
        bytesChecked: report.bytesChecked,
        problems: report.problems.length,
        readBack: report.readBack,
      },
    });
  });
}
