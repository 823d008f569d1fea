import {
  DISC_MEDIA,
  DISC_MEDIA_IDS,
  discMedium,
  SECTOR_BYTES,
  type DiscMediaId,
  type DiscMedium,
} from './disc-media';

/** A clip as a disc plan sees it: enough to pack it and to place it on the disc. */
export interface DiscClip {
  id: number;
  size: number;
  caseNumber: string | null;
  officerBadge: string | null;
  /** When recording began, ISO 8601 with the recorder's offset: its date names the folder. */
  recordedAt: string;
  /** The original's file name, as archived. */
  fileName: string;
}

/**
 * What a disc holds besides the originals, reserved on every disc: the file system's own areas,
 * README.pdf and 清单.pdf with their embedded font subsets, the manifests and their signatures,
 * custody.json, DISCSET.txt, the verifiers and the public keys.
 */
export const DISC_RESERVE_BYTES = 16 * 1024 * 1024;

/**
 * What each file costs a disc besides its own sectors: its directory records (ISO 9660, Rock
 * Ridge and Joliet), its MD5 tag, its lines in the manifests, 清单.pdf and DISCSET.txt, and its
 * entries in custody.json and the recovery data's index. Deliberately generous: the image is
 * measured again before it is burned.
 */
export const DISC_PER_FILE_BYTES = 64 * 1024;

/** Recovery data written with the originals by default (D-LONGTERM discs outlive their media). */
export const DEFAULT_PAR2_PERCENT = 5;

/** Two of each disc by default: the archive's practice is a second copy from another batch. */
export const DEFAULT_DISC_COPIES = 2;

/**
 * The most originals one disc holds. PAR 2.0 takes at most 32,768 source blocks and every file
 * is at least one: past this the recovery data's blocks would have to grow without bound.
 */
export const DISC_MAX_FILES = 15_000;

/**
 * The recovery blocks every disc's par2 data is cut into. par2's time grows with the data times
 * the recovery blocks (Reed–Solomon over each), so it is a fixed number, not a share of the
 * source blocks: 16 blocks repair up to 16 damaged stretches of the originals (spots and short
 * scratches; a radial scratch across every track is beyond any par2 share a disc has room for),
 * and 1 GiB takes about the time of the burn itself, not ten times it.
 */
export const RECOVERY_BLOCKS = 16;

/**
 * The par2 block size of a disc whose originals come to `totalBytes`: its recovery share cut into
 * RECOVERY_BLOCKS blocks, a multiple of 4 bytes, at least 4 KiB. Its source blocks stay far within
 * par2's 32,768 (each file rounds up to whole blocks: at most DISC_MAX_FILES plus 16 × 100 / %).
 */
export function recoveryBlockSize(totalBytes: number, par2Percent: number): number {
  const share = Math.ceil((totalBytes * par2Percent) / 100 / RECOVERY_BLOCKS);
  return Math.ceil(Math.max(4096, share) / 4) * 4;
}

export interface DiscCostOptions {
  par2Percent: number;
}

function sectors(bytes: number): number {
  return Math.ceil(bytes / SECTOR_BYTES) * SECTOR_BYTES;
}

/**
 * The bytes a clip takes on a disc: its sectors, its share of recovery data (plus 1 % for par2's
 * packet headers) and its overhead. The recovery blocks' rounding is within the disc's reserve.
 */
export function discCost(size: number, options: DiscCostOptions): number {
  const recovery = Math.ceil((size * options.par2Percent * 1.01) / 100);
  return sectors(size) + sectors(recovery) + DISC_PER_FILE_BYTES;
}

/** What a medium holds for clips once the fixed files are reserved. */
export function usableBytes(medium: DiscMedium): number {
  return Math.max(0, medium.bytes - DISC_RESERVE_BYTES);
}

export interface PlannedDisc {
  /** 1-based, in burning order. */
  n: number;
  /** The clips in their order on the disc: by case, officer, recording time. */
  clips: DiscClip[];
  /** The originals' bytes. */
  bytes: number;
  /** What the plan counts the disc at (originals, recovery data, overhead, reserve). */
  cost: number;
}

export interface DiscPlan {
  medium: DiscMedium;
  copies: number;
  par2Percent: number;
  discs: PlannedDisc[];
}

/** A clip no disc of the medium can hold, and the smallest medium that would (null: none). */
export interface TooLargeClip {
  clipId: number;
  size: number;
  fitsOn: DiscMediaId | null;
}

export type DiscPlanOutcome =
  { ok: true; plan: DiscPlan } | { ok: false; tooLarge: TooLargeClip[] };

export interface DiscPlanOptions {
  medium: DiscMedium;
  copies?: number;
  par2Percent?: number;
}

interface Bin {
  clips: DiscClip[];
  cost: number;
}

interface Unit {
  clips: DiscClip[];
  cost: number;
}

