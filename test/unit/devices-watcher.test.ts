// The watcher's own logic over a drive listing the test controls: which drives are candidates,
// one report per docking, nothing lost on a failed listing, chokidar making it look at once.
// Mountpoints live on /dev/shm, a file system of their own like a real docked volume's.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceWatcher, defaultMountRoots } from '../../src-main/devices/device-watcher';
import type { DevicesLog } from '../../src-main/devices/log';
import { candidateOf, type DockedVolume, type DriveListing } from '../../src-main/devices/volume';
import {
  mountSourceOf,
  readVolumeLabel,
  usbInfoForBlockDevice,
} from '../../src-main/devices/linux-block';
import { tempDir } from '../support/temp';

function drive(change: Partial<DriveListing> = {}): DriveListing {
  return {
    device: '/dev/sdb',
    size: 32 << 20,
    isSystem: false,
    isRemovable: true,
    isUSB: true,
    mountpoints: [],
    ...change,
  };
}

describe('candidateOf', () => {
  it('a removable, mounted drive is a candidate with its first real mountpoint', () => {
    const result = candidateOf(
      drive({
        mountpoints: [
          { path: '[SWAP]', label: null },
          { path: '/media/CAM01', label: 'CAM01' },
          { path: '/media/CAM01-2', label: 'OTHER' },
        ],
      }),
    );
    expect(result).toEqual({
      candidate: true,
      volume: {
        device: '/dev/sdb',
        mountpoint: '/media/CAM01',
        label: 'CAM01',
        size: 32 << 20,
        isUSB: true,
      },
    });
  });

  it.each<[string, Partial<DriveListing>, string]>([
    ['the system disk', { isSystem: true, mountpoints: [{ path: '/media/x' }] }, 'system disk'],
    [
      'an internal disk',
      { isRemovable: false, isUSB: false, mountpoints: [{ path: '/data' }] },
      'internal disk',
    ],
    [
      'a removable disk holding /',
      { mountpoints: [{ path: '/media/x' }, { path: '/' }] },
      'holds a system mount',
    ],
    [
      'a removable disk holding /boot/efi',
      { mountpoints: [{ path: '/boot/efi' }] },
      'holds a system mount',
    ],
    ['an unmounted stick', { mountpoints: [] }, 'not mounted'],
    ['zram swap', { mountpoints: [{ path: '[SWAP]' }] }, 'not mounted'],
  ])('never %s', (_, change, reason) => {
    expect(candidateOf(drive(change))).toEqual({ candidate: false, device: '/dev/sdb', reason });
  });

  it('a USB disk that calls itself fixed is still a candidate; an empty label is none', () => {
    const result = candidateOf(
      drive({ isRemovable: false, isUSB: true, mountpoints: [{ path: '/media/HDD', label: '' }] }),
    );
    expect(result).toMatchObject({ candidate: true, volume: { label: null } });
  });

  it('with mount roots, only a volume mounted under one of them is a candidate', () => {
    const roots = ['/media', '/run/media/officer'];
    expect(
      candidateOf(drive({ mountpoints: [{ path: '/mnt/backup', label: 'CAM01' }] }), roots),
    ).toEqual({ candidate: false, device: '/dev/sdb', reason: 'mounted outside the mount roots' });
    // A root's own name as a prefix is not enough: /media2 is not under /media.
    expect(candidateOf(drive({ mountpoints: [{ path: '/media2/CAM01' }] }), roots)).toMatchObject({
      candidate: false,
    });
    // Mounted twice: the mount under a root is the one looked at.
    expect(
      candidateOf(
        drive({
          mountpoints: [
            { path: '/mnt/elsewhere', label: 'X' },
            { path: '/run/media/officer/CAM01', label: 'CAM01' },
          ],
        }),
        roots,
      ),
    ).toMatchObject({ candidate: true, volume: { mountpoint: '/run/media/officer/CAM01' } });
  });

  it('a Windows drive letter is a real mountpoint', () => {
    expect(candidateOf(drive({ mountpoints: [{ path: 'E:\\', label: 'CAM' }] }))).toMatchObject({
      candidate: true,
      volume: { mountpoint: 'E:\\' },
    });
  });
});

describe('defaultMountRoots', () => {
  it('udisks folders on Linux, /Volumes on macOS, none on Windows', () => {
    const linux = defaultMountRoots('linux');
    expect(linux[0]).toBe('/media');
    expect(linux.some((r) => r.startsWith('/run/media/'))).toBe(true);
    expect(defaultMountRoots('darwin')).toEqual(['/Volumes']);
    expect(defaultMountRoots('win32')).toEqual([]);
  });
});

