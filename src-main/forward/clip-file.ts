import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { ForwardRefused } from './remote-errors';

/**
 * An archived original opened for sending: read part by part (never whole: a clip of any size
 * costs one part's memory), its whole-file SHA-256 taken as it goes, so that bytes which are no
 * longer the ones proven at ingest are never made whole on a target (D-NO-TAMPER).
 */
export class ClipFile {
  private readonly whole = createHash('sha256');
  private hashedTo = 0;
  private part: Buffer | null = null;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly path: string,
  ) {}

  static async open(path: string, expectedSize: number): Promise<ClipFile> {
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
    return new ClipFile(handle, size, path);
  }

  /**
   * The bytes from `offset`, `length` long. Parts must be read in order from the start: each
   * is folded into the whole-file hash. The bytes are good until the next read: one buffer
   * serves every part (a part is sent before the next is read), so a clip costs one part of
   * memory and the collector is not handed a fresh 16 MiB at every part.
   */
  async read(offset: number, length: number): Promise<Buffer> {
    if (offset !== this.hashedTo) throw new Error('parts are read in order');
    if (this.part === null || this.part.length < length) this.part = Buffer.allocUnsafe(length);
    const buffer = this.part.subarray(0, length);
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

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export function md5Of(buffer: Buffer): Buffer {
  return createHash('md5').update(buffer).digest();
}

export function sha256Of(buffer: Buffer): Buffer {
  return createHash('sha256').update(buffer).digest();
}
