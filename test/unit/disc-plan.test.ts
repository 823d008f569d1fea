// Planning a long-term set (D-LONGTERM): which clips go on which disc of which medium, where each
// stands on its disc, and what each disc of each copy is called.
import { describe, expect, it } from 'vitest';
import {
  DISC_PER_FILE_BYTES,
  DISC_RESERVE_BYTES,
  DISC_MAX_FILES,
  discCost,
  discVolumeId,
  recoveryBlockSize,
  evidencePaths,
  parseDiscMedium,
  planDiscs,
  type DiscClip,
  type DiscMedium,
  type DiscPlan,
} from '../../src-main/domain';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** Test media hold under 69 MB: their par2 blocks are the 4 KiB minimum. */
const COST = { par2Percent: 5 };

/** A test medium holding `clipBytes` of disc cost once the fixed files are reserved. */
const holding = (clipBytes: number): DiscMedium => ({
  id: 'bytes',
  bytes: DISC_RESERVE_BYTES + clipBytes,
});

let nextId = 1;
function clip(
  size: number,
  caseNumber: string | null,
  officer: string | null = 'A001',
  at = '2026-12-01T09:00:00+08:00',
): DiscClip {
  const id = nextId++;
  return { id, size, caseNumber, officerBadge: officer, recordedAt: at, fileName: `VID_${id}.MP4` };
}

