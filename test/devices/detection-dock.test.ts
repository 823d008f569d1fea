// Docking for real: zram block devices with FAT (fusefat) and ext4 file systems, mounted under
// /media, found by the real DeviceWatcher (drivelist, chokidar, libusb), matched to the shipped
// profiles and identified; a USB stick that is no recorder is never read (rule D-NO-LEAK).
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceWatcher } from '../../src-main/devices/device-watcher';
import { createDriver } from '../../src-main/devices/drivers/create-driver';
import { identifyRecorder } from '../../src-main/devices/identify';
import type { DevicesLog } from '../../src-main/devices/log';
import { matchProfile } from '../../src-main/devices/match';
import { loadProfiles, resolveProfilesDir } from '../../src-main/devices/profiles';
import type { DockedVolume } from '../../src-main/devices/volume';
import {
  dockingUnavailable,
  dockRecorder,
  undockAll,
  uniqueLabel,
  type DockedRecorder,
} from '../support/dock-recorder';

const unavailable = dockingUnavailable();
const profiles = loadProfiles(resolveProfilesDir());
const run = promisify(execFile);

/** What drivelist itself says of a device (to report whether the label came from it). */
async function drivelistLabel(device: string): Promise<string | null | undefined> {
  const drivelist = await import('drivelist');
  const drive = (await drivelist.list()).find((d) => d.device === device);
  return drive?.mountpoints[0]?.label;
}

