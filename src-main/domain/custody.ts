import type { CustodyExceptionKind } from '../contract';
import { HOUR_MS, toEpochMs, toIso } from './time';

/**
 * Rule D-24H: a finished recording may not stay with the officer. Within 24 hours of the end of
 * the recording it must be in the unit's storage; on continuous duty, off-site duty or in a remote
 * area, within 24 hours of returning to the unit, with the reason recorded.
 *
 * Times given here must be on the station's clock: correct a recorder's `recordedEnd` with its
 * clock offset first (see clock.ts), or a recorder whose clock is fast hides late custody.
 */

export const CUSTODY_LIMIT_MS = 24 * HOUR_MS;

/** Why custody may come later than 24 h after the recording, and when the officer came back. */
export interface CustodyException {
  kind: CustodyExceptionKind;
  /** When the officer returned to the unit (ISO-8601). */
  returnedAt: string;
}

/**
 * D-24H: the latest moment custody is on time, or null when it cannot be known (no end time and
 * no exception).
 *
 * An exception only ever extends the deadline: a return time recorded before the end of the
 * recording (a typing slip, or a clip made after coming back) falls back to the normal rule, so
 * that an exception can never make an on-time clip late.
 */
export function custodyDeadline(
  recordedEnd: string | null,
  exception?: CustodyException | null,
): string | null {
  const endMs = toEpochMs(recordedEnd);
  const returnedMs = exception ? toEpochMs(exception.returnedAt) : null;
  const startsAt =
    endMs === null ? returnedMs : returnedMs === null ? endMs : Math.max(endMs, returnedMs);
  return startsAt === null ? null : toIso(startsAt + CUSTODY_LIMIT_MS);
}

/**
 * D-24H: true when the station took custody more than 24 h after the recording ended (with an
 * exception: more than 24 h after the return to the unit). Exactly 24 h is on time.
 *
 * Unknown times give false: lateness is a finding against an officer, so it is only raised when
 * it is proven; a clip without an end time is reported by its missing time instead.
 */
export function isLateCustody(input: {
  recordedEnd: string | null;
  custodyAt: string;
  exception?: CustodyException | null;
}): boolean {
  const deadlineMs = toEpochMs(custodyDeadline(input.recordedEnd, input.exception));
  const custodyMs = toEpochMs(input.custodyAt);
  if (deadlineMs === null || custodyMs === null) return false;
  return custodyMs > deadlineMs;
}
