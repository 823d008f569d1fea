// The walk of a docked volume: only media folders, links never followed, special files never
// opened, loops entered once, names checked byte by byte; each refusal a finding, never silent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planIngest } from '../../src-main/ingest/plan';
import { walkVolume } from '../../src-main/ingest/walk';
import { memoryCatalogue } from '../support/core-station';
import { loadProfile, testVolume, type TestVolume } from '../support/ingest-station';

const profile = loadProfile('generic-dcim');
const isRoot = process.getuid?.() === 0;

let volume: TestVolume;
beforeEach(() => {
  volume = testVolume();
});
afterEach(() => volume.remove());

function codes(findings: { code: string; path: string | null }[]): [string, string | null][] {
  return findings.map((f) => [f.code, f.path]);
}

describe('walkVolume', () => {
  it('lists media files of the profile folders, sorted, with size and time', async () => {
    volume.add({ path: 'DCIM/100MEDIA/B.MP4', size: 10 });
    volume.add({
      path: 'DCIM/100MEDIA/A.MP4',
      size: 20,
      mtime: new Date('2026-01-02T03:04:05.000Z'),
    });
    volume.add({ path: 'DCIM/101MEDIA/C.JPG', size: 30 });
    volume.add({ path: 'OTHER/D.MP4', size: 40 }); // not a media folder: never looked at
    const walk = await walkVolume(volume.root, profile);
    expect(walk.files.map((f) => [f.relPath, f.size, f.kind])).toEqual([
      ['DCIM/100MEDIA/A.MP4', 20, 'video'],
      ['DCIM/100MEDIA/B.MP4', 10, 'video'],
      ['DCIM/101MEDIA/C.JPG', 30, 'photo'],
    ]);
    expect(walk.files[0]!.mtime).toBe('2026-01-02T03:04:05.000Z');
    expect(walk.findings).toEqual([]);
  });

  it('finds the media folder whatever its case (FAT volumes)', async () => {
    volume.add({ path: 'dcim/x.mp4', size: 10 });
    const walk = await walkVolume(volume.root, profile);
    expect(walk.files.map((f) => f.relPath)).toEqual(['dcim/x.mp4']);
  });

  it('reports a volume without any media folder', async () => {
    volume.add({ path: 'README.TXT', size: 10 });
    const walk = await walkVolume(volume.root, profile);
    expect(codes(walk.findings)).toEqual([['media-folder-missing', null]]);
  });

  it('refuses names with control characters and invalid UTF-8 (made with Buffer paths)', async () => {
    const folder = Buffer.from(volume.abs('DCIM'));
    mkdirSync(folder, { recursive: true });
    const named = (raw: number[] | string) =>
      Buffer.concat([
        folder,
        Buffer.from('/'),
        Buffer.isBuffer(raw) ? raw : Buffer.from(raw as never),
      ]);
    writeFileSync(named([0x62, 0x61, 0x64, 0xff, 0x2e, 0x6d, 0x70, 0x34]), 'x'); // bad\xff.mp4
    writeFileSync(named('tab\there.mp4'), 'x');
    writeFileSync(named('new\nline.mp4'), 'x');
    writeFileSync(named('..\\..\\escape.mp4'), 'x');
    mkdirSync(named([0x64, 0x69, 0x72, 0xc3])); // a folder with an invalid name: not entered
    writeFileSync(
      Buffer.concat([named([0x64, 0x69, 0x72, 0xc3]), Buffer.from('/inside.mp4')]),
      'x',
    );
    volume.add({ path: 'DCIM/good.mp4', size: 5 });

    const walk = await walkVolume(volume.root, profile);
    expect(walk.files.map((f) => f.relPath)).toEqual(['DCIM/good.mp4']);
    expect(codes(walk.findings).sort()).toEqual(
      [
        ['invalid-utf8-name', 'DCIM/bad\\xff.mp4'],
        ['invalid-utf8-name', 'DCIM/dir\\xc3'],
        ['unsafe-name', 'DCIM/tab\\u0009here.mp4'],
        ['unsafe-name', 'DCIM/new\\u000aline.mp4'],
        ['unsafe-name', 'DCIM/..\\\\..\\\\escape.mp4'],
      ].sort(),
    );
    const folderFinding = walk.findings.find((f) => f.path === 'DCIM/dir\\xc3')!;
    expect(folderFinding.message).toContain('folder was not read');
  });

  it('never follows a symbolic link, to a file or a folder, and says so', async () => {
    const outside = testVolume([{ path: 'secret.mp4', size: 10 }]);
    try {
      volume.add({ path: 'DCIM/real.mp4', size: 10 });
      symlinkSync(outside.abs('secret.mp4'), volume.abs('DCIM/link.mp4'));
      symlinkSync(outside.root, volume.abs('DCIM/elsewhere'));
      const walk = await walkVolume(volume.root, profile);
      expect(walk.files.map((f) => f.relPath)).toEqual(['DCIM/real.mp4']);
      expect(codes(walk.findings)).toEqual([
        ['symlink', 'DCIM/elsewhere'],
        ['symlink', 'DCIM/link.mp4'],
      ]);
    } finally {
      outside.remove();
    }
  });

  it('a folder loop through a symbolic link is reported, not walked', async () => {
    volume.add({ path: 'DCIM/100MEDIA/a.mp4', size: 10 });
    symlinkSync('..', volume.abs('DCIM/100MEDIA/up'));
    symlinkSync(volume.abs('DCIM'), volume.abs('DCIM/100MEDIA/again'));
    const walk = await walkVolume(volume.root, profile);
    expect(walk.files.map((f) => f.relPath)).toEqual(['DCIM/100MEDIA/a.mp4']);
    expect(codes(walk.findings)).toEqual([
      ['symlink', 'DCIM/100MEDIA/again'],
      ['symlink', 'DCIM/100MEDIA/up'],
    ]);
  });

  it('refuses a media folder that is itself a link', async () => {
    const outside = testVolume([{ path: 'x.mp4', size: 10 }]);
    try {
      symlinkSync(outside.root, volume.abs('DCIM'));
      const walk = await walkVolume(volume.root, profile);
      expect(walk.files).toEqual([]);
      expect(codes(walk.findings)).toContainEqual(['symlink', 'DCIM']);
    } finally {
      outside.remove();
    }
  });

  it.skipIf(!isRoot)('a real folder loop (bind mount) is entered once', async () => {
    volume.add({ path: 'DCIM/100MEDIA/a.mp4', size: 10 });
    mkdirSync(volume.abs('DCIM/100MEDIA/loop'));
    try {
      execFileSync('mount', ['--bind', volume.abs('DCIM'), volume.abs('DCIM/100MEDIA/loop')]);
    } catch {
      return; // a container may forbid mounts; the symlink loop above still runs
    }
    try {
      const walk = await walkVolume(volume.root, profile);
      expect(walk.files.map((f) => f.relPath)).toEqual(['DCIM/100MEDIA/a.mp4']);
      expect(codes(walk.findings)).toEqual([['folder-loop', 'DCIM/100MEDIA/loop']]);
    } finally {
      execFileSync('umount', [volume.abs('DCIM/100MEDIA/loop')]);
    }
  });

  describe('special files are never opened', () => {
    let server: Server | null = null;
    afterEach(() => {
      server?.close();
      server = null;
    });

    it('FIFO, socket and device files are reported', async () => {
      volume.add({ path: 'DCIM/ok.mp4', size: 3 });
      execFileSync('mkfifo', [volume.abs('DCIM/pipe.mp4')]);
      server = createServer();
      await new Promise<void>((resolve) => server!.listen(volume.abs('DCIM/sock.mp4'), resolve));
      if (isRoot) execFileSync('mknod', [volume.abs('DCIM/null.mp4'), 'c', '1', '3']);
      const walk = await walkVolume(volume.root, profile);
      expect(walk.files.map((f) => f.relPath)).toEqual(['DCIM/ok.mp4']);
      const expected: [string, string][] = [
        ['special-file', 'DCIM/pipe.mp4'],
        ['special-file', 'DCIM/sock.mp4'],
      ];
      if (isRoot) expected.unshift(['special-file', 'DCIM/null.mp4']);
      expect(codes(walk.findings)).toEqual(expected);
      expect(walk.findings.map((f) => f.message).join(' ')).toMatch(/FIFO.*socket/);
    });
  });

  it('reports zero-byte files and files that are not media', async () => {
    volume.add({ path: 'DCIM/empty.mp4', bytes: Buffer.alloc(0) });
    volume.add({ path: 'DCIM/notes.txt', size: 3 });
    volume.add({ path: 'DCIM/full.mp4', size: 3 });
    const walk = await walkVolume(volume.root, profile);
    expect(walk.files.map((f) => f.relPath)).toEqual(['DCIM/full.mp4']);
    expect(codes(walk.findings)).toEqual([
      ['empty-file', 'DCIM/empty.mp4'],
      ['not-media', 'DCIM/notes.txt'],
    ]);
  });

  it('walks no deeper than the bound, and no more entries than the bound', async () => {
    volume.add({ path: 'DCIM/a/b/c/deep.mp4', size: 3 });
    volume.add({ path: 'DCIM/a/shallow.mp4', size: 3 });
    const deep = await walkVolume(volume.root, profile, { maxDepth: 2 });
    expect(deep.files.map((f) => f.relPath)).toEqual(['DCIM/a/shallow.mp4']);
    expect(codes(deep.findings)).toEqual([['too-deep', 'DCIM/a/b/c']]);

    for (let i = 0; i < 5; i += 1) volume.add({ path: `DCIM/many/${i}.mp4`, size: 1 });
    const many = await walkVolume(volume.root, profile, { maxEntries: 4 });
    expect(many.findings.map((f) => f.code)).toContain('too-many-files');
  });
});

describe('20,000 files', () => {
  it('walks and plans every one of them, each once', async () => {
    const folder = volume.abs('DCIM/100MEDIA');
    mkdirSync(folder, { recursive: true });
    const when = new Date('2026-11-21T10:00:00Z');
    for (let i = 0; i < 20_000; i += 1) {
      const path = join(folder, `F${String(i).padStart(5, '0')}.JPG`);
      writeFileSync(path, `photo ${i}`);
      if (i % 1000 === 0) utimesSync(path, when, when);
    }
    const catalogue = memoryCatalogue();
    const walk = await walkVolume(volume.root, profile);
    const plan = planIngest(walk.files, catalogue.clips, 'CAM01');
    catalogue.close();
    expect(walk.files).toHaveLength(20_000);
    expect(plan.toCopy).toHaveLength(20_000);
    expect(new Set(plan.toCopy.map((f) => f.relPath)).size).toBe(20_000);
  }, 60_000);
});
