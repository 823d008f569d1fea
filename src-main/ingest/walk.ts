import type { Stats } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { MediaKind } from '../contract';
import { mediaKindOf, type RecorderProfile } from '../devices/profile';
import { finding, type IngestFinding } from './findings';
import { checkName } from './names';

/** A media file on a docked volume, as the walk saw it. */
export interface SourceFile {
  /** Relative to the volume root, `/`-separated: what the catalogue stores as original_path. */
  relPath: string;
  absPath: string;
  name: string;
  kind: MediaKind;
  size: number;
  mtimeMs: number;
  /** ISO, millisecond precision. */
  mtime: string;
  dev: number;
  ino: number;
}

export interface VolumeWalk {
  /** The mountpoint with links resolved. */
  root: string;
  /** Device id of the mounted volume: another value later means it was unmounted. */
  rootDev: number;
  files: SourceFile[];
  findings: IngestFinding[];
  entriesSeen: number;
  /**
   * Entries left unread that may hold footage (a folder that could not be read or was too deep,
   * a refused name on a media file or folder, entries past the limit): while they are on the
   * recorder, the docking is not safe to undock.
   */
  unread: number;
}

export interface WalkOptions {
  /** Folder levels below a media folder (DCIM/100MEDIA/x.mp4 is depth 1). */
  maxDepth?: number;
  /** Entries of any kind; a volume with more is walked up to here and reported. */
  maxEntries?: number;
  platform?: NodeJS.Platform;
}

const DEFAULTS = { maxDepth: 16, maxEntries: 250_000 };
/** lstat calls in flight per folder: enough to hide latency, few enough for a USB stick. */
const STAT_BATCH = 64;

interface Folder {
  abs: string;
  rel: string[];
  depth: number;
}

/**
 * Lists the media on a docked volume without trusting it: only the profile's media folders,
 * links never followed, device files and FIFOs never opened, each folder entered once, names
 * checked byte by byte. Everything refused becomes a finding.
 */
export async function walkVolume(
  mountpoint: string,
  profile: RecorderProfile,
  options: WalkOptions = {},
): Promise<VolumeWalk> {
  const maxDepth = options.maxDepth ?? DEFAULTS.maxDepth;
  const maxEntries = options.maxEntries ?? DEFAULTS.maxEntries;
  const platform = options.platform ?? process.platform;
  const root = await realpath(mountpoint);
  const rootStat = await lstat(root);
  if (!rootStat.isDirectory()) throw new Error(`${mountpoint} is not a folder`);

  const findings: IngestFinding[] = [];
  const files: SourceFile[] = [];
  const visited = new Set<string>();
  let entriesSeen = 0;
  let unread = 0;
  let stopped = false;

  const queue: Folder[] = [];
  for (const folder of profile.mediaFolders) {
    const found = await locateMediaFolder(root, folder, findings);
    if (found && !visited.has(found.id)) {
      visited.add(found.id);
      queue.push({ abs: found.abs, rel: found.rel, depth: 0 });
    }
  }
  if (queue.length === 0) {
    findings.push(
      finding(
        'media-folder-missing',
        `none of the profile's media folders (${profile.mediaFolders.join(', ')}) is on the volume`,
      ),
    );
  }

  while (queue.length > 0 && !stopped) {
    const folder = queue.shift()!;
    let names: Buffer[];
    try {
      names = await readdir(folder.abs, { encoding: 'buffer' });
    } catch (error) {
      unread += 1;
      findings.push(
        finding(
          'unreadable-folder',
          `the folder could not be read: ${(error as Error).message}`,
          folder.rel.join('/'),
        ),
      );
      continue;
    }
    names.sort(Buffer.compare);
    for (let i = 0; i < names.length && !stopped; i += STAT_BATCH) {
      const batch = names.slice(i, i + STAT_BATCH);
      if (entriesSeen + batch.length > maxEntries) {
        unread += names.length - i;
        findings.push(
          finding(
            'too-many-files',
            `the volume has more than ${maxEntries} entries; the rest was not examined`,
            folder.rel.join('/'),
          ),
        );
        stopped = true;
        break;
      }
      entriesSeen += batch.length;
      const examined = await Promise.all(
        batch.map((raw) => examine(folder, raw, platform, profile)),
      );
      for (const entry of examined) {
        if (entry.kind === 'finding') {
          findings.push(entry.finding);
          if (entry.mayHoldFootage) unread += 1;
        } else if (entry.kind === 'folder') {
          const rel = [...folder.rel, entry.name];
          const id = `${entry.stat.dev}:${entry.stat.ino}`;
          if (visited.has(id)) {
            findings.push(
              finding(
                'folder-loop',
                'this folder was already walked (a bind mount or filesystem loop); not entered again',
                rel.join('/'),
              ),
            );
          } else if (folder.depth + 1 > maxDepth) {
            unread += 1;
            findings.push(
              finding(
                'too-deep',
                `folders nested deeper than ${maxDepth} levels are not walked`,
                rel.join('/'),
              ),
            );
          } else {
            visited.add(id);
            queue.push({ abs: join(folder.abs, entry.name), rel, depth: folder.depth + 1 });
          }
        } else {
          const relPath = [...folder.rel, entry.name].join('/');
          const kind = mediaKindOf(profile, entry.name);
          if (kind === undefined) {
            findings.push(
              finding('not-media', 'not a media file of this recorder; left alone', relPath),
            );
          } else if (entry.stat.size === 0) {
            findings.push(
              finding('empty-file', 'the file is empty (0 bytes); nothing to ingest', relPath),
            );
          } else {
            files.push({
              relPath,
              absPath: join(folder.abs, entry.name),
              name: entry.name,
              kind,
              size: entry.stat.size,
              mtimeMs: entry.stat.mtimeMs,
              mtime: mtimeIso(entry.stat.mtimeMs),
              dev: entry.stat.dev,
              ino: entry.stat.ino,
            });
          }
        }
      }
    }
  }
  files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { root, rootDev: rootStat.dev, files, findings, entriesSeen, unread };
}

