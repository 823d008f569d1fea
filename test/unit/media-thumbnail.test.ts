// Thumbnails for the Dock screen's clip list (issue 3, "Media facts"): made by the npm-shipped
// ffmpeg, a whole JPEG or nothing, and never a reason for an ingest to fail.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeThumbnail } from '../../src-main/ingest/media';
import { audio, photo, video } from '../support/footage';
import { tempDir } from '../support/temp';

const dir = tempDir('evidock-media-thumbs-');
afterAll(() => dir.remove());

/** Width and height from the JPEG's start-of-frame segment. */
function jpegSize(jpeg: Buffer): { width: number; height: number } | null {
  for (let at = 2; at + 9 < jpeg.length;) {
    const marker = jpeg[at + 1] ?? 0;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc3) {
      return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

async function expectJpeg(file: string, width: number, height: number): Promise<void> {
  const bytes = await readFile(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
  expect(bytes.length).toBeGreaterThan(1000);
  expect(bytes.length).toBeLessThan(200_000);
  expect(jpegSize(bytes)).toEqual({ width, height });
}

async function leftovers(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.partial'));
}

describe('makeThumbnail', () => {
  it('a video: a JPEG 320 px wide of a frame about 1 s in, aspect kept', async () => {
    const out = join(dir.path, 'video.jpg');
    expect(await makeThumbnail(await video({ seconds: 5, size: '1280x720' }), out, 'video')).toBe(
      true,
    );
    await expectJpeg(out, 320, 180);
  });

  it('a clip shorter than a second: its first frame', async () => {
    const out = join(dir.path, 'short.jpg');
    expect(await makeThumbnail(await video({ seconds: 0.5 }), out, 'video')).toBe(true);
    await expectJpeg(out, 320, 240);
  });

  it('a photo, into a folder that does not exist yet', async () => {
    const out = join(dir.path, 'new', 'folder', 'photo.jpg');
    expect(await makeThumbnail(await photo({ size: '1024x768' }), out, 'photo')).toBe(true);
    await expectJpeg(out, 320, 240);
  });

  it('replaces an earlier thumbnail whole', async () => {
    const out = join(dir.path, 'again.jpg');
    await writeFile(out, 'old');
    expect(await makeThumbnail(await photo(), out, 'photo')).toBe(true);
    await expectJpeg(out, 320, 240);
    expect(await leftovers(dir.path)).toEqual([]);
  });

  it('audio has no thumbnail', async () => {
    const out = join(dir.path, 'audio.jpg');
    expect(await makeThumbnail(await audio(), out, 'audio')).toBe(false);
    await expect(readFile(out)).rejects.toThrow();
  });

  it('a file ffmpeg cannot read: false, nothing written, no temporary file left', async () => {
    const folder = join(dir.path, 'bad');
    const garbage = join(dir.path, 'garbage.mp4');
    await writeFile(garbage, Buffer.alloc(5000, 7));
    expect(await makeThumbnail(garbage, join(folder, 'garbage.jpg'), 'video')).toBe(false);
    expect(await makeThumbnail(join(dir.path, 'missing.mp4'), join(folder, 'm.jpg'), 'video')).toBe(
      false,
    );
    expect(await makeThumbnail(await audio(), join(folder, 'wav-as-video.jpg'), 'video')).toBe(
      false,
    );
    expect(await readdir(folder)).toEqual([]);
  });
});
