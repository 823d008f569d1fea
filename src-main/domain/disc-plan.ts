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

export interface DiscCostOptions {
  par2Percent: number;
}

function sectors(bytes: number): number {
  return Math.ceil(bytes / SECTOR_BYTES) * SECTOR_BYTES;
}

/** The bytes a clip takes on a disc: its sectors, its share of recovery data and its overhead. */
export function discCost(size: number, options: DiscCostOptions): number {
  return sectors(size) + sectors((size * options.par2Percent) / 100) + DISC_PER_FILE_BYTES;
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
  const cost = { par2Percent };
  const room = usableBytes(options.medium);
  const tooLarge = clips
    .filter((clip) => discCost(clip.size, cost) > room)
    .map((clip) => ({
      clipId: clip.id,
      size: clip.size,
      fitsOn:
        DISC_MEDIA_IDS.find((id) => discCost(clip.size, cost) <= usableBytes(discMedium(id))) ??
        null,
    }));
  if (tooLarge.length > 0) return { ok: false, tooLarge };

  const bins: Bin[] = [];
  const unitOf = (members: DiscClip[]): Unit => ({
    clips: members,
    cost: members.reduce((sum, clip) => sum + discCost(clip.size, cost), 0),
  });
  // Every unit placed fits an empty disc: the clips too large for one were refused above.
  const place = (unit: Unit): void => {
    const bin = bins.find((b) => b.cost + unit.cost <= room);
    if (bin === undefined) bins.push({ clips: [...unit.clips], cost: unit.cost });
    else {
      bin.clips.push(...unit.clips);
      bin.cost += unit.cost;
    }
  };
  const cases = groups(clips, (clip) => clip.caseNumber ?? '').map(unitOf);
  for (const caseUnit of largestFirst(cases)) {
    if (caseUnit.cost <= room) {
      place(caseUnit);
      continue;
    }
    const officers = groups(caseUnit.clips, (clip) => clip.officerBadge ?? '').map(unitOf);
    for (const officerUnit of largestFirst(officers)) {
      if (officerUnit.cost <= room) place(officerUnit);
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

/** Characters no file system on Windows, macOS or Linux takes in a name. */
const UNSAFE_IN_NAME = /[<>:"/\\|?*]/g;

function folderName(text: string | null, none: string): string {
  const name = [...(text ?? '')]
    .map((ch) => (ch.charCodeAt(0) < 0x20 ? '_' : ch))
    .join('')
    .replace(UNSAFE_IN_NAME, '_')
    .trim();
  return name === '' || name === '.' || name === '..' ? none : name;
}

/**
 * Where each clip of a disc stands on it: `evidence/<case>/<officer>/<date>/<file>`, the date the
 * recorder's own (from its offset). Two originals of the same name in one folder (two recorders
 * numbering alike) keep both: the later clip's name gets `~<clip id>` before its extension.
 */
export function evidencePaths(disc: Pick<PlannedDisc, 'clips'>): Map<number, string> {
  const paths = new Map<number, string>();
  const taken = new Set<string>();
  for (const clip of [...disc.clips].sort((a, b) => a.id - b.id)) {
    const folder = [
      'evidence',
      folderName(clip.caseNumber, 'no-case'),
      folderName(clip.officerBadge, 'no-officer'),
      clip.recordedAt.slice(0, 10),
    ].join('/');
    const file = folderName(clip.fileName, `clip-${clip.id}`);
    let path = `${folder}/${file}`;
    if (taken.has(path.toLowerCase())) {
      const dot = file.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [file.slice(0, dot), file.slice(dot)] : [file, ''];
      path = `${folder}/${stem}~${clip.id}${ext}`;
    }
    taken.add(path.toLowerCase());
    paths.set(clip.id, path);
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
