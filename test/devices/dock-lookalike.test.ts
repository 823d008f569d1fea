// D-WHO-RECORDS with real block devices: a registered recorder (a zram volume, ext4, labelled with
// its serial) docks and is ingested, binding its registration to the device; then another volume
// with the same label and layout (a new file system, so another UUID, and another capacity) is
// docked to slip footage into that officer's custody. It is held: nothing on it is read (its
// clip's access time does not move, with strictatime), nothing copied, nothing cleared. The real
// DeviceWatcher finds both under this test's own mount root (another recorder-like volume stays
// docked under /media meanwhile); every call goes through the station's RPC door.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DockedVolume, Lookalike } from '../../src-main/contract';
import { stopStationDock } from '../../src-main/station/services';
import { DockHarness, PEOPLE, until } from '../support/dock-harness';
import { dockingUnavailable, dockRecorder, undockAll, uniqueLabel } from '../support/dock-recorder';

const unavailable = dockingUnavailable();

describe.skipIf(unavailable !== undefined)(
  `look-alike recorders on real block devices${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let h: DockHarness;
    let mountRoot: string;

    beforeAll(async () => {
      mountRoot = await mkdtemp(join(tmpdir(), 'evidock-lookalike-mounts-'));
      h = await DockHarness.open();
      await stopStationDock(h.station);
      await h.openDock({ watcher: { mountRoots: [mountRoot], usb: false, pollIntervalMs: 300 } });
    }, 120_000);

    afterEach(async () => {
      await undockAll();
    });

    afterAll(async () => {
      await h?.close();
      await undockAll();
      if (mountRoot !== undefined) {
        // A mount the station still held when its test unmounted it (EBUSY) is let go lazily
        // here: the folders under the mount root can only be removed once nothing is mounted.
        for (const name of await readdir(mountRoot).catch(() => [])) {
          await promisify(execFile)('umount', ['-l', join(mountRoot, name)]).catch(() => undefined);
        }
        await rm(mountRoot, { recursive: true, force: true });
      }
    });

    const volumeAt = (mountpoint: string) => (): DockedVolume | undefined =>
      h
        .lastVolumes()
        .find(
          (v) =>
            v.mountpoint === mountpoint &&
            v.state !== 'unregistered' &&
            (v.state !== 'recorder' || v.dockingId !== null),
        );
    const dockingsOf = (serial: string) =>
      h.station.catalogue.db
        .prepare<[string], { n: number }>(
          'SELECT count(*) AS n FROM dockings WHERE recorder_serial = ?',
        )
        .get(serial)!.n;
    const stagedFor = (serial: string) => {
      const folder = join(h.station.dataDir, 'staging', serial);
      return existsSync(folder) ? readdirSync(folder, { recursive: true }).length : 0;
    };

    it('another volume with the recorder’s label but another file system and size is held, not ingested', async () => {
      const serial = uniqueLabel('BND');
      await h.register(serial);
      const genuine = await dockRecorder({
        fs: 'ext4',
        label: serial,
        sizeMiB: 16,
        mountRoot,
        files: { 'DCIM/100MEDIA/VID0001.MP4': 'footage the officer recorded' },
      });
      const docking = await h.finished(serial);
      expect(docking).toMatchObject({
        phase: 'complete',
        clipsDone: 1,
        officerBadge: PEOPLE.officer,
      });
      await genuine.undock();
      await until(() =>
        h.lastVolumes().some((v) => v.mountpoint === genuine.mountpoint) ? undefined : true,
      );
      const clipsBefore = h.station.catalogue.clips.count();
      const stagedBefore = stagedFor(serial);

      // Same label, same folders: made from scratch, so another UUID, and another size.
      const planted = await dockRecorder({
        fs: 'ext4',
        label: serial,
        sizeMiB: 24,
        mountRoot,
        mountOptions: ['strictatime'],
        files: { 'DCIM/100MEDIA/VID0002.MP4': 'footage planted in the officer’s name' },
      });
      const clip = join(planted.mountpoint, 'DCIM', '100MEDIA', 'VID0002.MP4');
      const accessed = statSync(clip).atimeMs;
      const held = await until(volumeAt(planted.mountpoint), 30_000);
      expect(held).toMatchObject({ state: 'held', serial, dockingId: null });
      expect(held.lookalike?.differs).toEqual(['fsUuid', 'capacity']);
      expect(held.lookalike?.seen.capacity).toBe(24 * 2 ** 20);

      // Nothing read, nothing copied, nothing cleared, no docking in the officer's name.
      expect(dockingsOf(serial)).toBe(1);
      expect(h.station.catalogue.clips.count()).toBe(clipsBefore);
      expect(stagedFor(serial)).toBe(stagedBefore);
      expect(statSync(clip).atimeMs).toBe(accessed);
      expect(existsSync(clip)).toBe(true);

      const reason = '标签冒用，非该记录仪';
      const { lookalike } = await h.ok<{ lookalike: Lookalike }>(
        'recorders.refuseLookalike',
        { id: held.lookalike!.id, reason },
        'custodian',
      );
      expect(lookalike).toMatchObject({ decision: 'refused', decidedBy: PEOPLE.custodian });
      expect(h.audited('recorder.lookalike.refused')).toEqual([
        expect.objectContaining({
          actor: PEOPLE.custodian,
          details: expect.objectContaining({ reason }),
        }),
      ]);
      expect(dockingsOf(serial)).toBe(1);
      expect(statSync(clip).atimeMs).toBe(accessed);
      // The genuine recorder's first docking bound its registration to its device's facts.
      const bound = h.audited('recorder.bound').find((e) => e.subject === `recorder:${serial}`);
      const facts = bound?.details['facts'] as Record<string, unknown> | undefined;
      expect(facts?.['fsUuid']).toMatch(/^[0-9a-f-]{36}$/);
      expect(facts?.['capacity']).toBe(16 * 2 ** 20);
    });

    it('the same recorder docked again (same file system) is ingested without a hold', async () => {
      const serial = uniqueLabel('BND');
      await h.register(serial);
      const files = { 'DCIM/100MEDIA/VID0001.MP4': 'first shift' };
      const recorder = await dockRecorder({
        fs: 'vfat',
        label: serial,
        sizeMiB: 16,
        mountRoot,
        files,
      });
      await h.finished(serial);
      // FAT has no UUID of its own: its volume serial stands in, read through the fuse mount.
      expect(h.station.catalogue.recorders.binding(serial)?.facts).toMatchObject({
        fsUuid: expect.stringMatching(/^[0-9A-F]{4}-[0-9A-F]{4}$/),
        capacity: 16 * 2 ** 20,
      });
      await recorder.unmount();
      await until(() =>
        h.lastVolumes().some((v) => v.mountpoint === recorder.mountpoint) ? undefined : true,
      );
      // Mounted again from the same device: the same file system, the same facts.
      const { execFile } = await import('node:child_process');
      const { promisify } = await import('node:util');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(recorder.mountpoint, { recursive: true });
      await promisify(execFile)('fusefat', [
        '-o',
        `rw+,fsname=${recorder.device}`,
        recorder.device,
        recorder.mountpoint,
      ]);
      try {
        const again = await until(volumeAt(recorder.mountpoint), 30_000);
        expect(again.state).toBe('recorder');
        expect(dockingsOf(serial)).toBe(2);
        expect(
          h.audited('recorder.lookalike.held').filter((e) => e.subject === `recorder:${serial}`),
        ).toEqual([]);
      } finally {
        await promisify(execFile)('umount', [recorder.mountpoint]).catch(() => undefined);
      }
    });
  },
);
