import { SECOND_MS, toEpochMs, toIso } from './time';

/**
 * Rule D-CONTINUOUS: at one enforcement site recording is not intermittent, not selectively cut,
 * not re-recorded afterwards, and no other footage is inserted. Software cannot see the site, but
 * it can see the traces those acts leave on a recorder: numbers missing from its file sequence,
 * holes in its timeline, clips that overlap (a re-recording or an insertion), times that lie in the
 * future, and a counter that starts again. Each is reported at docking, never silently accepted.
 */

export const CONTINUITY_CODES = [
  'sequence-gap',
  'sequence-reset',
  'timeline-gap',
  'timeline-overlap',
  'future-time',
] as const;
export type ContinuityCode = (typeof CONTINUITY_CODES)[number];

/** One clip of one recorder, with its times as the recorder wrote them. */
export interface ContinuityClip {
  path: string;
  sequence: number | null;
  recordedStart: string | null;
  recordedEnd: string | null;
  /**
   * Clips are compared only within one series (default: all in one). Recorders usually number
   * videos, audio and photos with separate counters, and a photo taken while filming is no
   * overlap, so the ingest passes the media kind here.
   */
  series?: string;
  /**
   * The recorder's last clip from an earlier docking, passed so that numbers missing between two
   * dockings are found. It is only compared with, never reported on again.
   */
  earlierDocking?: boolean;
}

export interface ContinuityOptions {
  /** The station's current time (ISO-8601). */
  now: string;
  /** A hole in the timeline longer than this is reported. */
  gapThresholdSeconds: number;
  /** Recorders close one file and open the next with a small overlap; more than this is reported. */
  overlapToleranceSeconds: number;
  /** Clock drift allowed before a time counts as "in the future". Default 60 s. */
  futureToleranceSeconds?: number;
}

export interface ContinuityFinding {
  code: ContinuityCode;
  message: string;
  /** The clip the finding is about (for pairs: the later one). */
  path: string;
  details: Record<string, string | number | boolean | null>;
}

export const DEFAULT_FUTURE_TOLERANCE_SECONDS = 60;

interface Placed {
  clip: ContinuityClip;
  startMs: number | null;
  endMs: number | null;
}

interface Ranked {
  finding: ContinuityFinding;
  series: string;
  clipIndex: number;
}

/**
 * D-CONTINUOUS: the findings for one recorder's clips, in a deterministic order (by series, then
 * by the clips' order, then by code) whatever order the clips were given in.
 *
 * Clips are put in recording order: earlier-docking clips first, then by start time (end time
 * when the start is unknown), then by sequence number and path; clips with no time at all come
 * last, by sequence number. Unknown times are skipped by the timeline checks rather than guessed.
 */
export function continuityFindings(
  clips: readonly ContinuityClip[],
  options: ContinuityOptions,
): ContinuityFinding[] {
  const bySeries = new Map<string, Placed[]>();
  for (const clip of clips) {
    const series = clip.series ?? '';
    const placed = {
      clip,
      startMs: toEpochMs(clip.recordedStart),
      endMs: toEpochMs(clip.recordedEnd),
    };
    const list = bySeries.get(series);
    if (list) list.push(placed);
    else bySeries.set(series, [placed]);
  }

  const ranked: Ranked[] = [];
  for (const [series, unordered] of bySeries) {
    const list = recordingOrder(unordered);
    const add = (clipIndex: number, finding: ContinuityFinding): void => {
      ranked.push({ finding, series, clipIndex });
    };
    sequenceFindings(list, add);
    timelineFindings(list, options, add);
    futureFindings(list, options, add);
  }

  ranked.sort(
    (a, b) =>
      compareText(a.series, b.series) ||
      a.clipIndex - b.clipIndex ||
      CONTINUITY_CODES.indexOf(a.finding.code) - CONTINUITY_CODES.indexOf(b.finding.code),
  );
  return ranked.map((r) => r.finding);
}

type Add = (clipIndex: number, finding: ContinuityFinding) => void;

/** Numbers the recorder skipped, and counters that start again. */
function sequenceFindings(list: readonly Placed[], add: Add): void {
  let previous: { placed: Placed; sequence: number } | null = null;
  for (const [index, placed] of list.entries()) {
    const sequence = placed.clip.sequence;
    if (sequence === null || !Number.isFinite(sequence)) continue;
    if (previous !== null && !placed.clip.earlierDocking) {
      const before = previous.sequence;
      const across = previous.placed.clip.earlierDocking === true;
      const since = across ? ' since the previous docking' : '';
      const details = {
        sequence,
        previousSequence: before,
        previousPath: previous.placed.clip.path,
        acrossDockings: across,
      };
      if (sequence > before + 1) {
        const missing = sequence - before - 1;
        const range = missing === 1 ? `${before + 1}` : `${before + 1}–${sequence - 1}`;
        add(index, {
          code: 'sequence-gap',
          message: `Sequence jumps from ${before} to ${sequence}${since}: ${missing} clip(s) missing (${range}).`,
          path: placed.clip.path,
          details: { ...details, missing, firstMissing: before + 1, lastMissing: sequence - 1 },
        });
      } else if (sequence <= before) {
        const what = sequence === before ? 'repeats' : 'starts again';
        add(index, {
          code: 'sequence-reset',
          message: `Sequence number ${sequence} ${what} after ${before}${since}: the recorder's counter was reset or a clip was replaced.`,
          path: placed.clip.path,
          details,
        });
      }
    }
    previous = { placed, sequence };
  }
}

