import { chmod, link, lstat, readFile, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { NewClip } from '../catalogue/clips';
import { SIDECAR_SUFFIX, type ReadBack } from '../custody/integrity';
import { fsyncFolder, makeFolderInside, resolveInside, writeFileDurably } from './fs-safe';

export const ARCHIVE_FOLDER = 'archive';
const READ_ONLY = 0o444;

/**
 * `archive/<YYYY>/<MM>/<DD>/<serial>/`: built from immutable facts only (the recorded date on the
 * station's calendar and the recorder's serial), never from labels an officer can edit later.
 */
export function archiveFolderFor(recordedAt: Date, serial: string): string {
  const y = String(recordedAt.getFullYear()).padStart(4, '0');
  const m = String(recordedAt.getMonth() + 1).padStart(2, '0');
  const d = String(recordedAt.getDate()).padStart(2, '0');
  return `${ARCHIVE_FOLDER}/${y}/${m}/${d}/${serial.toUpperCase()}`;
}

/** `name`, then `stem~2.ext`, `stem~3.ext`, …: two recorders' FILE0001.MP4 never meet. */
export function candidateName(name: string, attempt: number): string {
  if (attempt <= 1) return name;
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}~${attempt}${ext}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The first archive path (data-dir-relative) not yet taken, original or sidecar. */
export async function freeArchivePath(
  dataDir: string,
  folder: string,
  name: string,
): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    const rel = `${folder}/${candidateName(name, attempt)}`;
    const abs = resolveInside(dataDir, rel);
    if (!(await exists(abs)) && !(await exists(abs + SIDECAR_SUFFIX))) return rel;
  }
}

export type LinkOutcome = 'linked' | 'already-linked';

/**
 * Puts the proven partial into the archive as a second name of the same file: link() never
 * replaces an existing file (rename() would), so no original is ever overwritten. Then read-only.
 */
export async function linkIntoArchive(
  dataDir: string,
  partial: string,
  archivePath: string,
): Promise<LinkOutcome> {
  const target = resolveInside(dataDir, archivePath);
  await makeFolderInside(dataDir, dirname(target));
  let outcome: LinkOutcome = 'linked';
  try {
    await link(partial, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // After a crash the link may already be there: fine only if it is this very file.
    const [a, b] = await Promise.all([stat(partial), lstat(target)]);
    if (a.ino !== b.ino || a.dev !== b.dev) throw error;
    outcome = 'already-linked';
  }
  await chmod(target, READ_ONLY);
  await fsyncFolder(dirname(target));
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// The sidecar: enough to rebuild the catalogue from the archive alone (DESIGN.md, Data on disk)

export interface CustodyEvent {
  event: 'copied' | 'verified' | 'archived' | 'recorder-copy-deleted' | 'recovered';
  at: string;
  by: string;
  details?: Record<string, unknown>;
}

export interface Sidecar {
  format: 'evidock-sidecar/1';
  clip: NewClip & { originalName: string };
  readBack: ReadBack;
  custody: CustodyEvent[];
}

export function sidecarPath(dataDir: string, archivePath: string): string {
  return resolveInside(dataDir, archivePath + SIDECAR_SUFFIX);
}

export async function writeSidecar(
  dataDir: string,
  scratch: string,
  sidecar: Sidecar,
): Promise<void> {
  await writeFileDurably(
    sidecarPath(dataDir, sidecar.clip.archivePath),
    JSON.stringify(sidecar, null, 2) + '\n',
    { tmpFolder: scratch, mode: READ_ONLY },
  );
}

export async function readSidecar(dataDir: string, archivePath: string): Promise<Sidecar | null> {
  try {
    const parsed = JSON.parse(await readFile(sidecarPath(dataDir, archivePath), 'utf8')) as Sidecar;
    return parsed.format === 'evidock-sidecar/1' && parsed.clip?.archivePath === archivePath
      ? parsed
      : null;
  } catch {
    return null;
  }
}
