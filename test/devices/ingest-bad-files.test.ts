// What else a recorder's volume can hold besides clips, docked for real (zram; ext4 made with
// links, device nodes, FIFOs and sockets, bind-mounted into itself; FAT with a cross-linked
// folder, empty files): every such entry is a finding naming it, nothing behind a link or a
// device node is ever read, no folder is walked forever, and every real clip is verified once.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEngine, IngestResult } from '../../src-main/ingest';
import {
  bindInto,
  damageUnmounted,
  editBytes,
  mountTmpfs,
  releaseDamage,
  sbin,
  sha256,
} from '../support/damaged-recorder';
import {
  dockingUnavailable,
  dockRecorder,
  undockAll,
  uniqueLabel,
  type DockedRecorder,
} from '../support/dock-recorder';
import { video } from '../support/footage';
import { catalogued, expectArchiveHolds, findingsOf } from '../support/ingest-outcome';
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
const FOLDER = 'DCIM/100MEDIA';

describe.skipIf(unavailable !== undefined)(
  `links, device files, loops, empty and many files on docked recorders${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let station: TestStation | undefined;
    let engine: IngestEngine | undefined;
    let server: Server | undefined;

    beforeEach(() => {
      station = undefined;
    });
    afterEach(async () => {
      await engine?.close();
      engine = undefined;
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      server = undefined;
      station?.remove();
      await releaseDamage();
      await undockAll();
    });

    async function ingest(
      recorder: DockedRecorder,
      label: string,
      dataDir?: string,
    ): Promise<IngestResult> {
      station = testStation(dataDir);
      registerRecorder(station.catalogue, label);
      engine = await openTestEngine(station);
      return engine.ingest({ mountpoint: recorder.mountpoint, recorderSerial: label, profile })
        .done;
    }

    it('D-NO-LEAK: symbolic links (to /etc/passwd, within the volume, dangling) are never followed; the clip they point at is archived once', async () => {
      const label = uniqueLabel('CAM');
      const real = readFileSync(await video({ seconds: 1 }));
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: { [`${FOLDER}/REAL0001.MP4`]: real },
      });
      const at = (name: string) => join(recorder.mountpoint, FOLDER, name);
      symlinkSync('/etc/passwd', at('PASSWD.MP4'));
      symlinkSync('REAL0001.MP4', at('ALIAS.MP4'));
      symlinkSync(join(recorder.mountpoint, FOLDER, 'REAL0001.MP4'), at('ABSOLUTE.MP4'));
      symlinkSync('NOWHERE.MP4', at('DANGLING.MP4'));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const links = findingsOf(result.findings, 'symlink');
      expect([...links.keys()].sort()).toEqual(
        ['ABSOLUTE.MP4', 'ALIAS.MP4', 'DANGLING.MP4', 'PASSWD.MP4'].map((n) => `${FOLDER}/${n}`),
      );
      expect(links.get(`${FOLDER}/PASSWD.MP4`)).toBe('a symbolic link; links are never followed');
      expectArchiveHolds(
        station!.db,
        station!.dataDir,
        new Map([[`${FOLDER}/REAL0001.MP4`, real]]),
      );
      // Nothing of the station's own files reached the catalogue, not even as a sighting.
      const passwd = sha256(readFileSync('/etc/passwd'));
      expect(catalogued(station!.db).some((c) => c.sha256 === passwd)).toBe(false);
      expect(result.counts.sighted).toBe(0);
      expect(readlinkSync(at('PASSWD.MP4'))).toBe('/etc/passwd');
    });

    it('D-NO-LEAK: a media folder that is a link to the station’s /etc is not entered', async () => {
      const label = uniqueLabel('CAM');
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: { 'MISC/README.TXT': 'not a recorder file' },
      });
      symlinkSync('/etc', join(recorder.mountpoint, 'DCIM'));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      expect(findingsOf(result.findings, 'symlink')).toEqual(
        new Map([['DCIM', 'the media folder is a symbolic link; not followed']]),
      );
      expect(result.findings.map((f) => f.code)).toContain('media-folder-missing');
      expect(result.counts.onVolume).toBe(0);
      expect(catalogued(station!.db)).toEqual([]);
    });

    it('D-NO-LEAK: device files (/dev/zero, /dev/urandom, the station’s own disk), a FIFO and a socket named like clips are never opened', async () => {
      const label = uniqueLabel('CAM');
      const real = randomBytes(300_000);
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: { [`${FOLDER}/REAL0001.MP4`]: real },
      });
      const at = (name: string) => join(recorder.mountpoint, FOLDER, name);
      // The station's system disk: what holds the root file system.
      const root = statSync('/');
      const disk = `${Math.floor(root.dev / 256)} ${root.dev % 256}`;
      await run(sbin('mknod'), [at('ZERO.MP4'), 'c', '1', '5']);
      await run(sbin('mknod'), [at('RANDOM.MP4'), 'c', '1', '9']);
      await run(sbin('mknod'), [at('DISK.MP4'), 'b', ...disk.split(' ')]);
      // A FIFO: opening it to read would wait for a writer that never comes.
      await run(sbin('mkfifo'), [at('PIPE.MP4')]);
      server = createServer();
      await new Promise<void>((resolve) => server!.listen(at('SOCKET.MP4'), resolve));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      expect(findingsOf(result.findings, 'special-file')).toEqual(
        new Map([
          [`${FOLDER}/DISK.MP4`, 'a block device; only regular files are read'],
          [`${FOLDER}/PIPE.MP4`, 'a FIFO; only regular files are read'],
          [`${FOLDER}/RANDOM.MP4`, 'a character device; only regular files are read'],
          [`${FOLDER}/SOCKET.MP4`, 'a socket; only regular files are read'],
          [`${FOLDER}/ZERO.MP4`, 'a character device; only regular files are read'],
        ]),
      );
      expectArchiveHolds(
        station!.db,
        station!.dataDir,
        new Map([[`${FOLDER}/REAL0001.MP4`, real]]),
      );
      expect(lstatSync(at('PIPE.MP4')).isFIFO()).toBe(true);
    });

    it('folder loops on ext4 (links to a parent and to /, a folder bind-mounted into its own child) are entered once; each clip archived once', async () => {
      const label = uniqueLabel('CAM');
      const a = randomBytes(200_000);
      const b = randomBytes(200_000);
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: { [`${FOLDER}/A0000001.MP4`]: a, [`${FOLDER}/SUB/B0000002.MP4`]: b },
      });
      const at = (name: string) => join(recorder.mountpoint, FOLDER, name);
      symlinkSync('..', at('UP'));
      symlinkSync('/', at('SUB/ROOT'));
      mkdirSync(at('SUB/LOOP'));
      await bindInto(join(recorder.mountpoint, 'DCIM'), at('SUB/LOOP'));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      expect(findingsOf(result.findings, 'folder-loop')).toEqual(
        new Map([
          [
            `${FOLDER}/SUB/LOOP`,
            'this folder was already walked (a bind mount or filesystem loop); not entered again',
          ],
        ]),
      );
      expect([...findingsOf(result.findings, 'symlink').keys()].sort()).toEqual([
        `${FOLDER}/SUB/ROOT`,
        `${FOLDER}/UP`,
      ]);
      expectArchiveHolds(
        station!.db,
        station!.dataDir,
        new Map([
          [`${FOLDER}/A0000001.MP4`, a],
          [`${FOLDER}/SUB/B0000002.MP4`, b],
        ]),
      );
      expect(result.counts.sighted).toBe(0);
    });

    it('a FAT folder cross-linked into itself (a loop no inode number shows) is walked to the depth limit and reported; each clip stored once', async () => {
      const label = uniqueLabel('CAM');
      const a = randomBytes(20_000);
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: { [`${FOLDER}/A0000001.MP4`]: a, [`${FOLDER}/SUB/.keep`]: '' },
      });
      // SUB's directory entry gets 100MEDIA's first cluster: SUB *is* 100MEDIA, again and again.
      await damageUnmounted(recorder, (device) => {
        let media = 0;
        editBytes(device, Buffer.from('100MEDIA   ', 'latin1'), (bytes, offset) => {
          media = bytes.readUInt16LE(offset + 26);
        });
        editBytes(device, Buffer.from('SUB        ', 'latin1'), (bytes, offset) => {
          bytes.writeUInt16LE(media, offset + 26);
        });
      });

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      // fusefat numbers folders as it meets them, so each level looks new: the depth bound stops it.
      const deepest = `${FOLDER}${'/SUB'.repeat(16)}`;
      expect(findingsOf(result.findings, 'too-deep')).toEqual(
        new Map([[deepest, 'folders nested deeper than 16 levels are not walked']]),
      );
      // One of the sixteen sights of the file is archived (whichever copy was proven first)...
      const clips = catalogued(station!.db);
      expect(clips).toHaveLength(1);
      expect(clips[0]!.originalPath).toMatch(/^DCIM\/100MEDIA(\/SUB){0,15}\/A0000001\.MP4$/);
      expectArchiveHolds(station!.db, station!.dataDir, new Map([[clips[0]!.originalPath, a]]));
      // ...and every other one is a sighting of it: reported, never stored twice.
      expect(result.counts.sighted).toBe(15);
      expect(findingsOf(result.findings, 'duplicate').size).toBe(15);
    });

    it('zero-byte files are reported by name and left on the recorder, even with clearing on', async () => {
      const label = uniqueLabel('CAM');
      const real = randomBytes(100_000);
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: {
          [`${FOLDER}/REAL0001.MP4`]: real,
          [`${FOLDER}/EMPTY002.MP4`]: '',
          [`${FOLDER}/EMPTY003.JPG`]: '',
        },
      });
      station = testStation();
      station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));
      registerRecorder(station.catalogue, label);
      engine = await openTestEngine(station);

      const result = await engine.ingest({
        mountpoint: recorder.mountpoint,
        recorderSerial: label,
        profile,
      }).done;

      expect(result.status).toBe('complete');
      expect(findingsOf(result.findings, 'empty-file')).toEqual(
        new Map([
          [`${FOLDER}/EMPTY002.MP4`, 'the file is empty (0 bytes); nothing to ingest'],
          [`${FOLDER}/EMPTY003.JPG`, 'the file is empty (0 bytes); nothing to ingest'],
        ]),
      );
      expectArchiveHolds(station.db, station.dataDir, new Map([[`${FOLDER}/REAL0001.MP4`, real]]));
      expect(result.counts.cleared).toBe(1);
      for (const name of ['EMPTY002.MP4', 'EMPTY003.JPG']) {
        expect(statSync(join(recorder.mountpoint, FOLDER, name)).size).toBe(0);
      }
    });

    it('20,000 files: every one ends verified exactly once, the archive holds exactly their bytes', async () => {
      const label = uniqueLabel('CAM');
      const files: Record<string, Buffer> = {};
      for (let i = 0; i < 20_000; i += 1) {
        const folder = 100 + Math.floor(i / 1000);
        files[`DCIM/${folder}MEDIA/C${String(i).padStart(7, '0')}.MP4`] = randomBytes(64);
      }
      const recorder = await dockRecorder({ fs: 'ext4', label, sizeMiB: 256, files });
      // The archive on a tmpfs: this is about counting, not about the speed of a disk's flush.
      const disk = await mountTmpfs(1024);

      const result = await ingest(recorder, label, disk.path);

      expect(result.status).toBe('complete');
      expect(result.counts).toMatchObject({ onVolume: 20_000, planned: 20_000, archived: 20_000 });
      expect(result.findings).toEqual([]);
      expectArchiveHolds(station!.db, station!.dataDir, new Map(Object.entries(files)));
      const audited = station!.db
        .prepare(
          "SELECT count(*) AS n, count(DISTINCT subject) AS clips FROM audit_log WHERE action = 'clip.archived'",
        )
        .get() as { n: number; clips: number };
      expect(audited).toEqual({ n: 20_000, clips: 20_000 });
    }, 300_000);
  },
);