/**
 * The discs a set of clips needs (D-LONGTERM), whole files only. A case goes on one disc when it
 * fits on one; a case too large for a disc goes officer by officer; an officer's footage too large
 * for a disc goes file by file. At each level the largest go first, each onto the first disc with
 * room (first-fit decreasing), so a set takes few discs and each disc holds whole cases where it
 * can: a disc handed to a court stands alone. A clip larger than the medium refuses the plan,
 * naming the smallest medium that would hold it.
 */
export function planDiscs(clips: readonly DiscClip[], options: DiscPlanOptions): DiscPlanOutcome {
  const par2Percent = options.par2Percent ?? DEFAULT_PAR2_PERCENT;
  const copies = options.copies ?? DEFAULT_DISC_COPIES;
  if (!Number.isInteger(par2Percent) || par2Percent < 1 || par2Percent > 100) {
    throw new RangeError(`recovery data is 1 to 100 percent, not ${par2Percent}`);
  }
  if (!Number.isInteger(copies) || copies < 1 || copies > 9) {
    throw new RangeError(`copies of each disc are 1 to 9, not ${copies}`);
  }
  const cost = { par2Percent };
  const room = usableBytes(options.medium);
  const tooLarge = clips
    .filter((clip) => discCost(clip.size, cost) > room)
    .map((clip) => ({
      clipId: clip.id,
      size: clip.size,
      fitsOn:
        DISC_MEDIA_IDS.find((id) => {
          const medium = discMedium(id);
          return discCost(clip.size, cost) <= usableBytes(medium);
        }) ?? null,
    }));
  if (tooLarge.length > 0) return { ok: false, tooLarge };

  const bins: Bin[] = [];
  const unitOf = (members: DiscClip[]): Unit => ({
    clips: members,
    cost: members.reduce((sum, clip) => sum + discCost(clip.size, cost), 0),
  });
  // Every unit placed fits an empty disc: the clips too large for one were refused above.
  const fits = (bin: Bin, unit: Unit) =>
    bin.cost + unit.cost <= room && bin.clips.length + unit.clips.length <= DISC_MAX_FILES;
  const whole = (unit: Unit) => unit.cost <= room && unit.clips.length <= DISC_MAX_FILES;
  const place = (unit: Unit): void => {
    const bin = bins.find((b) => fits(b, unit));
    if (bin === undefined) bins.push({ clips: [...unit.clips], cost: unit.cost });
    else {
      bin.clips.push(...unit.clips);
      bin.cost += unit.cost;
    }
  };
  const cases = groups(clips, (clip) => clip.caseNumber ?? '').map(unitOf);
  for (const caseUnit of largestFirst(cases)) {
    if (whole(caseUnit)) {
      place(caseUnit);
      continue;
    }
    const officers = groups(caseUnit.clips, (clip) => clip.officerBadge ?? '').map(unitOf);
    for (const officerUnit of largestFirst(officers)) {
      if (whole(officerUnit)) place(officerUnit);
      else for (const file of largestFirst(officerUnit.clips.map((c) => unitOf([c])))) place(file);
    }
  }

  return {
    ok: true,
    plan: {
      medium: options.medium,
      copies,
      par2Percent,
      discs: bins.map((bin, i) => ({
        n: i + 1,
        clips: [...bin.clips].sort(discOrder),
        bytes: bin.clips.reduce((sum, clip) => sum + clip.size, 0),
        cost: bin.cost + DISC_RESERVE_BYTES,
      })),
    },
  };
}

function groups(clips: readonly DiscClip[], key: (clip: DiscClip) => string): DiscClip[][] {
  const by = new Map<string, DiscClip[]>();
  for (const clip of clips) {
    const k = key(clip);
    const group = by.get(k);
    if (group === undefined) by.set(k, [clip]);
    else group.push(clip);
  }
  return [...by.values()];
}

/** Largest first; equal ones in the order of their first clip, so a plan is reproducible. */
function largestFirst(units: Unit[]): Unit[] {
  return [...units].sort((a, b) => b.cost - a.cost || discOrder(a.clips[0]!, b.clips[0]!));
}

