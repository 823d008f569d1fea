import { readFile } from 'node:fs/promises';
import type { ReadBack } from './disk-file';
import { writeFileDurably } from './durable';
import { resolveInside, SIDECAR_SUFFIX } from './paths';
import { READ_ONLY } from './placement';

/**
 * The sidecar next to each original (`<name>.evidock.json`): enough to rebuild the catalogue
 * from the archive alone — the clip's row, how its copy was read back, and its custody events.
 */

export interface CustodyEvent {
  event: 'copied' | 'verified' | 'archived' | 'recorder-copy-deleted' | 'recovered';
  at: string;
  by: string;
  details?: Record<string, unknown>;
}

/** What the archive itself reads of a sidecar's clip; the rest is the catalogue row it holds. */
interface SidecarClip {
  archivePath: string;
  sha256: string;
  originalName: string;
}

interface Sidecar<Clip extends SidecarClip = SidecarClip> {
  format: 'evidock-sidecar/1';
  clip: Clip;
  readBack: ReadBack;
  custody: CustodyEvent[];
}

function sidecarPath(dataDir: string, archivePath: string): string {
  return resolveInside(dataDir, archivePath + SIDECAR_SUFFIX);
}

/** Written whole or not at all (through `scratch`, on the same disk), read-only. */
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

/** The sidecar of `archivePath`, or null when it is missing, unreadable or names another file. */
export async function readSidecar<Clip extends SidecarClip = SidecarClip>(
  dataDir: string,
  archivePath: string,
): Promise<Sidecar<Clip> | null> {
  let text: string;
  try {
    text = await readFile(sidecarPath(dataDir, archivePath), 'utf8');
  } catch {
    // Unreadable counts as missing for every caller: they fall back to the original's own hash.
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Sidecar<Clip>;
    return parsed.format === 'evidock-sidecar/1' && parsed.clip?.archivePath === archivePath
      ? parsed
      : null;
  } catch (error) {
    // Not JSON: as good as no sidecar, which the caller treats as such.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}
