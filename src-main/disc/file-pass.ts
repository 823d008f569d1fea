import { hashFromDisk } from '../archive';
import { NotPlainFile, plainFileOnDisc } from './disc-files';
import type { PassResult } from './media-passes';

/** A file the disc must hold, as the catalogue knows it. */
export interface ExpectedFile {
  /** Relative to the disc's root, with `/`. */
  path: string;
  size: number;
  sha256: string;
  sm3: string | null;
}

/**
 * Pass 3: every original read back through the file system, where the disc is mounted (the drive
 * as the OS mounts it; in tests the image mounted with fuseiso), and hashed against the SHA-256
 * and SM3 the catalogue proved at ingest (D-NO-TAMPER). This is the reading a court's computer
 * does: it does not trust xorriso's own tags, and it goes through the Joliet / Rock Ridge names.
 */
export async function checkFilesAt(
  root: string,
  expected: readonly ExpectedFile[],
  options: { signal?: AbortSignal; onFile?: (done: number, total: number) => void } = {},
): Promise<PassResult> {
  const problems: string[] = [];
  // A disc with nothing to check is not proven by this pass.
  if (expected.length === 0) problems.push('no originals to check');
  let bytes = 0;
  for (const [i, file] of expected.entries()) {
    options.signal?.throwIfAborted();
    let digest;
    try {
      digest = await hashFromDisk(
        await plainFileOnDisc(root, file.path),
        file.sm3 === null ? ['sha256'] : ['sha256', 'sm3'],
        { checkpoint: () => options.signal?.throwIfAborted() },
      );
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        error instanceof NotPlainFile
          ? `${file.path}: ${error.message}`
          : code === 'ENOENT'
            ? `${file.path}: not on the disc`
            : `${file.path}: unreadable (${code ?? (error as Error).message})`,
      );
      continue;
    }
    bytes += digest.bytes;
    if (digest.bytes !== file.size) {
      problems.push(`${file.path}: ${digest.bytes} bytes, not ${file.size}`);
    } else if (digest.sha256 !== file.sha256) {
      problems.push(`${file.path}: SHA-256 ${digest.sha256}, not ${file.sha256}`);
    } else if (file.sm3 !== null && digest.sm3 !== file.sm3) {
      problems.push(`${file.path}: SM3 ${digest.sm3 ?? '(none)'}, not ${file.sm3}`);
    }
    options.onFile?.(i + 1, expected.length);
  }
  const ok = problems.length === 0;
  return {
    pass: 'files',
    ok,
    detail: ok
      ? `${expected.length} file(s), ${bytes} bytes, read back and hashed: SHA-256${expected.some((f) => f.sm3 !== null) ? ' and SM3' : ''} match the catalogue`
      : `${problems.length} of ${expected.length} file(s) do not read back as the catalogue proved them`,
    problems,
  };
}