function discOrder(a: DiscClip, b: DiscClip): number {
  return (
    compare(a.caseNumber ?? '', b.caseNumber ?? '') ||
    compare(a.officerBadge ?? '', b.officerBadge ?? '') ||
    compare(a.recordedAt, b.recordedAt) ||
    a.id - b.id
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Characters no file system on Windows, macOS or Linux takes in a name, and Joliet's `;`. */
const UNSAFE_IN_NAME = /[<>:"/\\|?*;]/g;
/** Names Windows keeps for devices, whatever their extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])\s*(\..*)?$/i;
/** Joliet keeps at most 64 UTF-16 units of a name; longer ones are cut on Windows. */
const JOLIET_NAME_MAX = 64;

/**
 * A name every system reads alike: unsafe and control characters replaced, no trailing dots or
 * spaces (Windows drops them), no device names, at most 64 UTF-16 units (the extension kept).
 */
function discName(text: string | null, none: string): string {
  let name = [...(text ?? '')]
    .map((ch) => (ch.charCodeAt(0) < 0x20 ? '_' : ch))
    .join('')
    .replace(UNSAFE_IN_NAME, '_')
    .trim()
    .replace(/[. ]+$/, '');
  if (name === '' || name === '.' || name === '..') name = none;
  if (RESERVED.test(name)) name = `_${name}`;
  return shortened(name, '');
}

/** `name` with `suffix` before its extension, cut to Joliet's 64 units (whole characters). */
function shortened(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] =
    dot > 0 && name.length - dot <= 10 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let head = stem;
  while (head.length + suffix.length + ext.length > JOLIET_NAME_MAX)
    head = [...head].slice(0, -1).join('');
  // A cut can end the name on a dot or a space, which Windows drops: the file could not be opened.
  const whole = `${head}${suffix}${ext}`;
  return ext === '' && suffix === '' ? whole.replace(/[. ]+$/, '') || '_' : whole;
}

/**
 * Where each clip of a disc stands on it: `evidence/<case>/<officer>/<date>/<file>`, the date the
 * recorder's own (from its offset). Names compare as Windows compares them (upper-cased): two
 * case numbers, officers or originals that would meet under one name keep apart, the later one
 * with `~<n>` (a file: `~<clip id>`) before its extension.
 */
export function evidencePaths(disc: Pick<PlannedDisc, 'clips'>): Map<number, string> {
  const paths = new Map<number, string>();
  /** Each lower-cased path taken, with the raw value (case number, badge, …) that took it. */
  const taken = new Map<string, string>();
  const claim = (parent: string, raw: string, name: string, suffixOf: (n: number) => string) => {
    let candidate = `${parent}/${name}`;
    for (let n = 2; ; n++) {
      // Windows compares names upper-cased ('ſ' and 's', 'ı' and 'i' meet there).
      const owner = taken.get(candidate.toUpperCase());
      if (owner === undefined || owner === raw) break;
      candidate = `${parent}/${shortened(name, suffixOf(n))}`;
    }
    taken.set(candidate.toUpperCase(), raw);
    return candidate;
  };
  for (const clip of [...disc.clips].sort((a, b) => a.id - b.id)) {
    const caseRaw = `case:${clip.caseNumber ?? ''}`;
    const casePath = claim(
      'evidence',
      caseRaw,
      discName(clip.caseNumber, 'no-case'),
      (n) => `~${n}`,
    );
    const officerRaw = `${caseRaw}|officer:${clip.officerBadge ?? ''}`;
    const officerPath = claim(
      casePath,
      officerRaw,
      discName(clip.officerBadge, 'no-officer'),
      (n) => `~${n}`,
    );
    const date = /^\d{4}-\d{2}-\d{2}/.exec(clip.recordedAt)?.[0] ?? 'undated';
    const datePath = `${officerPath}/${date}`;
    const file = discName(clip.fileName, `clip-${clip.id}`);
    paths.set(
      clip.id,
      claim(datePath, `clip:${clip.id}`, file, (n) =>
        n === 2 ? `~${clip.id}` : `~${clip.id}-${n}`,
      ),
    );
  }
  return paths;
}

/** ISO 9660 volume ids: at most 32 of A–Z, 0–9 and `_`. */
const VOLUME_ID_MAX = 32;

/**
 * The volume id of disc n of m, copy k: `CASE<number>_D<n>OF<m>` for a one-case set (the case
 * number's letters and digits), `EVID<set>_D<n>OF<m>` otherwise; a copy past the first says so
 * (`_COPY`, `_COPY2`, …), as its label says 副本 / COPY.
 */
export function discVolumeId(
  set: { caseNumber: string | null; setTag: string },
  n: number,
  m: number,
  copy: number,
): string {
  const tail = `_D${n}OF${m}${copy <= 1 ? '' : copy === 2 ? '_COPY' : `_COPY${copy - 1}`}`;
  const dChars = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const fromCase = set.caseNumber === null ? '' : dChars(set.caseNumber);
  const head = fromCase !== '' ? `CASE${fromCase}` : `EVID${dChars(set.setTag)}`;
  const keep = Math.max(0, VOLUME_ID_MAX - tail.length);
  // The case number's end (its serial) tells discs apart better than its start.
  const shortened =
    head.length <= keep
      ? head
      : keep > 4
        ? head.slice(0, 4) + head.slice(4 - keep)
        : head.slice(0, keep);
  return `${shortened}${tail}`.slice(0, VOLUME_ID_MAX);
}

/** A medium's name for messages: "BD 25 GB", or the byte count of a test medium. */
export function discMediumName(medium: DiscMedium): string {
  return medium.id === 'bytes' ? `${medium.bytes} bytes` : DISC_MEDIA[medium.id].name;
}
