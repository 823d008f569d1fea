/**
 * Recorders write wall-clock times without a zone (file names, EXIF). They are read as the
 * recorder's local time: China Standard Time unless the unit configures otherwise.
 */

export const CHINA_STANDARD_TIME_OFFSET_MINUTES = 8 * 60;

/**
 * Times before this are an unset clock (a recorder that lost power restarts at 1970, 1980 on FAT
 * or 2000), not a recording: they are treated as absent so another source can speak.
 */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);

export function plausible(ms: number | null): number | null {
  return ms !== null && Number.isFinite(ms) && ms >= EARLIEST_PLAUSIBLE_MS && ms <= 8.64e15
    ? ms
    : null;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Epoch ms of a wall-clock time at a UTC offset, or null when the fields are not a real time. */
export function wallClockToEpochMs(clock: WallClock, offsetMinutes: number): number | null {
  const { year, month, day, hour, minute, second } = clock;
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return null;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (hour < 0 || minute < 0 || second < 0) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March; a real recorder never writes that.
  if (new Date(utc).getUTCDate() !== day) return null;
  return plausible(utc - offsetMinutes * 60_000);
}
