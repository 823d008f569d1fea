/**
 * Filing: labels (D-LABEL, D-CONTENT, D-CONFIDENTIAL, D-LONGTERM), D-24H exceptions, "Done" at
 * the dock, cases and their acts (D-AV-REQUIRED, D-ARCHIVE, D-LATE-START), the unit's policy,
 * and clips as each viewer may see and play them.
 */
export { CaseService } from './case-service';
export { ClipAccess } from './clip-access';
export { clipView, type FilingFacts } from './clip-views';
export { CustodyExceptions } from './custody-exceptions';
export { filingFacts } from './filing-facts';
export { FinishAtDock } from './finish-at-dock';
export { LabelService } from './label-service';
export { UnitPolicyService } from './policy-service';
