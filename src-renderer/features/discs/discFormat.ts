import type { TFunction } from 'i18next';
import { formatSpan } from '../../shared/format';
import {
  discDriveSchema,
  type DiscProgress,
  type DiscRecord,
  type DiscSet,
  type DiscState,
} from '../../../src-main/contract';

/** The media a custodian plans for, as the station names them, smallest first. */
export const DISC_MEDIA = ['cd', 'dvd', 'dvd-dl', 'bd-25', 'bd-50', 'bd-100'] as const;

/** What a burn goes through, in order: the set staged, its recovery data, the burn, four passes. */
export const BURN_PHASES = [
  'staging',
  'recovery',
  'burning',
  'blocks',
  'md5',
  'files',
  'signatures',
] as const satisfies readonly DiscProgress['phase'][];
export type BurnPhase = (typeof BURN_PHASES)[number];

/** A re-check reads the disc only: the four passes. */
export const CHECK_PHASES = ['blocks', 'md5', 'files', 'signatures'] as const;

/** A copy's latest burn as a tag shows it: not burned yet, or the burn's state. */
export type CopyState = DiscState | 'notBurned';

export const COPY_STATE_COLOR: Record<CopyState, string> = {
  notBurned: 'default',
  burning: 'processing',
  verified: 'success',
  failed: 'error',
  interrupted: 'warning',
};

export function copyState(record: DiscRecord | null): CopyState {
  return record === null ? 'notBurned' : record.state;
}

/** A medium as the UI language names it; a byte count (a test medium) as its size. */
export function mediumText(t: TFunction, medium: string, bytes?: number): string {
  if ((DISC_MEDIA as readonly string[]).includes(medium)) return t(`discs.media.${medium}`);
  return t('discs.media.bytes', { bytes: bytes ?? medium });
}

/** Copy 1 is the original; the others are copies, named as their volume ids name them. */
export function copyText(t: TFunction, copy: number): string {
  if (copy <= 1) return t('discs.copy.original');
  return copy === 2 ? t('discs.copy.copy') : t('discs.copy.copyNumbered', { k: copy - 1 });
}

/** A pseudo-drive writes an image file instead of a disc. */
export function isImageDrive(drive: string): boolean {
  return drive.trim().startsWith('stdio:');
}

/**
 * Whether the text names a drive the station burns to: a device under /dev, or `stdio:` and an
 * absolute path (the station checks the same before it writes anything).
 */
export function isDriveText(text: string): boolean {
  const drive = text.trim();
  if (!discDriveSchema.safeParse(drive).success) return false;
  if (isImageDrive(drive)) return drive.slice('stdio:'.length).startsWith('/');
  return drive.startsWith('/dev/');
}

/**
 * Where one disc of a set goes: the drive itself, or for an image a file of its own per disc and
 * copy (the station never writes over an image), named by inserting the volume id before the
 * extension: `stdio:/x/case.iso` → `stdio:/x/case-<VOLUMEID>.iso`.
 */
export function driveForDisc(drive: string, volumeId: string): string {
  const trimmed = drive.trim();
  if (!isImageDrive(trimmed)) return trimmed;
  const slash = trimmed.lastIndexOf('/');
  const dot = trimmed.lastIndexOf('.');
  return dot > slash + 1
    ? `${trimmed.slice(0, dot)}-${volumeId}${trimmed.slice(dot)}`
    : `${trimmed}-${volumeId}`;
}

/** One disc and copy of a set, as a burn asks for it. */
export interface BurnJob {
  setId: number;
  setTag: string;
  n: number;
  of: number;
  copy: number;
  volumeId: string;
}

export function jobOf(set: DiscSet, n: number, copy: number): BurnJob {
  const disc = set.discs[n - 1];
  return {
    setId: set.id,
    setTag: set.tag,
    n,
    of: set.discs.length,
    copy,
    volumeId: disc?.volumeIds[copy - 1] ?? '',
  };
}

/** Whether a copy still needs a burn: never burned, or its latest burn failed or was cut off. */
export function needsBurn(record: DiscRecord | null): boolean {
  return record === null || record.state === 'failed' || record.state === 'interrupted';
}

/** The copies of a set still to burn, disc by disc, each disc's copies in turn. */
export function remainingJobs(set: DiscSet): BurnJob[] {
  return set.discs.flatMap((disc) =>
    disc.copies.flatMap((record, k) => (needsBurn(record) ? [jobOf(set, disc.n, k + 1)] : [])),
  );
}

/** Clip ids typed comma-separated (Chinese commas and spaces too); null when one is not a number. */
export function parseClipIds(text: string): number[] | null {
  const parts = text
    .split(/[,，、\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return null;
  const ids = parts.map((part) => (/^[1-9][0-9]{0,12}$/.test(part) ? Number(part) : NaN));
  return ids.some((id) => !Number.isSafeInteger(id)) ? null : [...new Set(ids)];
}

/** Whether a re-check is due: its date has come. */
export function checkDue(nextCheckDue: string | null, now: number): boolean {
  return nextCheckDue !== null && Date.parse(nextCheckDue) <= now;
}

/** How long a pass or a burn took; a pass over a small image takes less than a second. */
export function tookText(t: TFunction, ms: number): string {
  return ms < 1000 ? t('dock.span.lessThanSecond') : formatSpan(t, ms / 1000);
}
