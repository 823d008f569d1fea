import { open, type FileHandle } from 'node:fs/promises';
import { wallClockToEpochMs } from './local-time';

/**
 * When a photo was taken, from its EXIF `DateTimeOriginal` (with `OffsetTimeOriginal` when the
 * camera wrote one; otherwise the recorder's local zone). Only JPEG's APP1 segment is read, from a
 * bounded prefix of the file; anything malformed gives null.
 */

/** EXIF must sit in APP1 near the start; 256 KiB covers large embedded previews. */
const PREFIX_BYTES = 256 * 1024;

const TAG_EXIF_IFD = 0x8769;
const TAG_DATE_TIME_ORIGINAL = 0x9003;
const TAG_OFFSET_TIME_ORIGINAL = 0x9011;
const TYPE_ASCII = 2;

export async function readExifCaptureMs(
  file: string,
  defaultOffsetMinutes: number,
): Promise<number | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const buffer = Buffer.alloc(PREFIX_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PREFIX_BYTES, 0);
    return exifCaptureMs(buffer.subarray(0, bytesRead), defaultOffsetMinutes);
  } catch {
    // No EXIF capture time: the file name and file times date the photo instead.
    return null;
  } finally {
    // Read-only, and read already: a close that fails loses nothing.
    await handle?.close().catch(() => undefined);
  }
}

/** The capture time in a JPEG's leading bytes, or null. */
export function exifCaptureMs(jpeg: Buffer, defaultOffsetMinutes: number): number | null {
  const tiff = findExifTiff(jpeg);
  if (tiff === null) return null;
  const reader = tiffReader(tiff);
  if (reader === null) return null;
  const ifd0 = reader.u32(4);
  if (ifd0 === null) return null;
  const exifIfd = reader.entry(ifd0, TAG_EXIF_IFD);
  const exifOffset = exifIfd === null ? null : reader.u32(exifIfd.valueAt);
  if (exifOffset === null) return null;
  const original = reader.ascii(reader.entry(exifOffset, TAG_DATE_TIME_ORIGINAL));
  if (original === null) return null;
  const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(original);
  if (!match) return null;
  const zone = reader.ascii(reader.entry(exifOffset, TAG_OFFSET_TIME_ORIGINAL));
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return wallClockToEpochMs(
    {
      year: year ?? 0,
      month: month ?? 0,
      day: day ?? 0,
      hour: hour ?? 0,
      minute: minute ?? 0,
      second: second ?? 0,
    },
    parseZone(zone) ?? defaultOffsetMinutes,
  );
}

/** The TIFF structure inside the first `Exif\0\0` APP1 segment, before the image data starts. */
function findExifTiff(jpeg: Buffer): Buffer | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let pos = 2;
  while (pos + 4 <= jpeg.length) {
    if (jpeg[pos] !== 0xff) return null;
    const marker = jpeg[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // image data / end: no EXIF before it
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // markers without a length
      continue;
    }
    const length = jpeg.readUInt16BE(pos + 2);
    if (length < 2) return null;
    const end = Math.min(pos + 2 + length, jpeg.length);
    if (marker === 0xe1 && jpeg.toString('latin1', pos + 4, pos + 10) === 'Exif\0\0') {
      return jpeg.subarray(pos + 10, end);
    }
    pos += 2 + length;
  }
  return null;
}

interface Entry {
  type: number;
  count: number;
  /** Where the value (or, when it does not fit in 4 bytes, its offset) is stored. */
  valueAt: number;
}

function tiffReader(tiff: Buffer) {
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u16 = (at: number): number | null =>
    at >= 0 && at + 2 <= tiff.length
      ? little
        ? tiff.readUInt16LE(at)
        : tiff.readUInt16BE(at)
      : null;
  const u32 = (at: number): number | null =>
    at >= 0 && at + 4 <= tiff.length
      ? little
        ? tiff.readUInt32LE(at)
        : tiff.readUInt32BE(at)
      : null;
  if (u16(2) !== 42) return null;
  return {
    u32,
    entry(ifd: number, tag: number): Entry | null {
      const count = u16(ifd);
      if (count === null) return null;
      for (let i = 0; i < count; i += 1) {
        const at = ifd + 2 + i * 12;
        if (at + 12 > tiff.length) return null;
        if (u16(at) !== tag) continue;
        return { type: u16(at + 2) ?? 0, count: u32(at + 4) ?? 0, valueAt: at + 8 };
      }
      return null;
    },
    ascii(entry: Entry | null): string | null {
      if (entry === null || entry.type !== TYPE_ASCII || entry.count === 0) return null;
      const start = entry.count <= 4 ? entry.valueAt : u32(entry.valueAt);
      if (start === null || start + entry.count > tiff.length) return null;
      return tiff.toString('latin1', start, start + entry.count).replace(/\0.*$/s, '');
    },
  };
}

/** `+08:00` → 480; null when absent or malformed. */
function parseZone(zone: string | null): number | null {
  const match = zone === null ? null : /^([+-])(\d{2}):(\d{2})$/.exec(zone.trim());
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
