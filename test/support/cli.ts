import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/evidock.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document a --json command prints. */
  json: () => unknown;
}

/** Runs the real, built `evidock` command as a separate process; `stdin` is fed then closed. */
export function runCli(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  if (!existsSync(new URL('../../dist/station/cli.mjs', import.meta.url))) {
    throw new Error('dist/station/cli.mjs is missing: run `npm run build` first');
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) as unknown }),
    );
    child.stdin.end(stdin);
  });
}
