import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { PartBuffers } from './part-buffers';
import { ForwardRefused } from './remote-errors';

/**
 * An archived original opened for sending: read part by part (never whole: a clip of any size
 * costs one part's memory), its whole-file SHA-256 taken as it goes, so that bytes which are no
 * longer the ones proven at ingest are never made whole on a target (D-NO-TAMPER).
 */
export class ClipFile {
  private readonly whole = createHash('sha256');
  private hashedTo = 0;
  private readonly buffers: [Buffer | null, Buffer | null] = [null, null];
  private turn: 0 | 1 = 1;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly path: string,
    private readonly pool: PartBuffers,
  ) {}

  static async open(path: string, expectedSize: number, pool: PartBuffers): Promise<ClipFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') {
        throw new ForwardRefused(
          'ARCHIVE_MISSING',
          `the archived original ${path} is missing or not a file: it is not forwarded (D-NO-TAMPER)`,
          'hold',
        );
      }
      throw error;
    }
    const { size } = await handle.stat();
    if (size !== expectedSize) {
      await handle.close();
      throw new ForwardRefused(
        'ARCHIVE_MISMATCH',
        `the archived original ${path} is ${size} bytes, not the ${expectedSize} proven at ingest: it is not forwarded (D-NO-TAMPER)`,
        'hold',
      );
    }
    return new ClipFile(handle, size, path, pool);
  }

  /**
   * The bytes from `offset`, `length` long. Parts must be read in order from the start: each
   * is folded into the whole-file hash. Two buffers take turns, so the bytes are good until the
   * read after next: a part can be sent while the next one is read, and a clip costs two parts
   * of memory, lent by the pool and given back on close.
   */
  async read(offset: number, length: number): Promise<Buffer> {
    if (offset !== this.hashedTo) throw new Error('parts are read in order');
    this.turn = this.turn === 0 ? 1 : 0;
    let own = this.buffers[this.turn];
    if (own === null || own.length < length) {
      if (own !== null) this.pool.give(own);
      own = this.pool.take(length);
      this.buffers[this.turn] = own;
    }
    const buffer = own.subarray(0, length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.handle.read(buffer, got, length - got, offset + got);
      if (bytesRead === 0) {
        throw new ForwardRefused(
          'ARCHIVE_MISMATCH',
          `the archived original ${this.path} ended early: it is not forwarded (D-NO-TAMPER)`,
          'hold',
        );
      }
      got += bytesRead;
    }
    this.whole.update(buffer);
    this.hashedTo += length;
    return buffer;
  }

  /** Throws unless every byte was read and they hash to what ingest proved. */
  requireProven(sha256: string): void {
    const found = this.whole.copy().digest('hex');
    if (this.hashedTo !== this.size || found !== sha256) {
      throw new ForwardRefused(
        'ARCHIVE_MISMATCH',
        `the archived original ${this.path} no longer hashes to the SHA-256 proven at ingest ` +
          `(${sha256.slice(0, 16)}…, now ${found.slice(0, 16)}…): it is not forwarded; ` +
          'run the integrity check (D-NO-TAMPER)',
        'hold',
      );
    }
  }

  /** Gives the buffers back: the bytes of every part read are not to be used after this. */
  async close(): Promise<void> {
    for (const buffer of this.buffers) if (buffer !== null) this.pool.give(buffer);
    this.buffers[0] = this.buffers[1] = null;
    await this.handle.close();
  }
}

export function md5Of(buffer: Buffer): Buffer {
  return createHash('md5').update(buffer).digest();
}

export function sha256Of(buffer: Buffer): Buffer {
  return createHash('sha256').update(buffer).digest();
}
