import { createHash } from 'node:crypto';
import type { HashAlgorithm } from '../contract';
import { DIRECT_IO_ALIGNMENT } from './aligned-buffers';
import { DiskFile, type ReadBack } from './disk-file';
import { readBlocks } from './read-loop';

export interface DiskDigest {
  sha256: string;
  sm3: string | null;
  bytes: number;
  readBack: ReadBack;
}

interface DiskReadOptions {
  /** Bytes per read, a multiple of 4096. */
  chunkSize?: number;
  onBytes?: (bytesSoFar: number) => void;
  /** Checked between chunks; throwing from here aborts the read. */
  checkpoint?: () => void;
}

const DEFAULT_CHUNK = 4 << 20;

function roundUp(n: number, to: number): number {
  return Math.max(to, Math.ceil(n / to) * to);
}

/**
 * Hashes a file as it is on the disk (rule D-NO-TAMPER). Linux: O_DIRECT, so the bytes come from
 * the device and not from pages a copy left in memory; elsewhere, and where the file system
 * refuses O_DIRECT, through the cache, and `readBack` says so and why. Ingest proves each copy
 * with this, and the integrity sweep re-proves the archive with it, so "verified" means the same
 * thing at ingest and at every later sweep.
 */
export async function hashFromDisk(
  path: string,
  algorithms: readonly HashAlgorithm[],
  options: DiskReadOptions = {},
): Promise<DiskDigest> {
  const hashes = algorithms.map((a) => createHash(a));
  const file = await DiskFile.open(path);
  try {
    const size = (file.openedAs ?? (await file.stat())).size;
    const chunk = options.chunkSize ?? DEFAULT_CHUNK;
    // A small file is read in one aligned request, not in a chunk sized for a clip.
    const request = Math.min(chunk, roundUp(size, DIRECT_IO_ALIGNMENT));
    const bytes = await readBlocks(file, {
      chunk: request,
      bufferSize: chunk,
      consume: (view, position) => {
        for (const h of hashes) h.update(view);
        options.onBytes?.(position + view.length);
        options.checkpoint?.();
      },
    });
    const [sha256, sm3] = hashes.map((h) => h.digest('hex'));
    return { sha256: sha256!, sm3: sm3 ?? null, bytes, readBack: file.readBack };
  } finally {
    await file.close();
  }
}
