import { constants } from 'node:fs';
import { lstat, open, opendir, realpath } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { errorText } from './log';
import { isSafeVolumePath, mediaKindOf, type RecorderProfile } from './profile';
import type { RecorderDriver } from './drivers/driver';
import type { DockedVolume } from './volume';

export type SerialSource = RecorderProfile['serialFrom'][number]['source'];

export interface SerialAttempt {
  source: SerialSource;
  /** Why this source gave no serial (absent when it gave one). */
  failure?: string;
}

export type Identification =
  | { serial: string; source: SerialSource; attempts: SerialAttempt[] }
  | { serial: undefined; reason: string; attempts: SerialAttempt[] };

/** Marker files holding a serial are a line or two; a bigger one is not what the profile means. */
export const MARKER_FILE_CAP = 64 * 1024;

export interface WalkLimits {
  /** Folder entries looked at, over all media folders. */
  maxEntries: number;
  /** Folder levels below a media folder. */
  maxDepth: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxEntries: 5000, maxDepth: 6 };

/**
 * A serial becomes part of archive paths and the catalogue's key for the recorder: it must be a
 * plain token, whatever a device or a file name claims.
 */
const SERIAL_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Serials that cheap USB controllers report for every unit they ship. Taking one as a recorder's
 * identity would merge different recorders' footage under one serial (rule D-CUSTODIAN).
 */
function isPlaceholderSerial(serial: string): boolean {
  return /^(.)\1+$/.test(serial) || /^0?123456789(ABCDEF)?0?$/i.test(serial);
}

/**
 * Reads the recorder's serial from the profile's `serialFrom` sources, in order; the first that
 * gives a well-formed serial wins. Called only for a volume a profile matched: the file-name
 * source lists the media folders (bounded) and the marker-file source reads one small file.
 * `driver` is the recorder's driver, or just what it read (`{ deviceId: async () => id }`).
 */
export async function identifyRecorder(
  volume: DockedVolume,
  profile: RecorderProfile,
  driver?: Pick<RecorderDriver, 'deviceId'>,
  limits: WalkLimits = DEFAULT_WALK_LIMITS,
): Promise<Identification> {
  const attempts: SerialAttempt[] = [];
  for (const from of profile.serialFrom) {
    let candidate: string | { failure: string };
    try {
      candidate = await serialFrom(from, volume, profile, driver, limits);
    } catch (error) {
      candidate = { failure: errorText(error) };
    }
    if (typeof candidate === 'string') {
      attempts.push({ source: from.source });
      return { serial: candidate, source: from.source, attempts };
    }
    attempts.push({ source: from.source, failure: candidate.failure });
  }
  const reason =
    attempts.length === 0
      ? `profile ${profile.id} names no serial source`
      : attempts.map((a) => `${a.source}: ${a.failure ?? ''}`).join('; ');
  return { serial: undefined, reason, attempts };
}

async function serialFrom(
  from: RecorderProfile['serialFrom'][number],
  volume: DockedVolume,
  profile: RecorderProfile,
  driver: Pick<RecorderDriver, 'deviceId'> | undefined,
  limits: WalkLimits,
): Promise<string | { failure: string }> {
  switch (from.source) {
    case 'usb-serial': {
      const serial = volume.usb?.serial;
      if (volume.usb === undefined) return { failure: 'no USB device known for the volume' };
      if (serial === undefined) return { failure: 'the USB device reports no serial' };
      if (isPlaceholderSerial(serial)) {
        return { failure: `the USB serial "${serial}" is a placeholder shared by many devices` };
      }
      return checked(serial);
    }
    case 'driver': {
      if (driver?.deviceId === undefined) return { failure: 'no driver that reads a device id' };
      return checked(await driver.deviceId());
    }
    case 'file-name':
      return serialFromFileNames(volume.mountpoint, profile, limits);
    case 'volume-label': {
      if (volume.label === null) return { failure: 'the volume has no label' };
      return fromGroup(new RegExp(from.pattern, 'u').exec(volume.label), 'the volume label');
    }
    case 'marker-file': {
      const text = await readMarkerFile(volume.mountpoint, from.path);
      if (typeof text !== 'string') return text;
      return fromGroup(new RegExp(from.pattern, 'u').exec(text), from.path);
    }
  }
}

