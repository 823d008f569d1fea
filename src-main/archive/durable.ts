import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsConstants, fsyncSync, openSync } from 'node:fs';
import { chmod, mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { OutsideDataDirError, within } from './paths';

/**
 * A rename or a new file is durable only once its folder is flushed too. Windows cannot open a
 * folder for flushing; NTFS journals metadata, which is what we rely on there.
 */
export async function fsyncFolder(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The same, for work that cannot wait on a promise (a checkpoint line, keys made at start). */
export function fsyncFolderSync(path: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a whole file or nothing: to a temporary in `tmpFolder` (same filesystem, never the
 * archive, so a crash leaves no stray files among the originals), flushed, then renamed over.
 * The temporary's name does not grow with the target's: a name near the file system's limit
 * (255 bytes) must still fit once a suffix is added.
 */
export async function writeFileDurably(
  path: string,
  data: string | Buffer,
  options: { tmpFolder: string; mode?: number },
): Promise<void> {
  const tmp = join(options.tmpFolder, `${randomBytes(12).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.mode !== undefined) await chmod(tmp, options.mode);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncFolder(dirname(path));
}

/**
 * Creates `folder` and proves, after resolving every link on the way, that it really is inside
 * `root`: a link planted in the data dir cannot redirect writes elsewhere.
 */
export async function makeFolderInside(root: string, folder: string): Promise<string> {
  const realRoot = await realpath(root);
  if (!within(resolve(root), resolve(folder))) throw new OutsideDataDirError(folder);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const real = await realpath(folder);
  if (!within(realRoot, real)) throw new OutsideDataDirError(real);
  return real;
}
