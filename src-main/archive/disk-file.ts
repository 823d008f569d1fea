import { constants as fsConstants, type Stats } from 'node:fs';
import { open, statfs, type FileHandle } from 'node:fs/promises';
import { directTransferOk, DIRECT_IO_ALIGNMENT } from './aligned-buffers';

/** How bytes were read back: past the OS page cache, or through it (and why). */
export interface ReadBack {
  method: 'direct' | 'cached';
  /** Why the cache could not be bypassed; null when it was. */
  reason: string | null;
}

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;
const DIRECT_REFUSED = new Set(['EINVAL', 'EOPNOTSUPP', 'ENOTSUP']);

/** The operating system's code (ENOENT, EIO, …) of a failure, or null when it has none. */
export function errnoOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** Why this platform cannot read past the page cache at all, or null when it can. */
function platformBypassUnavailable(): string | null {
  if (process.platform === 'darwin') {
    return 'macOS: bypassing the cache needs fcntl(F_NOCACHE), a native call evidock does not ship';
  }
  if (process.platform === 'win32') {
    return 'Windows: bypassing the cache needs CreateFile(FILE_FLAG_NO_BUFFERING), a native call evidock does not ship';
  }
  if (fsConstants.O_DIRECT === undefined) {
    return `${process.platform}: Node offers no O_DIRECT here`;
  }
  return null;
}

/**
 * The filesystem's answer by device number (st_dev): asked at every open, statfs would run for
 * each clip's staging copy (written, then read back) and for each recorder file, for an answer
 * that does not change while the filesystem stays mounted. A number freed by an unmount may come
 * back with another filesystem; only tmpfs and ramfs answer differently here, and the station's
 * data dir and recorders are neither.
 */
const filesystemVerdicts = new Map<number, string | null>();

/** Why the filesystem holding `path` cannot be read past the page cache, or null when it can. */
async function filesystemBypassUnavailable(
  path: string,
  dev: number | undefined,
): Promise<string | null> {
  const known = dev === undefined ? undefined : filesystemVerdicts.get(dev);
  if (known !== undefined) return known;
  let fs;
  try {
    fs = await statfs(path);
  } catch {
    // statfs is advisory here: O_DIRECT itself decides when the file is opened.
    return null;
  }
  const verdict =
    fs.type === TMPFS_MAGIC || fs.type === RAMFS_MAGIC
      ? 'the file is on tmpfs/ramfs: the page cache is the storage, there is no disk behind it'
      : null;
  if (dev !== undefined) filesystemVerdicts.set(dev, verdict);
  return verdict;
}

/**
 * A second descriptor on the file `opened` is, with O_DIRECT, or why there is none. Opened by
 * path, so it is checked to be the same file (not one swapped in between the two opens).
 * Answers `opened`'s fstat as well, when it was taken (null where the platform rules O_DIRECT
 * out before any is needed, or the fstat failed).
 */
async function openUncached(
  path: string,
  flags: number,
  opened: FileHandle,
): Promise<({ handle: FileHandle } | { refused: string }) & { stat: Stats | null }> {
  const platform = platformBypassUnavailable();
  if (platform !== null) return { refused: platform, stat: null };
  // A file whose fstat fails cannot be shown to be the one opened again: refused below.
  const stat = await opened.stat().catch(() => null);
  const bypass = await filesystemBypassUnavailable(path, stat?.dev);
  if (bypass !== null) return { refused: bypass, stat };
  let direct: FileHandle;
  try {
    direct = await open(path, flags | fsConstants.O_DIRECT);
  } catch (error) {
    const code = errnoOf(error);
    if (code !== null && DIRECT_REFUSED.has(code)) {
      return { refused: `the filesystem refused O_DIRECT (${code})`, stat };
    }
    throw error;
  }
  try {
    const other = await direct.stat();
    if (stat !== null && stat.dev === other.dev && stat.ino === other.ino) {
      return { handle: direct, stat };
    }
  } catch {
    // Not knowing is not the same file: the direct descriptor is not used.
  }
  // Never used for a read: a close that fails leaves nothing the caller needs.
  await direct.close().catch(() => undefined);
  return { refused: 'the file changed between two opens; it was read through the cache', stat };
}

/** Flags every read of evidence uses: a file swapped for a link is refused (ELOOP). */
const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/**
 * A file read past the page cache where the OS and the file system allow (Linux: O_DIRECT), and
 * through it elsewhere. Each read goes past the cache when its buffer, length and position are
 * aligned; other reads (the file's last partial block) and everything on a file system that
 * refuses O_DIRECT go through the cache. `readBack` says which it was for the bytes read, and
 * why not past the cache when it was not.
 */
