import { isSafePattern } from 'redos-detector';
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

/**
 * The longest case number the station matches against the unit's pattern (the contract's own
 * bound on a case number). Real numbers are about fifteen characters.
 */
export const MAX_CASE_NUMBER_LENGTH = 64;

/** Where a case-number pattern can take the same characters in more than one way. */
export interface PatternRisk {
  /** The part of the pattern that does it, e.g. `(a+)+`. */
  fragment: string;
  message: string;
}

/** How long checking one pattern may take; a pattern too tangled to check in time is refused. */
const PATTERN_CHECK_MS = 1_000;
/** Verdicts kept per pattern: the policy is read on every filing request. */
const checkedPatterns = new Map<string, PatternRisk | null>();
const MAX_CHECKED_PATTERNS = 32;

/**
 * Whether matching the pattern can backtrack super-linearly (catastrophic backtracking): the
 * station matches every case number anyone types against it on its one thread, so a pattern like
 * `^(a+)+$` would let one wrong number freeze the station for everyone. Checked statically with
 * redos-detector (every way two paths through the pattern can match the same text), once per
 * pattern and process. Null when each input can be matched in one way only.
 */
export function caseNumberPatternRisk(pattern: string): PatternRisk | null {
  if (checkedPatterns.has(pattern)) return checkedPatterns.get(pattern)!;
  const risk = checkPattern(pattern);
  if (checkedPatterns.size >= MAX_CHECKED_PATTERNS) checkedPatterns.clear();
  checkedPatterns.set(pattern, risk);
  return risk;
}

function checkPattern(pattern: string): PatternRisk | null {
  let result: ReturnType<typeof isSafePattern>;
  try {
    result = isSafePattern(pattern, { unicode: true, timeout: PATTERN_CHECK_MS });
  } catch (error) {
    return {
      fragment: pattern,
      message: `the case-number pattern cannot be checked for backtracking (${(error as Error).message}): write it more simply`,
    };
  }
  if (result.safe) return null;
  const step = result.trails[0]?.trail[0];
  if (step === undefined) {
    return {
      fragment: pattern,
      message:
        'the case-number pattern is too tangled to check that it matches each number in one way only: write it more simply',
    };
  }
  const { a, b } = step;
  // The outermost repetition around the ambiguity is what to rewrite.
  const fragment = a.quantifierIterations[0]?.node.source ?? a.node.source;
  return {
    fragment,
    message:
      `the case-number pattern can match the same characters in more than one way at ${fragment} ` +
      `(${a.node.source} at ${a.node.start.offset} and ${b.node.source} at ${b.node.start.offset}), ` +
      'so one wrong case number could keep the station busy for minutes: write it so that every ' +
      'character can be matched in one way only (no repetition of something that repeats itself)',
  };
}

/**
 * A format the station cannot use: a pattern that does not compile, one that can backtrack
 * without bound, or an example it refuses.
 */
export function caseNumberFormatProblem(format: CaseNumberFormat): string | null {
  let pattern: RegExp;
  try {
    pattern = new RegExp(format.pattern, 'u');
  } catch (error) {
    return `the case-number pattern is not a valid regular expression: ${(error as Error).message}`;
  }
  // Before the example is matched: the example could be the slow input.
  const risk = caseNumberPatternRisk(format.pattern);
  if (risk !== null) return risk.message;
  return pattern.test(format.example.trim())
    ? null
    : `the example ${format.example} does not match the case-number pattern`;
}

/**
 * Why a case number does not follow the unit's format, in words an officer can act on (with the
 * example), or null when it does. Surrounding spaces are forgiven; nothing else is. A number
 * longer than any case number is refused before the pattern sees it.
 */
