// What the bench needs from the machine, and the one thing it does to it between runs: emptying
// the page cache, so that no contender reads bytes another one left in memory.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockingUnavailable } from '../support/dock-recorder';

const DROP_CACHES = '/proc/sys/vm/drop_caches';
const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

function onPath(tool: string): boolean {
  return (process.env['PATH'] ?? '')
    .split(':')
    .some((dir) => dir !== '' && existsSync(join(dir, tool)));
}

/** Why the bench cannot run here (one line), or undefined when it can. */
export function benchUnavailable(archiveRoot: string): string | undefined {
  const docking = dockingUnavailable();
  if (docking !== undefined) return docking;
  if (!existsSync(DROP_CACHES)) return `needs ${DROP_CACHES} to drop the page cache between runs`;
  const missing = ['rclone', 'cp', 'sync', 'sha256sum', 'dd', 'bash'].filter((t) => !onPath(t));
  if (missing.length > 0) return `needs ${missing.join(', ')} on PATH (Debian: rclone coreutils)`;
  const type = Number(statfsSync(archiveRoot).type);
  if (type === TMPFS_MAGIC || type === RAMFS_MAGIC) {
    return `${archiveRoot} is on tmpfs: the archive must be on a real disk`;
  }
  return undefined;
}

/** Whether this process may drop the page cache (root, and not in a container that hides it). */
export function cacheDroppable(): boolean {
  try {
    accessSync(DROP_CACHES, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes out dirty pages, then drops clean ones (and dentries, inodes) from memory. */
export function dropCaches(): void {
  execFileSync('sync');
  writeFileSync(DROP_CACHES, '3');
}

/** The block device and file system a folder lives on, as `findmnt` names them. */
export function diskOf(path: string): string {
  try {
    return execFileSync('findmnt', ['-n', '-o', 'SOURCE,FSTYPE', '-T', path], { encoding: 'utf8' })
      .trim()
      .replace(/\s+/, ' ');
  } catch {
    return 'unknown disk';
  }
}
