import { useEffect, useState } from 'react';
import type { ProfileSummary } from '../../../src-main/contract/docking';
import { useStation } from '../StationContext';

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

/** The recorder profiles the station knows (`recorders.profiles`); empty until they arrive. */
export function useProfiles(): ProfileSummary[] {
  const { client, reconnects } = useStation();
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  useEffect(() => {
    let live = true;
    client
      .call('recorders.profiles', {})
      .then((result) => {
        if (live) setProfiles(result.profiles);
      })
      // Without profiles, models show by their id: nothing is hidden.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, reconnects]);
  return profiles;
}
