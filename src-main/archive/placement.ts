import { chmod, link, lstat, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncFolder, makeFolderInside } from './durable';
import { candidateName, resolveInside, SIDECAR_SUFFIX } from './paths';

/** Originals and sidecars are read-only once placed (D-NO-TAMPER). */
export const READ_ONLY = 0o444;

/** Whether anything (a file, a link, a folder) has this name. */
export async function present(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The first archive path (data-dir-relative) not yet taken, original or sidecar. */
export async function freeArchivePath(
  dataDir: string,
  folder: string,
  name: string,
): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    const rel = `${folder}/${candidateName(name, attempt)}`;
    const abs = resolveInside(dataDir, rel);
    if (!(await present(abs)) && !(await present(abs + SIDECAR_SUFFIX))) return rel;
  }
}

type LinkOutcome = 'linked' | 'already-linked';

/**
 * Puts a proven copy into the archive as a second name of the same file: link() never replaces
 * an existing file (rename() would), so no original is ever overwritten. Then read-only.
 */
export async function linkIntoArchive(
  dataDir: string,
  partial: string,
  archivePath: string,
): Promise<LinkOutcome> {
  const target = resolveInside(dataDir, archivePath);
  await makeFolderInside(dataDir, dirname(target));
  let outcome: LinkOutcome = 'linked';
  try {
    await link(partial, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // After a crash the link may already be there: fine only if it is this very file.
    const [a, b] = await Promise.all([stat(partial), lstat(target)]);
    if (a.ino !== b.ino || a.dev !== b.dev) throw error;
    outcome = 'already-linked';
  }
  await chmod(target, READ_ONLY);
  await fsyncFolder(dirname(target));
  return outcome;
}

/**
 * Removes an archive name that a placement created itself (the same inode as its staging copy),
 * never a name that belongs to anything else.
 */
export async function unlinkOwnArchiveName(
  dataDir: string,
  partial: string,
  archivePath: string,
): Promise<void> {
  const target = resolveInside(dataDir, archivePath);
  let same: boolean;
  try {
    const [a, b] = await Promise.all([stat(partial), lstat(target)]);
    same = a.ino === b.ino && a.dev === b.dev;
  } catch (error) {
    // Either name missing: nothing of ours to remove.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (same) await rm(target);
}