describe.skipIf(unavailable !== undefined)(
  `docking real block devices${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let watcher: DeviceWatcher;
    const seen: Array<{ event: 'attached' | 'detached'; volume: DockedVolume; at: number }> = [];
    const warnings: unknown[] = [];
    const log: DevicesLog = (level, message, details) => {
      if (level === 'warn') warnings.push({ message, details });
    };

    beforeAll(async () => {
      watcher = new DeviceWatcher({ mountRoots: ['/media'], pollIntervalMs: 1000, log });
      watcher.on('volume-attached', (volume) =>
        seen.push({ event: 'attached', volume, at: Date.now() }),
      );
      watcher.on('volume-detached', (volume) =>
        seen.push({ event: 'detached', volume, at: Date.now() }),
      );
      await watcher.start();
    });

    afterEach(async () => {
      await undockAll();
    });

    afterAll(async () => {
      await watcher?.stop();
      await undockAll();
    });

    /** The event for this recorder's docking, and how long after `since` it came. */
    async function waitForEvent(
      event: 'attached' | 'detached',
      recorder: DockedRecorder,
      since: number,
      timeoutMs = 5000,
    ): Promise<{ volume: DockedVolume; ms: number }> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = seen.find(
          (s) =>
            s.event === event &&
            s.at >= since - 50 &&
            s.volume.device === recorder.device &&
            s.volume.mountpoint === recorder.mountpoint,
        );
        if (hit) return { volume: hit.volume, ms: Math.max(0, hit.at - since) };
        if (Date.now() > end) {
          throw new Error(`no volume-${event} for ${recorder.device} within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    it('a FAT recorder with a DCIM folder: reported within 2 s, generic-dcim, serial from its label; undock reported', async () => {
      const label = uniqueLabel('CAM');
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: { 'DCIM/100MEDIA/VID_0001.MP4': 'not really a video', 'MISC/log.txt': 'x' },
      });
      const dockedAt = Date.now();
      const { volume, ms } = await waitForEvent('attached', recorder, dockedAt);
      const fromDrivelist = await drivelistLabel(recorder.device);
      console.log(
        `FAT ${recorder.device} at ${recorder.mountpoint}: volume-attached after ${ms} ms; ` +
          `label from drivelist: ${JSON.stringify(fromDrivelist)}, as reported: ${JSON.stringify(volume.label)}`,
      );
      expect(ms).toBeLessThan(2000);
      expect(volume).toMatchObject({
        device: recorder.device,
        mountpoint: `/media/${label}`,
        label,
        size: 64 << 20,
      });

      const match = await matchProfile(volume, profiles);
      expect(match).toMatchObject({ profile: { id: 'generic-dcim' }, by: 'marker-files' });
      const identity = await identifyRecorder(volume, match!.profile);
      expect(identity).toMatchObject({ serial: label, source: 'volume-label' });

      // Never the system disk, whatever else is docked on this machine.
      for (const v of watcher.volumes()) expect(v.mountpoint).not.toBe('/');

      const undockedAt = Date.now();
      await recorder.undock();
      const gone = await waitForEvent('detached', recorder, undockedAt);
      console.log(`FAT ${recorder.device}: volume-detached after ${gone.ms} ms`);
      expect(gone.volume).toBe(volume);
      expect(gone.ms).toBeLessThan(2000);
      expect(warnings).toEqual([]);
    });

    it('an ext4 dsj-standard recorder: matched by its label, serial from its file names', async () => {
      const serial = uniqueLabel('DSJ');
      const label = uniqueLabel('DSJ');
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: {
          'DCIM/100MEDIA/notes.txt': 'x',
          [`DCIM/100MEDIA/${serial}_A1234_20261122083000_0001.MP4`]: 'clip one',
          [`DCIM/100MEDIA/${serial}_A1234_20261122090000_0002.MP4`]: 'clip two',
        },
      });
      const { volume, ms } = await waitForEvent('attached', recorder, Date.now());
      console.log(`ext4 ${recorder.device}: volume-attached after ${ms} ms, label ${volume.label}`);
      expect(volume.label).toBe(label);
      const match = await matchProfile(volume, profiles);
      expect(match).toMatchObject({ profile: { id: 'dsj-standard' }, by: 'volume-label' });
      expect(await identifyRecorder(volume, match!.profile)).toMatchObject({
        serial,
        source: 'file-name',
      });
      const undockedAt = Date.now();
      await recorder.undock();
      await waitForEvent('detached', recorder, undockedAt);
    });

    it('D-NO-LEAK: a plain USB stick is reported, matches no profile, and nothing on it is read', async () => {
      const recorder = await dockRecorder({
        fs: 'ext4',
        label: uniqueLabel('STICK'),
        // strictatime: every read of a file or listing of a folder updates its access time.
        mountOptions: ['strictatime'],
        files: {
          'report.docx': 'private report',
          'Photos/holiday.jpg': 'private photo',
          'Photos/2026/more.jpg': 'private photo',
        },
      });
      const paths = ['', 'report.docx', 'Photos', 'Photos/holiday.jpg', 'Photos/2026'].map((p) =>
        join(recorder.mountpoint, p),
      );
      const old = new Date('2001-01-01T00:00:00Z');
      for (const path of paths) utimesSync(path, old, old);

      const { volume } = await waitForEvent('attached', recorder, 0);
      expect(await matchProfile(volume, profiles)).toBeUndefined();
      // Let the watcher scan a few more times with the stick in place.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      for (const path of paths) expect(statSync(path).atimeMs, path).toBe(old.getTime());

      // The check can see a read: reading one file moves its access time.
      readFileSync(join(recorder.mountpoint, 'report.docx'));
      expect(statSync(join(recorder.mountpoint, 'report.docx')).atimeMs).toBeGreaterThan(
        old.getTime(),
      );
    });

    it('each source alone: chokidar on a folder under /media without polling, polling for a mount elsewhere', async () => {
      // Folders of this test's own: whatever else is docked on the machine meanwhile is not seen.
      const watched = await mkdtemp('/media/evidock-watched-');
      const elsewhereRoot = await mkdtemp('/mnt/evidock-polled-');
      const watchOnly = new DeviceWatcher({
        mountRoots: [watched],
        pollIntervalMs: 3_600_000,
        usb: false,
      });
      const pollOnly = new DeviceWatcher({
        mountRoots: [elsewhereRoot],
        watchMountRoots: false,
        pollIntervalMs: 1000,
        usb: false,
      });
      const hits: string[] = [];
      watchOnly.on('volume-attached', (v) => hits.push(`watch ${v.mountpoint}`));
      pollOnly.on('volume-attached', (v) => hits.push(`poll ${v.mountpoint}`));
      await Promise.all([watchOnly.start(), pollOnly.start()]);
      hits.length = 0;
      try {
        const waitForHit = async (hit: string, timeoutMs: number) => {
          const since = Date.now();
          while (!hits.includes(hit) && Date.now() - since < timeoutMs) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          return Date.now() - since;
        };
        // Where nobody watches for mounts: only the poll can find it.
        const elsewhere = await dockRecorder({
          fs: 'ext4',
          label: uniqueLabel('CAM'),
          mountRoot: elsewhereRoot,
        });
        const polled = await waitForHit(`poll ${elsewhere.mountpoint}`, 3000);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(hits).toEqual([`poll ${elsewhere.mountpoint}`]);
        // Under the watched folder: chokidar makes the non-polling watcher look at once.
        const inMedia = await dockRecorder({
          fs: 'vfat',
          label: uniqueLabel('CAM'),
          mountRoot: watched,
        });
        const found = await waitForHit(`watch ${inMedia.mountpoint}`, 3000);
        console.log(
          `poll alone found ${elsewhere.mountpoint} after ${polled} ms; ` +
            `chokidar alone found ${inMedia.mountpoint} after ${found} ms`,
        );
        expect(hits).toContain(`watch ${inMedia.mountpoint}`);
        // Each finds only what is mounted under its own folders.
        expect(hits).not.toContain(`poll ${inMedia.mountpoint}`);
        expect(hits).not.toContain(`watch ${elsewhere.mountpoint}`);
        expect(polled).toBeLessThan(2500);
        expect(found).toBeLessThan(1000);
      } finally {
        await Promise.all([watchOnly.stop(), pollOnly.stop()]);
        await undockAll();
        await rm(watched, { recursive: true, force: true });
        await rm(elsewhereRoot, { recursive: true, force: true });
      }
    });

    it('time-file clock sync on a real FAT recorder: the file is on its file system', async () => {
      const label = uniqueLabel('DSJ');
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: { 'DCIM/DSJ0042_A1_20261122083000_0001.MP4': 'clip' },
      });
      const { volume } = await waitForEvent('attached', recorder, 0);
      const match = await matchProfile(volume, profiles);
      expect(match?.profile.id).toBe('dsj-standard');
      const driver = createDriver(match!.profile, {
        mountpoint: volume.mountpoint,
        timeZone: 'Asia/Shanghai',
      });
      await driver.open();
      await driver.setClock!(new Date('2026-11-22T00:30:05Z'));
      await driver.close();
      await recorder.unmount();
      const { stdout } = await run('mtype', ['-i', recorder.device, '::/time.txt'], {
        env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
      });
      expect(stdout).toBe('2026-11-22 08:30:05');
      const { stdout: listing } = await run('mdir', ['-b', '-i', recorder.device, '::/'], {
        env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
      });
      // No temp file left next to it.
      expect(listing.split('\n').filter((l) => /\.tmp$/i.test(l.trim()))).toEqual([]);
    });
  },
);
