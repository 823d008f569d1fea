import { watch, type FSWatcher } from 'chokidar';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { readVolumeLabel, readVolumeUuid, usbInfoForBlockDevice } from './linux-block';
import { defaultDevicesLog, errorText, type DevicesLog } from './log';
import { UsbMonitor, type UsbChange } from './usb-monitor';
import { candidateOf, type DockedVolume, type DriveListing, type UsbInfo } from './volume';

export interface DeviceWatcherEvents {
  /** A removable volume is mounted (also, at start, each one already mounted). */
  'volume-attached': [volume: DockedVolume];
  /** It is gone: unmounted or unplugged. Carries the same object as its attach. */
  'volume-detached': [volume: DockedVolume];
  /** A USB device appeared (also, at start, each one already there): amba-bulk recorders
   *  show up here before they have a volume at all. */
  'usb-attached': [usb: UsbInfo];
  'usb-detached': [usb: UsbInfo];
}

export interface DeviceWatcherOptions {
  /** How often drivelist is asked; the other sources only make it ask sooner. */
  pollIntervalMs?: number;
  /**
   * Folders where the OS mounts removable volumes; missing ones are watched once they appear.
   * Only volumes mounted under them are looked at (none named: every removable volume).
   */
  mountRoots?: readonly string[];
  /** Watch the mount roots for new mounts (default on); off, only the polling finds them. */
  watchMountRoots?: boolean;
  /** USB hot-plug through libusb (default on). */
  usb?: boolean;
  log?: DevicesLog;
  /** The drive listing; drivelist's by default. Tests of the watcher's own logic pass a list. */
  listDrives?: () => Promise<readonly DriveListing[]>;
  /** A label where the listing has none; on Linux blkid by default. */
  readLabel?: (mountpoint: string) => Promise<string | null>;
  /** The mounted file system's UUID; on Linux blkid by default. */
  readUuid?: (mountpoint: string) => Promise<string | null>;
  /** The USB device behind a block device; on Linux sysfs by default. */
  usbOf?: (device: string) => Promise<UsbInfo | undefined>;
  platform?: NodeJS.Platform;
}

/** A chokidar event waits this long so a burst (mkdir, mount, first writes) is one scan. */
const TRIGGER_DELAY_MS = 50;
/** The mount usually lands a moment after its folder is made: look again then. */
const FOLLOW_UP_MS = 300;

/** The folders each OS mounts removable volumes under (udisks2, macOS, none on Windows). */
export function defaultMountRoots(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return ['/Volumes'];
  if (platform === 'win32') return [];
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container, a service account): the environment may still say.
    user = process.env['USER'];
  }
  return user ? ['/media', `/media/${user}`, `/run/media/${user}`] : ['/media'];
}

/**
 * Finds removable volumes as they are docked and undocked. drivelist is the source of truth and
 * is asked about once a second; chokidar on the mount roots and USB hot-plug only make it ask at
 * once. A volume is reported once per docking (device + mountpoint), and only when its mount is
 * really there. System and internal disks are never reported (rule D-NO-LEAK).
 *
 * Attach listeners before `start()`: volumes already mounted are reported during it.
 */
export class DeviceWatcher extends EventEmitter<DeviceWatcherEvents> {
  private readonly pollIntervalMs: number;
  private readonly roots: readonly string[];
  private readonly log: DevicesLog;
  private readonly platform: NodeJS.Platform;
  private readonly present = new Map<string, DockedVolume>();
  private readonly ignored = new Map<string, string>();
  private readonly missingRoots = new Set<string>();
  private listDrives: (() => Promise<readonly DriveListing[]>) | undefined;
  private poll: NodeJS.Timeout | undefined;
  private trigger: NodeJS.Timeout | undefined;
  private readonly followUps = new Set<NodeJS.Timeout>();
  private mountWatcher: FSWatcher | undefined;
  private usbMonitor: UsbMonitor | undefined;
  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  private listingFailed = false;
  private started = false;
  private stopped = false;

