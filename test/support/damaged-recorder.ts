// Docked recorders damaged the ways cards and their file systems get damaged: directory entries
// edited byte by byte (names no tool would write), sectors that answer EIO, folders bound into
// their own children. Everything made here is undone by `releaseDamage()`, also after a failure;
// call it before `undockAll()` (a volume with a bind mount inside cannot be unmounted).
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmdirSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { DockedRecorder } from './dock-recorder';

const run = promisify(execFile);

/** Undo steps, newest first. */
const undo: (() => Promise<void>)[] = [];

export async function releaseDamage(): Promise<void> {
  while (undo.length > 0) await undo.pop()!().catch(() => undefined);
}

export function sbin(tool: string): string {
  return (
    ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((d) => join(d, tool)).find(existsSync) ?? tool
  );
}

/** Why the loop-device recipe for bad sectors cannot run here, or undefined. */
export function badSectorsUnavailable(): string | undefined {
  const missing = ['losetup', 'debugfs', 'e2fsck', 'dumpe2fs'].filter(
    (tool) => sbin(tool) === tool,
  );
  if (missing.length > 0) return `needs ${missing.join(', ')} (Debian: mount e2fsprogs)`;
  if (!existsSync('/dev/loop-control')) return 'needs loop devices (/dev/loop-control)';
  return undefined;
}

