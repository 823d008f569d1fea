import { useMemo } from 'react';
import { type OptionalLabelField, type Role, roleHasPermission } from '../../../src-main/contract';
import { useStation } from '../StationContext';
import { useStationData } from '../useStationData';

/** The parts of the unit policy the label and case forms show. */
export interface FilingPolicy {
  labelRequiredFields: OptionalLabelField[];
  caseNumberFormat: { pattern: string; example: string };
  lateApprovalHours: number;
  archiveDays: number;
}

/** The unit's filing policy (required label fields, the case-number format), for all who file. */
export function useFilingPolicy(role: Role): FilingPolicy | null {
  const { client } = useStation();
  const readable = roleHasPermission(role, 'cases.read');
  const load = useMemo(
    () => (readable ? (): Promise<FilingPolicy> => client.call('filing.policy', {}) : null),
    [client, readable],
  );
  // Unreadable or failed, the forms go without it (no required fields, no format hint).
  return useStationData(load).data;
}