  constructor(private readonly options: DeviceWatcherOptions = {}) {
    super();
    this.platform = options.platform ?? process.platform;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.roots = options.mountRoots ?? defaultMountRoots(this.platform);
    this.log = options.log ?? defaultDevicesLog;
    this.listDrives = options.listDrives;
  }

  /** Starts every source and reports what is docked already; resolves after that first scan. */
  async start(): Promise<void> {
    if (this.started) throw new Error('DeviceWatcher: start() was already called');
    this.started = true;
    if (this.listDrives === undefined) {
      try {
        const drivelist = await import('drivelist');
        this.listDrives = () => drivelist.list();
      } catch (error) {
        throw new Error(`cannot detect recorders: drivelist did not load (${errorText(error)})`, {
          cause: error,
        });
      }
    }
    await this.runScan();
    if (this.stopped) return;
    if (this.options.watchMountRoots !== false) this.watchMountRoots();
    if (this.options.usb !== false) {
      this.usbMonitor = await UsbMonitor.start((change, info) => this.usbChanged(change, info), {
        log: this.log,
        platform: this.platform,
      });
      if (this.stopped) {
        this.usbMonitor?.stop();
        return;
      }
      for (const info of this.usbMonitor?.list() ?? []) this.emit('usb-attached', info);
    }
    this.poll = setInterval(() => this.requestScan(), this.pollIntervalMs);
  }

  /** Closes every source; no event is emitted after it resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll !== undefined) clearInterval(this.poll);
    if (this.trigger !== undefined) clearTimeout(this.trigger);
    for (const timer of this.followUps) clearTimeout(timer);
    this.followUps.clear();
    this.usbMonitor?.stop();
    this.usbMonitor = undefined;
    const closing = this.mountWatcher?.close();
    this.mountWatcher = undefined;
    await Promise.allSettled([closing, this.scanning]);
  }

  /** The volumes docked now. */
  volumes(): DockedVolume[] {
    return [...this.present.values()];
  }

  /** Scan soon (bursts of requests make one scan). */
  requestScan(): void {
    if (this.stopped || this.trigger !== undefined) return;
    this.trigger = setTimeout(() => {
      this.trigger = undefined;
      void this.runScan();
    }, TRIGGER_DELAY_MS);
  }

