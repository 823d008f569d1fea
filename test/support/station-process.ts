import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI } from './cli';

export interface StationProcess {
  url: string;
  port: number;
  child: ChildProcessWithoutNullStreams;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the real `evidock station` as its own process on a free loopback port. */
export function startStationProcess(
  dataDir: string,
  extraArgs: string[] = [],
): Promise<StationProcess> {
  const child = spawn(
    process.execPath,
    [CLI, 'station', '--data-dir', dataDir, '--port', '0', '--json', ...extraArgs],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`station did not start: ${stderr}`)), 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => reject(new Error(`station exited with ${code}: ${stderr}`)));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      try {
        const { url } = JSON.parse(stdout) as { url: string };
        clearTimeout(timer);
        const exited = new Promise<number | null>((done) =>
          child.once('exit', (code) => done(code)),
        );
        resolve({
          url,
          port: Number(new URL(url).port),
          child,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      } catch {
        // The JSON document is not complete yet.
      }
    });
  });
}
