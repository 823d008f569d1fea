// Figures of a bench: medians, a table of contenders, and ratios. The ratios are the result (the
// machines are shared and noisy, absolute seconds are not comparable between runs of the bench).

export interface Contender {
  name: string;
  /** Bytes each run moved. */
  bytes: number;
  seconds: number[];
  cpuSeconds: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mibPerSecond(c: Contender): number {
  return c.bytes / (1 << 20) / median(c.seconds);
}

export function table(contenders: readonly Contender[]): string {
  const width = Math.max(9, ...contenders.map((c) => c.name.length));
  const head = `${'contender'.padEnd(width)}  median s    MiB/s  CPU s  runs (s, in order)`;
  const rows = contenders.map(
    (c) =>
      `${c.name.padEnd(width)}  ${median(c.seconds).toFixed(2).padStart(8)}  ` +
      `${mibPerSecond(c).toFixed(1).padStart(7)}  ${median(c.cpuSeconds).toFixed(1).padStart(5)}  ` +
      c.seconds.map((s) => s.toFixed(2)).join(' '),
  );
  return [head, '-'.repeat(head.length + 12), ...rows].join('\n');
}

/** How many times faster `a` is than `b` (same bytes): the ratio of their median times. */
export function faster(a: Contender, b: Contender): number {
  return median(b.seconds) / median(a.seconds);
}

/** Throughput of `a` over that of `b`, in bytes per second. */
export function throughput(a: Contender, b: Contender): number {
  return mibPerSecond(a) / mibPerSecond(b);
}
