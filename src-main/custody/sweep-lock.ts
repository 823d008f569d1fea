import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RpcError } from '../contract';

/** `<data-dir>/integrity.lock`: the process sweeping this data dir's archive, as `{ pid, at }`. */
const LOCK_FILE = 'integrity.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One integrity sweep per data dir at a time, whoever runs it (the station's schedule, a
 * custodian's button, `evidock verify` at a terminal): two would read every original twice over
 * and record two results for one archive. A lock left by a killed process (its pid no longer runs)
 * is taken over.
 */
export class SweepLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string): Promise<SweepLock> {
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await writeFile(path, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), {
          flag: 'wx',
          mode: 0o600,
        });
        return new SweepLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let pid = NaN;
      try {
        pid = (JSON.parse(await readFile(path, 'utf8')) as { pid: number }).pid;
      } catch {
        // Unreadable: a crash while it was written. Stale, taken over below.
      }
      if (Number.isInteger(pid) && alive(pid)) {
        throw new RpcError(
          'INTEGRITY_BUSY',
          `an integrity sweep already runs on this data dir (pid ${pid}); its result will be in ` +
            'the audit log',
          { pid },
        );
      }
      await rm(path, { force: true });
    }
    throw new Error(`could not take the integrity sweep lock ${path}`);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
