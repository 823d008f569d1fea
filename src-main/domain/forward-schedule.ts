import type { ForwardSchedule } from '../contract';

/**
 * The bandwidth limit a target's weekly timetable sets at a moment, in the station's local time
 * (bytes a second; null: none). The first window holding the moment decides; outside every
 * window, `otherwise` does. A window runs from its start up to, not including, its end.
 */
export function rateLimitAt(schedule: ForwardSchedule, at: Date): number | null {
  const day = at.getDay() === 0 ? 7 : at.getDay();
  const minute = at.getHours() * 60 + at.getMinutes();
  for (const window of schedule.windows) {
    if (!window.days.includes(day)) continue;
    if (minuteOf(window.from) <= minute && minute < minuteOf(window.to)) {
      return window.bytesPerSecond;
    }
  }
  return schedule.otherwise;
}

function minuteOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * When to try a failed item again: exponential backoff from `baseMs`, capped at `capMs`, with
 * jitter (a random point in the window's upper half), so that many items failing at once after an
 * outage do not all come back at the same instant. `random` is in [0, 1).
 */
export function retryDelayMs(
  attempts: number,
  random: number,
  baseMs = 2_000,
  capMs = 15 * 60_000,
): number {
  const window = Math.min(capMs, baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(window / 2 + (random * window) / 2);
}
