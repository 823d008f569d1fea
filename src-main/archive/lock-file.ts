import { readFile, rm, writeFile } from 'node:fs/promises';

/** Whether a process with this pid runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A file that one process holds for a data dir: created exclusively, holding `{ pid, at }`, so a
 * second process finds whose it is. A lock left by a killed process (its pid no longer runs, or
 * the file torn by a crash while it was written) is taken over.
 */
export class LockFile {
  private constructor(private readonly path: string) {}

  /**
   * Takes the lock at `path`, or throws what `busy` makes of the live process holding it. `name`
   * says which lock it is, should it still not be taken after a stale one was removed.
   */
  static async acquire(
    path: string,
    name: string,
    busy: (pid: number) => Error,
  ): Promise<LockFile> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await writeFile(path, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), {
          flag: 'wx',
          mode: 0o600,
        });
        return new LockFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let pid = NaN;
      try {
        pid = (JSON.parse(await readFile(path, 'utf8')) as { pid: number }).pid;
      } catch {
        // Unreadable: a crash while it was written. Stale, taken over below.
      }
      if (Number.isInteger(pid) && alive(pid)) throw busy(pid);
      await rm(path, { force: true });
    }
    throw new Error(`could not take the ${name} ${path}`);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