const shm = '/dev/shm';

describe.skipIf(!existsSync(shm))('DeviceWatcher (drive listing given by the test)', () => {
  let base: string;
  let roots: string;
  let drives: DriveListing[];
  let listing: () => Promise<readonly DriveListing[]>;
  let watcher: DeviceWatcher | undefined;
  let events: string[];
  const log = vi.fn<DevicesLog>();

  beforeEach(() => {
    base = mkdtempSync(join(shm, 'evidock-watch-'));
    roots = join(base, 'media');
    mkdirSync(roots);
    drives = [];
    listing = vi.fn(async () => drives.map((d) => ({ ...d })));
    events = [];
    log.mockReset();
  });

  afterEach(async () => {
    await watcher?.stop();
    watcher = undefined;
    rmSync(base, { recursive: true, force: true });
  });

  function dock(label: string, device = `/dev/sd${label.toLowerCase().slice(-1)}`): string {
    const mountpoint = join(roots, label);
    mkdirSync(mountpoint, { recursive: true });
    drives.push(drive({ device, mountpoints: [{ path: mountpoint, label }] }));
    return mountpoint;
  }

  function undock(device: string): void {
    drives = drives.filter((d) => d.device !== device);
  }

  function make(options: ConstructorParameters<typeof DeviceWatcher>[0] = {}): DeviceWatcher {
    watcher = new DeviceWatcher({
      listDrives: () => listing(),
      mountRoots: [roots],
      usb: false,
      pollIntervalMs: 40,
      log,
      readLabel: async () => null,
      usbOf: async () => undefined,
      ...options,
    });
    const describe = (v: DockedVolume) => `${v.device} ${v.mountpoint} ${v.label}`;
    watcher.on('volume-attached', (v) => events.push(`+ ${describe(v)}`));
    watcher.on('volume-detached', (v) => events.push(`- ${describe(v)}`));
    return watcher;
  }

  it('never reports a volume mounted outside its mount roots: another disk, another test', async () => {
    const elsewhere = join(base, 'elsewhere', 'CAMZ');
    mkdirSync(elsewhere, { recursive: true });
    drives.push(drive({ device: '/dev/sdz', mountpoints: [{ path: elsewhere, label: 'CAMZ' }] }));
    const mountpoint = dock('CAMA');
    await make().start();
    await vi.waitFor(() => expect(vi.mocked(listing).mock.calls.length).toBeGreaterThan(3));
    expect(events).toEqual([`+ /dev/sda ${mountpoint} CAMA`]);
  });

  it('reports volumes already docked during start, once however many scans follow', async () => {
    const mountpoint = dock('CAMA');
    await make().start();
    expect(events).toEqual([`+ /dev/sda ${mountpoint} CAMA`]);
    await vi.waitFor(() => expect(vi.mocked(listing).mock.calls.length).toBeGreaterThan(4));
    expect(events).toHaveLength(1);
    expect(watcher!.volumes().map((v) => v.mountpoint)).toEqual([mountpoint]);
  });

  it('dock, undock, dock again: attach, detach (same volume), attach', async () => {
    await make().start();
    const mountpoint = dock('CAMB');
    await vi.waitFor(() => expect(events).toHaveLength(1));
    let detached: DockedVolume | undefined;
    watcher!.on('volume-detached', (v) => (detached = v));
    const attached = watcher!.volumes()[0];
    undock('/dev/sdb');
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(detached).toBe(attached);
    dock('CAMB');
    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events).toEqual([
      `+ /dev/sdb ${mountpoint} CAMB`,
      `- /dev/sdb ${mountpoint} CAMB`,
      `+ /dev/sdb ${mountpoint} CAMB`,
    ]);
  });

  it('the same device on another mountpoint is a new docking', async () => {
    const first = dock('CAMC');
    await make().start();
    const second = join(roots, 'CAMC-1');
    mkdirSync(second);
    drives[0] = drive({ device: '/dev/sdc', mountpoints: [{ path: second, label: 'CAMC' }] });
    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events).toEqual([
      `+ /dev/sdc ${first} CAMC`,
      `- /dev/sdc ${first} CAMC`,
      `+ /dev/sdc ${second} CAMC`,
    ]);
  });

  it('system disks and a "volume" that is really on the root file system are never reported', async () => {
    drives.push(
      drive({
        device: '/dev/vda',
        isSystem: true,
        isRemovable: false,
        mountpoints: [{ path: '/' }],
      }),
    );
    const onRoot = mkdtempSync(join(tmpdir(), 'evidock-rootfs-'));
    try {
      const sameAsRoot = statSync(onRoot).dev === statSync('/').dev;
      drives.push(drive({ device: '/dev/sdr', mountpoints: [{ path: onRoot, label: 'ROOT' }] }));
      dock('CAMD');
      // Its folder counts as a mount root here, so that the root file system check is the one met.
      await make({ mountRoots: [roots, tmpdir()] }).start();
      expect(events.map((e) => e.split(' ')[1])).toEqual(
        sameAsRoot ? ['/dev/sdd'] : ['/dev/sdr', '/dev/sdd'],
      );
      if (sameAsRoot) {
        expect(log).toHaveBeenCalledWith('debug', 'drive is not a recorder candidate', {
          device: '/dev/sdr',
          reason: 'on the root file system (or not mounted yet)',
        });
      }
    } finally {
      rmSync(onRoot, { recursive: true, force: true });
    }
  });

  it('a listed mountpoint that does not exist yet is reported once it does', async () => {
    const mountpoint = join(roots, 'CAME');
    drives.push(drive({ device: '/dev/sde', mountpoints: [{ path: mountpoint, label: 'CAME' }] }));
    await make().start();
    expect(events).toEqual([]);
    mkdirSync(mountpoint);
    await vi.waitFor(() => expect(events).toEqual([`+ /dev/sde ${mountpoint} CAME`]));
  });

  it('a failed listing keeps what is docked (no false undock) and warns once', async () => {
    dock('CAMF');
    await make().start();
    listing = vi.fn(async () => {
      throw new Error('lsblk: not found');
    });
    await vi.waitFor(() => expect(vi.mocked(listing).mock.calls.length).toBeGreaterThan(3));
    expect(events).toHaveLength(1);
    expect(log.mock.calls.filter(([level]) => level === 'warn')).toEqual([
      ['warn', 'listing drives failed', { error: 'lsblk: not found' }],
    ]);
  });

  it('fills in the label and USB device the listing lacks', async () => {
    const mountpoint = join(roots, 'NOLABEL');
    mkdirSync(mountpoint);
    drives.push(drive({ device: '/dev/sdg', mountpoints: [{ path: mountpoint, label: null }] }));
    const usb = { vendorId: 0x4255, productId: 1, serial: 'S1', port: '1-1' };
    const readLabel = vi.fn(async () => 'CAMG');
    await make({
      readLabel,
      usbOf: async (device) => (device === '/dev/sdg' ? usb : undefined),
    }).start();
    expect(watcher!.volumes()).toEqual([
      { device: '/dev/sdg', mountpoint, label: 'CAMG', size: 32 << 20, isUSB: true, usb },
    ]);
    expect(readLabel).toHaveBeenCalledWith(mountpoint);
  });

  it('a new folder in a mount root makes it look at once, without waiting for the poll', async () => {
    await make({ pollIntervalMs: 60_000 }).start();
    const before = vi.mocked(listing).mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 200)); // chokidar settles
    const mountpoint = dock('CAMH', '/dev/sdh');
    await vi.waitFor(() => expect(events).toEqual([`+ /dev/sdh ${mountpoint} CAMH`]), {
      timeout: 2000,
    });
    expect(vi.mocked(listing).mock.calls.length).toBeGreaterThan(before);
  });

  it('a mount root that appears later is watched from then on', async () => {
    const late = join(base, 'run-media-user');
    await make({ pollIntervalMs: 60_000, mountRoots: [roots, late] }).start();
    mkdirSync(late);
    await watcher!.runScan(); // what the poll would do: notices the root and watches it
    await new Promise((resolve) => setTimeout(resolve, 300)); // chokidar settles
    const calls = vi.mocked(listing).mock.calls.length;
    mkdirSync(join(late, 'CAMI'));
    await vi.waitFor(() => expect(vi.mocked(listing).mock.calls.length).toBeGreaterThan(calls), {
      timeout: 2000,
    });
  });

  it('after stop nothing is listed and nothing reported', async () => {
    await make().start();
    await watcher!.stop();
    const calls = vi.mocked(listing).mock.calls.length;
    dock('CAMJ');
    writeFileSync(join(roots, 'poke'), '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(vi.mocked(listing).mock.calls.length).toBe(calls);
    expect(events).toEqual([]);
  });

  it('a listener that throws does not stop detection', async () => {
    await make().start();
    watcher!.once('volume-attached', () => {
      throw new Error('listener bug');
    });
    dock('CAMK');
    await vi.waitFor(() => expect(events).toHaveLength(1));
    dock('CAML');
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(log).toHaveBeenCalledWith('warn', 'a device scan failed', { error: 'listener bug' });
  });
});

