// D-24H: what the report says of the unit's central storage in its period, and D-LONGTERM: of its
// long-term discs, in the same words in the CSV and on the PDF's summary page.
import type { ComplianceReport } from '../contract';
import type { ReportStrings } from './report-strings';

type Unit = Pick<ComplianceReport['unit'], 'centralTargets' | 'lateCentralStorage'>;

/** How many targets the period had and how many clips missed the 24 h, or that there were none. */
export function centralStorageLine(unit: Unit, s: ReportStrings): string {
  return unit.lateCentralStorage === null
    ? s.noCentralStorage
    : s.centralStorageLine(unit.centralTargets, unit.lateCentralStorage);
}

/** Whether a supervisor must look: no central storage at all is a finding, as is any late clip. */
export function centralStorageNeedsAttention(unit: Unit): boolean {
  return unit.lateCentralStorage === null || unit.lateCentralStorage > 0;
}

/** D-LONGTERM: long-term footage not yet on disc and discs due for a re-check, in words. */
export function longTermDiscLine(discs: ComplianceReport['discs'], s: ReportStrings): string {
  return s.longTermDiscLine(discs.longTermNotOnDisc, discs.dueForCheck);
}

/** Whether a supervisor must look: footage the rule keeps on disc is not, or a disc is overdue. */
export function longTermDiscsNeedAttention(discs: ComplianceReport['discs']): boolean {
  return discs.longTermNotOnDisc > 0 || discs.dueForCheck > 0;
}
