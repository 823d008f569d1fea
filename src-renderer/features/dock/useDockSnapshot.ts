import { useCallback, useEffect, useRef } from 'react';
import type { Docking } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import {
  EMPTY_SNAPSHOT,
  fromStatus,
  withDocking,
  withVolumes,
  type DockSnapshot,
} from './dockState';

/**
 * What is docked, live: `dock.status` first (and after each reconnect), then the `dock.volumes`
 * and `dock.docking` events. Events that arrive while the status is being fetched may be older
 * than it: volume lists among them are dropped, docking updates only move a docking forward.
 */
export function useDockSnapshot(): {
  snapshot: DockSnapshot;
  loading: boolean;
  error: unknown;
  reload: () => Promise<void>;
} {
  const { client } = useStation();
  /** Docking updates received while a status call is under way. */
  const pending = useRef<Docking[] | null>(null);

  const load = useCallback(
    async (signal: AbortSignal) => {
      pending.current = [];
      try {
        const status = await client.call('dock.status', {});
        let next = fromStatus(status);
        for (const docking of pending.current ?? []) next = withDocking(next, docking, true);
        return next;
      } finally {
        // A newer call has started its own buffer: leave it be.
        if (!signal.aborted) pending.current = null;
      }
    },
    [client],
  );
  const { data, loading, error, reload, setData } = useStationData(load);

  useEffect(() => {
    const offVolumes = client.on('dock.volumes', ({ volumes }) => {
      if (pending.current !== null) return;
      setData((current) => withVolumes(current ?? EMPTY_SNAPSHOT, volumes));
    });
    const offDocking = client.on('dock.docking', ({ docking }) => {
      if (pending.current !== null) {
        pending.current.push(docking);
        return;
      }
      setData((current) => withDocking(current ?? EMPTY_SNAPSHOT, docking));
    });
    return () => {
      offVolumes();
      offDocking();
    };
  }, [client, setData]);

  return { snapshot: data ?? EMPTY_SNAPSHOT, loading, error, reload };
}
