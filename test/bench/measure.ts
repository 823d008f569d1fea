// Wall time and CPU time of one run. CPU time says what a contender costs the machine, which on a
// shared, noisy machine moves less from run to run than the wall clock does.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Measured {
  seconds: number;
  /** This process (every thread: the engine's workers too) and the children it reaped. */
  cpuSeconds: number;
}

export async function measure<T>(work: () => Promise<T>): Promise<Measured & { value: T }> {
  const cpu = cpuSeconds();
  const started = performance.now();
  const value = await work();
  return {
    value,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSeconds() - cpu,
  };
}

/** Clock ticks per second for /proc's times; USER_HZ is 100 on every Linux that runs this. */
const TICKS = 100;

/** utime + stime + cutime + cstime of this process (fields 14–17 of /proc/self/stat). */
function cpuSeconds(): number {
  // The command name (field 2) may hold spaces; the fields after it are counted from its ')'.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return (field(14) + field(15) + field(16) + field(17)) / TICKS;
}
