import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveInside } from '../archive';

/** A path on a disc that is not a plain file of that disc: a link, a device, a FIFO, … */
export class NotPlainFile extends Error {
  readonly code = 'NOT_PLAIN_FILE';
}

/**
 * The real path of a plain file at `rel` on a disc (or in a staged disc), refusing anything else.
 * A disc holds plain files only: Rock Ridge can carry links, and a link (to the archive, say)
 * would have a pass hash the station's own files instead of the disc's. Relative to the root's
 * real path, so a link anywhere on the way is caught, not only in the last name.
 */
export async function plainFileOnDisc(root: string, rel: string): Promise<string> {
  const textual = resolveInside(await realpath(root), rel);
  const real = await realpath(textual);
  if (real !== textual) throw new NotPlainFile(`${rel} is a link on the disc`);
  const stat = await lstat(real);
  if (!stat.isFile()) throw new NotPlainFile(`${rel} is not a plain file`);
  return real;
}

/** Every path under a staged disc that is neither a folder nor a plain file (links, FIFOs, …). */
export async function notPlainUnder(staged: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(path, name);
      else if (!entry.isFile()) found.push(name);
    }
  };
  await walk(staged, '');
  return found;
}
