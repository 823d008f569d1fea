/**
 * The recordable media a long-term set is burned to (D-LONGTERM), by what a closed single session
 * holds: each medium's capacity is its sector count times 2,048 bytes, the smaller of the -R and +R
 * formats where they differ, so a plan made for "DVD" fits either.
 */
export const DISC_MEDIA = {
  cd: { sectors: 360_000, name: 'CD 700 MB' },
  dvd: { sectors: 2_295_104, name: 'DVD 4.7 GB' },
  'dvd-dl': { sectors: 4_171_712, name: 'DVD DL 8.5 GB' },
  'bd-25': { sectors: 12_219_392, name: 'BD 25 GB' },
  'bd-50': { sectors: 24_438_784, name: 'BD 50 GB' },
  'bd-100': { sectors: 48_878_592, name: 'BD 100 GB' },
} as const;

export type DiscMediaId = keyof typeof DISC_MEDIA;

export const DISC_MEDIA_IDS = Object.keys(DISC_MEDIA) as DiscMediaId[];

/** Bytes in one sector of an ISO 9660 file system (every file starts on a sector). */
export const SECTOR_BYTES = 2048;

/** A medium to plan for: one of the list, or (for tests and odd media) a size in bytes. */
export interface DiscMedium {
  id: DiscMediaId | 'bytes';
  bytes: number;
}

export function discMedium(id: DiscMediaId): DiscMedium {
  return { id, bytes: DISC_MEDIA[id].sectors * SECTOR_BYTES };
}

/**
 * A medium as a custodian names it: `cd`, `dvd`, `dvd-dl`, `bd-25`, `bd-50`, `bd-100`, or a whole
 * number of bytes (at least 1 MiB). Null when it is neither.
 */
export function parseDiscMedium(text: string): DiscMedium | null {
  const id = text.trim().toLowerCase();
  if ((DISC_MEDIA_IDS as string[]).includes(id)) return discMedium(id as DiscMediaId);
  if (/^[1-9][0-9]{0,14}$/.test(id)) {
    const bytes = Number(id);
    return bytes >= 1024 * 1024 ? { id: 'bytes', bytes } : null;
  }
  return null;
}
