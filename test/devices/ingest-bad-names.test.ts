// Names no recorder should write, on recorders docked for real (zram; ext4 written through the
// mount with raw byte names, FAT damaged byte by byte in its directory entries and read through
// fusefat): each refused name is a finding that names the file as it is, shown escaped; the file
// is never read, never copied, never deleted, and nothing lands outside the archive. Every other
// clip on the recorder is verified.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEngine, IngestResult } from '../../src-main/ingest';
import { makeThumbnail, readMediaFacts } from '../../src-main/ingest/media';
import {
  damageUnmounted,
  editLongName,
  editShortName,
  releaseDamage,
  renameExt4Entry,
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
import { tempDir } from '../support/temp';

const run = promisify(execFile);
const unavailable = dockingUnavailable();
const profile = loadProfile('generic-dcim');
const FOLDER = 'DCIM/100MEDIA';
const GOOD = `${FOLDER}/GOOD0001.MP4`;

interface Hostile {
  /** The name's bytes on the volume. */
  raw: Buffer;
  /** Where it is, as a Buffer path (names that are not UTF-8 survive as they are). */
  path: Buffer;
  bytes: Buffer;
  atimeNs: bigint;
}

/** The finding path the station shows: invalid bytes as \xNN, controls as \uNNNN, `\` doubled. */
function shown(display: string): string {
  return `${FOLDER}/${display}`;
}

describe.skipIf(unavailable !== undefined)(
  `bad names on docked recorders${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let station: TestStation;
    let engine: IngestEngine | undefined;

    beforeEach(() => {
      station = testStation();
    });
    afterEach(async () => {
      await engine?.close();
      engine = undefined;
      await releaseDamage();
      await undockAll();
      station.remove();
    });

    async function ingest(
      recorder: DockedRecorder,
      label: string,
      media = false,
    ): Promise<IngestResult> {
      registerRecorder(station.catalogue, label);
      engine ??= await openTestEngine(station, media ? { readMediaFacts, makeThumbnail } : {});
      return engine.ingest({ mountpoint: recorder.mountpoint, recorderSerial: label, profile })
        .done;
    }

    /**
     * An ext4 recorder with one good clip and files of the given names written through the mount,
     * byte for byte. Mounted strictatime: any read of a file shows in its access time.
     */
    async function ext4With(names: Buffer[]) {
      const label = uniqueLabel('CAM');
      const good = randomBytes(200_000);
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: { [GOOD]: good },
        mountOptions: ['strictatime'],
      });
      const hostile = names.map((raw): Hostile => {
        const path = Buffer.concat([Buffer.from(join(recorder.mountpoint, FOLDER) + sep), raw]);
        const bytes = randomBytes(50_000);
        writeFileSync(path, bytes);
        return { raw, path, bytes, atimeNs: statSync(path, { bigint: true }).atimeNs };
      });
      return { label, recorder, good, hostile };
    }

    /** Still on the recorder, never read (access time unchanged), bytes unchanged. */
    function expectUntouched(files: readonly Hostile[]): void {
      for (const file of files) {
        const what = file.raw.toString('latin1');
        expect(statSync(file.path, { bigint: true }).atimeNs, `${what} was read`).toBe(
          file.atimeNs,
        );
        expect(sha256(readFileSync(file.path)), what).toBe(sha256(file.bytes));
      }
    }

    /** No file whose name holds `fragment` appeared where an escaping name could have put it. */
    function expectNowhere(fragment: string, places: string[]): void {
      const hits = (dir: string, deep: boolean): string[] =>
        existsSync(dir)
          ? readdirSync(dir, { withFileTypes: true, recursive: deep })
              .filter((e) => e.name.includes(fragment))
              .map((e) => join(e.parentPath, e.name))
          : [];
      for (const place of places) {
        expect(hits(place, place === station.dataDir), place).toEqual([]);
      }
    }

    it('D-NO-LEAK: names that climb out with .. (backslash steps, a leading ..) are refused unread; nothing lands outside the archive', async () => {
      const names = [
        '..\\..\\..\\ESCAPE1.MP4',
        'X\\..\\..\\ESCAPE2.MP4',
        '..ESCAPE3.MP4',
        '..\\ESCAPE4.MP4',
      ];
      const { label, recorder, good, hostile } = await ext4With(names.map((n) => Buffer.from(n)));
      station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const refused = findingsOf(result.findings, 'unsafe-name');
      expect([...refused.keys()].sort()).toEqual(
        names.map((n) => shown(n.replaceAll('\\', '\\\\'))).sort(),
      );
      expect(refused.get(shown('..\\\\..\\\\..\\\\ESCAPE1.MP4'))).toBe(
        'the name contains a path separator; this file was not read',
      );
      expect(refused.get(shown('..ESCAPE3.MP4'))).toBe(
        'the name begins with .., a parent-folder step; this file was not read',
      );
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
      // Clearing took the good clip only: the refused files stay on the recorder as they were.
      expect(result.counts.cleared).toBe(1);
      expectUntouched(hostile);
      expectNowhere('ESCAPE', [
        station.dataDir,
        dirname(station.dataDir),
        recorder.mountpoint,
        join(recorder.mountpoint, 'DCIM'),
      ]);
    });

    it('D-NO-LEAK: absolute paths (drive letters, rooted and UNC names) are refused unread', async () => {
      const names = [
        'C:ESCAPE1.MP4',
        'C:\\Windows\\ESCAPE2.MP4',
        '\\\\server\\share\\ESCAPE3.MP4',
        '\\ESCAPE4.MP4',
      ];
      const { label, recorder, good, hostile } = await ext4With(names.map((n) => Buffer.from(n)));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const refused = findingsOf(result.findings, 'unsafe-name');
      expect([...refused.keys()].sort()).toEqual(
        names.map((n) => shown(n.replaceAll('\\', '\\\\'))).sort(),
      );
      expect(refused.get(shown('C:ESCAPE1.MP4'))).toBe(
        'the name looks like an absolute Windows path; this file was not read',
      );
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
      expectUntouched(hostile);
      expectNowhere('ESCAPE', [station.dataDir, dirname(station.dataDir), recorder.mountpoint]);
    });

    it('control characters (\\x01, newline, ESC, DEL, C1) and bidirectional overrides are refused and shown escaped', async () => {
      const names: [string, string][] = [
        ['CTL\u0001.MP4', 'CTL\\u0001.MP4'],
        ['NEW\nLINE.MP4', 'NEW\\u000aLINE.MP4'],
        ['ESC\u001b[31mRED.MP4', 'ESC\\u001b[31mRED.MP4'],
        ['DEL\u007f.MP4', 'DEL\\u007f.MP4'],
        ['C1\u0085.MP4', 'C1\\u0085.MP4'],
        ['CLIP\u202e4PM.EXE.MP4', 'CLIP\\u202e4PM.EXE.MP4'],
      ];
      const { label, recorder, good, hostile } = await ext4With(
        names.map(([n]) => Buffer.from(n, 'utf8')),
      );

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const refused = findingsOf(result.findings, 'unsafe-name');
      expect([...refused.keys()].sort()).toEqual(names.map(([, d]) => shown(d)).sort());
      expect(refused.get(shown('NEW\\u000aLINE.MP4'))).toBe(
        'the name contains control characters; this file was not read',
      );
      expect(refused.get(shown('CLIP\\u202e4PM.EXE.MP4'))).toBe(
        'the name contains bidirectional override characters; this file was not read',
      );
      for (const item of result.findings) {
        // eslint-disable-next-line no-control-regex -- what the officer reads must carry none
        expect(`${item.path} ${item.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/u);
      }
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
      expectUntouched(hostile);
    });

    it('invalid UTF-8 names (stray bytes, an overlong /, a lone surrogate, GBK) are refused with their bytes, untouched', async () => {
      const names: [Buffer, string][] = [
        [Buffer.from('BAD\xff\xfe.MP4', 'latin1'), 'BAD\\xff\\xfe.MP4'],
        [Buffer.from('UP\xc0\xaeX.MP4', 'latin1'), 'UP\\xc0\\xaeX.MP4'],
        [Buffer.from('SLASH\xc0\xafX.MP4', 'latin1'), 'SLASH\\xc0\\xafX.MP4'],
        [Buffer.from('HALF\xed\xa0\x80.MP4', 'latin1'), 'HALF\\xed\\xa0\\x80.MP4'],
        // 执法 in GBK, as a recorder set to a Chinese code page writes it. D6 B4 happens to be
        // valid UTF-8 (U+05B4) and is shown as such; only the bytes that are not are escaped.
        [Buffer.from('\xd6\xb4\xb7\xa8.MP4', 'latin1'), '\u05b4\\xb7\\xa8.MP4'],
      ];
      const { label, recorder, good, hostile } = await ext4With(names.map(([raw]) => raw));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const refused = result.findings.filter((f) => f.code === 'invalid-utf8-name');
      expect(refused.map((f) => f.path).sort()).toEqual(names.map(([, d]) => shown(d)).sort());
      for (const [raw, display] of names) {
        const item = refused.find((f) => f.path === shown(display))!;
        expect(item.message).toBe('the name is not valid UTF-8; this file was not read');
        // The exact bytes are kept, to find the file again with any tool.
        expect(item.details).toEqual({ bytes: [...raw] });
      }
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
      expectUntouched(hostile);
    });

    it('leading dashes and long names are archived as they are; ffprobe and ffmpeg read them as files, not options', async () => {
      const clip = readFileSync(await video({ seconds: 1, creationTime: '2026-11-22T05:00:00Z' }));
      const label = uniqueLabel('CAM');
      // The longest name the archive can keep with its sidecar, and the longest ext4 allows.
      const longest = `${'L'.repeat(231)}.MP4`;
      const tooLong = `${'T'.repeat(251)}.MP4`;
      const names = ['-rf.MP4', '--help.MP4', '-i.MP4', longest];
      const recorder = await dockRecorder({
        fs: 'ext4',
        label,
        files: Object.fromEntries(
          [...names, tooLong].map((name, i) => [
            `${FOLDER}/${name}`,
            Buffer.concat([clip, Buffer.from([i])]),
          ]),
        ),
      });

      const result = await ingest(recorder, label, true);

      expect(result.status).toBe('complete');
      expect(result.error).toBeNull();
      const expected = new Map(
        names.map((name, i) => [`${FOLDER}/${name}`, Buffer.concat([clip, Buffer.from([i])])]),
      );
      const clips = expectArchiveHolds(station.db, station.dataDir, expected);
      for (const row of clips) {
        expect(row.archivePath.endsWith(`/${row.originalPath.split('/').pop()}`)).toBe(true);
      }
      for (const item of result.clips) {
        // The container was read: ffprobe saw the file, not an option named like it.
        expect(item.clip.recordedStartSource, item.originalPath).toBe('container');
        expect(item.clip.recordedStart).toBe('2026-11-22T05:00:00.000Z');
      }
      await engine!.thumbnailsSettled();
      const thumbnails = station.db
        .prepare('SELECT count(*) AS n FROM clips WHERE thumbnail_path IS NOT NULL')
        .get() as { n: number };
      expect(thumbnails.n).toBe(names.length);
      // Too long to archive beside its sidecar: refused by name, left on the recorder.
      expect(findingsOf(result.findings, 'unsafe-name').get(`${FOLDER}/${tooLong}`)).toMatch(
        /^the name is longer than 235 bytes, too long to archive with its sidecar; this file was not read$/,
      );
      expect(existsSync(join(recorder.mountpoint, FOLDER, tooLong))).toBe(true);
    });

    it('FAT long names damaged in the directory entry (a control character, backslash steps) are refused; the rest is archived', async () => {
      const label = uniqueLabel('CAM');
      const good = randomBytes(100_000);
      const files: Record<string, Buffer> = {
        [GOOD]: good,
        [`${FOLDER}/QXA01_CONTROL.MP4`]: randomBytes(30_000),
        [`${FOLDER}/QXB02ESCAPE.MP4`]: randomBytes(30_000),
      };
      const recorder = await dockRecorder({ fs: 'vfat', label, files });
      await damageUnmounted(recorder, (device) => {
        editLongName(device, 'QXA01', 2, [0x0001]);
        // `..\..` over the first five characters: the name now reads `..\..ESCAPE.MP4`.
        editLongName(device, 'QXB02', 0, [0x2e, 0x2e, 0x5c, 0x2e, 0x2e]);
      });
      station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const refused = findingsOf(result.findings, 'unsafe-name');
      expect(refused).toEqual(
        new Map([
          [
            shown('QX\\u000101_CONTROL.MP4'),
            'the name contains control characters; this file was not read',
          ],
          [
            shown('..\\\\..ESCAPE.MP4'),
            'the name contains a path separator; this file was not read',
          ],
        ]),
      );
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
      const left = readdirSync(join(recorder.mountpoint, FOLDER)).sort();
      expect(left).toEqual(['..\\..ESCAPE.MP4', 'QX\u000101_CONTROL.MP4']);
      expectNowhere('ESCAPE', [station.dataDir, dirname(station.dataDir), recorder.mountpoint]);
    });

    it('FAT short names in GBK (a recorder set to a Chinese code page) are invalid UTF-8: refused with their bytes, left on the card', async () => {
      const label = uniqueLabel('CAM');
      const good = randomBytes(100_000);
      const odd = randomBytes(30_000);
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: { [GOOD]: good, [`${FOLDER}/QXC03.MP4`]: odd },
      });
      // The 8.3 entry `QXC03   MP4` becomes `QX` + 执法 in GBK.
      await damageUnmounted(recorder, (device) =>
        editShortName(device, 'QXC03   MP4', 2, [0xd6, 0xb4, 0xb7, 0xa8]),
      );
      station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const raw = Buffer.from('QX\xd6\xb4\xb7\xa8.MP4', 'latin1');
      // fusefat lists the name but cannot look it up again: the finding says so ("entry").
      expect(result.findings.filter((f) => f.code === 'invalid-utf8-name')).toEqual([
        expect.objectContaining({
          path: shown('QX\u05b4\\xb7\\xa8.MP4'),
          message: 'the name is not valid UTF-8; this entry was not read',
          details: { bytes: [...raw] },
        }),
      ]);
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
      expect(result.counts.cleared).toBe(1);
      const left = readdirSync(join(recorder.mountpoint, FOLDER), { encoding: 'buffer' });
      expect(left).toEqual([raw]);
      // Its clusters still hold its bytes.
      expect(readFileSync(recorder.device).includes(odd)).toBe(true);
    });

    it('a FAT long name of 200 Chinese characters (600 bytes in UTF-8, more than Linux allows) is reported, not lost in silence', async () => {
      const label = uniqueLabel('CAM');
      const good = randomBytes(100_000);
      const recorder = await dockRecorder({ fs: 'vfat', label, files: { [GOOD]: good } });
      const long = `${'执'.repeat(200)}.MP4`;
      const scratch = tempDir('evidock-long-name-');
      const source = join(scratch.path, 'long.bin');
      writeFileSync(source, randomBytes(30_000));
      await recorder.unmount();
      await run(sbin('mcopy'), ['-i', recorder.device, source, `::/${FOLDER}/${long}`], {
        env: { ...process.env, MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C.UTF-8' },
      });
      scratch.remove();
      await damageUnmounted(recorder, () => undefined);

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      // fusefat cuts the name to 255 bytes (85 characters, no extension left) and cannot find
      // the file by that name again: the station reports the name, never an unexplained gap.
      const refused = result.findings.filter((f) => f.code === 'unsafe-name');
      expect(refused).toHaveLength(1);
      expect(refused[0]!.path).toBe(shown('执'.repeat(85)));
      expect(refused[0]!.message).toBe(
        'the name is longer than 235 bytes, too long to archive with its sidecar; this entry was not read',
      );
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
    });

    it('corrupt ext4 entries: a name with / makes the kernel refuse its folder (EIO), reported by folder; a second .. entry hides a file, left intact', async () => {
      const label = uniqueLabel('CAM');
      const good = randomBytes(100_000);
      const files: Record<string, Buffer> = {
        [GOOD]: good,
        'DCIM/101MEDIA/QXSLASH1.MP4': randomBytes(20_000),
        'DCIM/101MEDIA/STUCK001.MP4': randomBytes(20_000),
        'DCIM/102MEDIA/QXDOTDOT.MP4': randomBytes(20_000),
        'DCIM/102MEDIA/SEEN0001.MP4': randomBytes(20_000),
      };
      const recorder = await dockRecorder({ fs: 'ext4', label, files });
      const hiddenInode = lstatSync(join(recorder.mountpoint, 'DCIM/102MEDIA/QXDOTDOT.MP4')).ino;
      await damageUnmounted(recorder, async (device) => {
        await renameExt4Entry(device, 'QXSLASH1.MP4', Buffer.from('QX/LASH1.MP4'));
        await renameExt4Entry(device, 'QXDOTDOT.MP4', Buffer.from('..'));
      });
      station.catalogue.write((tx) => tx.settings.set('clearAfterIngest', true));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      expect(findingsOf(result.findings, 'unreadable-folder')).toEqual(
        new Map([
          [
            'DCIM/101MEDIA',
            'the folder could not be read: EIO: i/o error, scandir ' +
              `'${join(recorder.mountpoint, 'DCIM/101MEDIA')}'`,
          ],
        ]),
      );
      expectArchiveHolds(
        station.db,
        station.dataDir,
        new Map([
          [GOOD, good],
          ['DCIM/102MEDIA/SEEN0001.MP4', files['DCIM/102MEDIA/SEEN0001.MP4']!],
        ]),
      );
      // The file behind the second `..` cannot be reached by any path (the kernel resolves `..`
      // itself) and Node's directory listing drops every `..`: no finding can name it, but it
      // is neither read nor deleted — its inode still holds its bytes.
      const { stdout } = await run(
        sbin('debugfs'),
        ['-R', `cat <${hiddenInode}>`, recorder.device],
        {
          encoding: 'buffer',
          maxBuffer: 1 << 20,
        },
      );
      expect(sha256(stdout)).toBe(sha256(files['DCIM/102MEDIA/QXDOTDOT.MP4']!));
      // The unreadable folder's clips are still on the recorder, not cleared.
      expect(catalogued(station.db).some((c) => c.originalPath.startsWith('DCIM/101MEDIA'))).toBe(
        false,
      );
    });

    it('D-NO-TAMPER: a FAT folder the kernel refuses (a long name with /) is reported, and the docking is not "safe to undock"', async () => {
      const label = uniqueLabel('CAM');
      const good = randomBytes(100_000);
      const recorder = await dockRecorder({
        fs: 'vfat',
        label,
        files: {
          [GOOD]: good,
          'DCIM/101MEDIA/QXD04_SLASH.MP4': randomBytes(20_000),
          'DCIM/101MEDIA/STUCK001.MP4': randomBytes(20_000),
        },
      });
      await damageUnmounted(recorder, (device) => editLongName(device, 'QXD04', 2, [0x2f]));

      const result = await ingest(recorder, label);

      expect(result.status).toBe('complete');
      const unread = findingsOf(result.findings, 'unreadable-folder');
      expect([...unread.keys()]).toEqual(['DCIM/101MEDIA']);
      expect(unread.get('DCIM/101MEDIA')).toMatch(/^the folder could not be read: EIO/);
      expectArchiveHolds(station.db, station.dataDir, new Map([[GOOD, good]]));
      // Two clips the station never saw are still on the recorder: it must not tell the officer
      // that every clip is proven.
      expect(result.safeToUndock).toBe(false);
    });
  },
);
