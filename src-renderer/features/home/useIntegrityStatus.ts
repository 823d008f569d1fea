import { useCallback, useEffect } from 'react';
import type { IntegrityStatus } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData, type StationData } from '../../shared/useStationData';

/**
 * The archive integrity sweep as the station reports it (D-NO-TAMPER): the last sweep, the one
 * under way, the next one due. Progress arrives as events; a finished sweep reloads the status.
 * `enabled` false (a role that may not read it) asks nothing.
 */
export function useIntegrityStatus(enabled: boolean): StationData<IntegrityStatus> {
  const { client } = useStation();
  const load = useCallback(
    (signal: AbortSignal) => client.call('integrity.status', {}, { signal }),
    [client],
  );
  const data = useStationData(enabled ? load : null);
  const { reload, setData } = data;

  useEffect(() => {
    if (!enabled) return undefined;
    const offProgress = client.on('integrity.progress', ({ progress }) =>
      setData((status) => (status === null ? status : { ...status, running: true, progress })),
    );
    const offFinished = client.on('integrity.finished', () => void reload());
    return () => {
      offProgress();
      offFinished();
    };
  }, [client, enabled, reload, setData]);

  return data;
}
