// Ingest from recorders docked for real: zram block devices with FAT (fusefat) and ext4 under
// /media, real ffmpeg footage, real worker threads, the real media facts and thumbnails.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../../src-main/ingest';
import { makeThumbnail, readMediaFacts } from '../../src-main/ingest/media';
import { dockingUnavailable, dockRecorder, undockAll, uniqueLabel } from '../support/dock-recorder';
import { photo, video } from '../support/footage';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
  type TestStation,
} from '../support/ingest-station';

const run = promisify(execFile);
const unavailable = dockingUnavailable();
const profile = loadProfile('generic-dcim');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.skipIf(unavailable !== undefined)(
  `ingest from docked block devices${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let station: TestStation;
    let engine: IngestEngine | undefined;

    beforeEach(() => {
      station = testStation();
    });
    afterEach(async () => {
      await engine?.close();
      engine = undefined;
      await undockAll();
      station.remove();
    });

    it('FAT recorder with real footage: verified, times from the container, thumbnails', async () => {
      const clip = readFileSync(await video({ seconds: 2, creationTime: '2026-11-22T05:00:00Z' }));
      const still = readFileSync(await photo());
      const label = uniqueLabel('CAM');
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: { 'DCIM/100MEDIA/VID0001.MP4': clip, 'DCIM/100MEDIA/IMG0002.JPG': still },
      });
      registerRecorder(station.catalogue, label);
      engine = await openTestEngine(station, { readMediaFacts, makeThumbnail });
      const result = await engine.ingest({
        mountpoint: recorder.mountpoint,
        recorderSerial: label,
        profile,
      }).done;

      expect(result.status).toBe('complete');
      expect(result.safeToUndock).toBe(true);
      const byName = new Map(result.clips.map((c) => [c.originalPath.split('/').pop(), c.clip]));
      const mp4 = byName.get('VID0001.MP4')!;
      expect(mp4.sha256).toBe(sha256(clip));
      expect(mp4).toMatchObject({
        recordedStart: '2026-11-22T05:00:00.000Z',
        recordedStartSource: 'container',
        width: 320,
        height: 240,
      });
      expect(mp4.durationMs).toBeGreaterThan(1500);
      expect(mp4.archivePath).toMatch(new RegExp(`^archive/2026/11/22/${label}/VID0001\\.MP4$`));
      expect(byName.get('IMG0002.JPG')!.sha256).toBe(sha256(still));
      const sidecar = JSON.parse(
        readFileSync(join(station.dataDir, mp4.archivePath + '.evidock.json'), 'utf8'),
      );
      expect(sidecar.readBack.method).toBe('direct');

      await engine.thumbnailsSettled();
      const thumbs = station.db
        .prepare('SELECT thumbnail_path FROM clips WHERE thumbnail_path IS NOT NULL')
        .all();
      expect(thumbs).toHaveLength(2);
    });

    it('ext4 recorder pulled out mid-copy: interrupted, then resumed when docked again', async () => {
      const big = randomBytes(96 * 1024 * 1024);
      const label = uniqueLabel('CAM');
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        sizeMiB: 160,
        files: { 'DCIM/BIG.MP4': big, 'DCIM/SMALL.MP4': randomBytes(1000) },
      });
      registerRecorder(station.catalogue, label);
      let pulled: Promise<unknown> | null = null;
      engine = await openTestEngine(station, {
        chunkSize: 64 * 1024,
        onCopyProgress: (path, phase, bytes) => {
          if (path === 'DCIM/BIG.MP4' && phase === 'copying' && bytes > 0 && pulled === null) {
            // Lazily: the open file stays readable, as after a yank the kernel has not noticed.
            pulled = run('umount', ['-l', recorder.mountpoint]);
          }
        },
      });
      const cut = await engine.ingest({
        mountpoint: recorder.mountpoint,
        recorderSerial: label,
        profile,
      }).done;
      await pulled;
      expect(cut.status).toBe('interrupted');
      expect(cut.error?.code).toBe('volume-gone');

      await run('mount', ['-t', 'ext4', recorder.device, recorder.mountpoint]);
      const again = await engine.ingest({
        mountpoint: recorder.mountpoint,
        recorderSerial: label,
        profile,
      }).done;
      expect(again.status).toBe('complete');
      const bigClip = again.clips.find((c) => c.originalPath === 'DCIM/BIG.MP4')!.clip;
      expect(bigClip.sha256).toBe(sha256(big));
      expect(again.findings.map((f) => f.code)).toContain('resumed');
      const rows = station.db.prepare('SELECT count(*) AS n FROM clips').get() as { n: number };
      expect(rows.n).toBe(2);
    });
  },
);