function fromGroup(match: RegExpExecArray | null, what: string): string | { failure: string } {
  if (match === null) return { failure: `${what} does not match the pattern` };
  const serial = match.groups?.['serial'];
  if (serial === undefined) return { failure: 'the pattern has no "serial" group' };
  return checked(serial);
}

function checked(serial: string): string | { failure: string } {
  const trimmed = serial.trim();
  return SERIAL_SHAPE.test(trimmed)
    ? trimmed
    : { failure: `"${trimmed.slice(0, 80)}" is not a usable serial (letters, digits, . _ -)` };
}

/**
 * The `serial` group of the profile's file-name pattern, from the first media file (in name
 * order, folder by folder) whose name matches. The walk is bounded in entries and depth,
 * follows no symlinks and opens no file.
 */
async function serialFromFileNames(
  root: string,
  profile: RecorderProfile,
  limits: WalkLimits,
): Promise<string | { failure: string }> {
  if (profile.fileName === undefined) return { failure: 'the profile has no file-name pattern' };
  const pattern = new RegExp(profile.fileName.pattern, 'u');
  let budget = limits.maxEntries;
  let mediaSeen = 0;
  for (const folder of profile.mediaFolders) {
    if (!isSafeVolumePath(folder)) continue;
    const queue: Array<{ path: string; depth: number }> = [{ path: join(root, folder), depth: 0 }];
    while (queue.length > 0 && budget > 0) {
      const { path, depth } = queue.shift()!;
      const entries: Array<{ name: string; dir: boolean; file: boolean }> = [];
      try {
        const dir = await opendir(path);
        for await (const entry of dir) {
          if (budget-- <= 0) break;
          entries.push({ name: entry.name, dir: entry.isDirectory(), file: entry.isFile() });
        }
      } catch {
        // A folder that cannot be listed holds no serial this source can read; the next may.
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (entry.file && mediaKindOf(profile, entry.name) !== undefined) {
          mediaSeen += 1;
          const match = pattern.exec(entry.name);
          if (match?.groups?.['serial'] !== undefined) return checked(match.groups['serial']);
        } else if (entry.dir && depth < limits.maxDepth) {
          queue.push({ path: join(path, entry.name), depth: depth + 1 });
        }
      }
    }
  }
  const bounded = budget <= 0 ? ` (stopped after ${limits.maxEntries} entries)` : '';
  return {
    failure:
      mediaSeen === 0
        ? `no media file in ${profile.mediaFolders.join(', ')}${bounded}`
        : `none of ${mediaSeen} media file names carries a serial${bounded}`,
  };
}

/**
 * A small regular file inside the volume, as text. Refuses symlinks (the last component by
 * O_NOFOLLOW, the folders on the way by comparing real paths) and anything over the cap.
 */
async function readMarkerFile(root: string, path: string): Promise<string | { failure: string }> {
  if (!isSafeVolumePath(path)) return { failure: `${path} is not a path inside the volume` };
  const full = join(root, path);
  let stats;
  try {
    stats = await lstat(full);
  } catch {
    // Said in the identification's failure, which the dock shows for the volume.
    return { failure: `${path} is missing` };
  }
  if (!stats.isFile()) return { failure: `${path} is not a regular file` };
  if (stats.size > MARKER_FILE_CAP) {
    return { failure: `${path} is larger than ${MARKER_FILE_CAP} bytes` };
  }
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(full)]);
  const inside = relative(realRoot, realFile);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    return { failure: `${path} leads outside the volume` };
  }
  const handle = await open(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    // One byte over the cap tells a file that grew since the lstat from one that fits.
    const buffer = Buffer.alloc(MARKER_FILE_CAP + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > MARKER_FILE_CAP) {
      return { failure: `${path} is larger than ${MARKER_FILE_CAP} bytes` };
    }
    return buffer.subarray(0, filled).toString('utf8');
  } finally {
    await handle.close();
  }
}
