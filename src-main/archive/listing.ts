import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ARCHIVE_FOLDER, resolveInside } from './paths';

/**
 * Every entry under archive/ but the folders, as data-dir-relative `/` paths, in the order the
 * folders list them. Links are listed, never followed: one planted in the archive cannot lead the
 * walk outside it. A folder that cannot be listed goes to `unlisted`, which returns to pass over
 * it or throws to end the walk: what a folder gone missing means is the caller's to say.
 */
export async function* archiveFiles(
  dataDir: string,
  unlisted: (error: unknown) => void,
): AsyncGenerator<string> {
  const pending = [resolveInside(dataDir, ARCHIVE_FOLDER)];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      unlisted(error);
      continue;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else yield relative(dataDir, full).split(sep).join('/');
    }
  }
}