describe('Linux facts: sysfs, mountinfo, blkid', () => {
  let sys: { path: string; remove: () => void };
  beforeEach(() => {
    sys = tempDir('evidock-sysfs-');
  });
  afterEach(() => sys.remove());

  function tree(files: Record<string, string>): void {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(sys.path, path, '..'), { recursive: true });
      writeFileSync(join(sys.path, path), content);
    }
  }

  it('walks up from the block device to its USB device', async () => {
    // The shape of a real USB stick: usb device 1-1.2, interface 1-1.2:1.0, SCSI host, disk.
    const usbDir = 'devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.2';
    const disk = `${usbDir}/1-1.2:1.0/host6/target6:0:0/6:0:0:0/block/sdb`;
    tree({
      [`${usbDir}/idVendor`]: '4255\n',
      [`${usbDir}/idProduct`]: '0001\n',
      [`${usbDir}/busnum`]: '1\n',
      [`${usbDir}/serial`]: 'AMB00017\n',
      [`${usbDir}/manufacturer`]: 'Ambarella\u0001\n',
      [`${usbDir}/product`]: '  Body Camera  \n',
      [`${usbDir}/1-1.2:1.0/bInterfaceClass`]: '08\n',
      [`${disk}/size`]: '62333952\n',
      'devices/pci0000:00/0000:00:14.0/usb1/idVendor': '1d6b\n',
    });
    mkdirSync(join(sys.path, 'class/block'), { recursive: true });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(sys.path, disk), join(sys.path, 'class/block/sdb'));
    expect(await usbInfoForBlockDevice('/dev/sdb', sys.path)).toEqual({
      vendorId: 0x4255,
      productId: 0x0001,
      serial: 'AMB00017',
      manufacturer: 'Ambarella',
      product: 'Body Camera',
      port: '1-1.2',
    });
  });

  it('a block device not on USB (zram, virtio) has none', async () => {
    const disk = 'devices/virtual/block/zram3';
    tree({ [`${disk}/size`]: '0\n' });
    mkdirSync(join(sys.path, 'class/block'), { recursive: true });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(sys.path, disk), join(sys.path, 'class/block/zram3'));
    expect(await usbInfoForBlockDevice('/dev/zram3', sys.path)).toBeUndefined();
    expect(await usbInfoForBlockDevice('/dev/nothing', sys.path)).toBeUndefined();
  });

  it('finds the mount source of a mountpoint, spaces escaped as \\040; the last mount wins', async () => {
    const mountinfo = join(sys.path, 'mountinfo');
    writeFileSync(
      mountinfo,
      [
        '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
        '42 27 0:39 / /media/CAM01 rw,nosuid,nodev,relatime - fuse /dev/zram1 rw,user_id=0',
        '43 27 8:17 / /media/My\\040Camera rw,relatime shared:40 - vfat /dev/sdb1 rw',
        '44 27 8:33 / /media/CAM01 rw,relatime - vfat /dev/sdc1 rw',
        '',
      ].join('\n'),
    );
    expect(await mountSourceOf('/media/My Camera', mountinfo)).toBe('/dev/sdb1');
    expect(await mountSourceOf('/media/CAM01', mountinfo)).toBe('/dev/sdc1');
    expect(await mountSourceOf('/media/none', mountinfo)).toBeUndefined();
  });

  it('reads the label with blkid from the mount source only', async () => {
    const mountinfo = join(sys.path, 'mountinfo');
    writeFileSync(
      mountinfo,
      '42 27 0:39 / /media/CAM01 rw - fuse /dev/zram1 rw\n43 27 0:40 / /media/NET rw - nfs server:/x rw\n',
    );
    const blkid = join(sys.path, 'blkid');
    writeFileSync(blkid, '#!/bin/sh\necho "$@" > "$(dirname "$0")/args"\necho CAM01\n', {
      mode: 0o755,
    });
    expect(await readVolumeLabel('/media/CAM01', { mountinfoPath: mountinfo, blkid })).toBe(
      'CAM01',
    );
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(sys.path, 'args'), 'utf8').trim()).toBe(
      '-o value -s LABEL -- /dev/zram1',
    );
    expect(await readVolumeLabel('/media/NET', { mountinfoPath: mountinfo, blkid })).toBeNull();
  });
});
