import { createHash, type Hash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DiskFile,
  errnoOf,
  fsyncFolder,
  hashFromDisk,
  readBlocks,
  UncachedWriter,
  type ReadBack,
} from '../archive';
import type { HashAlgorithm } from '../contract';

/** One clip to copy from the recorder into staging and prove. Runs in a worker thread. */
export interface CopyTask {
  source: string;
  /** What the walk saw; the copy refuses a file that is no longer that file. */
  expected: { size: number; mtimeMs: number; dev: number; ino: number };
  /** `<data-dir>/staging/…/<key>.partial` */
  partial: string;
  /** Keep what an earlier attempt wrote (checked against the source) and continue from there. */
  resume: boolean;
  algorithms: HashAlgorithm[];
  chunkSize?: number;
}

export interface CopyResult {
  sha256: string;
  sm3: string | null;
  bytes: number;
  /** Bytes of an earlier partial that matched the source and were kept. */
  resumedFrom: number;
  readBack: ReadBack;
  copyMs: number;
  verifyMs: number;
}

export type CopyPhase = 'copying' | 'verifying';

export const COPY_ERROR_CODES = [
  /** The source changed (size, time, identity, length) while it was copied: not counted. */
  'changed',
  /** Reading the recorder failed (EIO: a bad sector; ENOENT/ENODEV: pulled out). */
  'source-error',
  /** Writing or reading back the staging copy failed (ENOSPC: the archive disk is full). */
  'destination-error',
  /** The copy read back from the disk differs from what was read from the recorder. */
  'mismatch',
  'not-a-file',
  'cancelled',
  /** The copy itself broke (a worker thread died): not the recorder's fault, nor the disk's. */
  'internal',
] as const;
export type CopyErrorCode = (typeof COPY_ERROR_CODES)[number];

export class CopyError extends Error {
  constructor(
    readonly code: CopyErrorCode,
    message: string,
    /** The operating system's code (EIO, ENOSPC, …) when there is one. */
    readonly errno: string | null = null,
  ) {
    super(message);
    this.name = 'CopyError';
  }
}

/** How the copy reads the recorder; swapped in tests to produce faults a folder cannot. */
export interface SourceReader {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  stat(): Promise<{ size: number; mtimeMs: number; dev: number; ino: number; isFile(): boolean }>;
  close(): Promise<void>;
}
export type OpenSource = (path: string) => Promise<SourceReader>;

/**
 * O_NOFOLLOW: a file swapped for a link since the walk is refused. O_NONBLOCK: one swapped for
 * a FIFO cannot hang the worker (regular files ignore the flag).
 *
 * Aligned reads go past the page cache (O_DIRECT) where the volume allows: each clip is read
 * once, so caching it only costs the CPU a copy of every byte and evicts what the station does
 * use. Other reads, and volumes that refuse O_DIRECT, go through the cache.
 */
export const openSourceFile: OpenSource = async (path) => {
  const file = await DiskFile.open(path, fsConstants.O_NONBLOCK ?? 0);
  // Not the DiskFile itself: readers that wrap this one (the tests' faulty recorders) spread it,
  // and a spread drops the methods of a class.
  return {
    read: (buffer, offset, length, position) => file.read(buffer, offset, length, position),
    stat: () => file.stat(),
    close: () => file.close(),
  };
};

const DEFAULT_CHUNK = 4 << 20;

function wrap(code: CopyErrorCode, what: string, error: unknown): CopyError {
  if (error instanceof CopyError) return error;
  return new CopyError(code, `${what}: ${(error as Error).message}`, errnoOf(error));
}

export interface CopyHooks {
  onProgress?: (phase: CopyPhase, bytes: number, total: number) => void;
  /** Checked between chunks: true stops the copy (the partial is kept for a later resume). */
  cancelled?: () => boolean;
  openSource?: OpenSource;
}

/**
 * Reads each source byte once, hashing while it writes the partial; fsyncs file and folder;
 * reads the partial back from the disk (past the page cache where the OS allows) and compares.
 * Throws CopyError; on success the partial is durable and proven equal to what was read.
 */