  /** Scans now, or right after the scan under way; resolves when that scan is done. */
  async runScan(): Promise<void> {
    if (this.scanning !== undefined) {
      this.scanAgain = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      try {
        do {
          this.scanAgain = false;
          await this.scan();
        } while (this.scanAgain && !this.stopped);
      } catch (error) {
        this.log('warn', 'a device scan failed', { error: errorText(error) });
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  private async scan(): Promise<void> {
    if (this.stopped || this.listDrives === undefined) return;
    this.addAppearedRoots();
    let drives: readonly DriveListing[];
    try {
      drives = await this.listDrives();
      if (this.listingFailed) this.log('info', 'drive listing works again');
      this.listingFailed = false;
    } catch (error) {
      // A failed listing says nothing about what is docked: keep the state, warn once.
      if (!this.listingFailed) {
        this.log('warn', 'listing drives failed', { error: errorText(error) });
      }
      this.listingFailed = true;
      return;
    }
    if (this.stopped) return;
    const seen = new Map<string, DockedVolume>();
    const ignoredNow = new Map<string, string>();
    for (const drive of drives) {
      const result = candidateOf(drive, this.roots);
      if (result.candidate) seen.set(keyOf(result.volume), result.volume);
      else ignoredNow.set(result.device, result.reason);
    }
    this.noteIgnored(ignoredNow);
    for (const [key, volume] of this.present) {
      if (seen.has(key)) continue;
      this.present.delete(key);
      this.emit('volume-detached', volume);
    }
    for (const [key, listed] of seen) {
      if (this.present.has(key)) continue;
      const volume = await this.complete(listed);
      if (this.stopped) return;
      if (volume === undefined) continue;
      this.present.set(key, volume);
      this.emit('volume-attached', volume);
    }
  }

  /**
   * Adds what the listing lacks (label, USB ids) and makes sure the mount is really there and is
   * not the root file system. `undefined` means "not now": the next scan tries again.
   */
  private async complete(listed: DockedVolume): Promise<DockedVolume | undefined> {
    try {
      const [mount, root] = await Promise.all([lstat(listed.mountpoint), lstat('/')]);
      if (!mount.isDirectory()) return undefined;
      if (this.platform !== 'win32' && mount.dev === root.dev) {
        this.logIgnoredOnce(listed.device, 'on the root file system (or not mounted yet)');
        return undefined;
      }
    } catch {
      // Unmounted between the listing and this look: it is not docked any more.
      return undefined;
    }
    const volume: DockedVolume = { ...listed };
    const linux = this.platform === 'linux';
    const readLabel = this.options.readLabel ?? (linux ? readVolumeLabel : undefined);
    const usbOf = this.options.usbOf ?? (linux ? usbInfoForBlockDevice : undefined);
    const readUuid = this.options.readUuid ?? (linux ? readVolumeUuid : undefined);
    if (readUuid !== undefined) {
      // A fact a recorder's registration is bound to; without it the others still tell.
      const uuid = await readUuid(volume.mountpoint).catch(() => null);
      if (uuid !== null) volume.fsUuid = uuid;
    }
    if (volume.label === null && readLabel !== undefined) {
      // A label is a hint for matching a profile; a volume without one is still looked at.
      volume.label = await readLabel(volume.mountpoint).catch(() => null);
    }
    if (volume.isUSB !== false && usbOf !== undefined) {
      // USB ids are a hint for matching a profile; sysfs may not tell them (zram, a VM).
      const usb = await usbOf(volume.device).catch(() => undefined);
      if (usb !== undefined) volume.usb = usb;
    }
    this.ignored.delete(listed.device);
    return volume;
  }

  private noteIgnored(now: Map<string, string>): void {
    for (const [device, reason] of now) this.logIgnoredOnce(device, reason);
    for (const device of this.ignored.keys()) if (!now.has(device)) this.ignored.delete(device);
  }

  private logIgnoredOnce(device: string, reason: string): void {
    if (this.ignored.get(device) === reason) return;
    this.ignored.set(device, reason);
    this.log('debug', 'drive is not a recorder candidate', { device, reason });
  }

  private watchMountRoots(): void {
    const existing = this.roots.filter((root) => existsSync(root));
    for (const root of this.roots) if (!existing.includes(root)) this.missingRoots.add(root);
    // Depth 0: the roots' own entries only. A docked volume's contents are never listed here.
    this.mountWatcher = watch(existing, {
      depth: 0,
      ignoreInitial: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
    });
    this.mountWatcher.on('all', (event, path) => {
      if (event === 'unlinkDir' && this.roots.includes(path)) this.missingRoots.add(path);
      this.triggered();
    });
    this.mountWatcher.on('error', (error) =>
      this.log('warn', 'watching the mount roots failed', { error: errorText(error) }),
    );
  }

  private addAppearedRoots(): void {
    if (this.mountWatcher === undefined) return;
    for (const root of this.missingRoots) {
      if (!existsSync(root)) continue;
      this.missingRoots.delete(root);
      this.mountWatcher.add(root);
    }
  }

  private usbChanged(change: UsbChange, info: UsbInfo): void {
    if (this.stopped) return;
    this.emit(change === 'attach' ? 'usb-attached' : 'usb-detached', info);
    this.triggered();
  }

  /** Something moved: scan now, and once more when a slow mount has had time to land. */
  private triggered(): void {
    this.requestScan();
    const timer = setTimeout(() => {
      this.followUps.delete(timer);
      this.requestScan();
    }, FOLLOW_UP_MS);
    this.followUps.add(timer);
  }
}

function keyOf(volume: DockedVolume): string {
  return `${volume.device}\u0000${volume.mountpoint}`;
}
