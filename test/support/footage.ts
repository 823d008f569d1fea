// Real footage for tests, made by ffmpeg the way TESTING.md ("Footage") says: a test pattern and a
// tone, encoded as a recorder would (H.264 + AAC in MP4/MOV, JPEG photos, WAV audio), with the
// container's creation_time set. Each distinct file is made once per test process and shared.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VideoSpec {
  /** Length in seconds (default 1). */
  seconds?: number;
  /** WxH (default 320x240). */
  size?: string;
  /** Written as the container's creation_time (mvhd); null writes none (ffmpeg then writes 0). */
  creationTime?: string | null;
  container?: 'mp4' | 'mov';
  /** `-movflags +faststart`: moov before mdat. Default false: moov after mdat, as recorders write. */
  faststart?: boolean;
}

export interface PhotoSpec {
  size?: string;
}

export interface AudioSpec {
  seconds?: number;
}

/**
 * The generator: Debian's ffmpeg (on PATH) as TESTING.md prescribes. Where it is not installed
 * (a CI machine that only ran `npm ci`), the npm-shipped binary can encode the same recipe, so the
 * tests still run; the product itself never uses a PATH ffmpeg.
 */
export function footageFfmpeg(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'ffmpeg'))) return join(dir, 'ffmpeg');
  }
  return (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

let folder: string | undefined;
const made = new Map<string, Promise<string>>();

function footageDir(): string {
  if (folder === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'evidock-footage-'));
    folder = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return folder;
}

function once(key: string, extension: string, args: (out: string) => string[]): Promise<string> {
  let file = made.get(key);
  if (file === undefined) {
    const out = join(footageDir(), `clip-${made.size + 1}.${extension}`);
    file = run(footageFfmpeg(), ['-v', 'error', '-nostdin', '-y', ...args(out)]).then(() => out);
    made.set(key, file);
  }
  return file;
}

/** An H.264 + AAC clip with the given creation time (default 2026-11-22T05:00:00Z). */
export function video(spec: VideoSpec = {}): Promise<string> {
  const seconds = spec.seconds ?? 1;
  const size = spec.size ?? '320x240';
  const creationTime = spec.creationTime === undefined ? '2026-11-22T05:00:00Z' : spec.creationTime;
  const container = spec.container ?? 'mp4';
  const faststart = spec.faststart ?? false;
  const key = JSON.stringify(['video', seconds, size, creationTime, container, faststart]);
  return once(key, container, (out) => [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=30:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    ...(creationTime === null ? [] : ['-metadata', `creation_time=${creationTime}`]),
    ...(faststart ? ['-movflags', '+faststart'] : []),
    out,
  ]);
}

/** A JPEG photo (no EXIF: add one with `withExif`). */
export function photo(spec: PhotoSpec = {}): Promise<string> {
  const size = spec.size ?? '640x480';
  return once(JSON.stringify(['photo', size]), 'jpg', (out) => [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=1:duration=1`,
    '-frames:v',
    '1',
    out,
  ]);
}

/** A PCM WAV recording, as audio pens write. */
export function audio(spec: AudioSpec = {}): Promise<string> {
  const seconds = spec.seconds ?? 1;
  return once(JSON.stringify(['audio', seconds]), 'wav', (out) => [
    '-f',
    'lavfi',
    '-i',
    `sine=duration=${seconds}`,
    '-c:a',
    'pcm_s16le',
    out,
  ]);
}

/**
 * The JPEG with an EXIF APP1 segment inserted after SOI, holding DateTimeOriginal
 * (`YYYY:MM:DD HH:MM:SS`) and, if given, OffsetTimeOriginal (`+08:00`). ffmpeg writes no EXIF,
 * so this builds the few bytes a camera would. Big-endian TIFF, to exercise the less common order.
 */
export function withExif(
  jpeg: Buffer,
  exif: { dateTimeOriginal: string; offsetTimeOriginal?: string; littleEndian?: boolean },
): Buffer {
  const little = exif.littleEndian ?? false;
  const u16 = (v: number) => {
    const b = Buffer.alloc(2);
    if (little) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  };
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    if (little) b.writeUInt32LE(v);
    else b.writeUInt32BE(v);
    return b;
  };
  const ascii = (s: string) => Buffer.from(`${s}\0`, 'latin1');
  const date = ascii(exif.dateTimeOriginal);
  const zone = exif.offsetTimeOriginal === undefined ? null : ascii(exif.offsetTimeOriginal);

  // Layout (offsets from the TIFF header): header 8, IFD0 with one entry (18), Exif IFD, values.
  const ifd0At = 8;
  const exifIfdAt = ifd0At + 2 + 12 + 4;
  const exifEntries = zone === null ? 1 : 2;
  const valuesAt = exifIfdAt + 2 + exifEntries * 12 + 4;
  const entry = (tag: number, type: number, count: number, value: Buffer) =>
    Buffer.concat([u16(tag), u16(type), u32(count), value]);
  const tiff = Buffer.concat([
    Buffer.from(little ? 'II' : 'MM', 'latin1'),
    u16(42),
    u32(ifd0At),
    u16(1),
    entry(0x8769, 4, 1, u32(exifIfdAt)),
    u32(0),
    u16(exifEntries),
    entry(0x9003, 2, date.length, u32(valuesAt)),
    ...(zone === null ? [] : [entry(0x9011, 2, zone.length, u32(valuesAt + date.length))]),
    u32(0),
    date,
    ...(zone === null ? [] : [zone]),
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return Buffer.concat([
    jpeg.subarray(0, 2),
    Buffer.from([0xff, 0xe1]),
    length,
    payload,
    jpeg.subarray(2),
  ]);
}
