import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolderInside } from '../archive';

const LOCK_FILE = 'ingest.lock';

/** Another evidock process (the station, or a CLI ingest) owns this data dir's staging. */
export class IngestBusyError extends Error {
  readonly code = 'INGEST_BUSY';
  constructor(readonly pid: number) {
    super(
      `another evidock process (pid ${pid}) is ingesting into this data dir; ` +
        'stop it or use it (a second one would discard its copies in progress)',
    );
    this.name = 'IngestBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One ingesting process per data dir: recovery decides what to do with every partial in
 * staging, which is only safe when nobody else is writing them. A lock left by a killed process
 * (its pid no longer runs) is taken over.
 */
export class IngestLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string, stagingRoot: string): Promise<IngestLock> {
    await makeFolderInside(dataDir, stagingRoot);
    const path = join(stagingRoot, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await writeFile(path, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), {
          flag: 'wx',
          mode: 0o600,
        });
        return new IngestLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let pid = NaN;
      try {
        pid = (JSON.parse(await readFile(path, 'utf8')) as { pid: number }).pid;
      } catch {
        // unreadable: a crash while it was written; stale
      }
      if (Number.isInteger(pid) && alive(pid)) throw new IngestBusyError(pid);
      await rm(path, { force: true });
    }
    throw new Error(`could not take the ingest lock ${path}`);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