export async function copyClip(task: CopyTask, hooks: CopyHooks = {}): Promise<CopyResult> {
  const chunk = task.chunkSize ?? DEFAULT_CHUNK;
  const total = task.expected.size;
  const checkpoint = () => {
    if (hooks.cancelled?.()) throw new CopyError('cancelled', 'the copy was cancelled');
  };
  const started = Date.now();
  let source: SourceReader;
  try {
    source = await (hooks.openSource ?? openSourceFile)(task.source);
  } catch (error) {
    throw wrap(
      errnoOf(error) === 'ELOOP' ? 'not-a-file' : 'source-error',
      'opening the source',
      error,
    );
  }
  const recorder = recorderOf(source);
  try {
    await checkIdentity(source, task, 'before copying');
    const hashes = task.algorithms.map((a) => createHash(a));
    let destination: FileHandle;
    try {
      destination = await open(
        task.partial,
        task.resume
          ? fsConstants.O_RDWR | fsConstants.O_CREAT | (fsConstants.O_NOFOLLOW ?? 0)
          : 'w',
        0o600,
      );
    } catch (error) {
      throw wrap('destination-error', 'creating the staging copy', error);
    }
    let resumedFrom = 0;
    try {
      if (task.resume) {
        resumedFrom = await resumePrefix(recorder, destination, hashes, total, chunk, checkpoint);
      }
      const writer = await openStagingWriter(task.partial, destination);
      try {
        await copyRest(recorder, writer, hashes, resumedFrom, task, chunk, hooks, checkpoint);
      } finally {
        await writer.close();
      }
      await checkIdentity(source, task, 'after copying');
      try {
        await destination.sync();
      } catch (error) {
        throw wrap('destination-error', 'flushing the staging copy', error);
      }
    } finally {
      // The copy was flushed (fsync) or failed with its own error: the close adds nothing.
      await destination.close().catch(() => undefined);
    }
    try {
      await fsyncFolder(dirname(task.partial));
    } catch (error) {
      throw wrap('destination-error', 'flushing the staging folder', error);
    }
    const [sha256, sm3] = hashes.map((h) => h.digest('hex')) as [string, string | undefined];
    const copied = Date.now();

    let readBack;
    try {
      readBack = await hashFromDisk(task.partial, task.algorithms, {
        chunkSize: chunk,
        onBytes: (bytes) => hooks.onProgress?.('verifying', bytes, total),
        checkpoint,
      });
    } catch (error) {
      throw wrap('destination-error', 'reading the copy back', error);
    }
    if (readBack.sha256 !== sha256 || readBack.sm3 !== (sm3 ?? null) || readBack.bytes !== total) {
      throw new CopyError(
        'mismatch',
        `the copy read back from the disk differs from the recorder's bytes ` +
          `(sha256 ${sha256} read, ${readBack.sha256} written; ${readBack.bytes} of ${total} bytes)`,
      );
    }
    return {
      sha256,
      sm3: sm3 ?? null,
      bytes: total,
      resumedFrom,
      readBack: readBack.readBack,
      copyMs: copied - started,
      verifyMs: Date.now() - copied,
    };
  } finally {
    // The recorder's file is read-only to us: a close that fails there loses nothing.
    await source.close().catch(() => undefined);
  }
}

async function openStagingWriter(partial: string, destination: FileHandle) {
  try {
    return await UncachedWriter.open(partial, destination);
  } catch (error) {
    throw wrap('destination-error', 'opening the staging copy for writing', error);
  }
}

async function checkIdentity(source: SourceReader, task: CopyTask, when: string): Promise<void> {
  let stat;
  try {
    stat = await source.stat();
  } catch (error) {
    throw wrap('source-error', `examining the source ${when}`, error);
  }
  if (!stat.isFile()) throw new CopyError('not-a-file', 'the source is no longer a regular file');
  const { size, mtimeMs, ino } = task.expected;
  if (stat.size !== size || stat.mtimeMs !== mtimeMs || (ino !== 0 && stat.ino !== ino)) {
    throw new CopyError(
      'changed',
      `the file changed ${when} (size ${size} → ${stat.size}, ` +
        `modified ${new Date(mtimeMs).toISOString()} → ${new Date(stat.mtimeMs).toISOString()})`,
    );
  }
}

