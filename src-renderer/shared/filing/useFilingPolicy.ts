import { useEffect, useState } from 'react';
import type { OptionalLabelField } from '../../../src-main/contract/filing';
import { roleHasPermission, type Role } from '../../../src-main/contract/roles';
import { useStation } from '../StationContext';

/** The parts of the unit policy the label and case forms show. */
export interface FilingPolicy {
  labelRequiredFields: OptionalLabelField[];
  caseNumberFormat: { pattern: string; example: string };
  lateApprovalHours: number;
  archiveDays: number;
}

/** The unit's filing policy (required label fields, the case-number format), for all who file. */
export function useFilingPolicy(role: Role): FilingPolicy | null {
  const { client, reconnects } = useStation();
  const [policy, setPolicy] = useState<FilingPolicy | null>(null);
  const readable = roleHasPermission(role, 'cases.read');
  useEffect(() => {
    if (!readable) return undefined;
    let live = true;
    client.call('filing.policy', {}).then(
      (p) => {
        if (live) setPolicy(p);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, readable, reconnects]);
  return policy;
}
