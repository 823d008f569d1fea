import { lstat, readFile } from 'node:fs/promises';
import {
  archiveFiles,
  errnoOf,
  hashFromDisk,
  resolveInside,
  SIDECAR_SUFFIX,
  type DiskDigest,
} from '../archive';
import type { ClipProof } from '../catalogue/clips';
import type { IntegrityProblemCode } from '../contract';

/**
 * The integrity sweep's look at the archive itself (rule D-NO-TAMPER): each catalogued original
 * re-hashed from the disk, its sidecar read, and every file under archive/ the catalogue does not
 * know named.
 */

/** Where the sweep's checks put what they find. */
export type ProblemSink = (
  code: IntegrityProblemCode,
  clipId: number | null,
  archivePath: string,
  message: string,
  details?: Record<string, unknown>,
) => void;

/** The absolute path of a data-dir-relative path, or null if it would leave the data dir. */
export function inside(dataDir: string, relPath: string): string | null {
  try {
    return resolveInside(dataDir, relPath);
  } catch {
    // The catalogue or the chain names a path outside the data dir: reported as not a file, or
    // as a vanished clip whose file is not in the archive.
    return null;
  }
}

/** A catalogued original re-hashed past the cache; its digest, or null where it could not be. */
export async function checkOriginal(
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

export async function checkSidecar(
  file: string,
  clip: ClipProof,
  problem: ProblemSink,
): Promise<void> {
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

/** Every file under archive/ that is neither a catalogued original nor its sidecar. */
export async function findUncatalogued(
  dataDir: string,
  catalogued: ReadonlySet<string>,
  problem: ProblemSink,
  signal: AbortSignal | undefined,
): Promise<void> {
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
    if (!catalogued.has(original)) {
      problem(
        'uncatalogued',
        null,
        relPath,
        `${relPath} is in the archive but not in the catalogue`,
      );
    }
  }
}