export class DiskFile {
  private cachedBytes = 0;

  private constructor(
    private readonly cached: FileHandle,
    private direct: FileHandle | null,
    private reason: string | null,
    /**
     * The file as fstat saw it at the open, where it was asked then (null otherwise): enough to
     * plan reads by. `stat()` asks again, for whoever must know the file as it is now.
     */
    readonly openedAs: Stats | null,
  ) {}

  /**
   * `extraFlags`: O_NONBLOCK for a recorder's file, so one swapped for a FIFO cannot hang the
   * reader (regular files ignore it).
   */
  static async open(path: string, extraFlags = 0): Promise<DiskFile> {
    const flags = READ_FLAGS | extraFlags;
    const cached = await open(path, flags);
    try {
      const uncached = await openUncached(path, flags, cached);
      return 'handle' in uncached
        ? new DiskFile(cached, uncached.handle, null, uncached.stat)
        : new DiskFile(cached, null, uncached.refused, uncached.stat);
    } catch (error) {
      // The open's own failure is what the caller hears; the close cannot add to it.
      await cached.close().catch(() => undefined);
      throw error;
    }
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    if (this.direct !== null && directTransferOk(buffer, offset, length, position)) {
      try {
        return (await this.direct.read(buffer, offset, length, position)).bytesRead;
      } catch (error) {
        if (errnoOf(error) !== 'EINVAL') throw error;
        // Refused after all: the rest goes through the cache.
        this.reason ??= 'the filesystem refused O_DIRECT reads (EINVAL)';
        await this.closeDirect();
      }
    }
    const { bytesRead } = await this.cached.read(buffer, offset, length, position);
    if (bytesRead > 0 && this.direct !== null) {
      this.reason ??= `bytes from ${position} on were read through the cache (an unaligned read)`;
    }
    this.cachedBytes += bytesRead;
    return bytesRead;
  }

  stat() {
    return this.cached.stat();
  }

  /** How the bytes read so far came from the disk. */
  get readBack(): ReadBack {
    return this.cachedBytes === 0 && this.reason === null
      ? { method: 'direct', reason: null }
      : { method: 'cached', reason: this.reason ?? 'read through the cache' };
  }

  async close(): Promise<void> {
    await this.closeDirect();
    await this.cached.close();
  }

  private async closeDirect(): Promise<void> {
    const direct = this.direct;
    this.direct = null;
    // Reads are over: a descriptor that fails to close holds nothing the caller needs.
    await direct?.close().catch(() => undefined);
  }
}

/**
 * Writes a file's whole aligned blocks past the page cache, through a second descriptor opened
 * with O_DIRECT where the file system takes it: straight to the disk. Filling the page cache with
 * a clip and flushing it at the fsync costs Linux more CPU than hashing the clip does, and the
 * disk would sit idle until the fsync instead of writing while the next chunk is read and hashed.
 * The file's last partial block, and everything where O_DIRECT is refused, is written through the
 * caller's own descriptor. The proof does not change: fsync of file and folder, then a read-back.
 */
export class UncachedWriter {
  private constructor(
    private readonly cached: FileHandle,
    private uncached: FileHandle | null,
  ) {}

  /** `cached` is the caller's descriptor on `path`, opened for writing; it stays the caller's. */
  static async open(path: string, cached: FileHandle): Promise<UncachedWriter> {
    const flags = fsConstants.O_WRONLY | (fsConstants.O_NOFOLLOW ?? 0);
    const uncached = await openUncached(path, flags, cached);
    return new UncachedWriter(cached, 'handle' in uncached ? uncached.handle : null);
  }

  /** Writes all of `view` at `position`. */
  async write(view: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < view.length) {
      written += await this.writeSome(view, written, view.length - written, position + written);
    }
  }

  private async writeSome(
    view: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    // The whole blocks of a chunk bypass the cache; only the file's last partial block cannot.
    const blocks = length - (length % DIRECT_IO_ALIGNMENT);
    if (this.uncached !== null && blocks > 0 && directTransferOk(view, offset, blocks, position)) {
      try {
        return (await this.uncached.write(view, offset, blocks, position)).bytesWritten;
      } catch (error) {
        if (errnoOf(error) !== 'EINVAL') throw error;
        // Refused after all: the rest goes through the cache.
        await this.close();
      }
    }
    return (await this.cached.write(view, offset, length, position)).bytesWritten;
  }

  /** Closes the O_DIRECT descriptor; the cached one is the caller's. */
  async close(): Promise<void> {
    const handle = this.uncached;
    this.uncached = null;
    // The writes are flushed through the caller's descriptor (fsync); this one holds nothing.
    await handle?.close().catch(() => undefined);
  }
}
