/**
 * Instants in the domain are ISO-8601 strings (what the catalogue stores and the contract
 * carries); arithmetic is done in epoch milliseconds. A string that does not parse is treated as
 * an unknown time rather than as an error: the rules must still report on the other clips.
 */

export const SECOND_MS = 1000;
export const HOUR_MS = 60 * 60 * SECOND_MS;

/** Epoch milliseconds of an ISO-8601 time, or null when absent or unparsable. */
export function toEpochMs(time: string | null | undefined): number | null {
  if (time === null || time === undefined) return null;
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? ms : null;
}

/** The canonical ISO-8601 UTC form, e.g. `2026-11-22T05:00:00.000Z`. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
