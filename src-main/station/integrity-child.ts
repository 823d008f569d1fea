import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { setPriority } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IntegrityProgressReport } from '../custody/integrity';

/**
 * The integrity sweep in a process of its own: `evidock verify`, started by the station at the
 * lowest priorities the OS offers. Reading a whole archive past the page cache for hours must not
 * slow a docking or the screens: its hashing is off the station's event loop and its reads wait
 * for a disk that nobody else is using.
 */

/** At most ~4 progress reports a second, like a docking's. */
export const PROGRESS_INTERVAL_MS = 250;

/** What `evidock verify` tells the station that started it, over the IPC channel. */
export interface SweepProgressMessage {
  type: 'integrity.progress';
  progress: IntegrityProgressReport;
}

export interface SweepOutcome {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The error code the command printed (`--json`), when it failed. */
  errorCode: string | null;
  /** The error's message, when the command printed one the station could read. */
  errorMessage: string | null;
}

export interface SweepChild {
  readonly pid: number | undefined;
  /** How the sweep's priority was lowered, in words for the station log. */
  readonly priority: string;
  readonly done: Promise<SweepOutcome>;
  /** Ends the sweep (it records nothing) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** The bundled CLI beside the station bundle: dist/station/cli.mjs. */
export function defaultSweepScript(): URL {
  return new URL('./cli.mjs', import.meta.url);
}

/** Lowest CPU priority (nice 19): hashing yields to ingest's own hashing on a two-core station. */
const LOWEST_CPU_PRIORITY = 19;
/** How long a stopping sweep may take to end between two reads before it is killed. */
const STOP_GRACE_MS = 15_000;
/** The start of stdout kept to read the error document's code; the rest may be a long report. */
const STDOUT_KEPT = 64 * 1024;

/**
 * Linux's `ionice`, found on PATH. Its idle class (-c 3) is real I/O scheduling for the whole
 * process, every thread included (libuv's pool does the reads): the kernel serves the sweep's
 * reads only when no one else uses the disk. ioprio_set is not reachable from Node itself.
 */
function findIonice(): string | null {
  if (process.platform !== 'linux') return null;
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/bin', '/bin']) {
    const candidate = join(dir, 'ionice');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder: the next one.
    }
  }
  return null;
}

export function startSweepChild(options: {
  script: string | URL;
  dataDir: string;
  onProgress: (progress: IntegrityProgressReport) => void;
}): SweepChild {
  const script = options.script instanceof URL ? fileURLToPath(options.script) : options.script;
  const node = [process.execPath, script, 'verify', '--data-dir', options.dataDir, '--json'];
  const ionice = findIonice();
  // -t: run the sweep even where setting the class is refused (a sandbox), at normal I/O priority.
  const command = ionice === null ? node : [ionice, '-c', '3', '-t', ...node];
  const child = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // In the desktop app the station runs inside Electron: the same binary runs the CLI as Node.
    env: process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
  });
  let cpu = `nice ${LOWEST_CPU_PRIORITY}`;
  try {
    if (child.pid !== undefined) setPriority(child.pid, LOWEST_CPU_PRIORITY);
  } catch (error) {
    cpu = `normal CPU priority (${String(error)})`;
  }
  const priority = `${ionice === null ? 'normal I/O priority (no ionice here)' : 'idle I/O class (ionice -c 3)'}, ${cpu}`;

  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    if (stdout.length < STDOUT_KEPT) stdout += chunk.toString('utf8');
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  child.on('message', (message: SweepProgressMessage) => {
    if (message?.type === 'integrity.progress') options.onProgress(message.progress);
  });

  const done = new Promise<SweepOutcome>((resolve) => {
    child.once('error', (error) =>
      resolve({ code: null, signal: null, errorCode: null, errorMessage: String(error) }),
    );
    child.once('close', (code, signal) => {
      const errorCode = code === 0 ? null : (/"code":\s*"([A-Z_]+)"/.exec(stdout)?.[1] ?? null);
      let errorMessage: string | null = null;
      if (code !== 0) {
        try {
          errorMessage = (JSON.parse(stdout) as { error: { message: string } }).error.message;
        } catch {
          // Cut short, or no document at all (killed): stderr says what it can.
          errorMessage = stderr.trim() || null;
        }
      }
      resolve({ code, signal, errorCode, errorMessage });
    });
  });

  return {
    pid: child.pid,
    priority,
    done,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await done;
      clearTimeout(killer);
    },
  };
}
