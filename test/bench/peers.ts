// The two peers, doing evidock's job by hand as child processes: copy the clips off the docked
// volume onto the archive disk and prove the copies.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { onInterrupt } from './interrupt';

/**
 * (a) What a careful custodian types: copy, flush, hash the sources, then hash each copy read
 * back from the disk past the page cache, and compare. It reads the source twice.
 */
const CP_SYNC_SHA256SUM_DD = `
set -euo pipefail
src=$1 dst=$2 sums=$3
cp -r "$src" "$dst"
sync
(cd "$src" && find . -type f | LC_ALL=C sort | xargs -d '\\n' sha256sum) > "$sums/source.sha256"
(cd "$dst" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do
  h=$(dd if="$f" iflag=direct bs=4M status=none | sha256sum)
  printf '%s  %s\\n' "\${h%% *}" "$f"
done) > "$sums/copy.sha256"
cmp -s "$sums/source.sha256" "$sums/copy.sha256"
`;

export interface PeerRun {
  /** The copied media folder, to check afterwards. */
  copy: string;
}

/** Copies `source` (the volume's media folder) into `runDir`; resolves when the peer succeeded. */
export async function cpSyncSha256sumDd(source: string, runDir: string): Promise<PeerRun> {
  const copy = join(runDir, 'copy');
  const sums = join(runDir, 'sums');
  mkdirSync(sums, { recursive: true });
  await child('bash', ['-c', CP_SYNC_SHA256SUM_DD, 'cp+sync+sha256sum+dd', source, copy, sums]);
  return { copy };
}

/** (b) rclone, local to local: it compares the hashes (MD5 here) of source and copy itself. */
export async function rcloneCopy(source: string, runDir: string): Promise<PeerRun> {
  const copy = join(runDir, 'copy');
  mkdirSync(runDir, { recursive: true });
  // No config file: without one rclone prints a notice on every run.
  await child('rclone', ['copy', '--config', '/dev/null', source, copy]);
  return { copy };
}

function child(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that stopping it stops the pipeline's children too.
    const proc = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'], detached: true });
    const forget = onInterrupt(() => {
      if (proc.pid !== undefined) process.kill(-proc.pid, 'SIGKILL');
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
    });
    proc.on('error', (error) => {
      forget();
      reject(error);
    });
    proc.on('close', (code, signal) => {
      forget();
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}
