import { useCallback, useEffect, useRef, useState } from 'react';
import type { Docking } from '../../../src-main/contract/docking';
import { useStation } from '../../shared/StationContext';
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
  const { client, reconnects } = useStation();
  const [snapshot, setSnapshot] = useState<DockSnapshot>(EMPTY_SNAPSHOT);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const loadSeq = useRef(0);
  /** Docking updates received while a status call is under way. */
  const pending = useRef<Docking[] | null>(null);

  useEffect(() => {
    const offVolumes = client.on('dock.volumes', ({ volumes }) => {
      if (pending.current !== null) return;
      setSnapshot((current) => withVolumes(current, volumes));
    });
    const offDocking = client.on('dock.docking', ({ docking }) => {
      if (pending.current !== null) {
        pending.current.push(docking);
        return;
      }
      setSnapshot((current) => withDocking(current, docking));
    });
    return () => {
      offVolumes();
      offDocking();
    };
  }, [client]);

  const reload = useCallback(async () => {
    const seq = ++loadSeq.current;
    pending.current = [];
    setLoading(true);
    try {
      const status = await client.call('dock.status', {});
      if (seq !== loadSeq.current) return;
      let next = fromStatus(status);
      for (const docking of pending.current ?? []) next = withDocking(next, docking, true);
      setSnapshot(next);
      setError(null);
    } catch (cause) {
      if (seq === loadSeq.current) setError(cause);
    } finally {
      if (seq === loadSeq.current) {
        pending.current = null;
        setLoading(false);
      }
    }
  }, [client]);

  useEffect(() => {
    // Loading is a call to the station; its result arrives asynchronously.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void reload();
  }, [reload, reconnects]);

  return { snapshot, loading, error, reload };
}
