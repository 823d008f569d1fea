import type { ForwardSchedule } from '../../contract';
import { fail } from './output';

/**
 * Rates as the screens show them: a MB is 1024 × 1024 bytes throughout evidock (MiB is taken
 * too), so a limit typed here and a rate read on the Forwarding screen are the same number.
 */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** `5MB/s`, `500KiB/s`, `unlimited`: bytes a second, or null for no limit. */
export function parseRate(text: string, flag: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === 'unlimited' || value === 'none') return null;
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b|b)(?:\/s)?$/.exec(value);
  if (match === null) {
    fail(
      'BAD_REQUEST',
      `${flag} must be a rate such as 5MB/s, 800KiB/s or unlimited, not "${text}".`,
    );
  }
  const bytes = Math.round(Number(match[1]) * UNITS[match[2]!]!);
  if (bytes < 1) fail('BAD_REQUEST', `${flag} must be at least 1 byte a second.`);
  return bytes;
}

/** `1-5` or `1,3,5` (1 is Monday, 7 Sunday). */
function parseDays(text: string, flag: string): number[] {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^([1-7])(?:-([1-7]))?$/.exec(part.trim());
    if (range === null) fail('BAD_REQUEST', `${flag}: days are 1 (Monday) to 7, as 1-5 or 6,7.`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (to < from) fail('BAD_REQUEST', `${flag}: a day range runs forwards, as 1-5.`);
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days];
}

/**
 * The weekly timetable from `--window "1-5 08:00-18:00 5MB/s"` (repeatable) and
 * `--otherwise unlimited`: Monday to Friday, eight to six, 5 MB/s; any other time, no limit.
 */
export function parseSchedule(
  windows: readonly string[] | undefined,
  otherwise: string | undefined,
): ForwardSchedule | undefined {
  if (windows === undefined && otherwise === undefined) return undefined;
  return {
    windows: (windows ?? []).map((text) => {
      const match = /^\s*(\S+)\s+(\d\d:\d\d)-(\d\d:\d\d)\s+(\S+)\s*$/.exec(text);
      if (match === null) {
        fail(
          'BAD_REQUEST',
          `--window must look like "1-5 08:00-18:00 5MB/s" (days, hours, rate), not "${text}".`,
        );
      }
      return {
        days: parseDays(match[1]!, '--window'),
        from: match[2]!,
        to: match[3]!,
        bytesPerSecond: parseRate(match[4]!, '--window'),
      };
    }),
    otherwise: otherwise === undefined ? null : parseRate(otherwise, '--otherwise'),
  };
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
