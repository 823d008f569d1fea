// Reading a file back from the disk, past the page cache: the same reader proves each copy at
// ingest and re-proves the archive in the integrity sweep (rule D-NO-TAMPER).
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFromDisk } from '../../src-main/archive';
import { tempDir } from '../support/temp';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir('evidock-readback-');
});
afterAll(() => dir.remove());

describe('hashFromDisk', () => {
  // Sizes around the 4096-byte alignment and the chunk size: the unaligned tail is the hard part.
  it.each([1, 511, 4095, 4096, 4097, 65_536, 65_537, 200_001])(
    '%i bytes: same SHA-256 and SM3 as hashing in memory, read with O_DIRECT',
    async (size) => {
      const bytes = randomBytes(size);
      const file = join(dir.path, `f${size}`);
      writeFileSync(file, bytes);
      const digest = await hashFromDisk(file, ['sha256', 'sm3'], { chunkSize: 65_536 });
      expect(digest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(digest.sm3).toBe(createHash('sm3').update(bytes).digest('hex'));
      expect(digest.bytes).toBe(size);
      if (process.platform === 'linux')
        expect(digest.readBack).toEqual({ method: 'direct', reason: null });
    },
  );

  it('an empty file hashes to the empty digest', async () => {
    const file = join(dir.path, 'empty');
    writeFileSync(file, '');
    const digest = await hashFromDisk(file, ['sha256']);
    expect(digest.sha256).toBe(createHash('sha256').digest('hex'));
    expect(digest.sm3).toBeNull();
  });

  it('reports progress and can be stopped between chunks', async () => {
    const file = join(dir.path, 'big');
    writeFileSync(file, randomBytes(256 * 1024));
    const seen: number[] = [];
    await expect(
      hashFromDisk(file, ['sha256'], {
        chunkSize: 65_536,
        onBytes: (n) => seen.push(n),
        checkpoint: () => {
          if (seen.length === 2) throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
    expect(seen).toEqual([65_536, 131_072]);
  });
});
