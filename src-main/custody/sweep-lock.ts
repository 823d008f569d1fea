import { join } from 'node:path';
import { LockFile } from '../archive';
import { RpcError } from '../contract';

/** `<data-dir>/integrity.lock`: the process sweeping this data dir's archive, as `{ pid, at }`. */
const LOCK_FILE = 'integrity.lock';

/**
 * One integrity sweep per data dir at a time, whoever runs it (the station's schedule, a
 * custodian's button, `evidock verify` at a terminal): two would read every original twice over
 * and record two results for one archive. A lock left by a killed process is taken over.
 */
export function acquireSweepLock(dataDir: string): Promise<LockFile> {
  return LockFile.acquire(
    join(dataDir, LOCK_FILE),
    'integrity sweep lock',
    (pid) =>
      new RpcError(
        'INTEGRITY_BUSY',
        `an integrity sweep already runs on this data dir (pid ${pid}); its result will be in ` +
          'the audit log',
        { pid },
      ),
  );
}
