/** Bytes a second over the last minute, per target: what the Forwarding screen and status show. */
export class RateMeter {
  private readonly samples = new Map<number, { at: number; bytes: number }[]>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  add(targetId: number, bytes: number): void {
    const list = this.samples.get(targetId) ?? [];
    list.push({ at: this.clock(), bytes });
    this.samples.set(targetId, list);
    this.trim(list);
  }

  rate(targetId: number): number {
    const list = this.samples.get(targetId);
    if (list === undefined) return 0;
    this.trim(list);
    if (list.length === 0) return 0;
    const span = Math.max(1_000, this.clock() - list[0]!.at);
    return (list.reduce((sum, s) => sum + s.bytes, 0) * 1000) / span;
  }

  private trim(list: { at: number }[]): void {
    const from = this.clock() - this.windowMs;
    while (list.length > 0 && list[0]!.at < from) list.shift();
  }
}
