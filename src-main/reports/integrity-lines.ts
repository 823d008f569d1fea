// D-SUPERVISION, D-NO-TAMPER: what the report says of the archive integrity sweeps of its period,
// in the same words in the CSV and on the PDF's summary page.
import type { IntegrityInPeriod } from '../contract';
import { formatTimestamp, type ReportStrings } from './report-strings';

/** The period's sweeps as lines of text: how many and how they ended, then the last one. */
export function integrityLines(integrity: IntegrityInPeriod, s: ReportStrings): string[] {
  const last = integrity.last;
  return [
    s.sweepCounts(integrity.sweeps, integrity.withProblems, integrity.incomplete),
    last === null
      ? s.noSweep
      : s.lastSweep(formatTimestamp(last.finishedAt), last.clipsChecked, last.problemCount),
  ];
}

/** Whether a supervisor must look: a sweep found problems or could not finish, or none ran. */
export function integrityNeedsAttention(integrity: IntegrityInPeriod): boolean {
  return integrity.sweeps === 0 || integrity.withProblems > 0 || integrity.incomplete > 0;
}
