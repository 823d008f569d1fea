import { useCallback, useEffect, useRef } from 'react';
import type { ForwardTarget, TargetQueue } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData, type StationData } from '../../shared/useStationData';

export interface Forwarding {
  targets: ForwardTarget[];
  /** Each target's queue by its name. */
  queues: Map<string, TargetQueue>;
}

/**
 * The central-storage targets and how far each queue has come (D-24H). The queues move by the
 * `forward.progress` event while the station forwards (~4 a second); a reconnect, or a change
 * made here, loads everything again.
 */
export function useForwarding(): StationData<Forwarding> {
  const { client } = useStation();
  const load = useCallback(
    async (signal: AbortSignal): Promise<Forwarding> => {
      const [list, status] = await Promise.all([
        client.call('forward.targets.list', {}, { signal }),
        client.call('forward.status', {}, { signal }),
      ]);
      return {
        targets: list.targets,
        queues: new Map(status.targets.map((queue) => [queue.target, queue])),
      };
    },
    [client],
  );
  const data = useStationData(load);
  const { data: current, setData, reload } = data;
  const known = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    known.current = new Set(current?.targets.map((target) => target.name) ?? []);
  }, [current]);

  useEffect(
    () =>
      client.on('forward.progress', ({ targets }) => {
        // A target this screen does not list yet (added elsewhere) is loaded whole.
        if (targets.some((queue) => !known.current.has(queue.target))) void reload();
        setData((was) =>
          was === null
            ? was
            : { ...was, queues: new Map(targets.map((queue) => [queue.target, queue])) },
        );
      }),
    [client, reload, setData],
  );

  return data;
}