function planned(clips: DiscClip[], medium: DiscMedium): DiscPlan {
  const outcome = planDiscs(clips, { medium });
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.tooLarge)}`);
  return outcome.plan;
}

const idsOn = (plan: DiscPlan) => plan.discs.map((d) => d.clips.map((c) => c.id));

describe('media', () => {
  it('knows each medium by its sectors, and takes a size in bytes for tests', () => {
    expect(parseDiscMedium('cd')).toEqual({ id: 'cd', bytes: 360_000 * 2048 });
    expect(parseDiscMedium('DVD')).toEqual({ id: 'dvd', bytes: 2_295_104 * 2048 });
    expect(parseDiscMedium('bd-25')?.bytes).toBe(12_219_392 * 2048);
    expect(parseDiscMedium('bd-100')?.bytes).toBe(48_878_592 * 2048);
    expect(parseDiscMedium('33554432')).toEqual({ id: 'bytes', bytes: 32 * MiB });
    expect(parseDiscMedium('1000')).toBeNull();
    expect(parseDiscMedium('floppy')).toBeNull();
    expect(parseDiscMedium('-5')).toBeNull();
  });
});

describe('a disc plan', () => {
  it('keeps a case that fits on one disc together, and fills discs largest case first', () => {
    const a = [clip(3 * MiB, 'A'), clip(3 * MiB, 'A')];
    const b = [clip(5 * MiB, 'B')];
    const c = [clip(2 * MiB, 'C'), clip(1 * MiB, 'C')];
    const medium = holding(
      discCost(3 * MiB, COST) * 2 + discCost(2 * MiB, COST) + discCost(1 * MiB, COST),
    );
    const plan = planned([...c, ...b, ...a], medium);
    // A (6 MiB) first on disc 1, B (5 MiB) does not fit beside it, C (3 MiB) does.
    expect(idsOn(plan)).toEqual([[a[0]!.id, a[1]!.id, c[0]!.id, c[1]!.id], [b[0]!.id]]);
    expect(plan.copies).toBe(2);
    for (const disc of plan.discs) expect(disc.cost).toBeLessThanOrEqual(medium.bytes);
  });

  it('puts a case too large for one disc officer by officer, each officer’s footage together', () => {
    const officer1 = [clip(4 * MiB, 'BIG', 'P1'), clip(4 * MiB, 'BIG', 'P1')];
    const officer2 = [clip(3 * MiB, 'BIG', 'P2'), clip(3 * MiB, 'BIG', 'P2')];
    const medium = holding(discCost(4 * MiB, COST) * 2 + MiB);
    const plan = planned([...officer2, ...officer1], medium);
    expect(idsOn(plan)).toEqual([officer1.map((c) => c.id), officer2.map((c) => c.id)]);
  });

  it('packs an officer’s footage too large for one disc file by file, largest first', () => {
    const files = [1, 7, 3, 5, 2, 6].map((mib) => clip(mib * MiB, 'HUGE', 'P1'));
    const pair = (x: number, y: number) => discCost(x * MiB, COST) + discCost(y * MiB, COST);
    const medium = holding(Math.max(pair(7, 1), pair(6, 2), pair(5, 3)));
    const plan = planned(files, medium);
    const sizes = plan.discs.map((d) => d.clips.map((c) => c.size / MiB).sort((x, y) => y - x));
    // First-fit decreasing: 7+1, 6+2, 5+3 — three discs for 24 MiB on 8 MiB media.
    expect(sizes).toEqual([
      [7, 1],
      [6, 2],
      [5, 3],
    ]);
  });

  it('refuses a clip larger than the medium, naming the smallest medium that holds it', () => {
    const fits = clip(100 * MiB, 'X');
    const forDl = clip(5 * GiB, 'X');
    const forBd = clip(9 * GiB, 'Y');
    const forNothing = clip(120 * GiB, 'Z');
    const outcome = planDiscs([fits, forDl, forBd, forNothing], {
      medium: parseDiscMedium('dvd')!,
    });
    expect(outcome).toEqual({
      ok: false,
      tooLarge: [
        { clipId: forDl.id, size: 5 * GiB, fitsOn: 'dvd-dl' },
        { clipId: forBd.id, size: 9 * GiB, fitsOn: 'bd-25' },
        { clipId: forNothing.id, size: 120 * GiB, fitsOn: null },
      ],
    });
  });

  it('counts each file’s sectors, recovery data and overhead, and reserves room for the disc’s own files', () => {
    expect(discCost(1, COST)).toBe(2048 + 2048 + DISC_PER_FILE_BYTES);
    // 5 % of the file and of one par2 block, 1 % more for par2's headers, in whole sectors.
    expect(discCost(100 * MiB, COST)).toBe(100 * MiB + 5_296_128 + DISC_PER_FILE_BYTES);
    const exactly = clip(10 * MiB, 'E');
    expect(planned([exactly], holding(discCost(10 * MiB, COST))).discs).toHaveLength(1);
    expect(planDiscs([exactly], { medium: holding(discCost(10 * MiB, COST) - 1) }).ok).toBe(false);
  });

  it('orders each disc by case, officer and recording time, whatever order the clips came in', () => {
    const late = clip(MiB, 'K', 'P1', '2026-12-02T10:00:00+08:00');
    const early = clip(MiB, 'K', 'P1', '2026-12-01T10:00:00+08:00');
    const other = clip(MiB, 'K', 'P0', '2026-12-03T10:00:00+08:00');
    const first = clip(MiB, 'J', 'P9', '2026-12-04T10:00:00+08:00');
    const plan = planned([late, other, early, first], parseDiscMedium('cd')!);
    expect(idsOn(plan)).toEqual([[first.id, other.id, early.id, late.id]]);
  });

  it('makes the same plan from the same clips in any order, each clip on exactly one disc', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const clips = Array.from({ length: 60 }, (_, i) =>
      clip(
        Math.floor(random() * 9 * MiB) + 1,
        `C${Math.floor(random() * 7)}`,
        `P${i % 4}`,
        `2026-12-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00+08:00`,
      ),
    );
    const medium = holding(24 * MiB);
    const plan = planned(clips, medium);
    const shuffled = [...clips].sort(() => random() - 0.5);
    expect(idsOn(planned(shuffled, medium))).toEqual(idsOn(plan));
    expect(
      idsOn(plan)
        .flat()
        .sort((x, y) => x - y),
    ).toEqual(clips.map((c) => c.id).sort((x, y) => x - y));
    for (const disc of plan.discs) expect(disc.cost).toBeLessThanOrEqual(medium.bytes);
    expect(plan.discs.map((d) => d.n)).toEqual(plan.discs.map((_, i) => i + 1));
  });
});

describe('a disc plan’s limits', () => {
  it('cuts the recovery share into 16 blocks, within par2’s 32,768 source blocks however large the disc', () => {
    expect(recoveryBlockSize(10 * MiB, 3)).toBe(19_664);
    expect(recoveryBlockSize(100_000, 5)).toBe(4096);
    const bd100 = parseDiscMedium('bd-100')!.bytes;
    for (const percent of [1, 5, 100]) {
      const block = recoveryBlockSize(bd100, percent);
      expect(block % 4).toBe(0);
      // 16 blocks hold the share the plan counted on, to within one block's rounding.
      expect(block * 16).toBeGreaterThanOrEqual((bd100 * percent) / 100);
      expect(block * 16 - (bd100 * percent) / 100).toBeLessThan(16 * 4);
      expect(Math.ceil(bd100 / block) + DISC_MAX_FILES).toBeLessThanOrEqual(32_768);
    }
  });

  it('puts no more than DISC_MAX_FILES originals on one disc', () => {
    const many = Array.from({ length: DISC_MAX_FILES + 10 }, () => clip(1, 'MANY'));
    const plan = planned(many, parseDiscMedium('dvd')!);
    expect(plan.discs.map((d) => d.clips.length)).toEqual([DISC_MAX_FILES, 10]);
  });

  it('refuses recovery data and copies it cannot burn', () => {
    const medium = parseDiscMedium('cd')!;
    expect(() => planDiscs([], { medium, par2Percent: 0 })).toThrow(/1 to 100 percent/);
    expect(() => planDiscs([], { medium, par2Percent: Number.NaN })).toThrow(/1 to 100 percent/);
    expect(() => planDiscs([], { medium, copies: 2.5 })).toThrow(/1 to 9/);
  });
});

describe('a disc’s layout', () => {
  it('stands each original under evidence/<case>/<officer>/<date>/, keeping two of one name', () => {
    const a = {
      ...clip(MiB, '京朝综执罚〔2026〕123号', 'A001', '2026-12-01T23:30:00+08:00'),
      fileName: 'VID_0001.MP4',
    };
    const b = {
      ...clip(MiB, '京朝综执罚〔2026〕123号', 'A001', '2026-12-01T07:00:00+08:00'),
      fileName: 'vid_0001.mp4',
    };
    const c = { ...clip(MiB, 'a/b:c', null, '2026-11-30T10:00:00-05:00'), fileName: 'CLIP.MOV' };
    const paths = evidencePaths({ clips: [b, a, c] });
    expect(paths.get(a.id)).toBe('evidence/京朝综执罚〔2026〕123号/A001/2026-12-01/VID_0001.MP4');
    expect(paths.get(b.id)).toBe(
      `evidence/京朝综执罚〔2026〕123号/A001/2026-12-01/vid_0001~${b.id}.mp4`,
    );
    expect(paths.get(c.id)).toBe('evidence/a_b_c/no-officer/2026-11-30/CLIP.MOV');
    const noCase = clip(MiB, null);
    expect(evidencePaths({ clips: [noCase] }).get(noCase.id)).toMatch(/^evidence\/no-case\/A001\//);
  });

  it('keeps names Windows reads: no device names, no trailing dots, at most 64 units, apart whatever their case', () => {
    const at = '2026-12-01T10:00:00+08:00';
    const upper = { ...clip(MiB, '2024-A-17', 'A1', at), fileName: 'F.MP4' };
    const lower = { ...clip(MiB, '2024-a-17', 'A1', at), fileName: 'F.MP4' };
    const device = { ...clip(MiB, 'CON', 'nul.', at), fileName: 'AUX.mp4' };
    const long = { ...clip(MiB, 'K', 'A1', at), fileName: `${'长'.repeat(80)}.MP4` };
    const undated = { ...clip(MiB, 'K', 'A1', ''), fileName: 'x;1.MP4' };
    const paths = evidencePaths({ clips: [upper, lower, device, long, undated] });
    expect(paths.get(upper.id)).toBe('evidence/2024-A-17/A1/2026-12-01/F.MP4');
    expect(paths.get(lower.id)).toBe('evidence/2024-a-17~2/A1/2026-12-01/F.MP4');
    expect(paths.get(device.id)).toBe('evidence/_CON/_nul/2026-12-01/_AUX.mp4');
    const name = paths.get(long.id)!.split('/').at(-1)!;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^长+\.MP4$/);
    expect(paths.get(undated.id)).toBe('evidence/K/A1/undated/x_1.MP4');
  });

  it('keeps apart what Windows upper-cases alike, reads "CON .mp4" as a device, never ends a cut name on a dot', () => {
    const at = '2026-12-01T10:00:00+08:00';
    const s = { ...clip(MiB, 'W', 'A1', at), fileName: 's.mp4' };
    const longS = { ...clip(MiB, 'W', 'A1', at), fileName: 'ſ.mp4' };
    const spaced = { ...clip(MiB, 'W', 'A1', at), fileName: 'CON .mp4' };
    const cut = { ...clip(MiB, 'W', 'A1', at), fileName: `${'a'.repeat(63)}.${'b'.repeat(20)}` };
    const paths = evidencePaths({ clips: [s, longS, spaced, cut] });
    const names = [s, longS, spaced, cut].map((c) => paths.get(c.id)!.split('/').at(-1)!);
    expect(names[0]).toBe('s.mp4');
    expect(names[1]!.toUpperCase()).not.toBe(names[0]!.toUpperCase());
    expect(names[2]).toBe('_CON .mp4');
    expect(names[3]).toBe('a'.repeat(63));
  });

  it('never gives two originals one path, even against a name that looks renamed already', () => {
    const at = '2026-12-01T10:00:00+08:00';
    const first = { ...clip(MiB, 'R', 'A1', at), fileName: 'F.MP4' };
    const second = { ...clip(MiB, 'R', 'A1', at), fileName: 'F.MP4' };
    const lookalike = { ...clip(MiB, 'R', 'A1', at), fileName: `F~${second.id}.MP4` };
    // The look-alike is numbered first here, so it takes its own name before the rename comes.
    const ordered = [lookalike, first, second].map((c, i) => ({ ...c, id: 100 + i }));
    ordered[0]!.fileName = 'F~102.MP4';
    const paths = evidencePaths({ clips: ordered });
    const all = [...paths.values()];
    expect(new Set(all.map((p) => p.toLowerCase())).size).toBe(3);
    expect(all).toContain('evidence/R/A1/2026-12-01/F~102.MP4');
    expect(all).toContain('evidence/R/A1/2026-12-01/F.MP4');
  });

  it('names each disc of each copy in ISO 9660 volume id characters, a copy saying so', () => {
    const oneCase = { caseNumber: '京朝综执罚〔2026〕123号', setTag: 's1' };
    expect(discVolumeId(oneCase, 1, 3, 1)).toBe('CASE2026123_D1OF3');
    expect(discVolumeId(oneCase, 3, 3, 2)).toBe('CASE2026123_D3OF3_COPY');
    expect(discVolumeId(oneCase, 2, 3, 3)).toBe('CASE2026123_D2OF3_COPY2');
    expect(discVolumeId({ caseNumber: null, setTag: '20261207-4f2a' }, 1, 2, 1)).toBe(
      'EVID202612074F2A_D1OF2',
    );
    const long = discVolumeId(
      { caseNumber: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-2026-000123', setTag: 'x' },
      12,
      12,
      2,
    );
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toMatch(/^CASE.*2026000123_D12OF12_COPY$/);
    expect(long).toMatch(/^[A-Z0-9_]+$/);
  });
});
