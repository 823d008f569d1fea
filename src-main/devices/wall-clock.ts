/**
 * Recorders keep a wall clock with no time zone: whatever is set is what they stamp on clips.
 * The station sets it in the unit's zone (an IANA name from unit configuration), or its own
 * local zone when none is given.
 */
export interface WallClock {
  YYYY: string;
  MM: string;
  DD: string;
  HH: string;
  mm: string;
  ss: string;
}

export function wallClock(date: Date, timeZone?: string): WallClock {
  if (Number.isNaN(date.getTime())) throw new RangeError('wallClock: invalid date');
  const two = (n: number) => String(n).padStart(2, '0');
  if (timeZone === undefined) {
    return {
      YYYY: String(date.getFullYear()).padStart(4, '0'),
      MM: two(date.getMonth() + 1),
      DD: two(date.getDate()),
      HH: two(date.getHours()),
      mm: two(date.getMinutes()),
      ss: two(date.getSeconds()),
    };
  }
  // Throws RangeError for an unknown zone: a misconfigured unit must not set a wrong clock.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    YYYY: part('year').padStart(4, '0'),
    MM: part('month'),
    DD: part('day'),
    HH: part('hour'),
    mm: part('minute'),
    ss: part('second'),
  };
}

/** `format` with the tokens YYYY MM DD HH mm ss replaced; everything else kept as written. */
export function formatWallClock(date: Date, format: string, timeZone?: string): string {
  const clock = wallClock(date, timeZone);
  return format.replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => clock[token as keyof WallClock]);
}
