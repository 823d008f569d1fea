import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { isSafeVolumePath, type RecorderProfile } from './profile';
import type { DockedVolume, UsbInfo } from './volume';

export type MatchedBy = 'usb' | 'volume-label' | 'marker-files';

export interface ProfileMatch {
  profile: RecorderProfile;
  /** The rule that decided: the profile's most specific one. */
  by: MatchedBy;
}

const RANK: Record<MatchedBy, number> = { usb: 3, 'volume-label': 2, 'marker-files': 1 };

/**
 * The profile a docked volume belongs to, or `undefined` (the station then ignores the volume
 * and logs it). A profile's most specific rule decides whether it matches at all: USB ids if it
 * has any, else its volume-label pattern, else its marker files. A USB match beats a label
 * match, which beats a marker-file match; among equals, the profile whose less specific rules
 * also hold wins (a "DSJ…" label with a DCIM folder is dsj-standard, not generic-dcim), then the
 * earlier profile in the list.
 *
 * Rule D-NO-LEAK: marker files are checked with `lstat` only. Nothing on the volume is opened or
 * listed here, so a USB stick that is not a recorder is never read beyond those few lookups.
 */
export async function matchProfile(
  volume: DockedVolume,
  profiles: readonly RecorderProfile[],
): Promise<ProfileMatch | undefined> {
  const markers = new MarkerCheck(volume.mountpoint);
  let best: { match: ProfileMatch; score: number } | undefined;
  for (const profile of profiles) {
    const primary = primaryRule(profile);
    if (!(await holds(primary, profile, volume, markers))) continue;
    let score = RANK[primary] * 10;
    for (const rule of secondaryRules(profile, primary)) {
      if (await holds(rule, profile, volume, markers)) score += 1;
    }
    if (best === undefined || score > best.score) {
      best = { match: { profile, by: primary }, score };
    }
  }
  return best?.match;
}

/**
 * The profile of a USB device that has no volume yet (an amba-bulk recorder before it is switched
 * to storage mode): only profiles with USB ids can match, the first that lists the ids wins.
 */
export function matchUsbProfile(
  usb: UsbInfo,
  profiles: readonly RecorderProfile[],
): RecorderProfile | undefined {
  return profiles.find((profile) => usbIdsMatch(profile, usb));
}

function primaryRule(profile: RecorderProfile): MatchedBy {
  if (profile.match.usb.length > 0) return 'usb';
  if (profile.match.volumeLabel !== undefined) return 'volume-label';
  return 'marker-files';
}

function secondaryRules(profile: RecorderProfile, primary: MatchedBy): MatchedBy[] {
  const rules: MatchedBy[] = [];
  if (primary === 'usb' && profile.match.volumeLabel !== undefined) rules.push('volume-label');
  if (primary !== 'marker-files' && profile.match.markerFiles.length > 0) {
    rules.push('marker-files');
  }
  return rules;
}

async function holds(
  rule: MatchedBy,
  profile: RecorderProfile,
  volume: DockedVolume,
  markers: MarkerCheck,
): Promise<boolean> {
  switch (rule) {
    case 'usb':
      return volume.usb !== undefined && usbIdsMatch(profile, volume.usb);
    case 'volume-label': {
      const pattern = profile.match.volumeLabel;
      return (
        pattern !== undefined &&
        volume.label !== null &&
        new RegExp(pattern, 'u').test(volume.label)
      );
    }
    case 'marker-files':
      return markers.all(profile.match.markerFiles);
  }
}

function usbIdsMatch(profile: RecorderProfile, usb: UsbInfo): boolean {
  return profile.match.usb.some(
    (id) => id.vendorId === usb.vendorId && id.productId === usb.productId,
  );
}

/** lstat of marker paths, each looked up at most once per volume. */
class MarkerCheck {
  private readonly seen = new Map<string, Promise<boolean>>();

  constructor(private readonly root: string) {}

  async all(paths: readonly string[]): Promise<boolean> {
    if (paths.length === 0) return false;
    for (const path of paths) if (!(await this.exists(path))) return false;
    return true;
  }

  private exists(path: string): Promise<boolean> {
    let answer = this.seen.get(path);
    if (answer === undefined) {
      answer = isSafeVolumePath(path)
        ? lstat(join(this.root, path)).then(
            // A symlink is not a recorder's folder; following it could lead off the volume.
            (stats) => !stats.isSymbolicLink(),
            () => false,
          )
        : Promise.resolve(false);
      this.seen.set(path, answer);
    }
    return answer;
  }
}