/**
 * The modification time as the catalogue stores it: whole milliseconds. Node derives mtimeMs
 * from seconds and nanoseconds in floating point (…677.9999 for …678), so round to the
 * microsecond before cutting to the millisecond.
 */
export function mtimeIso(mtimeMs: number): string {
  return new Date(Math.floor(Math.round(mtimeMs * 1000) / 1000)).toISOString();
}

type Examined =
  | { kind: 'finding'; finding: IngestFinding; mayHoldFootage: boolean }
  | { kind: 'folder' | 'file'; name: string; stat: Stats };

async function examine(
  folder: Folder,
  raw: Buffer,
  platform: NodeJS.Platform,
  profile: RecorderProfile,
): Promise<Examined> {
  const checked = checkName(raw, platform);
  // A refused entry may be footage when it is a folder, or named like this recorder's media.
  const mediaNamed = checked.ok || mediaKindOf(profile, checked.display) !== undefined;
  const untyped = !checked.ok && !/\.[^./\\]+$/.test(checked.display);
  const shown = [...folder.rel, checked.ok ? checked.name : checked.display].join('/');
  // A Buffer path reaches names that are not valid UTF-8 without Node rewriting them.
  const path = checked.ok
    ? join(folder.abs, checked.name)
    : Buffer.concat([Buffer.from(folder.abs + sep), raw]);
  let stat: Stats;
  try {
    stat = await lstat(path);
  } catch (error) {
    // A refused name is reported as such even when the system cannot look it up again (fusefat
    // lists names it cannot find, cut or in a code page): the name is what the officer must see.
    return {
      kind: 'finding',
      finding: checked.ok
        ? finding(
            'unreadable-folder',
            `the entry could not be examined: ${(error as Error).message}`,
            shown,
          )
        : finding(checked.code, `${checked.reason}; this entry was not read`, shown, {
            bytes: [...raw],
          }),
      mayHoldFootage: mediaNamed || untyped,
    };
  }
  const what = typeName(stat);
  if (!checked.ok) {
    return {
      kind: 'finding',
      finding: finding(checked.code, `${checked.reason}; this ${what} was not read`, shown, {
        bytes: [...raw],
      }),
      mayHoldFootage: stat.isDirectory() || (stat.isFile() && mediaNamed),
    };
  }
  if (stat.isSymbolicLink()) {
    return {
      kind: 'finding',
      finding: finding('symlink', 'a symbolic link; links are never followed', shown),
      mayHoldFootage: false,
    };
  }
  if (stat.isDirectory()) return { kind: 'folder', name: checked.name, stat };
  if (!stat.isFile()) {
    return {
      kind: 'finding',
      finding: finding('special-file', `a ${what}; only regular files are read`, shown),
      mayHoldFootage: false,
    };
  }
  return { kind: 'file', name: checked.name, stat };
}

function typeName(stat: Stats): string {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'folder';
  if (stat.isSymbolicLink()) return 'symbolic link';
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  if (stat.isBlockDevice()) return 'block device';
  if (stat.isCharacterDevice()) return 'character device';
  return 'special file';
}

/** Finds a media folder case-insensitively (FAT volumes differ in case), refusing links. */
async function locateMediaFolder(
  root: string,
  folder: string,
  findings: IngestFinding[],
): Promise<{ abs: string; rel: string[]; id: string } | null> {
  let abs = root;
  const rel: string[] = [];
  let stat: Stats | null = null;
  for (const segment of folder.split('/').filter((s) => s !== '' && s !== '.')) {
    if (segment === '..') return null;
    let names: string[];
    try {
      names = (await readdir(abs, { encoding: 'buffer' })).flatMap((raw) => {
        const checked = checkName(raw);
        return checked.ok ? [checked.name] : [];
      });
    } catch {
      // The folder cannot be listed: the caller records it as an unreadable folder.
      return null;
    }
    const name =
      names.find((n) => n === segment) ??
      names.find((n) => n.toLowerCase() === segment.toLowerCase());
    if (name === undefined) return null;
    abs = join(abs, name);
    rel.push(name);
    stat = await lstat(abs);
    if (stat.isSymbolicLink()) {
      findings.push(
        finding('symlink', 'the media folder is a symbolic link; not followed', rel.join('/')),
      );
      return null;
    }
    if (!stat.isDirectory()) return null;
  }
  return stat === null ? null : { abs, rel, id: `${stat.dev}:${stat.ino}` };
}
