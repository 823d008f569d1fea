import { originalKey, type ClipReads } from '../catalogue/clips';
import type { SourceFile } from './walk';

export interface KnownFile {
  file: SourceFile;
  /** The clip that holds these bytes (the file's own clip, or the one it was a sighting of). */
  clipId: number;
  sighting: boolean;
}

export interface IngestPlan {
  /** Not yet proven for this recorder: to be copied, hashed and verified. */
  toCopy: SourceFile[];
  /** Proven at an earlier docking (same path, size and modification time): not copied again. */
  alreadyProven: KnownFile[];
  bytesToCopy: number;
}

/**
 * New clips are the files this recorder has not shown before with the same path, size and
 * modification time. Identical bytes under another name are found after hashing (a sighting),
 * since only the hash can tell.
 */
export function planIngest(
  files: readonly SourceFile[],
  clips: ClipReads,
  recorderSerial: string,
): IngestPlan {
  const known = clips.knownOriginals(recorderSerial);
  const toCopy: SourceFile[] = [];
  const alreadyProven: KnownFile[] = [];
  let bytesToCopy = 0;
  for (const file of files) {
    const hit = known.get(
      originalKey({
        originalPath: file.relPath,
        originalSize: file.size,
        originalMtime: file.mtime,
      }),
    );
    if (hit) {
      alreadyProven.push({ file, clipId: hit.clipId, sighting: hit.sighting });
    } else {
      toCopy.push(file);
      bytesToCopy += file.size;
    }
  }
  return { toCopy, alreadyProven, bytesToCopy };
}
