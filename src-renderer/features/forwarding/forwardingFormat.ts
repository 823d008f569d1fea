import type { TFunction } from 'i18next';
import type { ForwardSchedule, TargetQueue } from '../../../src-main/contract';

/**
 * Rates on this screen are in MB/s of 1024 × 1024 bytes, the unit every rate in the UI is shown
 * in (shared/format), so a limit of 5 MB/s and a rate shown as 5 MB/s are the same thing.
 */
export const MB = 1024 * 1024;

/** A limit typed in MB/s as the contract's bytes a second; empty is no limit. */
export function bytesPerSecondOf(mbPerSecond: number | null | undefined): number | null {
  if (mbPerSecond === null || mbPerSecond === undefined || !(mbPerSecond > 0)) return null;
  return Math.max(1, Math.round(mbPerSecond * MB));
}

/** Bytes a second as MB/s for a form field (two decimals at most); no limit is empty. */
export function mbPerSecondOf(bytesPerSecond: number | null): number | null {
  return bytesPerSecond === null ? null : Math.round((bytesPerSecond / MB) * 100) / 100;
}

/**
 * Seconds until what waits on a target is sent at the rate it goes now: the bytes queued and
 * uploading over the rate. Unknown (null) when nothing moves, or nothing waits is 0.
 */
export function etaSeconds(queue: TargetQueue): number | null {
  const waiting = queue.queued.bytes + queue.uploading.bytes;
  if (waiting === 0) return 0;
  if (!(queue.rate > 0) || !queue.enabled || queue.stopped !== null) return null;
  return waiting / queue.rate;
}

/** Days 1 (Monday) … 7 as the UI language names them, runs of three or more as a range. */
export function daysText(t: TFunction, days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return t('forwarding.schedule.everyDay');
  const runs: number[][] = [];
  for (const day of sorted) {
    const run = runs[runs.length - 1];
    if (run !== undefined && run[run.length - 1] === day - 1) run.push(day);
    else runs.push([day]);
  }
  const name = (day: number) => t(`forwarding.schedule.days.${day}`);
  return runs
    .flatMap((run) =>
      run.length >= 3
        ? [
            t('forwarding.schedule.dayRange', {
              from: name(run[0]!),
              to: name(run[run.length - 1]!),
            }),
          ]
        : run.map(name),
    )
    .join(t('forwarding.schedule.daySeparator'));
}

function limitText(t: TFunction, bytesPerSecond: number | null): string {
  return bytesPerSecond === null
    ? t('forwarding.schedule.unlimited')
    : t('forwarding.schedule.limit', { rate: mbPerSecondOf(bytesPerSecond) });
}

/** "Mon–Fri 08:00–18:00 5 MB/s; otherwise unlimited", in the UI language. */
export function scheduleSummary(t: TFunction, schedule: ForwardSchedule): string {
  if (schedule.windows.length === 0) {
    return schedule.otherwise === null
      ? t('forwarding.schedule.alwaysUnlimited')
      : t('forwarding.schedule.always', { limit: limitText(t, schedule.otherwise) });
  }
  const windows = schedule.windows.map((w) =>
    t('forwarding.schedule.window', {
      days: daysText(t, w.days),
      from: w.from,
      to: w.to,
      limit: limitText(t, w.bytesPerSecond),
    }),
  );
  return [
    ...windows,
    t('forwarding.schedule.otherwise', { limit: limitText(t, schedule.otherwise) }),
  ].join(t('forwarding.schedule.separator'));
}

/** Whether a clip has waited past the D-24H day since it was taken into custody. */
export function waitedPastDay(custodyAt: string | null, now: number): boolean {
  return custodyAt !== null && now - Date.parse(custodyAt) > 24 * 60 * 60 * 1000;
}

/** The timetable as its editor holds it: limits in MB/s, empty for no limit. */
export interface ScheduleFields {
  windows: { days: number[]; from: string; to: string; mbPerSecond: number | null }[];
  otherwise: number | null;
}

export function scheduleFields(schedule: ForwardSchedule): ScheduleFields {
  return {
    windows: schedule.windows.map((w) => ({
      days: [...w.days],
      from: w.from,
      to: w.to,
      mbPerSecond: mbPerSecondOf(w.bytesPerSecond),
    })),
    otherwise: mbPerSecondOf(schedule.otherwise),
  };
}

export function scheduleOf(fields: ScheduleFields | undefined): ForwardSchedule {
  return {
    windows: (fields?.windows ?? []).map((w) => ({
      days: [...w.days].sort((a, b) => a - b),
      from: w.from.trim(),
      to: w.to.trim(),
      bytesPerSecond: bytesPerSecondOf(w.mbPerSecond),
    })),
    otherwise: bytesPerSecondOf(fields?.otherwise),
  };
}
