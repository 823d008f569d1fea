import { join } from 'node:path';
import { LockFile, makeFolderInside } from '../archive';

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

/**
 * One ingesting process per data dir: recovery decides what to do with every partial in
 * staging, which is only safe when nobody else is writing them. A lock left by a killed process
 * is taken over.
 */
export async function acquireIngestLock(dataDir: string, stagingRoot: string): Promise<LockFile> {
  await makeFolderInside(dataDir, stagingRoot);
  return LockFile.acquire(
    join(stagingRoot, LOCK_FILE),
    'ingest lock',
    (pid) => new IngestBusyError(pid),
  );
}
