import { useCallback } from 'react';
import type { MethodOutput } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData, type StationData } from '../../shared/useStationData';

/** A unit's register stays in the hundreds; more than this is paged by the station's limit. */
const REGISTER_LIMIT = 1000;
/** The latest sets: older ones are complete and live on in the register. */
const SETS_LIMIT = 50;

export type DiscList = MethodOutput<'disc.list'>;
export type DiscSets = MethodOutput<'disc.sets.list'>;

/** The register with what is pending and due (`disc.list`); `due` lists only discs due a check. */
export function useDiscList(due: boolean): StationData<DiscList> {
  const { client } = useStation();
  const load = useCallback(
    (signal: AbortSignal) =>
      client.call('disc.list', { limit: REGISTER_LIMIT, ...(due ? { due } : {}) }, { signal }),
    [client, due],
  );
  return useStationData(load);
}

/** The planned sets, newest first, each disc with its copies' latest burns. */
export function useDiscSets(): StationData<DiscSets> {
  const { client } = useStation();
  const load = useCallback(
    (signal: AbortSignal) => client.call('disc.sets.list', { limit: SETS_LIMIT }, { signal }),
    [client],
  );
  return useStationData(load);
}
