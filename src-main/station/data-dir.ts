import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { RpcError } from '../contract';

/**
 * Where the station keeps its catalogue, archive and keys: `--data-dir`, else EVIDOCK_DATA_DIR,
 * else the operating system's per-user application data folder.
 */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) return resolve(flag);
  if (env.EVIDOCK_DATA_DIR) return resolve(env.EVIDOCK_DATA_DIR);
  return defaultDataDir(process.platform, env);
}

export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  // Empty variables count as unset (XDG spec), never as a folder relative to the working dir.
  const home = env.HOME || env.USERPROFILE || homedir();
  switch (platform) {
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'evidock');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'evidock');
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'evidock');
  }
}

/** Group and others: what a private file or folder has none of. */
const OTHERS = 0o077;
/** Folders of secrets (the log, the signing keys): entered, their files closed, at every start. */
const SECRET_FOLDERS = new Set(['logs', 'keys']);

/**
 * Makes the data dir the station's own before anything in it is opened (D-NO-LEAK,
 * D-CONFIDENTIAL): footage, thumbnails of confidential clips, the catalogue with its password
 * hashes, the log and the keys. Run at every start, because the folder may already exist with
 * wider permissions (made by hand, by an older version, restored from a backup). Refuses a folder
 * that belongs to another user: the station would be keeping evidence where someone else decides
 * who reads it.
 *
 * The data dir and what is directly in it (the catalogue and its journal, the top folders) lose
 * group and others' access; so do the files in `logs/` and `keys/`, and everything in a folder
 * that was found open (which others could have reached), down to the first folder that was
 * already closed. A closed folder is not entered: nobody else can reach what it holds, so a large
 * archive that is already private costs a handful of reads at a start, not a walk of its every
 * folder. Only permission bits are removed, never added: an archived original stays read-only for
 * its owner too (D-NO-TAMPER). Links are never followed. What the station creates from now on is
 * private as it is made (umask), ffmpeg's thumbnails included.
 */
export function keepDataDirPrivate(dataDir: string): void {
  // Windows gives a user's AppData folder to that user alone; POSIX modes do not apply there.
  if (process.platform === 'win32') return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const folder = statSync(dataDir);
  if (!folder.isDirectory()) unsafe(dataDir, `The data folder ${dataDir} is not a folder.`);
  const uid = process.getuid?.();
  if (uid !== undefined && folder.uid !== uid) {
    unsafe(
      dataDir,
      `The data folder ${dataDir} belongs to another user (uid ${folder.uid}): run evidock as that user, or give this station a folder of its own.`,
    );
  }
  // In a worker thread (a test runner's) the process's umask is not ours to set.
  if (isMainThread) process.umask(OTHERS);
  close(dataDir, folder);
  closeBelow(dataDir, SECRET_FOLDERS);
}

function unsafe(path: string, message: string): never {
  throw new RpcError('DATA_DIR_UNSAFE', message, { path });
}

/** Removes group and others' bits; answers whether there were any. */
function close(path: string, stats: Stats): boolean {
  if ((stats.mode & OTHERS) === 0) return false;
  try {
    chmodSync(path, stats.mode & 0o7700);
  } catch (error) {
    // Someone else's file inside the data dir: the station cannot vouch for who reads it.
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    unsafe(path, `${path} in the data folder cannot be made private to this account (${code}).`);
  }
  return true;
}

/**
 * Closes the files and folders in `folder`, and enters each folder that was open to others (or is
 * named in `alwaysEntered`); a folder that was already closed keeps what it holds from others.
 */
function closeBelow(folder: string, alwaysEntered: ReadonlySet<string> = new Set()): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    // Removed meanwhile by another evidock process (a staging folder): nothing left to close.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() && !entry.isFile()) continue;
    const path = join(folder, entry.name);
    const stats = lstatOrNull(path);
    if (stats === null) continue;
    const wasOpen = close(path, stats);
    if (stats.isDirectory() && (wasOpen || alwaysEntered.has(entry.name))) closeBelow(path);
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
