// A clip's media facts (issue 3, "Media facts"): times from the container, else the file name
// (recorder local time, CST by default), else the file's mtime, each with its source; duration,
// resolution and codec from the npm-shipped ffprobe.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recorderProfileSchema, type RecorderProfile } from '../../src-main/devices/profile';
import type { MediaFacts } from '../../src-main/contract';
import { readMediaFacts } from '../../src-main/ingest/media';
import { audio, photo, video, withExif } from '../support/footage';
import { tempDir } from '../support/temp';

const dir = tempDir('evidock-media-facts-');
afterAll(() => dir.remove());

/** Names like the standard body-camera profile's: serial_badge_start_sequence. */
const NAMED: RecorderProfile = recorderProfileSchema.parse({
  id: 'test-named',
  name: { 'zh-CN': '测试', en: 'Test' },
  deviceKind: 'body-camera',
  driver: 'mass-storage',
  match: { markerFiles: ['DCIM'] },
  mediaFolders: ['DCIM'],
  mediaKinds: { video: ['mp4', 'mov'], audio: ['wav'], photo: ['jpg'] },
  fileName: {
    pattern:
      '^(?<serial>[A-Z0-9]{4,20})_(?<badge>[A-Za-z0-9-]{2,32})_(?<start>\\d{14})_(?<sequence>\\d{4,6})\\.',
    startFormat: 'YYYYMMDDHHmmss',
  },
});

/** A profile that says nothing in its file names. */
const PLAIN: RecorderProfile = recorderProfileSchema.parse({
  id: 'test-plain',
  name: { 'zh-CN': '测试', en: 'Test' },
  deviceKind: 'body-camera',
  driver: 'mass-storage',
  match: { markerFiles: ['DCIM'] },
  mediaFolders: ['DCIM'],
  mediaKinds: { video: ['mp4'], audio: ['wav'], photo: ['jpg'] },
});

const MTIME = new Date('2026-11-22T06:00:00Z');

async function placed(source: string | Buffer, name: string): Promise<string> {
  const file = join(dir.path, name);
  if (typeof source === 'string') await copyFile(source, file);
  else await writeFile(file, source);
  return file;
}

function approximately(value: number | null, expected: number, tolerance: number): void {
  expect(value).not.toBeNull();
  expect(Math.abs((value ?? 0) - expected)).toBeLessThanOrEqual(tolerance);
}

const ms = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));

