// What goes wrong while a disc is burned (D-LONGTERM, D-NO-TAMPER): the medium fills, the station
// is killed mid-burn. Nothing is ever recorded as burned that was not proven, and a cut-off burn
// is recorded interrupted and burned again.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli';
import { missingTools } from '../support/disc-image';
import { CUSTODIAN_PW, forwardStation, type ForwardStation } from '../support/forward-station';
import { tempDir } from '../support/temp';

const missing = missingTools(['xorriso', 'fuseiso', 'par2']);
const isRoot = process.getuid?.() === 0;

interface Register {
  discs: { id: number; state: string; problem: string | null }[];
  pending: { clips: number };
}

describe.skipIf(missing.length > 0)('a burn that goes wrong', () => {
  const images = tempDir('disc-faults-');
  let station: ForwardStation;
  const custodian = (...args: string[]) =>
    station.cli([...args, '--user', 'C001'], `${CUSTODIAN_PW}\n`);
  const plan = async (clipIds: number[], medium: number): Promise<number> => {
    const run = await custodian(
      'disc',
      'plan',
      '--clips',
      clipIds.join(','),
      '--media',
      String(medium),
      '--copies',
      '1',
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    return (run.json() as { id: number }).id;
  };

  beforeAll(async () => {
    station = await forwardStation([8_000_000, 8_000_000, 3_000_000]);
  }, 120_000);
  afterAll(() => {
    station?.remove();
    images.remove();
  });

  it.skipIf(!isRoot)(
    'says the medium is full, records nothing as burned, leaves no image behind',
    async () => {
      const small = join(images.path, 'small');
      mkdirSync(small);
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', small]);
      expect(mounted.status, String(mounted.stderr)).toBe(0);
      try {
        const smallest = station.clips.find((c) => c.size === 3_000_000)!;
        const setId = await plan([smallest.id], 24 * 1024 * 1024);
        const run = await custodian(
          'disc',
          'burn',
          '--plan',
          String(setId),
          '--drive',
          `stdio:${join(small, 'd.iso')}`,
        );
        expect(run.code).not.toBe(0);
        const error = (run.json() as { error: { code: string; message: string } }).error;
        expect(error.code).toBe('DISC_BURN_FAILED');
        expect(error.message).toMatch(/space|write/i);
        expect(readdirSync(small)).toEqual([]);
        const register = (await custodian('disc', 'list')).json() as Register;
        expect(register.discs.map((d) => d.state)).toEqual(['failed']);
        expect(register.discs[0]!.problem).toMatch(/space|write/i);
      } finally {
        spawnSync('umount', [small]);
      }
    },
    120_000,
  );

  it('records a burn killed half-way as interrupted, and burns it again', async () => {
    const large = station.clips.filter((c) => c.size === 8_000_000).map((c) => c.id);
    const setId = await plan(large, 64 * 1024 * 1024);
    const folder = join(images.path, 'killed');
    mkdirSync(folder);
    const drive = `stdio:${join(folder, 'd.iso')}`;
    // Its own process group: the kill takes xorriso with it, as a power cut would.
    const child = spawn(
      process.execPath,
      [
        CLI,
        'disc',
        'burn',
        '--plan',
        String(setId),
        '--drive',
        drive,
        '--user',
        'C001',
        '--data-dir',
        station.dataDir,
        '--json',
      ],
      { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
    );
    child.stdin.end(`${CUSTODIAN_PW}\n`);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 90_000;
    while (!readdirSync(folder).some((f) => f.endsWith('.partial')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(readdirSync(folder).some((f) => f.endsWith('.partial'))).toBe(true);
    process.kill(-child.pid!, 'SIGKILL');
    await exited;

    const register = (await custodian('disc', 'list')).json() as Register;
    const cut = register.discs.find((d) => d.state !== 'failed')!;
    expect(cut.state).toBe('interrupted');
    expect(readdirSync(folder).every((f) => !f.endsWith('.iso'))).toBe(true);

    const redo = await custodian('disc', 'burn', '--plan', String(setId), '--drive', drive);
    expect(redo.code, redo.stdout + redo.stderr).toBe(0);
    expect(redo.json()).toMatchObject({
      burned: [{ disc: { state: 'verified' } }],
      set: { complete: true },
    });
    // The cut-off image is gone; the one proven is there under its name.
    expect(readdirSync(folder).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(readdirSync(folder).filter((f) => f.endsWith('.iso'))).toHaveLength(1);
    expect(existsSync(join(folder, 'd.iso'))).toBe(false);
  }, 180_000);
});
