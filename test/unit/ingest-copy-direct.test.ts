// The copy's reads and writes past the page cache (O_DIRECT, where the file system takes it):
// whole aligned blocks go direct, the rest through the cache, and the bytes come out the same at
// every size around a block or chunk boundary, fresh or resumed from an unaligned partial.
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlignedBufferPool, DIRECT_IO_ALIGNMENT, isPageAligned } from '../../src-main/archive';
import { copyClip, type CopyTask } from '../../src-main/ingest/copy';
import { tempDir } from '../support/temp';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = tempDir('evidock-copy-direct-');
});
afterEach(() => dir.remove());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const CHUNK = 64 * 1024;

function task(bytes: Buffer, over: Partial<CopyTask> = {}): CopyTask {
  const source = join(dir.path, 'src.mp4');
  writeFileSync(source, bytes);
  const stat = statSync(source);
  return {
    source,
    expected: { size: stat.size, mtimeMs: stat.mtimeMs, dev: stat.dev, ino: stat.ino },
    partial: join(dir.path, 'copy.partial'),
    resume: false,
    algorithms: ['sha256'],
    chunkSize: CHUNK,
    ...over,
  };
}

describe('page-aligned buffers', () => {
  it('start on a page boundary, are told apart from plain buffers, and are reused', () => {
    const pool = new AlignedBufferPool();
    const a = pool.take(CHUNK);
    const b = pool.take(CHUNK);
    expect(a.length).toBe(CHUNK);
    expect(isPageAligned(a) && isPageAligned(b)).toBe(true);
    expect(isPageAligned(a, 16)).toBe(false);
    expect(isPageAligned(Buffer.alloc(CHUNK))).toBe(false);
    pool.give(a);
    expect(pool.take(CHUNK)).toBe(a);
  });

  it('are accepted by O_DIRECT where the file system offers it', async (context) => {
    if (fsConstants.O_DIRECT === undefined) context.skip();
    const path = join(dir.path, 'direct.bin');
    let handle;
    try {
      handle = await open(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_DIRECT);
    } catch {
      return context.skip(); // tmpfs and friends refuse O_DIRECT: nothing to prove here
    }
    const buffer = new AlignedBufferPool().take(CHUNK).fill(7);
    try {
      expect((await handle.write(buffer, 0, DIRECT_IO_ALIGNMENT, 0)).bytesWritten).toBe(4096);
    } finally {
      await handle.close();
    }
  });
});

describe('copyClip past the page cache', () => {
  const sizes = [0, 1, 4095, 4096, 4097, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 4097];
  it.each(sizes)('a file of %i bytes is copied and proven byte for byte', async (size) => {
    const bytes = randomBytes(size);
    const result = await copyClip(task(bytes));
    expect(result.sha256).toBe(sha256(bytes));
    expect(result.bytes).toBe(size);
    expect(readFileSync(join(dir.path, 'copy.partial')).equals(bytes)).toBe(true);
  });

  it('resumes from a partial that ends off a block boundary', async () => {
    const bytes = randomBytes(3 * CHUNK + 12_345);
    const partial = join(dir.path, 'copy.partial');
    writeFileSync(partial, bytes.subarray(0, CHUNK + 1234));
    const result = await copyClip(task(bytes, { resume: true }));
    expect(result.resumedFrom).toBe(CHUNK + 1234);
    expect(result.sha256).toBe(sha256(bytes));
    expect(readFileSync(partial).equals(bytes)).toBe(true);
  });

  it('copies with a chunk size that is not a whole number of blocks (all through the cache)', async () => {
    const bytes = randomBytes(100_000);
    const result = await copyClip(task(bytes, { chunkSize: 10_000 }));
    expect(result.sha256).toBe(sha256(bytes));
    expect(readFileSync(join(dir.path, 'copy.partial')).equals(bytes)).toBe(true);
  });
});
