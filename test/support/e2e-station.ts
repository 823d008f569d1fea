import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file (test/support/…). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningStation {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the station wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StationOptions {
  idleTimeoutSeconds?: number;
  startTimeoutMs?: number;
  /** A data directory prepared beforehand (e.g. users added with the CLI); removed on stop. */
  dataDir?: string;
  /** More `evidock station` options, e.g. a folder to watch as a mount root. */
  extraArgs?: readonly string[];
}

/** The e2e tests run the built program, as a user would: refuse clearly when it is not built. */
export function assertBuilt(): void {
  const missing = ['dist/station/cli.mjs', 'dist/renderer/index.html'].filter(
    (path) => !existsSync(join(REPO_ROOT, path)),
  );
  if (missing.length > 0) {
    throw new Error(
      `e2e needs the built app (missing ${missing.join(', ')}): run \`npm run build\` first ` +
        '(`npm test` builds before the e2e project runs).',
    );
  }
}

/** A fresh, empty station data directory. */
export function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'evidock-e2e-'));
}

/**
 * Starts `evidock station` on a free loopback port with a fresh data directory and resolves
 * once it prints the URL it serves.
 */
export async function startStation(options: StationOptions = {}): Promise<RunningStation> {
  assertBuilt();
  const dataDir = options.dataDir ?? (await makeDataDir());
  const args = [join(REPO_ROOT, 'bin', 'evidock.mjs'), 'station', '--data-dir', dataDir];
  args.push('--port', '0');
  if (options.idleTimeoutSeconds !== undefined) {
    args.push('--idle-timeout', String(options.idleTimeoutSeconds));
  }
  args.push(...(options.extraArgs ?? []));
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    output += chunk;
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`station did not print its URL in time:\n${output}`)),
        options.startTimeoutMs ?? 30_000,
      );
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`station exited early (code ${code}, signal ${signal}):\n${output}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return { url, dataDir, child, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