async function unmountRetry(mountpoint: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await run(sbin('umount'), [mountpoint]);
      return;
    } catch (error) {
      // fusefat and the kernel may hold the mount a moment after the last file closed.
      if (attempt >= 25) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function mountVolume(
  fs: 'vfat' | 'ext4',
  device: string,
  mountpoint: string,
  options: string[] = [],
): Promise<void> {
  mkdirSync(mountpoint, { recursive: true });
  if (fs === 'vfat') {
    await run(sbin('fusefat'), ['-o', `rw+,fsname=${device}`, device, mountpoint]);
  } else {
    const extra = options.length > 0 ? ['-o', options.join(',')] : [];
    await run(sbin('mount'), ['-t', 'ext4', ...extra, device, mountpoint]);
  }
}

/**
 * Takes the recorder's volume out, lets `edit` change the bytes of its block device, and mounts
 * it again where it was (ext4 with `mountOptions`).
 */
export async function damageUnmounted(
  recorder: DockedRecorder,
  edit: (device: string) => Promise<void> | void,
  mountOptions: string[] = [],
): Promise<void> {
  await recorder.unmount();
  await edit(recorder.device);
  await mountVolume(recorder.fs, recorder.device, recorder.mountpoint, mountOptions);
  undo.push(async () => {
    await unmountRetry(recorder.mountpoint);
    rmdirSync(recorder.mountpoint);
  });
}

/**
 * Finds `pattern` in the first `span` bytes of `device` (it must occur exactly once) and lets
 * `change` rewrite the bytes around it; returns the offset found.
 */
export function editBytes(
  device: string,
  pattern: Buffer,
  change: (bytes: Buffer, at: number) => void,
  span = 64 << 20,
): number {
  const fd = openSync(device, 'r+');
  try {
    const bytes = Buffer.alloc(span);
    const got = readSync(fd, bytes, 0, span, 0);
    const image = bytes.subarray(0, got);
    const at = image.indexOf(pattern);
    if (at < 0) throw new Error(`${pattern.toString('latin1')} is not on ${device}`);
    if (image.indexOf(pattern, at + 1) >= 0) {
      throw new Error(`${pattern.toString('latin1')} is on ${device} more than once`);
    }
    const before = Buffer.from(image);
    change(image, at);
    // Only the bytes that changed go back, in one write per changed run.
    for (let i = 0; i < got; i += 1) {
      if (image[i] === before[i]) continue;
      let end = i;
      while (end < got && image[end] !== before[end]) end += 1;
      writeSync(fd, image, i, end - i, i);
      i = end;
    }
    return at;
  } finally {
    closeSync(fd);
  }
}

/**
 * FAT: replaces UTF-16 code units of a long file name in its directory entry, as a damaged card
 * (or a recorder's buggy firmware) leaves them. `prefix` is the first five characters of the
 * name (they sit together in the first long-name slot); `units` replace them from `index` on.
 */
export function editLongName(device: string, prefix: string, index: number, units: number[]): void {
  if (prefix.length !== 5 || index + units.length > 5) {
    throw new Error('a long-name slot holds its first five characters together');
  }
  editBytes(device, Buffer.from(prefix, 'utf16le'), (bytes, at) => {
    units.forEach((unit, i) => bytes.writeUInt16LE(unit, at + 2 * (index + i)));
  });
}

/** FAT: replaces bytes of an 8.3 short name (`NAME    EXT`, space padded) in its entry. */
export function editShortName(device: string, shortName: string, index: number, raw: number[]) {
  if (shortName.length !== 11) throw new Error('a short name is 11 bytes, space padded');
  editBytes(device, Buffer.from(shortName, 'latin1'), (bytes, at) => {
    Buffer.from(raw).copy(bytes, at + index);
  });
}

/**
 * ext4: renames a directory entry in place to any bytes at all, as long as they are no longer
 * than the old name (the record keeps its length). Directory checksums are switched off first
 * (tune2fs), as on a file system made without them, so that the kernel reads the edited entry
 * instead of refusing the whole block.
 */
export async function renameExt4Entry(device: string, name: string, raw: Buffer): Promise<void> {
  if (raw.length > name.length) throw new Error('the new name must fit the old record');
  await run(sbin('tune2fs'), ['-O', '^metadata_csum', device]);
  editBytes(device, Buffer.from(name, 'utf8'), (bytes, at) => {
    // ext4_dir_entry_2: inode (4), rec_len (2), name_len (1), file_type (1), name.
    bytes[at - 2] = raw.length;
    raw.copy(bytes, at);
  });
}

/** A folder of the volume bound into one of its own children: a real loop in the tree. */
export async function bindInto(folder: string, target: string): Promise<void> {
  mkdirSync(target, { recursive: true });
  await run(sbin('mount'), ['--bind', folder, target]);
  undo.push(async () => {
    await run(sbin('umount'), ['-l', target]);
  });
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of the whole block device: what a forensic image of the card would hash to. */
export function deviceSha256(device: string): string {
  return sha256(readFileSync(device));
}

export interface BadSectorVolume {
  /** The loop device the file system is on. */
  device: string;
  mountpoint: string;
  /** The sectors (512 bytes) that now answer EIO: the whole data of the damaged file. */
  badSectors: { first: number; count: number };
}

/**
 * An ext4 recorder whose one file sits on sectors that answer EIO, for real: the file system is
 * made on a loop device, that file's data is moved to the last blocks of the file system, and
 * once it is mounted the device is cut short under it (the backing file truncated, the loop
 * device told its new size). Reading the file then fails in the block layer ("attempt to access
 * beyond end of device", EIO), while every other file and all metadata still read fine. The
 * device-mapper `error` target would do the same anywhere on the disk; kernels built without
 * device-mapper (CONFIG_MD unset) can only do it at the end.
 */
export async function dockWithBadSectors(options: {
  label: string;
  files: Record<string, Uint8Array>;
  /** The file whose sectors go bad (a key of `files`). */
  bad: string;
  sizeMiB?: number;
  mountRoot?: string;
}): Promise<BadSectorVolume> {
  const work = await mkdtemp(join(tmpdir(), 'evidock-badsector-'));
  undo.push(() => rm(work, { recursive: true, force: true }));
  const image = join(work, 'card.img');
  const source = join(work, 'files');
  for (const [path, content] of Object.entries(options.files)) {
    mkdirSync(dirname(join(source, path)), { recursive: true });
    writeFileSync(join(source, path), content);
  }
  writeFileSync(image, '');
  await truncate(image, (options.sizeMiB ?? 64) << 20);
  await run(sbin('mkfs.ext4'), [
    '-q',
    '-F',
    '-b',
    '4096',
    '-L',
    options.label,
    '-d',
    source,
    image,
  ]);
  await rm(source, { recursive: true, force: true });

  const header = (await run(sbin('dumpe2fs'), ['-h', image])).stdout;
  const blockSize = Number(/^Block size:\s+(\d+)/m.exec(header)?.[1]);
  const blockCount = Number(/^Block count:\s+(\d+)/m.exec(header)?.[1]);
  const target = `/${options.bad}`;
  const stat = (await debugfs(image, `stat ${target}`)).stdout;
  const extents = [...stat.matchAll(/\((\d+)-(\d+)\):(\d+)-(\d+)/g)];
  if (extents.length !== 1) throw new Error(`${target} is not in one extent: ${stat}`);
  const [, , , start, end] = extents[0]!.map(Number) as [number, number, number, number, number];
  const length = end - start + 1;
  const moved = blockCount - length;
  const free = (await debugfs(image, `testb ${moved} ${length}`)).stdout;
  if (/marked in use/.test(free)) throw new Error(`the last ${length} blocks are not free`);

  // Move the data to the end, point the inode's one extent there, fix the bitmaps and counts.
  const fd = openSync(image, 'r+');
  try {
    const data = Buffer.alloc(length * blockSize);
    readSync(fd, data, 0, data.length, start * blockSize);
    writeSync(fd, data, 0, data.length, moved * blockSize);
  } finally {
    closeSync(fd);
  }
  // i_block[5] is ee_start_lo of the first extent after the 12-byte header and ee_block/ee_len.
  await debugfs(image, `sif ${target} block[5] ${moved}`, true);
  await debugfs(image, `setb ${moved} ${length}`, true);
  await debugfs(image, `freeb ${start} ${length}`, true);
  await run(sbin('e2fsck'), ['-fy', image]).catch((error: { code?: number }) => {
    // 1: errors corrected (the free-block counts) — expected here.
    if (error.code !== 1) throw error;
  });
  await run(sbin('e2fsck'), ['-fn', image]);

  const device = (await run(sbin('losetup'), ['-f', '--show', image])).stdout.trim();
  undo.push(async () => {
    await run(sbin('losetup'), ['-d', device]);
  });
  const mountpoint = join(options.mountRoot ?? '/media', options.label);
  await mountVolume('ext4', device, mountpoint);
  undo.push(async () => {
    await unmountRetry(mountpoint);
    rmdirSync(mountpoint);
  });
  // Now the sectors go: ext4 refuses to mount a device smaller than itself, not to run on one.
  await truncate(image, moved * blockSize);
  await run(sbin('losetup'), ['-c', device]);
  const sectors = blockSize / 512;
  return {
    device,
    mountpoint,
    badSectors: { first: moved * sectors, count: length * sectors },
  };
}

function debugfs(image: string, request: string, write = false) {
  return run(sbin('debugfs'), [...(write ? ['-w'] : []), '-R', request, image]);
}

export interface Tmpfs {
  path: string;
  /** Changes the size limit while mounted. */
  resize(sizeMiB: number): Promise<void>;
  /** Shrinks the limit to what is used now: the next block anyone writes fails with ENOSPC. */
  fillUp(): void;
}

/** A small tmpfs of its own (a disk that fills up), unmounted by releaseDamage(). */
export async function mountTmpfs(sizeMiB: number): Promise<Tmpfs> {
  const path = await mkdtemp(join(tmpdir(), 'evidock-disk-'));
  undo.push(() => rm(path, { recursive: true, force: true }));
  await run(sbin('mount'), ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', path]);
  undo.push(async () => {
    await run(sbin('umount'), [path]);
  });
  return {
    path,
    resize: async (size) => {
      await run(sbin('mount'), ['-o', `remount,size=${size}m`, path]);
    },
    fillUp: () => {
      // Another copy may be writing meanwhile: a limit below what is used by then is refused,
      // so measure again and retry until the limit lands on what is used.
      for (let attempt = 0; ; attempt += 1) {
        const { blocks, bfree, bsize } = statfsSync(path);
        const usedKiB = ((blocks - bfree) * bsize) / 1024;
        try {
          execFileSync(sbin('mount'), ['-o', `remount,size=${usedKiB}k`, path], {
            stdio: 'ignore',
          });
          return;
        } catch (error) {
          if (attempt >= 50) throw error;
        }
      }
    },
  };
}