export function caseNumberProblem(number: string, format: CaseNumberFormat): string | null {
  const trimmed = number.trim();
  if (trimmed === '') return 'a case number is required';
  if ([...trimmed].length > MAX_CASE_NUMBER_LENGTH) {
    return `a case number has at most ${MAX_CASE_NUMBER_LENGTH} characters; write it like ${format.example}`;
  }
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

/**
 * A time a person enters for a case (opened, closed, approved) may run ahead of the station's
 * clock by this much: a wall clock read to the minute, not a date in the future.
 */
export const ENTERED_TIME_SLACK_MS = 5 * 60_000;

/** Why an entered case time is refused: a stable reason, the bound it crossed, and words. */
export interface CaseTimeProblem {
  reason: 'future' | 'before-retention' | 'before-opening' | 'before-footage';
  /** The limit the time crossed (an ISO instant). */
  bound: string;
  /** For `before-footage`: the clip recorded last under the case. */
  clipId?: number;
  message: string;
}

/** What the station knows of a clip's recording time: its start, else its end. */
export interface RecordedClip {
  id: number;
  recordedStart: string | null;
  recordedEnd: string | null;
  custodyAt: string;
}

/**
 * When a clip's footage was recorded, as far as the station can vouch: its start (else its end),
 * never later than the moment the station took custody of it (a recorder whose clock ran fast
 * cannot have recorded after its footage reached the station). The catalogue's "last footage of
 * a case" query computes the same.
 */
export function footageTimeOf(clip: RecordedClip): string {
  const recorded = toEpochMs(clip.recordedStart ?? clip.recordedEnd);
  const custody = toEpochMs(clip.custodyAt)!;
  return toIso(recorded === null ? custody : Math.min(recorded, custody));
}

function yearsBefore(iso: string, years: number): string {
  const date = new Date(toEpochMs(iso)!);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return toIso(date.getTime());
}

function notInFuture(at: string, now: string, what: string): CaseTimeProblem | null {
  const limit = toEpochMs(now)! + ENTERED_TIME_SLACK_MS;
  if (toEpochMs(at)! <= limit) return null;
  return {
    reason: 'future',
    bound: now,
    message: `a case cannot be ${what} in the future (${at}; the station's clock says ${now})`,
  };
}

/**
 * The opening a person enters for a case: not in the future, and not further back than the unit
 * keeps a case file (D-RETAIN, `caseFileYears`): a case opened before that would be past keeping
 * the day it was entered, so the date is a mistake (or a way to make its footage due).
 */
export function openingProblem(
  openedAt: string,
  now: string,
  caseFileYears: number,
): CaseTimeProblem | null {
  const future = notInFuture(openedAt, now, 'opened');
  if (future !== null) return future;
  const earliest = yearsBefore(now, caseFileYears);
  if (toEpochMs(openedAt)! >= toEpochMs(earliest)!) return null;
  return {
    reason: 'before-retention',
    bound: earliest,
    message: `a case opened on ${openedAt} is older than the unit keeps case files (${caseFileYears} years, D-RETAIN): check the date`,
  };
}

/**
 * The closing a person enters for a case (D-ARCHIVE: when its enforcement act ended): not in
 * the future, not before the case opened, and not before the recording of any footage filed
 * under it. The recording time is the fact that matters, not when the clip was filed: footage is
 * filed into the case file for days after the act ends (D-ARCHIVE), but footage recorded after
 * the act ended is not of it. A close backdated past its own footage would make that footage's
 * retention (case file years from the close, D-RETAIN) fall due early.
 */
export function closingProblem(
  closedAt: string,
  facts: { now: string; openedAt: string; lastFootage: { clipId: number; at: string } | null },
): CaseTimeProblem | null {
  const future = notInFuture(closedAt, facts.now, 'closed');
  if (future !== null) return future;
  const closed = toEpochMs(closedAt)!;
  if (closed < toEpochMs(facts.openedAt)!) {
    return {
      reason: 'before-opening',
      bound: facts.openedAt,
      message: `a case cannot close (${closedAt}) before it opened (${facts.openedAt})`,
    };
  }
  const last = facts.lastFootage;
  if (last !== null && closed < toEpochMs(last.at)!) {
    return {
      reason: 'before-footage',
      bound: last.at,
      clipId: last.clipId,
      message: `a case cannot close (${closedAt}) before footage filed under it was recorded (clip ${last.clipId}, ${last.at})`,
    };
  }
  return null;
}

/**
 * Footage recorded after a case closed is not of that case: filing it there would put the case's
 * close before its own footage (see closingProblem). A closed case has no reopening, so the
 * filing is refused. Null when the clip may go into the case's file.
 */
export function filedAfterCloseProblem(
  kase: { number: string; closedAt: string | null },
  clip: RecordedClip,
): string | null {
  if (kase.closedAt === null) return null;
  const recorded = footageTimeOf(clip);
  if (toEpochMs(recorded)! <= toEpochMs(kase.closedAt)!) return null;
  return `Clip ${clip.id} was recorded (${recorded}) after case ${kase.number} closed (${kase.closedAt}): footage recorded after a case closed is not of that case`;
}
