import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isSafeVolumePath } from './profile';
import { formatWallClock } from './wall-clock';

export interface TimeFileSpec {
  /** Relative to the volume root. */
  path: string;
  /** Tokens YYYY MM DD HH mm ss; the rest is written as is (a "\n" too, when the model needs it). */
  format: string;
}

/**
 * Sets a recorder's clock the way many models take it: a small text file at the volume root that
 * the recorder reads (and usually deletes) at its next boot. The file is written whole or not at
 * all (temp file, fsync, rename, fsync of the folder): a recorder unplugged mid-write must not
 * boot with half a date. Nothing is written outside the volume, whatever the profile says.
 * Resolves with the file's full path.
 */
export async function writeTimeFile(
  volumeRoot: string,
  spec: TimeFileSpec,
  date: Date,
  options: { timeZone?: string } = {},
): Promise<string> {
  if (!isSafeVolumePath(spec.path)) {
    throw new Error(`time file path "${spec.path}" is not a relative path inside the volume`);
  }
  const root = resolve(volumeRoot);
  const target = resolve(root, spec.path);
  const folder = dirname(target);
  const [realRoot, realFolder] = await Promise.all([realpath(root), realpath(folder)]);
  const inside = relative(realRoot, realFolder);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`time file folder for "${spec.path}" leads outside the volume`);
  }
  // Not there yet is the usual case: the file is created.
  const existing = await lstat(target).catch(() => undefined);
  if (existing !== undefined && !existing.isFile() && !existing.isSymbolicLink()) {
    throw new Error(`"${spec.path}" on the volume is not a file`);
  }
  const content = Buffer.from(formatWallClock(date, spec.format, options.timeZone), 'utf8');
  const temp = join(folder, `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o644,
  );
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename replaces a symlink at the target rather than writing through it.
    await rename(temp, target);
  } catch (error) {
    // The write's own failure is what the caller hears; a temporary left behind is harmless.
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
  return target;
}

/** Makes the rename durable; some file systems and Windows cannot fsync a folder, and say so. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'ENOTSUP') {
      throw error;
    }
  } finally {
    await handle?.close();
  }
}
