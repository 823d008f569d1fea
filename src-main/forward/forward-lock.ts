import { join } from 'node:path';
import { LockFile } from '../archive';
import { RpcError } from '../contract';

/** `<data-dir>/forward.lock`: the process forwarding this data dir's clips, as `{ pid, at }`. */
const LOCK_FILE = 'forward.lock';

/**
 * One forwarder per data dir (the running station, or `evidock forward run`): two would send the
 * same clips twice over and each would take the other's multipart uploads for strays and abort
 * them. A lock left by a killed process is taken over.
 */
export function acquireForwardLock(dataDir: string): Promise<LockFile> {
  return LockFile.acquire(
    join(dataDir, LOCK_FILE),
    'forwarding lock',
    (pid) =>
      new RpcError(
        'FORWARD_BUSY',
        `another process forwards from this data dir (pid ${pid}): the running station forwards ` +
          'by itself on its schedule',
        { pid },
      ),
  );
}
