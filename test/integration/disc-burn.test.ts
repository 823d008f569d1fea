// Verification passes 1 and 2 of a disc, done for real: a staged folder burned by xorriso to a
// pseudo-drive (`stdio:`, written exactly as to a drive), read back block by block and file by
// file; then the same image with one byte of one original flipped, as a failing disc would read.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BurnFailed,
  burnDisc,
  checkBlocks,
  checkFileMd5s,
  checkFilesAt,
  XorrisoMissing,
  type ExpectedFile,
} from '../../src-main/disc';
import { missingTools, mountedImage } from '../support/disc-image';
import { tempDir } from '../support/temp';

const MiB = 1024 * 1024;
const dir = tempDir('disc-burn-');
afterAll(() => dir.remove());

const CLIP_PATH = 'evidence/京朝综执罚〔2026〕7号/A001/2026-12-01/VID_0001.MP4';

function stage(name: string): {
  staged: string;
  original: Buffer;
  expected: ExpectedFile & { sm3: string };
} {
  const staged = join(dir.path, name);
  const original = randomBytes(3 * MiB + 123);
  const path = join(staged, ...CLIP_PATH.split('/'));
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, original);
  writeFileSync(join(staged, 'MANIFEST.json'), '{"files":[]}\n');
  const hex = (algorithm: string) => createHash(algorithm).update(original).digest('hex');
  const expected = {
    path: CLIP_PATH,
    size: original.length,
    sha256: hex('sha256'),
    sm3: hex('sm3'),
  };
  return { staged, original, expected };
}

const fuseisoMissing = missingTools(['fuseiso']).length > 0;

const xorrisoMissing = missingTools(['xorriso']).length > 0;

describe.skipIf(xorrisoMissing)(
  `burning a disc to a pseudo-drive and reading it back (xorriso)${xorrisoMissing ? ' — skipped: needs xorriso (apt-get install xorriso)' : ''}`,
  () => {
    it('burns a closed session whose every block and every file read back as burned', async () => {
      const { staged } = stage('good');
      const image = join(dir.path, 'good.iso');
      const progress: number[] = [];
      await burnDisc(
        { drive: `stdio:${image}`, volumeId: 'CASE7_D1OF1', staged },
        { onProgress: (p) => progress.push(p) },
      );
      expect(existsSync(image)).toBe(true);
      expect(progress.at(-1)).toBe(100);

      const blocks = await checkBlocks(`stdio:${image}`);
      expect(blocks).toMatchObject({ pass: 'blocks', ok: true, problems: [] });
      expect(blocks.detail).toMatch(/sectors read back, the session's MD5 tag matches/);
      expect(await checkFileMd5s(`stdio:${image}`)).toMatchObject({
        pass: 'md5',
        ok: true,
        problems: [],
      });
    });

    it('fails passes 1 and 2 for an image with one byte of an original changed, naming the file', async () => {
      const { staged, original } = stage('flipped');
      const image = join(dir.path, 'flipped.iso');
      await burnDisc({ drive: `stdio:${image}`, volumeId: 'CASE7_D1OF1', staged });
      const bytes = readFileSync(image);
      const at = bytes.indexOf(original.subarray(MiB, MiB + 64));
      expect(at).toBeGreaterThan(0);
      bytes[at + 10] = bytes[at + 10]! ^ 0x01;
      writeFileSync(image, bytes);

      const md5 = await checkFileMd5s(`stdio:${image}`);
      expect(md5.ok).toBe(false);
      expect(md5.problems).toEqual([`/${CLIP_PATH}`]);
      const blocks = await checkBlocks(`stdio:${image}`);
      expect(blocks.ok).toBe(false);
      expect(blocks.problems.join('\n')).toMatch(/MD5 session tag .* does not match/);
    });

    it.skipIf(fuseisoMissing)(
      'reads every original back through the mounted disc and hashes it against the catalogue (pass 3)',
      async () => {
        const { staged, expected } = stage('files');
        const image = join(dir.path, 'files.iso');
        await burnDisc({ drive: `stdio:${image}`, volumeId: 'CASE7_D1OF1', staged });
        await mountedImage(image, async (root) => {
          const pass = await checkFilesAt(root, [expected]);
          expect(pass).toMatchObject({ pass: 'files', ok: true, problems: [] });
          expect(pass.detail).toMatch(/SHA-256 and SM3 match the catalogue/);
          const missing = { ...expected, path: 'evidence/other/VID_0002.MP4' };
          const other = {
            ...expected,
            sm3: expected.sm3.replace(/^./, (c) => (c === '0' ? '1' : '0')),
          };
          const wrong = await checkFilesAt(root, [missing, other]);
          expect(wrong.ok).toBe(false);
          expect(wrong.problems).toEqual([
            'evidence/other/VID_0002.MP4: not on the disc',
            expect.stringMatching(/VID_0001\.MP4: SM3 [0-9a-f]{64}, not /),
          ]);
        });
      },
    );

    it.skipIf(fuseisoMissing)('fails pass 3 for an original changed on the disc', async () => {
      const { staged, original, expected } = stage('files-flipped');
      const image = join(dir.path, 'files-flipped.iso');
      await burnDisc({ drive: `stdio:${image}`, volumeId: 'CASE7_D1OF1', staged });
      const bytes = readFileSync(image);
      const at = bytes.indexOf(original.subarray(2 * MiB, 2 * MiB + 64));
      bytes[at] = bytes[at]! ^ 0x80;
      writeFileSync(image, bytes);
      await mountedImage(image, async (root) => {
        const pass = await checkFilesAt(root, [expected]);
        expect(pass.ok).toBe(false);
        expect(pass.problems).toEqual([
          expect.stringMatching(/VID_0001\.MP4: SHA-256 [0-9a-f]{64}, not /),
        ]);
      });
    });

    it('never writes over an existing file, and says so', async () => {
      const { staged } = stage('existing');
      const image = join(dir.path, 'existing.iso');
      writeFileSync(image, 'not an image');
      await expect(burnDisc({ drive: `stdio:${image}`, volumeId: 'X', staged })).rejects.toThrow(
        BurnFailed,
      );
      expect(readFileSync(image, 'utf8')).toBe('not an image');
    });
  },
);

describe('a station without xorriso', () => {
  it('says how to install xorriso when it is missing', async () => {
    const { staged } = stage('missing');
    const path = process.env['PATH'];
    process.env['PATH'] = dir.path;
    try {
      await expect(
        burnDisc({ drive: `stdio:${join(dir.path, 'missing.iso')}`, volumeId: 'X', staged }),
      ).rejects.toThrow(XorrisoMissing);
      await expect(checkBlocks(`stdio:${join(dir.path, 'missing.iso')}`)).rejects.toThrow(
        /apt install xorriso/,
      );
    } finally {
      process.env['PATH'] = path;
    }
  });
});
