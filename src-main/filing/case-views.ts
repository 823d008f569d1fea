import type { CaseRecord } from '../catalogue/cases';
import type { Case, UnitPolicy } from '../contract';
import { isLateApproval, isPastArchiveBy, lateApprovalDeadline } from '../domain';

/** A case with its deadlines as of now (D-LATE-START, D-ARCHIVE). */
export function caseView(
  kase: CaseRecord,
  clips: number,
  policy: Pick<UnitPolicy, 'archiveDays' | 'lateApprovalHours'>,
  now: string,
): Case {
  return {
    ...kase,
    approvalDueBy: kase.emergency
      ? lateApprovalDeadline(kase.openedAt, policy.lateApprovalHours)
      : null,
    lateApproval:
      kase.emergency &&
      isLateApproval(kase.openedAt, kase.approvedAt, now, policy.lateApprovalHours),
    pastArchiveBy:
      kase.status === 'closed' &&
      (kase.archiveBy !== null
        ? Date.parse(now) > Date.parse(kase.archiveBy)
        : isPastArchiveBy(kase.closedAt, kase.archivedAt, now, policy.archiveDays)),
    clips,
  };
}