/** Holes longer than the threshold, and clips that start before an earlier one has ended. */
function timelineFindings(list: readonly Placed[], options: ContinuityOptions, add: Add): void {
  const gapMs = options.gapThresholdSeconds * SECOND_MS;
  const toleranceMs = options.overlapToleranceSeconds * SECOND_MS;
  // The latest end seen so far: a long clip can cover several shorter ones after it.
  let cover: { endMs: number; placed: Placed } | null = null;
  // A hole can only be measured from a clip whose end is known; otherwise it may not be a hole.
  let previousEndKnown = false;
  for (const [index, placed] of list.entries()) {
    const { startMs, endMs } = placed;
    // A photo (start = end) covers no time: it can leave no hole and overlap nothing.
    if ((startMs === null && endMs === null) || startMs === endMs) continue;
    if (startMs !== null && cover !== null && !placed.clip.earlierDocking) {
      const deltaMs = startMs - cover.endMs;
      const across = cover.placed.clip.earlierDocking === true;
      const details = {
        start: toIso(startMs),
        previousEnd: toIso(cover.endMs),
        previousPath: cover.placed.clip.path,
        acrossDockings: across,
      };
      if (deltaMs < -toleranceMs) {
        const seconds = -deltaMs / SECOND_MS;
        add(index, {
          code: 'timeline-overlap',
          message: `Starts ${formatSeconds(seconds)} before ${cover.placed.clip.path} ended${across ? ' (a clip of the previous docking)' : ''}: possible re-recording or inserted footage.`,
          path: placed.clip.path,
          details: { ...details, overlapSeconds: seconds },
        });
      } else if (deltaMs > gapMs && previousEndKnown && !across) {
        // Not across dockings: between two dockings the recorder sat in the dock, and a hole
        // there says nothing about recording at a site.
        const seconds = deltaMs / SECOND_MS;
        add(index, {
          code: 'timeline-gap',
          message: `${formatSeconds(seconds)} with no recording after ${cover.placed.clip.path}.`,
          path: placed.clip.path,
          details: { ...details, gapSeconds: seconds },
        });
      }
    }
    if (endMs !== null && (cover === null || endMs > cover.endMs)) cover = { endMs, placed };
    previousEndKnown = endMs !== null;
  }
}

/** Times later than now: the recorder's clock is wrong, or the file is not what it claims. */
function futureFindings(list: readonly Placed[], options: ContinuityOptions, add: Add): void {
  const nowMs = toEpochMs(options.now);
  if (nowMs === null) return;
  const toleranceMs =
    (options.futureToleranceSeconds ?? DEFAULT_FUTURE_TOLERANCE_SECONDS) * SECOND_MS;
  for (const [index, placed] of list.entries()) {
    if (placed.clip.earlierDocking) continue;
    const latest = Math.max(placed.startMs ?? -Infinity, placed.endMs ?? -Infinity);
    if (latest - nowMs <= toleranceMs) continue;
    const seconds = (latest - nowMs) / SECOND_MS;
    add(index, {
      code: 'future-time',
      message: `Recorded time lies ${formatSeconds(seconds)} in the future: the recorder's clock is wrong or the file's times were altered.`,
      path: placed.clip.path,
      details: {
        recordedStart: placed.clip.recordedStart,
        recordedEnd: placed.clip.recordedEnd,
        now: toIso(nowMs),
        aheadSeconds: seconds,
      },
    });
  }
}

/**
 * The order the recorder made the clips in. Times decide, because a counter that wraps or is reset
 * only shows against time; a clip without any time is slotted in by its sequence number (after
 * its predecessor, else before its successor) so that a lost time does not read as a missing clip.
 */
function recordingOrder(list: readonly Placed[]): Placed[] {
  const earlier = list.filter((p) => p.clip.earlierDocking === true).sort(byTime);
  const current = list.filter((p) => p.clip.earlierDocking !== true);
  const ordered = current.filter((p) => timeOf(p) !== null).sort(byTime);
  const untimed = current.filter((p) => timeOf(p) === null).sort(bySequenceThenPath);
  for (const placed of untimed) {
    const sequence = placed.clip.sequence;
    if (sequence === null) {
      ordered.push(placed);
      continue;
    }
    const after = findLastIndex(ordered, (p) => p.clip.sequence === sequence - 1);
    const before = ordered.findIndex((p) => p.clip.sequence === sequence + 1);
    const below = lastIndexOfGreatestBelow(ordered, sequence);
    const at =
      after >= 0 ? after + 1 : before >= 0 ? before : below >= 0 ? below + 1 : ordered.length;
    ordered.splice(at, 0, placed);
  }
  return [...earlier, ...ordered];
}

function timeOf(p: Placed): number | null {
  return p.startMs ?? p.endMs;
}

function byTime(a: Placed, b: Placed): number {
  return (
    compareNullable(timeOf(a), timeOf(b)) ||
    compareNullable(a.clip.sequence, b.clip.sequence) ||
    compareText(a.clip.path, b.clip.path) ||
    compareNullable(a.endMs, b.endMs)
  );
}

function bySequenceThenPath(a: Placed, b: Placed): number {
  return compareNullable(a.clip.sequence, b.clip.sequence) || compareText(a.clip.path, b.clip.path);
}

/** Ascending, unknown last. */
function compareNullable(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i] as T)) return i;
  return -1;
}

function lastIndexOfGreatestBelow(ordered: readonly Placed[], sequence: number): number {
  let found = -1;
  let best = Number.NEGATIVE_INFINITY;
  ordered.forEach((p, i) => {
    const s = p.clip.sequence;
    if (s !== null && s < sequence && s >= best) {
      best = s;
      found = i;
    }
  });
  return found;
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 120) return `${whole} s`;
  if (whole < 2 * 3600) return `${Math.round(whole / 60)} min`;
  return `${(whole / 3600).toFixed(1)} h`;
}
