import { constants as fsConstants } from 'node:fs';
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

export function errnoOf(error: unknown): string | null {
  return (error as NodeJS.ErrnoException | null)?.code ?? null;
}

/** Why this platform or filesystem cannot read past the page cache, or null when it can. */
async function cacheBypassUnavailable(path: string): Promise<string | null> {
  if (process.platform === 'darwin') {
    return 'macOS: bypassing the cache needs fcntl(F_NOCACHE), a native call evidock does not ship';
  }
  if (process.platform === 'win32') {
    return 'Windows: bypassing the cache needs CreateFile(FILE_FLAG_NO_BUFFERING), a native call evidock does not ship';
  }
  if (fsConstants.O_DIRECT === undefined) {
    return `${process.platform}: Node offers no O_DIRECT here`;
  }
  try {
    const fs = await statfs(path);
    if (fs.type === TMPFS_MAGIC || fs.type === RAMFS_MAGIC) {
      return 'the file is on tmpfs/ramfs: the page cache is the storage, there is no disk behind it';
    }
  } catch {
    // statfs is advisory here: O_DIRECT itself decides when the file is opened.
  }
  return null;
}

/**
 * A second descriptor on the file `opened` is, with O_DIRECT, or why there is none. Opened by
 * path, so it is checked to be the same file (not one swapped in between the two opens).
 */
async function openUncached(
  path: string,
  flags: number,
  opened: FileHandle,
): Promise<{ handle: FileHandle } | { refused: string }> {
  const bypass = await cacheBypassUnavailable(path);
  if (bypass !== null) return { refused: bypass };
  let direct: FileHandle;
  try {
    direct = await open(path, flags | fsConstants.O_DIRECT);
  } catch (error) {
    const code = errnoOf(error);
    if (code !== null && DIRECT_REFUSED.has(code)) {
      return { refused: `the filesystem refused O_DIRECT (${code})` };
    }
    throw error;
  }
  try {
    const [a, b] = await Promise.all([opened.stat(), direct.stat()]);
    if (a.dev === b.dev && a.ino === b.ino) return { handle: direct };
  } catch {
    // Not knowing is not the same file: the direct descriptor is not used.
  }
  // Never used for a read: a close that fails leaves nothing the caller needs.
  await direct.close().catch(() => undefined);
  return { refused: 'the file changed between two opens; it was read through the cache' };
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
        ? new DiskFile(cached, uncached.handle, null)
        : new DiskFile(cached, null, uncached.refused);
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
