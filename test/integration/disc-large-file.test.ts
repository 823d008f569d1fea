// An original over 4 GiB (a long recording at a high bit rate) goes on a disc whole: ISO 9660
// level 3 writes it in several extents of under 4 GiB each, every tree points at all of them,
// and it reads back with its MD5. The 4.1 GiB original is sparse (it costs no disk) and the image
// is written to shared memory, so the test needs about 5 GiB of it free and skips otherwise.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { burnDisc, checkFileMd5s, checkTreesAgree } from '../../src-main/disc';
import { reportedExtents } from '../../src-main/disc/tree-check';
import { treeExtentsArgs } from '../../src-main/disc/xorriso';
import { missingTools } from '../support/disc-image';

const SIZE = 4 * 1024 ** 3 + 64 * 1024 * 1024;
const SHM = '/dev/shm';

function shmFree(): number {
  try {
    const fs = statfsSync(SHM);
    return fs.bavail * fs.bsize;
  } catch {
    return 0;
  }
}

const missing = missingTools(['xorriso']);
const room = shmFree() >= SIZE + 1024 ** 3;
const why =
  missing.length > 0
    ? `needs ${missing.join(', ')}`
    : room
      ? ''
      : `needs 5 GiB free in ${SHM} for a 4.1 GiB image`;

describe.skipIf(why !== '')(
  `an original over 4 GiB${why === '' ? '' : ` — skipped: ${why}`}`,
  () => {
    const dir = room ? mkdtempSync(join(SHM, 'evidock-large-')) : '';
    afterAll(() => {
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    it('is burned whole in extents under 4 GiB that every tree points at, and reads back', async () => {
      const staged = join(dir, 'staged');
      const folder = join(staged, 'evidence', 'K', 'A1', '2026-12-01');
      mkdirSync(folder, { recursive: true });
      const original = join(folder, 'LONG.MP4');
      // Sparse but for a few marked blocks: every extent holds bytes of its own.
      const fd = openSync(original, 'w');
      for (const at of [0, 2 * 1024 ** 3, 4 * 1024 ** 3, SIZE - 16]) {
        writeSync(fd, Buffer.from(`block at ${at}`.padEnd(16, '.')), 0, 16, at);
      }
      closeSync(fd);
      const image = join(dir, 'large.iso');
      await burnDisc({ drive: `stdio:${image}`, volumeId: 'LARGE_D1OF1', staged });
      // The original's own bytes are not needed any more: shared memory holds the image alone.
      rmSync(staged, { recursive: true, force: true });

      const extents = reportedExtents(
        execFileSync('xorriso', treeExtentsArgs(`stdio:${image}`, 'any'), {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          maxBuffer: 1 << 24,
        }),
      ).filter((e) => e.path.endsWith('/LONG.MP4'));
      expect(extents.length).toBeGreaterThanOrEqual(2);
      expect(extents.every((e) => e.bytes === SIZE)).toBe(true);
      expect(extents.reduce((n, e) => n + e.blocks * 2048, 0)).toBeGreaterThanOrEqual(SIZE);
      expect(extents.every((e) => e.blocks * 2048 < 4 * 1024 ** 3)).toBe(true);
      expect(await checkTreesAgree(`stdio:${image}`)).toEqual({ ok: true, problems: [] });
      expect(await checkFileMd5s(`stdio:${image}`)).toMatchObject({ pass: 'md5', ok: true });
    }, 300_000);
  },
);
