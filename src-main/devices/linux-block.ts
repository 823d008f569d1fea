import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { cleanDeviceText, type DockedVolume, type UsbInfo } from './volume';

/**
 * Linux facts about a docked block device that drivelist does not give: the USB device it
 * hangs off (sysfs) and its volume label where no udev database is there to tell lsblk.
 * Each function answers `undefined` rather than throwing: these facts help matching, and a
 * volume without them is still a candidate on label or marker files.
 */

/**
 * The USB device a block device belongs to, read from sysfs without opening the device: walks
 * up from `/sys/class/block/<name>` to the first folder with `idVendor` and `busnum`, which is
 * the USB device (its interfaces and the SCSI host sit below it).
 */
export async function usbInfoForBlockDevice(
  device: string,
  sysRoot = '/sys',
): Promise<UsbInfo | undefined> {
  let name: string;
  try {
    name = basename(await realpath(device));
  } catch {
    // Not a link: the name as given is the kernel's name.
    name = basename(device);
  }
  let dir: string;
  try {
    dir = await realpath(join(sysRoot, 'class', 'block', name));
  } catch {
    // Not a block device sysfs knows (a loop or a FUSE source): no USB facts to tell.
    return undefined;
  }
  const devicesRoot = join(sysRoot, 'devices');
  for (let depth = 0; depth < 16 && dir.startsWith(devicesRoot + '/'); depth += 1) {
    const vendor = await readAttribute(dir, 'idVendor');
    if (vendor !== undefined && (await readAttribute(dir, 'busnum')) !== undefined) {
      return usbInfoFromSysfs(dir, vendor);
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** A USB device's sysfs folder (`/sys/bus/usb/devices/1-1.2`) as UsbInfo. */
export async function usbInfoFromSysfs(dir: string, vendor?: string): Promise<UsbInfo | undefined> {
  const vendorId = parseHex(vendor ?? (await readAttribute(dir, 'idVendor')));
  const productId = parseHex(await readAttribute(dir, 'idProduct'));
  if (vendorId === undefined || productId === undefined) return undefined;
  const info: UsbInfo = { vendorId, productId, port: basename(dir) };
  const serial = cleanDeviceText(await readAttribute(dir, 'serial'));
  const manufacturer = cleanDeviceText(await readAttribute(dir, 'manufacturer'));
  const product = cleanDeviceText(await readAttribute(dir, 'product'));
  if (serial !== undefined) info.serial = serial;
  if (manufacturer !== undefined) info.manufacturer = manufacturer;
  if (product !== undefined) info.product = product;
  return info;
}

async function readAttribute(dir: string, name: string): Promise<string | undefined> {
  try {
    // sysfs attributes are one short line; 4 KiB is a page, the most sysfs ever returns.
    const text = await readFile(join(dir, name), 'utf8');
    return text.slice(0, 4096).trim();
  } catch {
    // An attribute this device does not have: not every USB device has a serial.
    return undefined;
  }
}

function parseHex(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9a-fA-F]{1,4}$/.test(text)) return undefined;
  return Number.parseInt(text, 16);
}

/** The mount source (`/dev/sdb1`) of a mountpoint, from `/proc/self/mountinfo`. */
export async function mountSourceOf(
  mountpoint: string,
  mountinfoPath = '/proc/self/mountinfo',
): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(mountinfoPath, 'utf8');
  } catch {
    // No /proc here: the volume's source device cannot be told, only its mount point.
    return undefined;
  }
  let source: string | undefined;
  for (const line of text.split('\n')) {
    // id parent major:minor root mountpoint options [optional…] - fstype source superoptions
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 5) continue;
    if (unescapeMountinfo(fields[4] ?? '') !== mountpoint) continue;
    const raw = fields[separator + 2];
    // The last mount on a path is the visible one.
    if (raw !== undefined) source = unescapeMountinfo(raw);
  }
  return source;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes (`\040`). */
function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

