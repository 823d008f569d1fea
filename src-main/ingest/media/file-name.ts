import type { RecorderProfile } from '../../devices/profile';
import { wallClockToEpochMs, type WallClock } from './local-time';

/** What a recorder's file name says, through its profile's pattern. */
export interface FileNameFacts {
  startMs: number | null;
  sequence: number | null;
  badge: string | null;
  serial: string | null;
}

const NOTHING: FileNameFacts = { startMs: null, sequence: null, badge: null, serial: null };

/** The `startFormat` tokens and the clock field each fills, longest first. */
const TOKENS: ReadonlyArray<[string, keyof WallClock]> = [
  ['YYYY', 'year'],
  ['MM', 'month'],
  ['DD', 'day'],
  ['HH', 'hour'],
  ['mm', 'minute'],
  ['ss', 'second'],
];

/**
 * The named groups of the profile's file-name pattern (serial, badge, start, sequence), matched
 * against the base name. The start time is the recorder's local time at `offsetMinutes` from UTC.
 */
export function fileNameFacts(
  profile: RecorderProfile,
  originalName: string,
  offsetMinutes: number,
): FileNameFacts {
  const rule = profile.fileName;
  if (!rule) return NOTHING;
  const baseName = originalName.split(/[\\/]/).pop() ?? '';
  let groups: Record<string, string | undefined> | undefined;
  try {
    groups = new RegExp(rule.pattern, 'u').exec(baseName)?.groups;
  } catch {
    // The profile schema checks that the pattern compiles; a profile built elsewhere may not.
    return NOTHING;
  }
  if (!groups) return NOTHING;
  const sequence = groups.sequence?.trim();
  return {
    startMs: groups.start ? parseStart(groups.start, rule.startFormat, offsetMinutes) : null,
    sequence: sequence && /^\d{1,15}$/.test(sequence) ? Number.parseInt(sequence, 10) : null,
    badge: groups.badge?.trim() || null,
    serial: groups.serial?.trim() || null,
  };
}

/** `value` read with `format` (tokens YYYY MM DD HH mm ss, anything else literal). */
export function parseStart(value: string, format: string, offsetMinutes: number): number | null {
  const fields: Array<keyof WallClock> = [];
  let source = '';
  for (let i = 0; i < format.length;) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      fields.push(token[1]);
      source += `(\\d{${token[0].length}})`;
      i += token[0].length;
    } else {
      source += (format[i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  if (!fields.includes('year') || !fields.includes('month') || !fields.includes('day')) return null;
  const match = new RegExp(`^${source}$`).exec(value);
  if (!match) return null;
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  fields.forEach((field, index) => {
    clock[field] = Number.parseInt(match[index + 1] ?? '', 10);
  });
  return wallClockToEpochMs(clock, offsetMinutes);
}
