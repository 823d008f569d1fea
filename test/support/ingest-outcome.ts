// What an officer or custodian can check after a docking: which clips the catalogue holds and
// whether the archive holds exactly their bytes, nothing more.
import type Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sha256 } from './damaged-recorder';

export interface CataloguedClip {
  id: number;
  originalPath: string;
  sha256: string;
  archivePath: string;
  status: string;
}

export function catalogued(db: Database.Database): CataloguedClip[] {
  return db
    .prepare(
      `SELECT id, original_path AS originalPath, sha256, archive_path AS archivePath, status
       FROM clips ORDER BY original_path`,
    )
    .all() as CataloguedClip[];
}

/** Every file under `<dataDir>/archive`, data-dir-relative with `/`. */
export function archiveFiles(dataDir: string): string[] {
  const walk = (dir: string, rel: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(dir, e.name), `${rel}/${e.name}`) : [`${rel}/${e.name}`],
        )
      : [];
  return walk(join(dataDir, 'archive'), 'archive').sort();
}

/**
 * The catalogue holds exactly `expected` (original path → bytes on the recorder), each once and
 * verified, and the archive holds exactly their bytes and sidecars: no extra file, no copy of
 * anything that was refused.
 */
export function expectArchiveHolds(
  db: Database.Database,
  dataDir: string,
  expected: ReadonlyMap<string, Uint8Array>,
): CataloguedClip[] {
  const clips = catalogued(db);
  expect(clips.map((c) => c.originalPath)).toEqual([...expected.keys()].sort());
  const files: string[] = [];
  for (const clip of clips) {
    const bytes = expected.get(clip.originalPath)!;
    expect(clip.status, clip.originalPath).toBe('verified');
    expect(clip.sha256, clip.originalPath).toBe(sha256(bytes));
    const archived = readFileSync(join(dataDir, ...clip.archivePath.split('/')));
    expect(sha256(archived), clip.archivePath).toBe(sha256(bytes));
    files.push(clip.archivePath, `${clip.archivePath}.evidock.json`);
  }
  expect(archiveFiles(dataDir)).toEqual(files.sort());
  return clips;
}

/** Findings of one code, as `path → message`. */
export function findingsOf(
  findings: readonly { code: string; path: string | null; message: string }[],
  code: string,
): Map<string | null, string> {
  return new Map(findings.filter((f) => f.code === code).map((f) => [f.path, f.message]));
}
