import { extname, isAbsolute, relative, resolve } from 'node:path';

/**
 * Where things live in the data dir. Archive paths are built from immutable facts only (the
 * recorded date on the station's calendar, the recorder's serial, the original name, the hash),
 * never from labels an officer can edit later.
 */

export const ARCHIVE_FOLDER = 'archive';
const THUMBNAILS_FOLDER = 'thumbnails';

/** The archive's sidecar next to each original: `<name>.evidock.json`. */
export const SIDECAR_SUFFIX = '.evidock.json';

/** `archive/<YYYY>/<MM>/<DD>/<serial>/` */
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

/** A clip's thumbnail, named by its bytes' hash (data-dir-relative). */
export function thumbnailPathFor(sha256: string): string {
  return `${THUMBNAILS_FOLDER}/${sha256.slice(0, 2)}/${sha256}.jpg`;
}

/** Thrown when a path built from volume data or the catalogue would land outside the data dir. */
export class OutsideDataDirError extends Error {
  constructor(path: string) {
    super(`refusing ${path}: it is outside the data dir`);
    this.name = 'OutsideDataDirError';
  }
}

/** Whether `path` lies strictly inside `root` (both absolute). */
export function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** `root` joined with `/`-separated `relPath`, refused if it climbs out of `root`. */
export function resolveInside(root: string, relPath: string): string {
  const path = resolve(root, ...relPath.split('/'));
  if (!within(resolve(root), path)) throw new OutsideDataDirError(path);
  return path;
}
