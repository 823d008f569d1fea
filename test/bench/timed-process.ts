// One command timed as a whole process, as a custodian would run it: wall time from spawn to
// exit (its start-up included), and the kernel's own figures for it from GNU time (`/usr/bin/time`,
// Debian package `time`): CPU seconds and the peak resident set. Optionally, samples of what it
// has written (/proc/<pid>/io) and its resident set (/proc/<pid>/status) as it runs: the rate its
// bytes actually leave at, and its memory in one phase of its work rather than over its life; and
// when the helper tools it starts ran (process-spans.ts).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { onInterrupt } from './interrupt';
import { SpanWatcher, type Span } from './process-spans';

export const GNU_TIME = '/usr/bin/time';

export interface TimedRun {
  seconds: number;
  /** User + system CPU of the command (every thread). */
  cpuSeconds: number;
  /** Peak resident set of the command, in bytes. */
  peakRssBytes: number;
  stdout: string;
  /** Samples taken as it ran, when asked for. */
  samples: Sample[];
  /** When the helpers asked to be watched ran; [] when none were. */
  spans: Span[];
}

export interface Sample {
  /** Seconds since the command was started. */
  at: number;
  /** Bytes the command had written so far (sockets and files: wchar). */
  bytes: number;
  /** Its resident set then, in bytes (VmRSS). */
  rssBytes: number;
}

export interface TimedOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Sample the command this often (ms); none when undefined. */
  sampleMs?: number;
  /** Look this often for these helpers (command names) among the command's descendants. */
  watch?: { names: readonly string[]; everyMs: number };
}

let runs = 0;

/** Runs `command args` under GNU time; rejects (with its stderr) unless it exits 0. */
export function timedProcess(
  command: string,
  args: readonly string[],
  options: TimedOptions = {},
): Promise<TimedRun> {
  runs += 1;
  const figures = join(tmpdir(), `evidock-bench-time-${process.pid}-${runs}`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so that Ctrl-C in the bench stops the command too.
    const proc = spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', figures, command, ...args], {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const forget = onInterrupt(() => {
      if (proc.pid !== undefined) process.kill(-proc.pid, 'SIGKILL');
    });
    const samples: Sample[] = [];
    let sampler: NodeJS.Timeout | undefined;
    if (options.sampleMs !== undefined && proc.pid !== undefined) {
      const timePid = proc.pid;
      sampler = setInterval(() => {
        const sample = sampleChild(timePid);
        if (sample !== undefined) {
          samples.push({ at: (performance.now() - started) / 1000, ...sample });
        }
      }, options.sampleMs);
    }
    let watcher: SpanWatcher | undefined;
    let looker: NodeJS.Timeout | undefined;
    if (options.watch !== undefined && proc.pid !== undefined) {
      const spans = new SpanWatcher(proc.pid, new Set(options.watch.names));
      watcher = spans;
      looker = setInterval(
        () => spans.look((performance.now() - started) / 1000),
        options.watch.everyMs,
      );
    }
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-8192);
    });
    proc.on('error', (error) => {
      forget();
      clearInterval(sampler);
      clearInterval(looker);
      reject(error);
    });
    proc.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      forget();
      clearInterval(sampler);
      clearInterval(looker);
      let line = '';
      try {
        line = readFileSync(figures, 'utf8').trim().split('\n').pop() ?? '';
      } catch {
        // GNU time writes its figures even when the command fails; missing means it never ran.
      }
      rmSync(figures, { force: true });
      if (code !== 0) {
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ` +
              `${stdout.slice(-2000)}${stderr.trim()}`,
          ),
        );
        return;
      }
      const [, user, sys, maxRssKiB] = line.split(' ').map(Number);
      if (user === undefined || sys === undefined || maxRssKiB === undefined) {
        reject(new Error(`${GNU_TIME} wrote no figures for ${command} ("${line}")`));
        return;
      }
      resolve({
        seconds,
        cpuSeconds: user + sys,
        peakRssBytes: maxRssKiB * 1024,
        stdout,
        samples,
        spans: watcher?.result() ?? [],
      });
    });
    proc.stdin.end(options.stdin ?? '');
  });
}

/** GNU time's one child (the command) now, or undefined before it exists or after it ends. */
function sampleChild(timePid: number): { bytes: number; rssBytes: number } | undefined {
  try {
    const children = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim();
    const pid = children.split(' ')[0];
    if (!pid) return undefined;
    const wchar = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (!wchar || !rss) return undefined;
    return { bytes: Number(wchar[1]), rssBytes: Number(rss[1]) * 1024 };
  } catch {
    return undefined;
  }
}
