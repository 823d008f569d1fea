import { createHash } from 'node:crypto';

/** S3 allows at most 10,000 parts; every part but the last is at least 5 MiB. */
export const MAX_PARTS = 10_000;
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

/**
 * The part size an upload of `size` bytes uses: the target's, grown (in whole MiB) where the
 * clip would need more than 10,000 parts of it.
 */
export function partSizeFor(size: number, targetPartSize: number): number {
  const needed = Math.ceil(size / MAX_PARTS);
  if (needed <= targetPartSize) return targetPartSize;
  const mib = 1024 * 1024;
  return Math.ceil(needed / mib) * mib;
}

export function partCount(size: number, partSize: number): number {
  return Math.max(1, Math.ceil(size / partSize));
}

/** Removes the quotes S3 puts around an ETag. */
export function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '').toLowerCase();
}

/**
 * The ETag S3 gives an object: a single PUT's is the MD5 of its bytes; a multipart upload's is
 * the MD5 of its parts' MD5 digests (binary, in order) followed by `-` and the number of parts.
 * Recomputed from our own parts' MD5s, it proves the server assembled exactly the bytes we sent.
 */
export function expectedEtag(partMd5s: readonly string[], multipart: boolean): string {
  if (!multipart) {
    if (partMd5s.length !== 1) throw new Error('a single PUT has one MD5');
    return partMd5s[0]!;
  }
  const digest = createHash('md5');
  for (const md5 of partMd5s) digest.update(Buffer.from(md5, 'hex'));
  return `${digest.digest('hex')}-${partMd5s.length}`;
}
