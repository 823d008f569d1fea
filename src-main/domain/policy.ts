import type { UnitPolicy, UnitPolicyKey } from '../contract';
import { caseNumberFormatProblem, DEFAULT_CASE_NUMBER_FORMAT } from './cases';
import { DEFAULT_RETENTION } from './retention';

/**
 * The unit policy a fresh station starts with. The day and year counts are the seeds' own
 * (D-ARCHIVE 30 days, D-LATE-START 24 h, D-RETAIN 2 and 30 years); a unit may change them.
 */
export const DEFAULT_UNIT_POLICY: Readonly<UnitPolicy> = Object.freeze<UnitPolicy>({
  clearAfterIngest: false,
  hashes: ['sha256'],
  copyConcurrencyPerDisk: 4,
  continuityGapSeconds: 120,
  continuityOverlapSeconds: 2,
  ambaPassword: null,
  cardReader: null,
  labelRequiredFields: [],
  caseNumberFormat: DEFAULT_CASE_NUMBER_FORMAT,
  archiveDays: 30,
  lateApprovalHours: 24,
  retentionDailyYears: DEFAULT_RETENTION.dailyYears,
  retentionCaseFileYears: DEFAULT_RETENTION.caseFileYears,
  // Optical media age: a disc read back every few years is found failing while its copy is good.
  discCheckYears: 4,
});

/**
 * What the schema cannot see in a policy value that is well-formed: a case-number pattern that
 * does not compile or refuses its own example. Null when the value is usable.
 */
export function policyValueProblem<K extends UnitPolicyKey>(
  key: K,
  value: UnitPolicy[K],
): string | null {
  if (key === 'caseNumberFormat') {
    return caseNumberFormatProblem(value as UnitPolicy['caseNumberFormat']);
  }
  return null;
}
