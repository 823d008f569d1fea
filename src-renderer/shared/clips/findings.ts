import type { TFunction } from 'i18next';
import { type Finding, FINDING_CODES, type FindingCode } from '../../../src-main/contract';

/*
 * What the station reports about a docking (never silent: D-24H, D-CONTINUOUS, bad input), and
 * how loud the Dock screen says it. The codes are the contract's; an unknown one (a newer
 * station) is shown by the station's own message.
 */
export { FINDING_CODES, type FindingCode };

/**
 * `error`: a clip could not be proven or the docking could not finish: someone must act.
 * `warning`: a rule is at stake or a file was not taken; it must be explained, not ignored.
 * `info`: a fact worth recording that needs no action.
 */
export type Severity = 'error' | 'warning' | 'info';

const SEVERITY: Record<FindingCode, Severity> = {
  'read-error': 'error',
  'changed-during-copy': 'error',
  'sequence-gap': 'warning',
  'sequence-reset': 'warning',
  'timeline-gap': 'warning',
  'timeline-overlap': 'warning',
  'future-time': 'warning',
  'late-custody': 'warning',
  symlink: 'warning',
  'special-file': 'warning',
  'folder-loop': 'warning',
  'invalid-utf8-name': 'warning',
  'unsafe-name': 'warning',
  'too-deep': 'warning',
  'too-many-files': 'warning',
  'unreadable-folder': 'error',
  'media-folder-missing': 'info',
  'empty-file': 'warning',
  'not-media': 'info',
  'verify-mismatch': 'error',
  'copy-failed': 'error',
  duplicate: 'info',
  resumed: 'info',
  'renamed-in-archive': 'info',
  'media-facts-failed': 'warning',
  'thumbnail-failed': 'info',
  'volume-gone': 'warning',
  'archive-full': 'error',
  'ingest-failed': 'error',
  'clear-skipped': 'warning',
  'clear-failed': 'warning',
  'clock-set-failed': 'warning',
  'officer-not-assigned': 'info',
  'docking-reattributed': 'info',
  'recorder-facts-changed': 'warning',
};

/** The rule each finding serves, cited where it is explained. */
const RULE: Partial<Record<FindingCode, string>> = {
  'late-custody': 'D-24H',
  'sequence-gap': 'D-CONTINUOUS',
  'sequence-reset': 'D-CONTINUOUS',
  'timeline-gap': 'D-CONTINUOUS',
  'timeline-overlap': 'D-CONTINUOUS',
  'future-time': 'D-CONTINUOUS',
  'docking-reattributed': 'D-WHO-RECORDS',
  'recorder-facts-changed': 'D-WHO-RECORDS',
};

/** A clock further off than this is worth a warning: its clips' times are suspect. */
export const CLOCK_WARNING_MS = 60_000;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function isKnownFindingCode(code: string): code is FindingCode {
  return (FINDING_CODES as readonly string[]).includes(code);
}

/** Unknown codes are warnings: the station thought them worth saying, so they are not hidden. */
export function findingSeverity(finding: Pick<Finding, 'code'>): Severity {
  if (!isKnownFindingCode(finding.code)) return 'warning';
  return SEVERITY[finding.code];
}

/**
 * A measured clock off by more than a minute is a warning. An estimate is a lower bound (the
 * recorder's idle time before docking makes it look slow), so only a fast estimate warns.
 */
export function clockOffsetSeverity(
  offsetMs: number,
  source: 'driver' | 'estimate' | null = 'driver',
): Severity {
  if (source === 'estimate' && offsetMs < 0) return 'info';
  return Math.abs(offsetMs) > CLOCK_WARNING_MS ? 'warning' : 'info';
}

export function findingRule(code: string): string | null {
  return isKnownFindingCode(code) ? (RULE[code] ?? null) : null;
}

/** The finding's name in the UI language; an unknown code reads as the station's message. */
export function findingTitle(t: TFunction, finding: Pick<Finding, 'code' | 'message'>): string {
  return isKnownFindingCode(finding.code)
    ? t(`dock.findings.codes.${finding.code}`)
    : finding.message || finding.code;
}

/** One sentence on what the finding means and what to do, citing its rule; null if unknown. */
export function findingHint(t: TFunction, code: string): string | null {
  return isKnownFindingCode(code) ? t(`dock.findings.hints.${code}`) : null;
}

export interface FindingGroup {
  code: string;
  severity: Severity;
  findings: Finding[];
}

/**
 * Findings grouped by code (a folder of 20,000 bad names is one line, not 20,000), the most
 * severe first, and in the station's order within a severity.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const finding of findings) {
    const severity = findingSeverity(finding);
    const group = groups.get(finding.code);
    if (group === undefined) {
      groups.set(finding.code, { code: finding.code, severity, findings: [finding] });
    } else {
      group.findings.push(finding);
      if (SEVERITY_ORDER[severity] < SEVERITY_ORDER[group.severity]) group.severity = severity;
    }
  }
  return [...groups.values()].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/** The loudest severity among the findings, or null when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const finding of findings) {
    const severity = findingSeverity(finding);
    if (worst === null || SEVERITY_ORDER[severity] < SEVERITY_ORDER[worst]) worst = severity;
  }
  return worst;
}
