// Clips that cannot be read as they were listed, on recorders docked for real: a file that grows
// or is rewritten while it is copied (written through the mount from the copy's own progress),
// and a file on sectors that answer EIO (a loop device cut short under its ext4). That clip gets
// a finding and is not counted; every other clip is verified; nothing is cleared that the
// archive does not hold. (A recorder pulled out mid-copy: ingest-dock.test.ts.)
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEngine, IngestResult } from '../../src-main/ingest';
import {
  badSectorsUnavailable,
  dockWithBadSectors,
  releaseDamage,
  sha256,
} from '../support/damaged-recorder';
import { dockingUnavailable, dockRecorder, undockAll, uniqueLabel } from '../support/dock-recorder';
import { video } from '../support/footage';
import { catalogued, expectArchiveHolds, findingsOf } from '../support/ingest-outcome';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
  type TestStation,
} from '../support/ingest-station';

const unavailable = dockingUnavailable();
const noBadSectors = badSectorsUnavailable();
const profile = loadProfile('generic-dcim');
const MiB = 1024 * 1024;

describe.skipIf(unavailable !== undefined)(
  `clips that change or cannot be read on docked recorders${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let station: TestStation;
    let engine: IngestEngine | undefined;

    beforeEach(() => {
      station = testStation();
      station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));
    });
    afterEach(async () => {
      await engine?.close();
      engine = undefined;
      station.remove();
      await releaseDamage();
      await undockAll();
    });

    function ingest(mountpoint: string, label: string): Promise<IngestResult> {
      return engine!.ingest({ mountpoint, recorderSerial: label, profile }).done;
    }

    /** Runs `touch` once, the first time the copy of `path` has copied at least `after` bytes. */
    function duringCopyOf(path: string, after: number, touch: () => void) {
      let done = false;
      return (copying: string, phase: string, bytes: number) => {
        if (!done && copying === path && phase === 'copying' && bytes >= after) {
          done = true;
          touch();
        }
      };
    }

    it.each(['vfat', 'ext4'] as const)(
      'a clip that grows while it is copied (%s) is not counted nor cleared, and is taken whole at the next docking',
      async (fs) => {
        const label = uniqueLabel('CAM');
        // Not a whole number of clusters: fusefat loses the data of such a file when it grows.
        const growing = randomBytes(8 * MiB + 1000);
        const other = readFileSync(await video({ seconds: 1 }));
        const recorder = await dockRecorder({
          fs,
          label,
          files: { 'DCIM/GROWING.MP4': growing, 'DCIM/OTHER001.MP4': other },
        });
        registerRecorder(station.catalogue, label);
        const more = randomBytes(MiB);
        const path = join(recorder.mountpoint, 'DCIM/GROWING.MP4');
        engine = await openTestEngine(station, {
          chunkSize: 64 * 1024,
          // The recorder is still writing: a megabyte more lands while the copy is under way.
          onCopyProgress: duringCopyOf('DCIM/GROWING.MP4', 1, () => appendFileSync(path, more)),
        });

        const first = await ingest(recorder.mountpoint, label);

        expect(first.status).toBe('complete');
        expect(first.safeToUndock).toBe(false);
        expect(first.counts).toMatchObject({ archived: 1, failed: 1, cleared: 1 });
        const changed = findingsOf(first.findings, 'changed-during-copy');
        expect([...changed.keys()]).toEqual(['DCIM/GROWING.MP4']);
        const message = changed.get('DCIM/GROWING.MP4')!;
        expect(message).toMatch(/; not counted, it will be copied at the next docking$/);
        expectArchiveHolds(station.db, station.dataDir, new Map([['DCIM/OTHER001.MP4', other]]));
        const grown = Buffer.concat([growing, more]);
        expect(sha256(readFileSync(path))).toBe(sha256(grown));

        const second = await ingest(recorder.mountpoint, label);

        expect(second.status).toBe('complete');
        expect(second.safeToUndock).toBe(true);
        expectArchiveHolds(
          station.db,
          station.dataDir,
          new Map([
            ['DCIM/GROWING.MP4', grown],
            ['DCIM/OTHER001.MP4', other],
          ]),
        );
        // What the officer reads must say what happened: the copy never reads past the size the
        // walk saw, so a file that grew is reported as grown, not as "it shrank".
        expect(message).toMatch(
          /^the file (grew past 8389608 bytes while it was copied|changed after copying \(size 8389608 → \d+)/,
        );
        expect(message).not.toMatch(/shrank/);
      },
    );

    it('a clip rewritten in place while it is copied (ext4, same size) is not counted nor cleared; the next docking takes the new bytes', async () => {
      const label = uniqueLabel('CAM');
      const original = randomBytes(8 * MiB);
      const other = readFileSync(await video({ seconds: 1 }));
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: { 'DCIM/REWRITE.MP4': original, 'DCIM/OTHER001.MP4': other },
      });
      registerRecorder(station.catalogue, label);
      const path = join(recorder.mountpoint, 'DCIM/REWRITE.MP4');
      const patch = randomBytes(64 * 1024);
      engine = await openTestEngine(station, {
        chunkSize: 64 * 1024,
        // Overwrites the first 64 KiB, already copied: the copy alone would hold the old bytes.
        onCopyProgress: duringCopyOf('DCIM/REWRITE.MP4', 128 * 1024, () => {
          const fd = openSync(path, 'r+');
          try {
            writeSync(fd, patch, 0, patch.length, 0);
          } finally {
            closeSync(fd);
          }
        }),
      });

      const first = await ingest(recorder.mountpoint, label);

      expect(first.status).toBe('complete');
      expect(first.safeToUndock).toBe(false);
      expect(first.counts).toMatchObject({ archived: 1, failed: 1, cleared: 1 });
      expect(findingsOf(first.findings, 'changed-during-copy').get('DCIM/REWRITE.MP4')).toMatch(
        /^the file changed after copying \(size 8388608 → 8388608, modified .+\); not counted, it will be copied at the next docking$/,
      );
      expectArchiveHolds(station.db, station.dataDir, new Map([['DCIM/OTHER001.MP4', other]]));
      const rewritten = Buffer.concat([patch, original.subarray(patch.length)]);
      expect(sha256(readFileSync(path))).toBe(sha256(rewritten));

      const second = await ingest(recorder.mountpoint, label);

      expect(second.status).toBe('complete');
      expectArchiveHolds(
        station.db,
        station.dataDir,
        new Map([
          ['DCIM/OTHER001.MP4', other],
          ['DCIM/REWRITE.MP4', rewritten],
        ]),
      );
    });

    it('D-NO-TAMPER: a FAT clip rewritten in place while copied (fusefat keeps size and time) is never cleared unless the archive holds its new bytes', async () => {
      const label = uniqueLabel('CAM');
      const original = randomBytes(8 * MiB);
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: { 'DCIM/REWRITE.MP4': original },
      });
      registerRecorder(station.catalogue, label);
      const path = join(recorder.mountpoint, 'DCIM/REWRITE.MP4');
      const patch = randomBytes(64 * 1024);
      engine = await openTestEngine(station, {
        chunkSize: 64 * 1024,
        onCopyProgress: duringCopyOf('DCIM/REWRITE.MP4', 128 * 1024, () => {
          const fd = openSync(path, 'r+');
          try {
            writeSync(fd, patch, 0, patch.length, 0);
          } finally {
            closeSync(fd);
          }
        }),
      });

      const result = await ingest(recorder.mountpoint, label);

      const rewritten = Buffer.concat([patch, original.subarray(patch.length)]);
      const archivedNew = catalogued(station.db).some((c) => c.sha256 === sha256(rewritten));
      const onRecorder = existsSync(path) && sha256(readFileSync(path)) === sha256(rewritten);
      expect(result.status).toBe('complete');
      // The footage now on the recorder must survive somewhere: on the recorder, or archived.
      // fusefat changes neither size nor time, so only the recorder's bytes, hashed again before
      // clearing, tell that the proven copy holds the old footage.
      expect({ onRecorder, archivedNew }, 'the rewritten footage was lost').not.toEqual({
        onRecorder: false,
        archivedNew: false,
      });
    });

    it.skipIf(noBadSectors !== undefined)(
      `an unreadable sector (a real EIO from the block layer) flags that clip; every other clip is verified and cleared${noBadSectors ? ` — skipped: ${noBadSectors}` : ''}`,
      async () => {
        const label = uniqueLabel('CAM');
        const first = readFileSync(await video({ seconds: 1 }));
        const bad = randomBytes(2 * MiB);
        const last = randomBytes(3 * MiB);
        const files = {
          'DCIM/A0000001.MP4': first,
          'DCIM/B0000002.MP4': bad,
          'DCIM/C0000003.MP4': last,
        };
        const volume = await dockWithBadSectors({ label, files, bad: 'DCIM/B0000002.MP4' });
        // The premise: the device ends where that file's data begins, and the kernel itself
        // cannot read the file.
        const sectors = readFileSync(`/sys/block/${basename(volume.device)}/size`, 'utf8');
        expect(Number(sectors)).toBe(volume.badSectors.first);
        expect(() => readFileSync(join(volume.mountpoint, 'DCIM/B0000002.MP4'))).toThrow(
          expect.objectContaining({ code: 'EIO' }),
        );
        registerRecorder(station.catalogue, label);
        // One copy at a time: the clips after the bad one are copied after its failure.
        station.catalogue.write((tx) => tx.settings.set('copyConcurrencyPerDisk', 1));
        engine = await openTestEngine(station);

        const result = await ingest(volume.mountpoint, label);

        expect(result.status).toBe('complete');
        expect(result.error).toBeNull();
        expect(result.safeToUndock).toBe(false);
        expect(result.counts).toMatchObject({ archived: 2, failed: 1, cleared: 2 });
        const unread = result.findings.filter((f) => f.code === 'read-error');
        expect(unread).toEqual([
          expect.objectContaining({
            path: 'DCIM/B0000002.MP4',
            details: { errno: 'EIO' },
          }),
        ]);
        expect(unread[0]!.message).toMatch(
          /^the recorder could not be read \(.*EIO: i\/o error.*\); this clip is not counted, the others continue$/,
        );
        expectArchiveHolds(
          station.db,
          station.dataDir,
          new Map([
            ['DCIM/A0000001.MP4', first],
            ['DCIM/C0000003.MP4', last],
          ]),
        );
        // The bad clip stays on the recorder, and its partial stays staged for a later attempt.
        expect(readdirSync(join(volume.mountpoint, 'DCIM'))).toEqual(['B0000002.MP4']);
        const staged = readdirSync(join(station.dataDir, 'staging', label.toUpperCase()));
        expect(staged.filter((n) => n.endsWith('.partial'))).toHaveLength(1);
      },
    );
  },
);
