import { mkdtemp, readFile, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './tool-run';
import type { DriveAddress } from './xorriso';

export class DiscNotMounted extends Error {
  constructor(
    readonly code: 'FUSEISO_MISSING' | 'DISC_NOT_MOUNTED',
    message: string,
  ) {
    super(message);
  }
}

/** `\040`-style escapes of /proc/self/mountinfo, undone. */
function unescaped(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** `major:minor` of a block device, as /proc/self/mountinfo writes a mount's device. */
async function deviceNumber(device: string): Promise<string | null> {
  try {
    const { rdev } = await stat(device);
    const major = Number((BigInt(rdev) >> 8n) & 0xfffn) | Number((BigInt(rdev) >> 32n) & ~0xfffn);
    const minor = Number(BigInt(rdev) & 0xffn) | Number((BigInt(rdev) >> 12n) & ~0xffn);
    return `${major}:${minor}`;
  } catch {
    return null;
  }
}

/**
 * Where the OS has a device mounted (the desktop mounts an inserted disc), or null. A mount is
 * the device's by the device number the kernel gives it, not by its source name: anyone may
 * mount something (a FUSE image, say) under the name `/dev/sr0`.
 */
async function mountPointOf(device: string): Promise<string | null> {
  let info: string;
  try {
    info = await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
  const wanted = await deviceNumber(device);
  if (wanted === null) return null;
  for (const line of info.split('\n')) {
    const [head] = line.split(' - ');
    const fields = head?.split(' ') ?? [];
    if (fields[2] === wanted && fields[4] !== undefined) return unescaped(fields[4]);
  }
  return null;
}

/**
 * The disc in `drive` as a folder, for pass 3 and for a re-check, for as long as `use` runs: a
 * pseudo-drive's image mounted read-only with fuseiso (through its Joliet and Rock Ridge names,
 * as a computer reads the disc); a real drive where the OS mounted it, else mounted through
 * udisks. Whatever this mounted is unmounted after, whatever happened.
 */
export async function withDiscMounted<T>(
  drive: DriveAddress,
  use: (root: string) => Promise<T>,
): Promise<T> {
  if (drive.startsWith('stdio:')) return withImageMounted(drive.slice('stdio:'.length), use);
  const mounted = await mountPointOf(drive);
  if (mounted !== null) return use(mounted);
  const run = await runTool('udisksctl', ['mount', '--no-user-interaction', '-b', drive], {
    keep: 4096,
  });
  const at = /Mounted \S+ at (.+?)\.?\s*$/m.exec(run.output)?.[1];
  if (run.code !== 0 || at === undefined) {
    throw new DiscNotMounted(
      'DISC_NOT_MOUNTED',
      `the disc in ${drive} is not mounted and could not be mounted (${run.missing ? 'udisksctl is not installed' : run.output.trim() || `exit ${run.code}`}): mount it and check again`,
    );
  }
  try {
    return await use(at);
  } finally {
    await runTool('udisksctl', ['unmount', '--no-user-interaction', '-b', drive], { keep: 4096 });
  }
}

async function withImageMounted<T>(image: string, use: (root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), 'evidock-disc-'));
  try {
    const mount = await runTool('fuseiso', [image, root], { keep: 4096 });
    if (mount.missing) {
      throw new DiscNotMounted(
        'FUSEISO_MISSING',
        'fuseiso is not installed: an image is read back through it (Debian/Ubuntu: apt install fuseiso)',
      );
    }
    if (mount.code !== 0) {
      throw new DiscNotMounted(
        'DISC_NOT_MOUNTED',
        `the image ${image} could not be mounted: ${mount.output.trim() || `exit ${mount.code}`}`,
      );
    }
    try {
      return await use(root);
    } finally {
      await unmountFuse(root);
    }
  } finally {
    await rmdir(root).catch(() => {});
  }
}

/** fusermount (FUSE 2) or fusermount3, whichever the machine has. */
async function unmountFuse(root: string): Promise<void> {
  for (const tool of ['fusermount', 'fusermount3']) {
    const run = await runTool(tool, ['-u', root], { keep: 4096 });
    if (!run.missing) return;
  }
}