/** How often (in bytes copied) a copy looks whether its source is still on the volume. */
const PRESENCE_CHECK_BYTES = 1 << 20;

/**
 * An open file stays readable after its volume is lazily unmounted or its folder removed: the
 * copy would finish from a recorder that is no longer docked. Looking at the path tells.
 */
async function stillThere(path: string): Promise<void> {
  try {
    await lstat(path);
  } catch (error) {
    throw wrap('source-error', 'the source vanished from the volume during the copy', error);
  }
}

type Recorder = Pick<SourceReader, 'read'>;

/** The recorder's reads, each failure saying where it happened. */
function recorderOf(source: SourceReader): Recorder {
  return {
    read: async (buffer, offset, length, position) => {
      try {
        return await source.read(buffer, offset, length, position);
      } catch (error) {
        throw wrap('source-error', `reading the recorder at byte ${position}`, error);
      }
    },
  };
}

/**
 * An earlier attempt's partial is kept only as far as it equals the source: the source prefix is
 * read (and hashed) once, compared with the partial, and the partial is cut where they differ.
 */
async function resumePrefix(
  recorder: Recorder,
  destination: FileHandle,
  hashes: Hash[],
  total: number,
  chunk: number,
  checkpoint: () => void,
): Promise<number> {
  let kept: number;
  try {
    kept = (await destination.stat()).size;
  } catch (error) {
    throw wrap('destination-error', 'examining the partial copy', error);
  }
  if (kept > total) kept = 0;
  const fromSource = Buffer.allocUnsafe(chunk);
  const fromPartial = Buffer.allocUnsafe(chunk);
  let position = 0;
  while (position < kept) {
    const want = Math.min(chunk, kept - position);
    const got = await recorder.read(fromSource, 0, want, position);
    if (got === 0) break;
    let inPartial: number;
    try {
      inPartial = (await destination.read(fromPartial, 0, got, position)).bytesRead;
    } catch (error) {
      throw wrap('destination-error', 'reading the partial copy', error);
    }
    const a = fromSource.subarray(0, got);
    if (inPartial !== got || !a.equals(fromPartial.subarray(0, got))) {
      // Hash the source up to here only; the rest of this chunk is written again.
      break;
    }
    for (const h of hashes) h.update(a);
    position += got;
    checkpoint();
  }
  if (position < kept) {
    try {
      await destination.truncate(position);
    } catch (error) {
      throw wrap('destination-error', 'cutting the partial copy', error);
    }
  }
  return position;
}

/**
 * The archive's read loop over the recorder: the next chunk is read ahead while this one is
 * hashed and written, on aligned positions so that reads and writes can go past the page cache.
 * Never past the size the walk saw: a file that grew is told by the probe at the end.
 */
async function copyRest(
  recorder: Recorder,
  writer: UncachedWriter,
  hashes: Hash[],
  from: number,
  task: CopyTask,
  chunk: number,
  hooks: CopyHooks,
  checkpoint: () => void,
): Promise<void> {
  const total = task.expected.size;
  let lookedAt = from;
  const end = await readBlocks(recorder, {
    chunk,
    from,
    limit: total,
    consume: async (view, position) => {
      for (const h of hashes) h.update(view);
      try {
        await writer.write(view, position);
      } catch (error) {
        throw wrap('destination-error', `writing the staging copy at byte ${position}`, error);
      }
      const done = position + view.length;
      hooks.onProgress?.('copying', done, total);
      checkpoint();
      if (done - lookedAt >= PRESENCE_CHECK_BYTES) {
        lookedAt = done;
        await stillThere(task.source);
      }
    },
  });
  if (end !== total) {
    throw new CopyError('changed', `the file ended at byte ${end}, not ${total}: it shrank`);
  }
  const probe = Buffer.allocUnsafe(1);
  if ((await recorder.read(probe, 0, 1, end)) > 0) {
    throw new CopyError('changed', `the file grew past ${total} bytes while it was copied`);
  }
}
