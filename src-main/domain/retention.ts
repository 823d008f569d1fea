import type { EnforcementKind, LongTermReason, RetentionClass } from '../contract';
import { toEpochMs, toIso } from './time';

/** The unit's retention periods (D-RETAIN); the seeds differ, so they are configuration. */
export interface RetentionPolicy {
  /** Daily enforcement footage: at least this many years from the recording. */
  dailyYears: number;
  /** Evidence: as long as its case file, this many years from the case's close. */
  caseFileYears: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { dailyYears: 2, caseFileYears: 30 };

/** What retention needs to know of a clip. */
export interface RetainedClip {
  recordedAt: string | null;
  /** The clip is evidence in a case (its case number), or daily enforcement (null). */
  caseNumber: string | null;
  /** D-LONGTERM: why it is kept long-term, if it is. */
  longTerm: LongTermReason | null;
}

/** What retention needs to know of the clip's case. */
export interface RetainedCase {
  /** Null while the case is open. */
  closedAt: string | null;
  kind: EnforcementKind;
}

export interface Retention {
  retentionClass: RetentionClass;
  /** The day the clip may be considered for deletion (through D-APPROVAL), or null: never yet. */
  dueAt: string | null;
}

/** D-RETAIN: footage used as evidence in penalty and coercive-measure cases lives with the file. */
export function isEvidenceKind(kind: EnforcementKind): boolean {
  return kind === 'penalty' || kind === 'coercion';
}

/** `years` later on the calendar (29 February becomes 1 March in a common year). */
function addYears(iso: string | null, years: number): string | null {
  const ms = toEpochMs(iso);
  if (ms === null) return null;
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return toIso(date.getTime());
}

/**
 * Rules D-RETAIN and D-LONGTERM: the retention class of a clip and when it becomes due.
 * - long-term (disputes, obstruction or assault of officers, mass incidents, other): never due;
 * - evidence (a clip of a penalty or coercive-measure case): kept as long as the case file,
 *   `caseFileYears` from the case's close;
 * - daily: at least `dailyYears` from the recording.
 * A clip in an open case never becomes due, whatever its class. An unknown recording time is
 * never due either: deletion needs a date that is proven.
 */
export function retentionOf(
  clip: RetainedClip,
  kase: RetainedCase | null,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Retention {
  if (clip.longTerm !== null) return { retentionClass: 'long-term', dueAt: null };
  const evidence = kase !== null && isEvidenceKind(kase.kind);
  const retentionClass: RetentionClass = evidence ? 'evidence' : 'daily';
  if (clip.caseNumber !== null && (kase === null || kase.closedAt === null)) {
    return { retentionClass, dueAt: null };
  }
  const dueAt = evidence
    ? addYears(kase.closedAt, policy.caseFileYears)
    : addYears(clip.recordedAt, policy.dailyYears);
  return { retentionClass, dueAt };
}

/** Whether a clip is due for review for deletion now. */
export function isRetentionDue(retention: Retention, now: string): boolean {
  const due = toEpochMs(retention.dueAt);
  const at = toEpochMs(now);
  return due !== null && at !== null && at >= due;
}
