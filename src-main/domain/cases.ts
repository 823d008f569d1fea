import type { NotSuitableReason, ProceduralAct } from '../contract';
import { HOUR_MS, toEpochMs, toIso } from './time';

const DAY_MS = 24 * HOUR_MS;

/** A unit's case-number format: a pattern, and an example that shows it to a person. */
export interface CaseNumberFormat {
  /** A regular expression the whole number must match, e.g. `^金普民宗罚〔\d{4}〕\d{1,5}号$`. */
  pattern: string;
  /** A number that matches it, e.g. `金普民宗罚〔2026〕12号`. */
  example: string;
}

/**
 * Case numbers as units write them: an agency abbreviation and act, the year in 〔〕 and a serial
 * with 号, e.g. 金普民宗罚〔2026〕12号. Units narrow this to their own prefix.
 */
export const DEFAULT_CASE_NUMBER_FORMAT: CaseNumberFormat = {
  pattern: '^[\\p{Script=Han}A-Za-z]{1,16}[〔\\[(（]\\d{4}[〕\\])）]\\d{1,6}号$',
  example: '金普民宗罚〔2026〕12号',
};

/** A format the station cannot use: a pattern that does not compile, or an example it refuses. */
export function caseNumberFormatProblem(format: CaseNumberFormat): string | null {
  let pattern: RegExp;
  try {
    pattern = new RegExp(format.pattern, 'u');
  } catch (error) {
    return `the case-number pattern is not a valid regular expression: ${(error as Error).message}`;
  }
  return pattern.test(format.example.trim())
    ? null
    : `the example ${format.example} does not match the case-number pattern`;
}

/**
 * Why a case number does not follow the unit's format, in words an officer can act on (with the
 * example), or null when it does. Surrounding spaces are forgiven; nothing else is.
 */
export function caseNumberProblem(number: string, format: CaseNumberFormat): string | null {
  const trimmed = number.trim();
  if (trimmed === '') return 'a case number is required';
  if (new RegExp(format.pattern, 'u').test(trimmed)) return null;
  return `${trimmed} is not a case number of this unit; write it like ${format.example}`;
}

/**
 * Rule D-LATE-START: a case opened in an emergency may be approved afterwards, within 24 hours
 * (2 days in some units: `hours` is unit configuration). The moment the approval is due.
 */
export function lateApprovalDeadline(openedAt: string, hours = 24): string | null {
  const opened = toEpochMs(openedAt);
  return opened === null ? null : toIso(opened + hours * HOUR_MS);
}

/** D-LATE-START: the approval came after its deadline, or has not come and the deadline passed. */
export function isLateApproval(
  openedAt: string,
  approvedAt: string | null,
  now: string,
  hours = 24,
): boolean {
  const deadline = toEpochMs(lateApprovalDeadline(openedAt, hours));
  const when = toEpochMs(approvedAt ?? now);
  return deadline !== null && when !== null && when > deadline;
}

/**
 * Rule D-ARCHIVE: within N days after an enforcement act ends (30; 60 in some units: unit
 * configuration), its written and audio-visual records are filed into the case file and
 * archived. The day the case must be archived by, from the day it closed.
 */
export function archiveByDate(closedAt: string | null, days = 30): string | null {
  const closed = toEpochMs(closedAt);
  return closed === null ? null : toIso(closed + days * DAY_MS);
}

/** D-ARCHIVE: a closed case not archived by its date. */
export function isPastArchiveBy(
  closedAt: string | null,
  archivedAt: string | null,
  now: string,
  days = 30,
): boolean {
  if (archivedAt !== null) return false;
  const due = toEpochMs(archiveByDate(closedAt, days));
  const at = toEpochMs(now);
  return due !== null && at !== null && at > due;
}

/** One procedural act of a case and what documents it. */
export interface CaseAct {
  act: ProceduralAct;
  /** Clips linked to the act. */
  clipIds: readonly number[];
  /** D-NOT-SUITABLE: why it was not recorded, when it was not. */
  notRecorded: { reason: NotSuitableReason; text: string } | null;
}

/**
 * Rule D-AV-REQUIRED: each procedural act of a case needs linked footage or a recorded reason
 * (a D-NOT-SUITABLE category with words of explanation). The acts that have neither.
 */
export function actsMissingFootage(acts: readonly CaseAct[]): ProceduralAct[] {
  return acts
    .filter(
      (a) => a.clipIds.length === 0 && (a.notRecorded === null || a.notRecorded.text.trim() === ''),
    )
    .map((a) => a.act);
}
