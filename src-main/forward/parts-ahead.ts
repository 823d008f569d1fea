import { md5Of, sha256Of, type ClipFile } from './clip-file';

interface PartRead {
  body: Buffer;
  md5: Buffer;
  sha256: Buffer;
}

/**
 * A clip's parts, read in order with one part of read-ahead: taking part n starts the read of
 * part n + 1. Part n's bytes stay good until part n + 2 is taken (the file alternates two
 * buffers), which is after part n has been sent.
 */
export class PartsAhead {
  private ahead: { n: number; read: Promise<PartRead> } | null = null;

  constructor(
    private readonly file: ClipFile,
    private readonly size: number,
    private readonly partSize: number,
  ) {}

  async take(n: number): Promise<PartRead> {
    const read = this.ahead?.n === n ? this.ahead.read : this.read(n);
    this.ahead = null;
    const part = await read;
    if (n * this.partSize < this.size) {
      const next = this.read(n + 1);
      // Awaited by the next take() or settle(); until then a failure must not go unhandled.
      next.catch(() => undefined);
      this.ahead = { n: n + 1, read: next };
    }
    return part;
  }

  /** Waits out a read still under way, so that the file is not closed beneath it. */
  async settle(): Promise<void> {
    await this.ahead?.read.catch(() => undefined);
    this.ahead = null;
  }

  private async read(n: number): Promise<PartRead> {
    const offset = (n - 1) * this.partSize;
    const body = await this.file.read(offset, Math.min(this.partSize, this.size - offset));
    return { body, md5: md5Of(body), sha256: sha256Of(body) };
  }
}
