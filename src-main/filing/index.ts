/**
 * Filing: labels (D-LABEL, D-CONTENT, D-CONFIDENTIAL, D-LONGTERM), D-24H exceptions, "Done" at
 * the dock, cases and their acts (D-AV-REQUIRED, D-ARCHIVE, D-LATE-START), the unit's policy,
 * and clips as each viewer may see and play them.
 */
export { CaseService, type ActChange, type NewCaseInput } from './case-service';
export { ClipAccess, type ClipListQuery } from './clip-access';
export { clipView, type FilingFacts } from './clip-views';
export { CustodyExceptions } from './custody-exceptions';
export { filingFacts } from './filing-facts';
export { FinishAtDock } from './finish-at-dock';
export { LabelService, type LabelOutcome } from './label-service';
export { UnitPolicyService } from './policy-service';
