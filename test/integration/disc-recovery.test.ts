// The recovery data every disc carries (par2): made over the originals when the disc is staged,
// burned with them, and enough, years later, to repair an original copied off a disc with a
// damaged stretch, with nothing but Debian's par2.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { burnDisc, createRecoveryData, par2CreateArgs } from '../../src-main/disc';
import { missingTools, mountedImage } from '../support/disc-image';
import { tempDir } from '../support/temp';

const dir = tempDir('disc-recovery-');
afterAll(() => dir.remove());

const missing = missingTools(['par2', 'xorriso', 'fuseiso']);
const CLIP = 'evidence/京朝综执罚〔2026〕7号/A001/2026-12-01/VID_0001.MP4';

function staged(name: string): { root: string; original: Buffer } {
  const root = join(dir.path, name);
  const original = randomBytes(4 * 1024 * 1024 + 17);
  mkdirSync(join(root, ...CLIP.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(root, ...CLIP.split('/')), original);
  return { root, original };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(missing.length > 0)(
  `recovery data on a disc${missing.length > 0 ? ` — skipped: needs ${missing.join(', ')}` : ''}`,
  () => {
    it('repairs an original with a damaged stretch, copied off the burned disc', async () => {
      const { root, original } = staged('disc');
      await createRecoveryData(root, 5);
      expect(readdirSync(join(root, 'par2')).sort()).toEqual(
        expect.arrayContaining(['evidence.par2']),
      );
      const image = join(dir.path, 'disc.iso');
      await burnDisc({ drive: `stdio:${image}`, volumeId: 'CASE7_D1OF1', staged: root });
      const copied = join(dir.path, 'copied');
      await mountedImage(image, async (root) => cpSync(root, copied, { recursive: true }));
      const clip = join(copied, ...CLIP.split('/'));
      const damaged = readFileSync(clip);
      damaged.fill(0, 1_000_000, 1_000_000 + 64 * 1024);
      writeFileSync(clip, damaged);
      expect(sha256(readFileSync(clip))).not.toBe(sha256(original));

      const verify = spawnSync('par2', [
        'verify',
        '-q',
        '-q',
        '-B',
        copied,
        join(copied, 'par2', 'evidence.par2'),
      ]);
      expect(verify.status).toBe(1); // damaged, repairable
      const repair = spawnSync(
        'par2',
        ['repair', '-q', '-q', '-B', copied, join(copied, 'par2', 'evidence.par2')],
        {
          encoding: 'utf8',
        },
      );
      expect(repair.status, repair.stdout + repair.stderr).toBe(0);
      expect(sha256(readFileSync(clip))).toBe(sha256(original));
    });
  },
);

describe('recovery data', () => {
  it('is 1 to 100 percent, in 16 recovery blocks over the staged disc’s evidence folder', () => {
    expect(par2CreateArgs('/stage/d1', 5, 4096)).toEqual([
      'create',
      '-q',
      '-q',
      '-c16',
      '-s4096',
      '-n1',
      '-R',
      '-B',
      '/stage/d1',
      '/stage/d1/par2/evidence.par2',
      '/stage/d1/evidence',
    ]);
    expect(() => par2CreateArgs('/stage/d1', 0, 4096)).toThrow(/1 to 100/);
    expect(() => par2CreateArgs('stage', 5, 4096)).toThrow(/absolute/);
  });

  it('says how to install par2 when it is missing', async () => {
    const { root } = staged('no-par2');
    const path = process.env['PATH'];
    process.env['PATH'] = dir.path;
    try {
      await expect(createRecoveryData(root, 5)).rejects.toMatchObject({
        code: 'PAR2_MISSING',
        message: expect.stringMatching(/apt install par2/),
      });
    } finally {
      process.env['PATH'] = path;
    }
  });
});
