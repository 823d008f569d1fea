import { useCallback } from 'react';
import type { ProfileSummary } from '../../../src-main/contract';
import { useStation } from '../StationContext';
import { useStationData } from '../useStationData';

/** A profile's name in the UI language (profiles carry zh-CN and en); the id when unknown. */
export function profileName(
  profiles: readonly ProfileSummary[],
  id: string | null,
  language: string,
): string {
  if (id === null) return '';
  const profile = profiles.find((p) => p.id === id);
  if (profile === undefined) return id;
  return language.startsWith('zh') ? profile.name['zh-CN'] : profile.name.en;
}

const NO_PROFILES: ProfileSummary[] = [];

/** The recorder profiles the station knows (`recorders.profiles`); empty until they arrive. */
export function useProfiles(): ProfileSummary[] {
  const { client } = useStation();
  const load = useCallback(
    async () => (await client.call('recorders.profiles', {})).profiles,
    [client],
  );
  // Without profiles, models show by their id: nothing is hidden.
  return useStationData(load).data ?? NO_PROFILES;
}
