/** What the station knows of a USB device, from libusb or (on Linux) sysfs. */
export interface UsbInfo {
  vendorId: number;
  productId: number;
  serial?: string;
  manufacturer?: string;
  product?: string;
  /**
   * Bus and port chain, e.g. `1-1.2` (sysfs's name for it). It stays the same when a recorder
   * re-enumerates on the same port, e.g. an amba-bulk recorder switching to storage mode, so
   * the station can join what the driver read to the volume that appears afterwards.
   */
  port?: string;
}

/** A removable volume mounted on the station: a candidate recorder until profiles say otherwise. */
export interface DockedVolume {
  /** The block device as drivelist names it, e.g. `/dev/sdb` (Windows: `\\.\PhysicalDrive1`). */
  device: string;
  mountpoint: string;
  label: string | null;
  /** The device's capacity in bytes, as the drive listing gives it. */
  size: number | null;
  isUSB: boolean | null;
  usb?: UsbInfo;
  /**
   * The UUID of the file system mounted (the volume serial on FAT), read from its superblock:
   * one of the facts a recorder's registration is bound to, with its USB ids and capacity.
   */
  fsUuid?: string;
}

/** The fields of a drivelist `Drive` this layer reads (drivelist's own type, narrowed). */
export interface DriveListing {
  device: string;
  size: number | null;
  isSystem: boolean;
  isRemovable: boolean;
  isUSB: boolean | null;
  isReadOnly?: boolean;
  mountpoints: ReadonlyArray<{ path: string; label?: string | null }>;
}

export type CandidateResult =
  { candidate: true; volume: DockedVolume } | { candidate: false; device: string; reason: string };

/**
 * Mountpoints that belong to the operating system. A removable disk that boots the station (a
 * live USB system) shows up as removable and not "system" in some listings; its mounts must still
 * never be offered as a recorder.
 */
const SYSTEM_MOUNT_PREFIXES = [
  '/boot',
  '/efi',
  '/usr',
  '/etc',
  '/var',
  '/snap',
  '/System',
  '/private',
];

export function isSystemMountpoint(path: string): boolean {
  if (path === '/' || path === '') return true;
  return SYSTEM_MOUNT_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** A path a mount table would give for a real mount: absolute, not `[SWAP]` or similar. */
function isRealMountpoint(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\\/.test(path);
}

/** Whether `path` lies in one of the folders removable volumes are mounted under. */
function isUnderMountRoots(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    const folder = root.endsWith('/') || root.endsWith('\\') ? root.slice(0, -1) : root;
    return path.startsWith(`${folder}/`) || path.startsWith(`${folder}\\`);
  });
}

/**
 * Whether a listed drive could be a docked recorder (rule D-NO-LEAK: the station reads only what
 * was docked): removable, not the system's, mounted, and (when the station names its mount
 * roots) mounted under one of them, so a station looks only at the volumes the OS mounts for
 * removable media, never at a disk mounted elsewhere by hand.
 */
export function candidateOf(
  drive: DriveListing,
  mountRoots: readonly string[] = [],
): CandidateResult {
  const refuse = (reason: string): CandidateResult => ({
    candidate: false,
    device: drive.device,
    reason,
  });
  if (drive.isSystem) return refuse('system disk');
  if (!drive.isRemovable && drive.isUSB !== true) return refuse('internal disk');
  if (drive.mountpoints.some((m) => isRealMountpoint(m.path) && isSystemMountpoint(m.path))) {
    return refuse('holds a system mount');
  }
  const mounts = drive.mountpoints.filter((m) => isRealMountpoint(m.path));
  if (mounts.length === 0) return refuse('not mounted');
  const mount =
    mountRoots.length === 0 ? mounts[0] : mounts.find((m) => isUnderMountRoots(m.path, mountRoots));
  if (mount === undefined) return refuse('mounted outside the mount roots');
  const label =
    mount.label === undefined || mount.label === null || mount.label === '' ? null : mount.label;
  return {
    candidate: true,
    volume: {
      device: drive.device,
      mountpoint: mount.path,
      label,
      size: drive.size,
      isUSB: drive.isUSB,
    },
  };
}

/** Printable text from a device: control characters dropped, trimmed, capped; empty → undefined. */
export function cleanDeviceText(value: string | null | undefined, max = 128): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, max);
  return text === '' ? undefined : text;
}
