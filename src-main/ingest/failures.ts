import { lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoOf } from '../archive';
import type { CopyError } from './copy';
import { finding, type IngestFinding } from './findings';
import type { IngestError } from './types';

/** Stops a docking's remaining copies; carries why. */
export class StopIngest extends Error {
  constructor(readonly reason: IngestError) {
    super(reason.message);
    this.name = 'StopIngest';
  }
}

/** The archive disk (or the catalogue on it) has no room left. */
export const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
/** What a path on a volume that is no longer there answers. */
const GONE = new Set(['ENOENT', 'ENODEV', 'ENXIO', 'ENOTCONN', 'ESHUTDOWN', 'EIO', 'ENOTDIR']);

export function archiveFull(error: unknown): IngestError {
  return {
    code: 'archive-full',
    message: `the archive disk is full (${(error as Error).message}); the clip in progress is not counted, nothing more is copied and nothing is cleared`,
  };
}

export function classifyUnexpected(error: unknown): IngestError {
  if (error instanceof StopIngest) return error.reason;
  const code = errnoOf(error);
  if (code !== null && DISK_FULL.has(code)) return archiveFull(error);
  return {
    code: 'failed',
    message: `the ingest failed: ${(error as Error).message ?? String(error)}`,
  };
}

/**
 * After a read error: is the recorder gone (pulled out, unmounted), or is it one bad file? Gone
 * when the mountpoint is no longer the same mounted volume, or the file's folder went with it.
 */
export async function volumeGone(root: string, rootDev: number, file: string): Promise<boolean> {
  try {
    const info = await lstat(root);
    if (info.dev !== rootDev) return true;
  } catch {
    // The mount point itself is gone: so is the volume.
    return true;
  }
  try {
    await lstat(dirname(file));
    return false;
  } catch (error) {
    return GONE.has(errnoOf(error) ?? '');
  }
}

/** What to do about one clip whose copy failed. */
export interface CopyVerdict {
  /** Keep the partial and its manifest for a resume at the next docking. */
  keepPartial: boolean;
  /** The clip is not counted: flagged (`failed`) or to be taken next time (`not-counted`). */
  clip: { outcome: 'failed' | 'not-counted'; finding: IngestFinding } | null;
  /** A finding on the docking that is not about this clip alone. */
  note: IngestFinding | null;
  /** The whole docking stops. */
  stop: IngestError | null;
}

/**
 * A bad sector costs one clip; a recorder pulled out, or a full or failing archive disk, stops
 * the docking. Partials are kept only where a resume can use them and the disk can spare them.
 */
export function copyVerdict(
  failure: CopyError,
  path: string,
  gone: boolean,
  stopping: IngestError | null,
): CopyVerdict {
  const verdict = (v: Partial<CopyVerdict>): CopyVerdict => ({
    keepPartial: false,
    clip: null,
    note: null,
    stop: null,
    ...v,
  });
  const notCounted = (message: string) =>
    verdict({
      clip: { outcome: 'not-counted', finding: finding('changed-during-copy', message, path) },
    });
  switch (failure.code) {
    case 'cancelled':
      return verdict({ keepPartial: stopping?.code !== 'archive-full' });
    case 'changed':
    case 'not-a-file':
      return notCounted(`${failure.message}; not counted, it will be copied at the next docking`);
    case 'source-error':
      if (gone) {
        return verdict({
          keepPartial: true,
          note: finding(
            'volume-gone',
            `the recorder went away during the copy (${failure.message}); partial copies are kept and resumed at the next docking`,
            path,
          ),
          stop: {
            code: 'volume-gone',
            message: 'the recorder was removed during the ingest; dock it again to resume',
          },
        });
      }
      if (failure.errno === 'ENOENT') {
        return notCounted(
          'the file was deleted from the recorder while it was copied; not counted',
        );
      }
      // The partial is kept: the next attempt re-reads the good part and may get past the sector.
      return verdict({
        keepPartial: true,
        clip: {
          outcome: 'failed',
          finding: finding(
            'read-error',
            `the recorder could not be read (${failure.message}); this clip is not counted, the others continue`,
            path,
            { errno: failure.errno },
          ),
        },
      });
    case 'destination-error':
      return verdict({
        stop:
          failure.errno !== null && DISK_FULL.has(failure.errno)
            ? archiveFull(failure)
            : { code: 'archive-error', message: `the archive disk failed: ${failure.message}` },
      });
    case 'mismatch':
    case 'internal':
      return verdict({
        clip: {
          outcome: 'failed',
          finding: finding(
            failure.code === 'mismatch' ? 'verify-mismatch' : 'copy-failed',
            `${failure.message}; not counted`,
            path,
          ),
        },
      });
  }
}