describe('readMediaFacts: container first', () => {
  it('1280×720 H.264, 5 s: ffprobe facts, times from mvhd (start + duration)', async () => {
    const file = await video({
      seconds: 5,
      size: '1280x720',
      creationTime: '2026-11-22T05:00:00Z',
    });
    const facts = await readMediaFacts(file, {
      profile: NAMED,
      originalName: 'DCIM/DSJ0001_A12345_20261122130000_0007.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts).toMatchObject({
      recordedStart: '2026-11-22T05:00:00.000Z',
      recordedStartSource: 'container',
      recordedEndSource: 'container',
      width: 1280,
      height: 720,
      codec: 'h264',
      sequence: 7,
      badge: 'A12345',
      serial: 'DSJ0001',
    });
    approximately(facts.durationMs, 5000, 100);
    expect(ms(facts.recordedEnd) - ms(facts.recordedStart)).toBe(facts.durationMs);
  });

  it('MOV the same way', async () => {
    const file = await video({ container: 'mov', creationTime: '2026-11-22T05:00:00Z' });
    const facts = await readMediaFacts(file, {
      profile: PLAIN,
      originalName: 'MOV_0001.mov',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts).toMatchObject({
      recordedStart: '2026-11-22T05:00:00.000Z',
      recordedStartSource: 'container',
      width: 320,
      height: 240,
      codec: 'h264',
      sequence: null,
      badge: null,
      serial: null,
    });
    approximately(facts.durationMs, 1000, 100);
  });

  it('the container beats a file name that says otherwise', async () => {
    const file = await video({ creationTime: '2026-11-22T05:00:00Z' });
    const facts = await readMediaFacts(file, {
      profile: NAMED,
      originalName: 'DSJ0001_A12345_20250101000000_0001.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts.recordedStartSource).toBe('container');
    expect(facts.recordedStart).toBe('2026-11-22T05:00:00.000Z');
  });
});

describe('readMediaFacts: file-name fallback (recorder local time)', () => {
  it('no creation time: the start group read as China Standard Time (UTC+8) by default', async () => {
    const file = await video({ creationTime: null });
    const facts = await readMediaFacts(file, {
      profile: NAMED,
      originalName: 'DSJ0001_A12345_20261122130000_0007.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts).toMatchObject({
      recordedStart: '2026-11-22T05:00:00.000Z',
      recordedStartSource: 'file-name',
      recordedEndSource: 'file-name',
      sequence: 7,
    });
    expect(ms(facts.recordedEnd) - ms(facts.recordedStart)).toBe(facts.durationMs);
  });

  it('another zone when the unit configures one', async () => {
    const facts = await readMediaFacts(await video({ creationTime: null }), {
      profile: NAMED,
      originalName: 'DSJ0001_A12345_20261122130000_0007.mp4',
      mtime: MTIME,
      kind: 'video',
      timeZoneOffsetMinutes: 0,
    });
    expect(facts.recordedStart).toBe('2026-11-22T13:00:00.000Z');
  });

  it('a creation time before 2000 (unset clock) gives way to the file name', async () => {
    const facts = await readMediaFacts(await video({ creationTime: '1980-01-01T00:00:00Z' }), {
      profile: NAMED,
      originalName: 'DSJ0001_A12345_20261122130000_0008.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts.recordedStartSource).toBe('file-name');
  });

  it('a cut-off recording (no moov): start from the name, end from the mtime', async () => {
    const whole = await readFile(await video({ creationTime: '2026-11-22T05:00:00Z' }));
    const file = await placed(whole.subarray(0, 4000), 'DSJ0001_A12345_20261122135500_0009.mp4');
    const facts = await readMediaFacts(file, {
      profile: NAMED,
      originalName: 'DSJ0001_A12345_20261122135500_0009.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts).toMatchObject({
      recordedStart: '2026-11-22T05:55:00.000Z',
      recordedStartSource: 'file-name',
      recordedEnd: '2026-11-22T06:00:00.000Z',
      recordedEndSource: 'file-time',
      durationMs: null,
      sequence: 9,
    });
  });

  it('an impossible date in the name (13th month) is no time', async () => {
    const facts = await readMediaFacts(await video({ creationTime: null }), {
      profile: NAMED,
      originalName: 'DSJ0001_A12345_20261322130000_0007.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts.recordedEndSource).toBe('file-time');
    expect(facts.recordedStartSource).toBe('file-time');
    expect(facts.sequence).toBe(7);
  });
});

describe('readMediaFacts: file-time fallback', () => {
  it('mtime is the end; start is the end minus the duration', async () => {
    const facts = await readMediaFacts(await video({ creationTime: null }), {
      profile: PLAIN,
      originalName: 'DCIM/100MEDIA/VID_0001.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts).toMatchObject({
      recordedEnd: '2026-11-22T06:00:00.000Z',
      recordedEndSource: 'file-time',
      recordedStartSource: 'file-time',
    });
    expect(ms(facts.recordedEnd) - ms(facts.recordedStart)).toBe(facts.durationMs);
  });

  it('audio (WAV): duration and codec from ffprobe, no picture, times from the mtime', async () => {
    const facts = await readMediaFacts(await audio({ seconds: 2 }), {
      profile: PLAIN,
      originalName: 'REC_0001.wav',
      mtime: MTIME,
      kind: 'audio',
    });
    expect(facts).toMatchObject({
      codec: 'pcm_s16le',
      width: null,
      height: null,
      recordedEnd: '2026-11-22T06:00:00.000Z',
      recordedStart: '2026-11-22T05:59:58.000Z',
      recordedStartSource: 'file-time',
    });
    approximately(facts.durationMs, 2000, 50);
  });

  it('garbage named .mp4: no throw, no media facts, the mtime as the end only', async () => {
    const file = await placed(Buffer.from('not a video at all'), 'VID_0002.mp4');
    const facts = await readMediaFacts(file, {
      profile: PLAIN,
      originalName: 'VID_0002.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts).toEqual<MediaFacts>({
      recordedStart: null,
      recordedStartSource: null,
      recordedEnd: '2026-11-22T06:00:00.000Z',
      recordedEndSource: 'file-time',
      durationMs: null,
      width: null,
      height: null,
      codec: null,
      sequence: null,
      badge: null,
      serial: null,
    });
  });

  it('an mtime from an unset clock (FAT 1980) is no time either', async () => {
    const file = await placed(Buffer.from('x'), 'VID_0003.mp4');
    const facts = await readMediaFacts(file, {
      profile: PLAIN,
      originalName: 'VID_0003.mp4',
      mtime: new Date('1980-01-01T00:00:00Z'),
      kind: 'video',
    });
    expect(facts.recordedStart).toBeNull();
    expect(facts.recordedEnd).toBeNull();
    expect(facts.recordedEndSource).toBeNull();
  });

  it('a missing file: no throw', async () => {
    const facts = await readMediaFacts(join(dir.path, 'gone.mp4'), {
      profile: PLAIN,
      originalName: 'gone.mp4',
      mtime: MTIME,
      kind: 'video',
    });
    expect(facts.durationMs).toBeNull();
  });
});

describe('readMediaFacts: photos', () => {
  it('EXIF DateTimeOriginal with its own offset; size from ffprobe; an instant', async () => {
    const jpeg = withExif(await readFile(await photo()), {
      dateTimeOriginal: '2026:11:22 21:30:15',
      offsetTimeOriginal: '+09:00',
    });
    const facts = await readMediaFacts(await placed(jpeg, 'IMG_0001.jpg'), {
      profile: PLAIN,
      originalName: 'IMG_0001.jpg',
      mtime: MTIME,
      kind: 'photo',
    });
    expect(facts).toMatchObject({
      recordedStart: '2026-11-22T12:30:15.000Z',
      recordedStartSource: 'container',
      recordedEnd: '2026-11-22T12:30:15.000Z',
      recordedEndSource: 'container',
      durationMs: null,
      width: 640,
      height: 480,
      codec: 'mjpeg',
    });
  });

  it('EXIF without an offset is recorder local time (CST); little-endian TIFF too', async () => {
    const jpeg = withExif(await readFile(await photo()), {
      dateTimeOriginal: '2026:11:22 13:00:00',
      littleEndian: true,
    });
    const facts = await readMediaFacts(await placed(jpeg, 'IMG_0002.jpg'), {
      profile: PLAIN,
      originalName: 'IMG_0002.jpg',
      mtime: MTIME,
      kind: 'photo',
    });
    expect(facts.recordedStart).toBe('2026-11-22T05:00:00.000Z');
    expect(facts.recordedStartSource).toBe('container');
  });

  it('no EXIF: the file name, else the mtime', async () => {
    const named = await readMediaFacts(await photo(), {
      profile: NAMED,
      originalName: 'DSJ0001_A12345_20261122130000_0003.jpg',
      mtime: MTIME,
      kind: 'photo',
    });
    expect(named).toMatchObject({
      recordedStart: '2026-11-22T05:00:00.000Z',
      recordedEnd: '2026-11-22T05:00:00.000Z',
      recordedStartSource: 'file-name',
      sequence: 3,
    });
    const plain = await readMediaFacts(await photo(), {
      profile: PLAIN,
      originalName: 'IMG_0004.jpg',
      mtime: MTIME,
      kind: 'photo',
    });
    expect(plain).toMatchObject({
      recordedStart: '2026-11-22T06:00:00.000Z',
      recordedEnd: '2026-11-22T06:00:00.000Z',
      recordedStartSource: 'file-time',
      recordedEndSource: 'file-time',
    });
  });

  it('a blank or damaged EXIF date is no time', async () => {
    const blank = withExif(await readFile(await photo()), {
      dateTimeOriginal: '    :  :     :  :  ',
    });
    const facts = await readMediaFacts(await placed(blank, 'IMG_0005.jpg'), {
      profile: PLAIN,
      originalName: 'IMG_0005.jpg',
      mtime: MTIME,
      kind: 'photo',
    });
    expect(facts.recordedStartSource).toBe('file-time');
    // Cut inside the EXIF segment: still no throw.
    const cut = withExif(await readFile(await photo()), {
      dateTimeOriginal: '2026:11:22 13:00:00',
    });
    const truncated = await readMediaFacts(await placed(cut.subarray(0, 40), 'IMG_0006.jpg'), {
      profile: PLAIN,
      originalName: 'IMG_0006.jpg',
      mtime: MTIME,
      kind: 'photo',
    });
    expect(truncated.recordedStartSource).toBe('file-time');
  });
});
