import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A recorder docked for real: a hot-added zram block device (drivelist lists zram, not loop
 * devices), a FAT or ext4 file system with the given files, mounted under /media like udisks
 * would. FAT is mounted with fusefat (no vfat module in these kernels), ext4 with mount.
 * Needs root; `dockingUnavailable()` says why not when it cannot run.
 */

const run = promisify(execFile);
const ZRAM_CONTROL = '/sys/class/zram-control';
const TOOLS = ['mkfs.vfat', 'mcopy', 'fusefat', 'mkfs.ext4', 'mount', 'umount'];

export type RecorderFs = 'vfat' | 'ext4';

export interface DockOptions {
  fs: RecorderFs;
  /** Volume label; FAT takes at most 11 characters. Also the folder under /media. */
  label: string;
  /** Relative path → content. */
  files?: Record<string, string | Uint8Array>;
  sizeMiB?: number;
  /** ext4 mount options, e.g. `strictatime` so that any read shows in access times. */
  mountOptions?: string[];
  mountRoot?: string;
}

export interface DockedRecorder {
  device: string;
  mountpoint: string;
  label: string;
  fs: RecorderFs;
  /** Unmounts, leaving the block device (to inspect it with mtools, for instance). */
  unmount(): Promise<void>;
  /** Unmounts and unplugs (hot_remove). Safe to call twice. */
  undock(): Promise<void>;
}

const docked = new Set<DockedRecorder>();

/** Why real docking cannot run here, or undefined when it can. */
export function dockingUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (zram hot_add, mount)';
  if (!existsSync(ZRAM_CONTROL)) return `needs the zram module (${ZRAM_CONTROL} is missing)`;
  const path = (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  const missing = TOOLS.filter((tool) => !path.some((dir) => existsSync(join(dir, tool))));
  if (missing.length > 0) {
    return `needs ${missing.join(', ')} (Debian: fusefat dosfstools mtools e2fsprogs)`;
  }
  return undefined;
}

function sbin(tool: string): string {
  return (
    ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((d) => join(d, tool)).find(existsSync) ?? tool
  );
}

export async function dockRecorder(options: DockOptions): Promise<DockedRecorder> {
  return dock(options, (device) =>
    formatFrom(options, device, Object.keys(options.files ?? {}), (path, target) =>
      writeFileSync(target, options.files![path]!),
    ),
  );
}

/**
 * Like dockRecorder, for sets too big to hold in memory (hundreds of MiB of footage): each file on
 * the volume is a file on this machine, hard-linked (across file systems: copied) into the folder
 * the file system is made from.
 */
export async function dockRecorderWithFiles(
  options: Omit<DockOptions, 'files'>,
  /** Relative path on the volume → the file on this machine that it holds. */
  files: Record<string, string>,
): Promise<DockedRecorder> {
  return dock(options, (device) =>
    formatFrom(options, device, Object.keys(files), (path, target) => {
      const source = files[path]!;
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
        // mkfs.ext4 -d and mcopy -m carry times over: the copy keeps the original's.
        const { atime, mtime } = statSync(source);
        utimesSync(target, atime, mtime);
      }
    }),
  );
}

/** Lays `paths` out in a temporary folder (`put` writes each) and makes the file system from it. */
async function formatFrom(
  options: Pick<DockOptions, 'fs' | 'label'>,
  device: string,
  paths: string[],
  put: (path: string, target: string) => void,
): Promise<void> {
  const staging = await mkdtemp(join(tmpdir(), 'evidock-dock-'));
  try {
    for (const path of paths) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      put(path, join(staging, path));
    }
    const top = [...new Set(paths.map((p) => p.split('/')[0]!))];
    await format(options, device, staging, top);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Makes the file system on `device` from the folder `staging` (its top-level `entries`). */
async function format(
  options: Pick<DockOptions, 'fs' | 'label'>,
  device: string,
  staging: string,
  entries: string[],
): Promise<void> {
  if (options.fs === 'vfat') {
    await run(sbin('mkfs.vfat'), ['-n', options.label, device]);
    for (const entry of entries) {
      await run(sbin('mcopy'), ['-s', '-m', '-i', device, join(staging, entry), '::/'], {
        env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
      });
    }
  } else {
    await run(sbin('mkfs.ext4'), ['-q', '-F', '-L', options.label, '-d', staging, device]);
  }
}

/** Hot-adds a zram device, lets `fill` make its file system, mounts it. */
async function dock(
  options: Omit<DockOptions, 'files'>,
  fill: (device: string) => Promise<void>,
): Promise<DockedRecorder> {
  // Reading hot_add allocates the device and answers its number.
  const index = Number.parseInt(readFileSync(join(ZRAM_CONTROL, 'hot_add'), 'utf8'), 10);
  const device = `/dev/zram${index}`;
  const mountpoint = join(options.mountRoot ?? '/media', options.label);
  let mounted = false;
  let removed = false;

  const unmount = async () => {
    if (!mounted) return;
    await retry(() => run(sbin('umount'), [mountpoint]));
    mounted = false;
    try {
      rmdirSync(mountpoint);
    } catch {
      // Left behind by something else; it is empty, harmless.
    }
  };
  const recorder: DockedRecorder = {
    device,
    mountpoint,
    label: options.label,
    fs: options.fs,
    unmount,
    undock: async () => {
      await unmount();
      if (removed) return;
      // fusefat may hold the device for a moment after the unmount.
      await retry(async () => writeFileSync(join(ZRAM_CONTROL, 'hot_remove'), String(index)));
      removed = true;
      docked.delete(recorder);
    },
  };
  docked.add(recorder);
  try {
    await waitFor(() => existsSync(device));
    writeFileSync(`/sys/block/zram${index}/disksize`, `${options.sizeMiB ?? 64}M`);
    await fill(device);
    mkdirSync(mountpoint, { recursive: true });
    if (options.fs === 'vfat') {
      await run(sbin('fusefat'), ['-o', `rw+,fsname=${device}`, device, mountpoint]);
    } else {
      const extra = options.mountOptions?.length ? ['-o', options.mountOptions.join(',')] : [];
      await run(sbin('mount'), ['-t', 'ext4', ...extra, device, mountpoint]);
    }
    mounted = true;
    return recorder;
  } catch (error) {
    await recorder.undock().catch(() => undefined);
    throw error;
  }
}

/** Undocks whatever a test left docked (afterAll / afterEach), even after a failure. */
export async function undockAll(): Promise<void> {
  for (const recorder of [...docked]) await recorder.undock().catch(() => undefined);
}

/** A FAT-safe, collision-free label: prefix + 4 hex digits (other suites may dock at once). */
export function uniqueLabel(prefix: string): string {
  return `${prefix}${Math.floor(Math.random() * 0x10000)
    .toString(16)
    .toUpperCase()
    .padStart(4, '0')}`;
}

async function retry<T>(action: () => Promise<T>, attempts = 25, delayMs = 200): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await action();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the device node');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
