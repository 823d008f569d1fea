// The ingest engine in a child process of its own (test/support/ingest-crash-child.ts, bundled):
// to SIGKILL it at a chosen moment, or to run it under strace and see every file it touches.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli';
import { bundle, ingestWorkerScript } from './ingest-build';

/** Children still running: a test that fails or times out must not leave one holding a mount. */
const running = new Set<ChildProcess>();

/** SIGKILLs every child station this process started that has not exited (afterEach). */
export async function killStationChildren(): Promise<void> {
  await Promise.all(
    [...running].map(
      (proc) =>
        new Promise<void>((resolve) => {
          proc.once('close', () => resolve());
          proc.kill('SIGKILL');
        }),
    ),
  );
}

export interface ChildRequest {
  dataDir: string;
  mountpoint: string;
  serial: string;
  chunkSize?: number;
  /** SIGKILL after this many progress reports (0: never). */
  killAfterProgress?: number;
}

export interface ChildRun {
  killed: boolean;
  /** The JSON lines the child printed: {recovery}, {progress}, {placeStep}, {result}. */
  lines: Record<string, unknown>[];
}

/** Runs one docking in a child station; `wrapper` runs it under another program (strace). */
export function runStationChild(request: ChildRequest, wrapper: string[] = []): Promise<ChildRun> {
  const child = bundle('test/support/ingest-crash-child.ts', 'ingest-crash-child');
  const args = {
    dataDir: request.dataDir,
    mountpoint: request.mountpoint,
    serial: request.serial,
    profileFile: join(REPO_ROOT, 'resources', 'recorders', 'generic-dcim.json'),
    workerScript: ingestWorkerScript(),
    chunkSize: request.chunkSize ?? 256 * 1024,
    killAfterProgress: request.killAfterProgress ?? 0,
    killAtStep: null,
    killAtClip: 1,
  };
  const command = [...wrapper, process.execPath, child, JSON.stringify(args)];
  return new Promise((resolve, reject) => {
    const proc = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      running.delete(proc);
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const result = lines.find((l) => 'result' in l);
      if (signal === 'SIGKILL' || (code === 137 && result === undefined)) {
        resolve({ killed: true, lines });
      } else if (code === 0) resolve({ killed: false, lines });
      else reject(new Error(`station child exited ${code ?? signal}: ${err}`));
    });
  });
}

/** A file-system call the child made that can change something, with the paths it names. */
export interface WriteCall {
  syscall: string;
  paths: Buffer[];
  line: string;
}

/** Calls that change what a path names, whatever their flags. */
const CHANGING = new Set([
  'creat',
  'mkdir',
  'mkdirat',
  'rename',
  'renameat',
  'renameat2',
  'link',
  'linkat',
  'symlink',
  'symlinkat',
  'unlink',
  'unlinkat',
  'rmdir',
  'truncate',
  'chmod',
  'fchmodat',
  'fchmodat2',
  'chown',
  'lchown',
  'fchownat',
  'utime',
  'utimes',
  'utimensat',
  'futimesat',
  'mknod',
  'mknodat',
  'setxattr',
  'lsetxattr',
  'removexattr',
  'lremovexattr',
  'mount',
  'umount2',
]);
const OPENS = new Set(['open', 'openat', 'openat2']);
const WRITE_FLAGS = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/;

/** strace's options for `traceWrites`: every thread, each to its own file, strings in hex. */
export function straceArgs(outputPrefix: string): string[] {
  return [
    '-f',
    '-ff',
    '-qq',
    '-xx',
    '-s',
    '65535',
    '--seccomp-bpf',
    '-e',
    'trace=%file',
    '-o',
    outputPrefix,
  ];
}

/** Every call in the traces under `prefix`.* that can write, with its path arguments decoded. */
export function tracedWrites(folder: string, prefix: string): WriteCall[] {
  const calls: WriteCall[] = [];
  if (!existsSync(folder)) return calls;
  for (const name of readdirSync(folder).filter((n) => n.startsWith(prefix))) {
    for (const line of readFileSync(join(folder, name), 'utf8').split('\n')) {
      const match = /^([a-z0-9_]+)\((.*)\)\s+=\s+(-?\d+|\?)/.exec(line);
      if (!match) continue;
      const [, syscall, args] = match as unknown as [string, string, string];
      if (!CHANGING.has(syscall) && !(OPENS.has(syscall) && WRITE_FLAGS.test(args))) continue;
      const paths = [...args.matchAll(/"((?:\\x[0-9a-f]{2})*)"/g)].map((m) =>
        Buffer.from(m[1]!.replaceAll('\\x', ''), 'hex'),
      );
      calls.push({ syscall, paths, line });
    }
  }
  return calls;
}
