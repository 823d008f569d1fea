import { spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';

/** The disc tools a test needs that this machine lacks (each is a Debian package of that name). */
export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((tool) => spawnSync(tool, ['--version']).error !== undefined);
}

/**
 * A pseudo-drive image mounted as a disc is, read-only, through its Joliet / Rock Ridge names
 * (fuseiso), for as long as `use` runs; unmounted after, whatever happened.
 */
export async function mountedImage<T>(
  image: string,
  use: (root: string) => Promise<T>,
): Promise<T> {
  const root = `${image}.mnt`;
  mkdirSync(root);
  const mount = spawnSync('fuseiso', [image, root], { encoding: 'utf8' });
  if (mount.status !== 0) throw new Error(`fuseiso could not mount ${image}: ${mount.stderr}`);
  try {
    return await use(root);
  } finally {
    spawnSync('fusermount', ['-u', root]);
    rmdirSync(root);
  }
}
