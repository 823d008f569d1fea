// The station's side of bad input, with recorders docked for real: the archive disk fills up (a
// small tmpfs data dir), the station is killed with SIGKILL in the middle of a copy from the
// docked volume, and an ingest of a hostile volume is traced (strace) to prove that nothing is
// written anywhere but the data dir, and the recorder's block device is byte for byte unchanged.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../../src-main/ingest';
import {
  damageUnmounted,
  deviceSha256,
  editLongName,
  mountTmpfs,
  releaseDamage,
  sbin,
  sha256,
} from '../support/damaged-recorder';
import { dockingUnavailable, dockRecorder, undockAll, uniqueLabel } from '../support/dock-recorder';
import { video } from '../support/footage';
import {
  archiveFiles,
  catalogued,
  expectArchiveHolds,
  findingsOf,
} from '../support/ingest-outcome';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
  type TestStation,
} from '../support/ingest-station';
import {
  killStationChildren,
  runStationChild,
  straceArgs,
  tracedWrites,
} from '../support/station-child';

const run = promisify(execFile);
const unavailable = dockingUnavailable();
const noStrace = sbin('strace') === 'strace' ? 'needs strace (Debian: strace)' : undefined;
const profile = loadProfile('generic-dcim');
const MiB = 1024 * 1024;

/** The recorder's files as they are now, by path under DCIM. */
function onRecorder(mountpoint: string): Map<string, string> {
  const dir = join(mountpoint, 'DCIM');
  return new Map(readdirSync(dir).map((n) => [`DCIM/${n}`, sha256(readFileSync(join(dir, n)))]));
}

