/**
 * The buffers parts are read into, lent out and given back, so that forwarding holds a fixed
 * number of them whatever the clips: a clip reads into two at most, and a clip done gives them
 * back for the next. Without it each clip allocated its own, and the ones it left behind stayed
 * in memory until the collector got to them (seen as 60 MB more at the peak). A destination owns
 * one for its pass, so the buffers go when the pass ends.
 */
export class PartBuffers {
  private readonly free: Buffer[] = [];

  constructor(
    /** How many buffers given back are kept for the next clips; more are let go. */
    private readonly keep: number,
  ) {}

  /** A buffer of at least `length` bytes (its contents are whatever was last read into it). */
  take(length: number): Buffer {
    const i = this.free.findIndex((buffer) => buffer.length >= length);
    if (i >= 0) return this.free.splice(i, 1)[0]!;
    // None big enough (a target with larger parts): the smallest kept makes room for it.
    if (this.free.length >= this.keep) this.free.shift();
    return Buffer.allocUnsafe(length);
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
    this.free.sort((a, b) => a.length - b.length);
    if (this.free.length > this.keep) this.free.shift();
  }
}