/**
 * The label of the file system mounted at `mountpoint`, read by `blkid` from the mount source's
 * superblock. drivelist takes labels from lsblk, which takes them from udev's database; where
 * udev has no blkid rule for a device (zram, minimal systems) the label is missing there.
 * Reading the superblock is not reading the volume's files (rule D-NO-LEAK holds).
 */
export function readVolumeLabel(
  mountpoint: string,
  options: SuperblockOptions = {},
): Promise<string | null> {
  return readSuperblockTag(mountpoint, 'LABEL', options);
}

/**
 * The UUID of the file system mounted at `mountpoint` (on FAT, its volume serial), read by
 * `blkid` from the mount source's superblock: a fact of the device, not of its files, so a
 * volume that copies a recorder's label and folders does not copy it (D-WHO-RECORDS).
 */
export function readVolumeUuid(
  mountpoint: string,
  options: SuperblockOptions = {},
): Promise<string | null> {
  return readSuperblockTag(mountpoint, 'UUID', options);
}

interface SuperblockOptions {
  mountinfoPath?: string;
  blkid?: string;
  timeoutMs?: number;
}

async function readSuperblockTag(
  mountpoint: string,
  tag: 'LABEL' | 'UUID',
  options: SuperblockOptions,
): Promise<string | null> {
  const source = await mountSourceOf(mountpoint, options.mountinfoPath);
  if (source === undefined || !source.startsWith('/dev/')) return null;
  const value = await new Promise<string | undefined>((resolve) => {
    execFile(
      options.blkid ?? blkidPath(),
      ['-o', 'value', '-s', tag, '--', source],
      { timeout: options.timeoutMs ?? 3000, maxBuffer: 4096, encoding: 'utf8' },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
  return cleanDeviceText(value) ?? null;
}

/**
 * The capacity in bytes of the disk a block device is (or is a partition of), from sysfs, as
 * the drive listing reports it for the watcher's volumes.
 */
export async function blockDeviceCapacity(
  device: string,
  sysRoot = '/sys',
): Promise<number | null> {
  try {
    let dir = await realpath(join(sysRoot, 'class', 'block', basename(await realpath(device))));
    // A partition's folder sits inside its disk's and has a `partition` attribute.
    if ((await readAttribute(dir, 'partition')) !== undefined) dir = dirname(dir);
    const sectors = Number.parseInt((await readAttribute(dir, 'size')) ?? '', 10);
    // sysfs counts 512-byte sectors whatever the device's own sector size.
    return Number.isSafeInteger(sectors) && sectors > 0 ? sectors * 512 : null;
  } catch {
    // Not a block device sysfs knows: its capacity is not a fact the station can tell.
    return null;
  }
}

/** Debian keeps blkid in /usr/sbin, which is not on a normal user's PATH. */
function blkidPath(): string {
  return ['/usr/sbin/blkid', '/sbin/blkid', '/usr/bin/blkid'].find((p) => existsSync(p)) ?? 'blkid';
}

/**
 * The volume mounted at `mountpoint` as the watcher would describe it (device, label, USB
 * device, file system UUID, capacity), for a recorder named by hand (`evidock ingest <mountpoint>`). Off Linux, or where
 * the mount table does not know the path, only the mountpoint is known.
 */
export async function volumeAt(mountpoint: string): Promise<DockedVolume> {
  const linux = process.platform === 'linux';
  const source = linux ? await mountSourceOf(mountpoint) : undefined;
  const device = source?.startsWith('/dev/') ? source : undefined;
  const label = device === undefined ? null : await readVolumeLabel(mountpoint);
  const usb = device === undefined ? undefined : await usbInfoForBlockDevice(device);
  const fsUuid = device === undefined ? null : await readVolumeUuid(mountpoint);
  const size = device === undefined ? null : await blockDeviceCapacity(device);
  return {
    device: device ?? mountpoint,
    mountpoint,
    label,
    size,
    isUSB: usb === undefined ? null : true,
    ...(usb === undefined ? {} : { usb }),
    ...(fsUuid === null ? {} : { fsUuid }),
  };
}