describe.skipIf(unavailable !== undefined)(
  `the station under bad input from docked recorders${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let station: TestStation | undefined;
    let engine: IngestEngine | undefined;

    afterEach(async () => {
      await killStationChildren();
      await engine?.close();
      engine = undefined;
      station?.remove();
      station = undefined;
      await releaseDamage();
      await undockAll();
    });

    it.each([
      ['refused before writing (free space checked per clip)', true],
      ['stopped by a real ENOSPC from the write', false],
    ])(
      'D-NO-TAMPER: a full archive disk, %s: stops with a clear error, nothing half-copied counted, nothing cleared; with room again every clip is verified once',
      async (_how, checkSpace) => {
        const label = uniqueLabel('CAM');
        const files: Record<string, Buffer> = {};
        for (let i = 1; i <= 4; i += 1) files[`DCIM/A000000${i}.MP4`] = randomBytes(7 * MiB);
        files['DCIM/B0000005.MP4'] = randomBytes(16 * MiB);
        const recorder = await dockRecorder({ fs: 'vfat', label, files });
        const before = onRecorder(recorder.mountpoint);
        const disk = await mountTmpfs(40);
        station = testStation(disk.path);
        registerRecorder(station.catalogue, label);
        station.catalogue.write((tx) => {
          tx.settings.set('clearAfterIngest', true);
          // One copy at a time: the four small clips fit, the big one, last, does not.
          tx.settings.set('copyConcurrencyPerDisk', 1);
        });
        engine = await openTestEngine(station, { checkSpace, spaceReserveBytes: MiB });

        const full = await engine.ingest({
          mountpoint: recorder.mountpoint,
          recorderSerial: label,
          profile,
        }).done;

        expect(full.status).toBe('failed');
        expect(full.safeToUndock).toBe(false);
        expect(full.error?.code).toBe('archive-full');
        expect(full.error?.message).toMatch(/^the archive disk is full\b.*nothing is cleared$/);
        expect(findingsOf(full.findings, 'archive-full').get(null)).toBe(full.error?.message);
        expect(full.counts).toMatchObject({ archived: 4, cleared: 0 });
        // What is counted is proven and archived; the clip in flight is neither, nor staged.
        expectArchiveHolds(
          station.db,
          station.dataDir,
          new Map(Object.entries(files).filter(([path]) => !path.includes('B0000005'))),
        );
        const staged = readdirSync(join(station.dataDir, 'staging', label.toUpperCase()));
        expect(staged.filter((n) => n.endsWith('.partial'))).toEqual([]);
        expect(onRecorder(recorder.mountpoint)).toEqual(before);
        expect(station.audit.verify().ok).toBe(true);

        await disk.resize(128);
        const roomy = await engine.ingest({
          mountpoint: recorder.mountpoint,
          recorderSerial: label,
          profile,
        }).done;

        expect(roomy.status).toBe('complete');
        expect(roomy.safeToUndock).toBe(true);
        expectArchiveHolds(station.db, station.dataDir, new Map(Object.entries(files)));
        expect(readdirSync(join(recorder.mountpoint, 'DCIM'))).toEqual([]);
      },
    );

    it('D-NO-TAMPER: the archive disk full at the worst moment (a clip linked into the archive, its sidecar not yet written) leaves nothing uncatalogued behind', async () => {
      const label = uniqueLabel('CAM');
      const files: Record<string, Buffer> = {};
      for (let i = 1; i <= 3; i += 1) files[`DCIM/A000000${i}.MP4`] = randomBytes(2 * MiB + i);
      const recorder = await dockRecorder({ fs: 'vfat', label, files });
      const disk = await mountTmpfs(64);
      station = testStation(disk.path);
      registerRecorder(station.catalogue, label);
      station.catalogue.write((tx) => {
        tx.settings.set('clearAfterIngest', true);
        tx.settings.set('copyConcurrencyPerDisk', 1);
      });
      let filled = false;
      engine = await openTestEngine(station, {
        onPlaceStep: (step, path) => {
          // The second clip is in the archive under its name; the disk fills up right there.
          if (!filled && step === 'linked' && path === 'DCIM/A0000002.MP4') {
            filled = true;
            disk.fillUp();
          }
        },
      });

      const full = await engine.ingest({
        mountpoint: recorder.mountpoint,
        recorderSerial: label,
        profile,
      }).done;

      expect(filled).toBe(true);
      expect(full.status).toBe('failed');
      expect(full.error?.code).toBe('archive-full');
      // The clip being placed when the disk filled is not counted. A later clip whose copy was
      // already proven may still be placed (the room the abandoned one freed); nothing else is.
      expect(full.counts.cleared).toBe(0);
      const first = catalogued(station.db).map((c) => c.originalPath);
      expect(first).toContain('DCIM/A0000001.MP4');
      expect(first).not.toContain('DCIM/A0000002.MP4');
      expect(first.length).toBe(full.counts.archived);
      expect(readdirSync(join(recorder.mountpoint, 'DCIM')).sort()).toEqual(
        Object.keys(files).map((p) => p.slice('DCIM/'.length)),
      );
      // Every archive file is catalogued: the clip being placed gives back its archive name and
      // its space, so no docking later archives it again as `~2` and no restart quarantines it.
      const counted = catalogued(station.db);
      expect
        .soft(archiveFiles(station.dataDir), 'archive files outside the catalogue')
        .toEqual(counted.flatMap((c) => [c.archivePath, `${c.archivePath}.evidock.json`]));

      await disk.resize(128);
      const roomy = await engine.ingest({
        mountpoint: recorder.mountpoint,
        recorderSerial: label,
        profile,
      }).done;

      expect(roomy.status).toBe('complete');
      expect
        .soft(findingsOf(roomy.findings, 'renamed-in-archive'), 'archived under another name')
        .toEqual(new Map());
      await engine.close();
      engine = await openTestEngine(station);
      expect.soft(engine.recovery.quarantined, 'quarantined at the restart').toEqual([]);
      expectArchiveHolds(station.db, station.dataDir, new Map(Object.entries(files)));
    });

    it('SIGKILL of the station mid-copy from a docked FAT recorder: after restarts every clip ends verified exactly once', async () => {
      const label = uniqueLabel('CAM');
      const files: Record<string, Buffer> = {
        'DCIM/A0000001.MP4': readFileSync(await video({ seconds: 2 })),
        'DCIM/B0000002.MP4': readFileSync(await video({ seconds: 1, size: '640x480' })),
      };
      for (let i = 3; i <= 6; i += 1) files[`DCIM/C000000${i}.MP4`] = randomBytes(4 * MiB + i);
      const recorder = await dockRecorder({ fs: 'vfat', label, files });
      const before = onRecorder(recorder.mountpoint);
      station = testStation();
      registerRecorder(station.catalogue, label);
      station.close(); // the child stations own the catalogue now
      const request = {
        dataDir: station.dataDir,
        mountpoint: recorder.mountpoint,
        serial: label,
        chunkSize: 64 * 1024,
      };

      // The first progress report comes after the first chunk: the kill lands mid-copy.
      const first = await runStationChild({ ...request, killAfterProgress: 1 });
      expect(first.killed).toBe(true);
      const kept: number[] = [];
      for (const after of [3, 7]) {
        const again = await runStationChild({ ...request, killAfterProgress: after });
        expect(again.killed).toBe(true);
        kept.push(
          (again.lines.find((l) => 'recovery' in l)!.recovery as { keptForResume: number })
            .keptForResume,
        );
      }
      const last = await runStationChild(request);

      expect(last.killed).toBe(false);
      expect(last.lines.at(-1)).toMatchObject({ result: { status: 'complete' } });
      // The restart after the first kill found the partial it left, and a docking resumed one.
      expect(kept[0]).toBeGreaterThan(0);
      station.reopen();
      const resumed = station.db
        .prepare("SELECT count(*) AS n FROM docking_findings WHERE code = 'resumed'")
        .get() as { n: number };
      expect(resumed.n).toBeGreaterThan(0);
      expectArchiveHolds(station.db, station.dataDir, new Map(Object.entries(files)));
      const perClip = station.db
        .prepare(
          `SELECT subject, count(*) AS n FROM audit_log
           WHERE action IN ('clip.archived', 'clip.recovered') GROUP BY subject`,
        )
        .all() as { n: number }[];
      expect(perClip.map((r) => r.n)).toEqual(Array(6).fill(1));
      const sightings = station.db.prepare('SELECT count(*) AS n FROM clip_sightings').get() as {
        n: number;
      };
      expect(sightings.n).toBe(0);
      expect(readdirSync(join(station.dataDir, 'staging', label.toUpperCase()))).toEqual([]);
      const dockings = station.db.prepare('SELECT status FROM dockings ORDER BY id').all() as {
        status: string;
      }[];
      expect(dockings.map((d) => d.status)).toEqual([
        'interrupted',
        'interrupted',
        'interrupted',
        'complete',
      ]);
      expect(station.audit.verify().ok).toBe(true);
      expect(onRecorder(recorder.mountpoint)).toEqual(before);
    });

    it.skipIf(noStrace !== undefined)(
      `D-NO-LEAK: nothing is written outside the data dir (every call traced), and the recorder is byte for byte unchanged${noStrace ? ` — skipped: ${noStrace}` : ''}`,
      async () => {
        const label = uniqueLabel('CAM');
        const clip = readFileSync(await video({ seconds: 1 }));
        const files: Record<string, Buffer> = {
          'DCIM/100MEDIA/A0000001.MP4': clip,
          'DCIM/100MEDIA/B0000002.MP4': randomBytes(3 * MiB),
          'DCIM/100MEDIA/QXE01ESCAPE.MP4': randomBytes(10_000),
          'DCIM/100MEDIA/QXF02ESCAPE.MP4': randomBytes(10_000),
          'DCIM/100MEDIA/EMPTY003.MP4': Buffer.alloc(0),
        };
        const recorder = await dockRecorder({ fs: 'vfat', label, files });
        await damageUnmounted(recorder, (device) => {
          editLongName(device, 'QXE01', 0, [0x2e, 0x2e, 0x5c, 0x2e, 0x2e]);
          editLongName(device, 'QXF02', 0, [0x5c, 0x2e, 0x2e, 0x5c, 0x0a]);
        });
        // fusefat settles its FAT on the first access after mounting: hash after that.
        readdirSync(recorder.mountpoint);
        const image = deviceSha256(recorder.device);
        station = testStation();
        registerRecorder(station.catalogue, label);
        station.close();
        const traces = mkdtempSync(join(tmpdir(), 'evidock-trace-'));
        try {
          const traced = await runStationChild(
            { dataDir: station.dataDir, mountpoint: recorder.mountpoint, serial: label },
            [sbin('strace'), ...straceArgs(join(traces, 'call'))],
          );
          expect(traced.lines.at(-1)).toMatchObject({ result: { status: 'complete' } });

          const dataDir = resolve(station.dataDir);
          const writes = tracedWrites(traces, 'call');
          // The trace saw the station at work: the catalogue, the archive, staging.
          expect(writes.length).toBeGreaterThan(20);
          const outside = writes.filter((call) =>
            call.paths.some((p) => {
              const path = p.toString('latin1');
              return !(path === dataDir || path.startsWith(dataDir + sep));
            }),
          );
          expect(
            outside.map(
              (c) => `${c.syscall}(${c.paths.map((p) => JSON.stringify(`${p}`)).join(', ')})`,
            ),
          ).toEqual([]);
        } finally {
          rmSync(traces, { recursive: true, force: true });
        }
        station.reopen();
        expectArchiveHolds(
          station.db,
          station.dataDir,
          new Map([
            ['DCIM/100MEDIA/A0000001.MP4', clip],
            ['DCIM/100MEDIA/B0000002.MP4', files['DCIM/100MEDIA/B0000002.MP4']!],
          ]),
        );
        expect(archiveFiles(station.dataDir).some((p) => p.includes('ESCAPE'))).toBe(false);
        // Read, never written: the FAT, its directories and every cluster are as they were.
        await run(sbin('sync'), ['-f', recorder.mountpoint]);
        expect(deviceSha256(recorder.device)).toBe(image);
      },
    );
  },
);
