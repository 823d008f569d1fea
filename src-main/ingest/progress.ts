/** Progress as data (DESIGN.md): `{phase, bytes, total, rate, eta}`, rate-limited per job. */
export interface ProgressFigures {
  bytes: number;
  total: number;
  /** Bytes per second over the recent past. */
  rate: number;
  /** Seconds left at that rate; null while unknown. */
  eta: number | null;
}

const WINDOW_MS = 5_000;

/** Bytes per second over a sliding window, so a stall shows within seconds. */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  /** Records the running total of bytes done. */
  update(bytes: number): void {
    const at = this.clock();
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && this.samples[0]!.at < at - WINDOW_MS) this.samples.shift();
  }

  figures(bytes: number, total: number): ProgressFigures {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    let rate = 0;
    if (first && last && last.at > first.at) {
      rate = Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
    }
    const left = Math.max(0, total - bytes);
    const eta = left === 0 ? 0 : rate > 0 ? Math.round(left / rate) : null;
    return { bytes, total, rate: Math.round(rate), eta };
  }
}

/**
 * Calls `emit` at most once per `intervalMs`: the first request at once, later ones coalesced
 * into one trailing call, so the last state is always delivered.
 */
export class Throttle {
  private last = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: () => void,
    private readonly clock: () => number = Date.now,
  ) {}

  request(): void {
    if (this.timer !== null) return;
    const wait = this.last + this.intervalMs - this.clock();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  /** Delivers a pending call now (a phase change, the end of the job). */
  flush(): void {
    if (this.timer !== null) this.fire();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.stop();
    this.last = this.clock();
    this.emit();
  }
}
