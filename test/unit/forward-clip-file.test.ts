// An archived original as forwarding reads it: in parts, one part read ahead while the one
// before is on its way, from a fixed set of buffers, and never made whole on a target unless its
// bytes still hash to what ingest proved (D-NO-TAMPER).
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClipFile } from '../../src-main/forward/clip-file';
import { PartBuffers } from '../../src-main/forward/part-buffers';
import { tempDir } from '../support/temp';

const PART = 64 * 1024;

const made: { remove: () => void }[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) dir.remove();
});

function clipOnDisk(bytes: Buffer): { path: string; sha256: string } {
  const dir = tempDir('clip-file-');
  made.push(dir);
  const path = join(dir.path, 'clip.mp4');
  writeFileSync(path, bytes);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('an archived original read for forwarding', () => {
  it('keeps a part’s bytes intact while the next part is read into the other buffer', async () => {
    const bytes = randomBytes(PART * 3 + 123);
    const { path, sha256 } = clipOnDisk(bytes);
    const file = await ClipFile.open(path, bytes.length, new PartBuffers(4));
    try {
      const first = await file.read(0, PART);
      const second = await file.read(PART, PART);
      // The first part is still being sent while the second is read: it must not have changed.
      expect(first.equals(bytes.subarray(0, PART))).toBe(true);
      expect(second.equals(bytes.subarray(PART, 2 * PART))).toBe(true);
      await file.read(2 * PART, PART);
      await file.read(3 * PART, 123);
      expect(() => file.requireProven(sha256)).not.toThrow();
    } finally {
      await file.close();
    }
  });

  it('refuses a clip whose bytes no longer hash to what ingest proved (D-NO-TAMPER)', async () => {
    const bytes = randomBytes(PART * 2);
    const { path, sha256 } = clipOnDisk(bytes);
    bytes[PART + 5] = bytes[PART + 5]! ^ 0xff;
    writeFileSync(path, bytes);
    const file = await ClipFile.open(path, bytes.length, new PartBuffers(4));
    try {
      await file.read(0, PART);
      await file.read(PART, PART);
      expect(() => file.requireProven(sha256)).toThrow(/no longer hashes .*D-NO-TAMPER/);
    } finally {
      await file.close();
    }
  });

  it('refuses a clip not read to its end, and one of another size than ingest proved', async () => {
    const bytes = randomBytes(PART * 2);
    const { path, sha256 } = clipOnDisk(bytes);
    const file = await ClipFile.open(path, bytes.length, new PartBuffers(4));
    try {
      await file.read(0, PART);
      expect(() => file.requireProven(sha256)).toThrow(/D-NO-TAMPER/);
      await expect(file.read(0, PART)).rejects.toThrow(/in order/);
    } finally {
      await file.close();
    }
    await expect(ClipFile.open(path, bytes.length + 1, new PartBuffers(4))).rejects.toMatchObject({
      code: 'ARCHIVE_MISMATCH',
    });
  });

  it('reads clip after clip from the same two buffers instead of new ones each time', async () => {
    const pool = new PartBuffers(4);
    const seen = new Set<ArrayBufferLike>();
    for (let clip = 0; clip < 10; clip++) {
      const bytes = randomBytes(PART * 2 + clip);
      const { path, sha256 } = clipOnDisk(bytes);
      const file = await ClipFile.open(path, bytes.length, pool);
      try {
        for (let offset = 0; offset < bytes.length; offset += PART) {
          const part = await file.read(offset, Math.min(PART, bytes.length - offset));
          expect(part.equals(bytes.subarray(offset, offset + part.length))).toBe(true);
          seen.add(part.buffer);
        }
        file.requireProven(sha256);
      } finally {
        await file.close();
      }
    }
    expect(seen.size).toBe(2);
  });

  it('keeps no more buffers than it was told to once clips give theirs back', async () => {
    const pool = new PartBuffers(2);
    const lent = [pool.take(PART), pool.take(PART), pool.take(PART), pool.take(2 * PART)];
    for (const buffer of lent) pool.give(buffer);
    // The two largest are kept: a part of either size is served from them.
    const again = [pool.take(2 * PART), pool.take(PART)];
    expect(again.map((b) => lent.includes(b))).toEqual([true, true]);
    expect(lent.includes(pool.take(PART))).toBe(false);
  });
});
