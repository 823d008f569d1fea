import { toEpochMs, toIso } from './time';

/**
 * A recorder's clock offset at docking, recorded on every clip of that docking (issue 3, "Clock")
 * so that the times a recorder wrote can be judged against the station's clock, which is the
 * clock of custody (rule D-24H) and of the timeline checks (rule D-CONTINUOUS).
 *
 * Sign: `offsetMs = recorder time − station time`; positive means the recorder runs fast.
 */
export interface ClockOffset {
  offsetMs: number;
  /** `driver`: the recorder's clock was read at docking; `estimate`: inferred from file times. */
  source: 'driver' | 'estimate';
}

/**
 * The offset measured by reading the recorder's clock (through its driver) at `stationTime`.
 * Null when either time does not parse: a garbled answer from a recorder is no measurement.
 */
export function clockOffset(input: {
  recorderTime: string;
  stationTime: string;
}): ClockOffset | null {
  const recorderMs = toEpochMs(input.recorderTime);
  const stationMs = toEpochMs(input.stationTime);
  if (recorderMs === null || stationMs === null) return null;
  return { offsetMs: recorderMs - stationMs, source: 'driver' };
}

/**
 * An estimate for recorders whose clock cannot be read: the newest clip's modification time
 * (written by the recorder's clock) minus the docking time (the station's clock).
 *
 * Why it works: a recorder that was recording until it was docked closed its newest file just
 * before docking, so that file's mtime is "now" in recorder time. Why it is only an estimate: any
 * idle time between the end of the last recording and the docking makes the recorder look slow
 * by exactly that much, so the value is a lower bound of the true offset. A positive estimate is
 * therefore real evidence of a fast clock (no recording can end after its own docking), a
 * negative one may be nothing but idle time; `applyClockOffset` treats them accordingly.
 *
 * Null when there is no clip to go by.
 */
export function estimateClockOffset(input: {
  newestClipMtime: string | null;
  dockedAt: string;
}): ClockOffset | null {
  const newestMs = toEpochMs(input.newestClipMtime);
  const dockedMs = toEpochMs(input.dockedAt);
  if (newestMs === null || dockedMs === null) return null;
  return { offsetMs: newestMs - dockedMs, source: 'estimate' };
}

/**
 * A time the recorder wrote, moved onto the station's clock.
 *
 * A measured offset is applied in full. Of an estimate only the part that is proven is applied:
 * a fast clock (positive estimate). Applying a negative estimate would move recordings later by
 * the officer's idle time, which would hide late custody (rule D-24H).
 */
export function applyClockOffset(
  recordedTime: string | null,
  offset: ClockOffset | null,
): string | null {
  const ms = toEpochMs(recordedTime);
  if (ms === null) return null;
  if (offset === null) return toIso(ms);
  const applied = offset.source === 'driver' ? offset.offsetMs : Math.max(0, offset.offsetMs);
  return toIso(ms - applied);
}
