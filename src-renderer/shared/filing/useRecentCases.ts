import { useMemo } from 'react';
import type { Case } from '../../../src-main/contract';
import { useStation } from '../StationContext';
import { useStationData } from '../useStationData';

/** The cases the caller filed into lately, and the last of them (`filing.recentCases`). */
export interface RecentCases {
  cases: Case[];
  last: string | null;
}

const NONE: RecentCases = { cases: [], last: null };

/**
 * The recent cases the label form offers, asked while `active` (again each time it becomes so)
 * and on `reload()`. null until the first answer; a failed ask answers none, so the form still
 * opens, with nothing to suggest.
 */
export function useRecentCases(active = true): {
  recent: RecentCases | null;
  reload: () => Promise<void>;
} {
  const { client } = useStation();
  const load = useMemo(
    () =>
      active
        ? () =>
            client.call('filing.recentCases', {}).then(
              (result): RecentCases => ({ cases: result.cases, last: result.lastCaseNumber }),
              (): RecentCases => NONE,
            )
        : null,
    [client, active],
  );
  const { data, reload } = useStationData(load);
  return { recent: data, reload };
}
