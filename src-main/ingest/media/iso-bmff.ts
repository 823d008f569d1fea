import { open, type FileHandle } from 'node:fs/promises';
import { plausible } from './local-time';

/**
 * The recording's time from an ISO base media file (MP4, MOV, M4A, 3GP): the movie header `mvhd`
 * holds when the movie was created and how long it is. Only box headers and the few boxes needed
 * are read, each with a bounded read, so a multi-gigabyte clip with its `moov` after `mdat` costs a
 * handful of small reads. Recorder files are untrusted input: truncated files (a battery that died
 * mid-recording leaves no `moov`), garbage and hostile sizes give nulls, never an exception.
 */

export interface ContainerFacts {
  /** `mvhd` creation time in epoch ms; null when absent, zero or before 2000 (an unset clock). */
  creationMs: number | null;
  /** `mvhd` duration (for fragmented files, `mehd`), null when unknown. */
  durationMs: number | null;
}

const NONE: ContainerFacts = { creationMs: null, durationMs: null };

/** Seconds from the 1904 epoch of ISO-BMFF / QuickTime to the Unix epoch. */
const EPOCH_1904_TO_1970_S = 2_082_844_800;

/** Boxes a real file starts with; anything else is not ISO-BMFF and is not walked. */
const FIRST_BOXES = new Set(['ftyp', 'styp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

/** Enough for any real file; stops a file of millions of tiny boxes from costing millions of reads. */
const MAX_BOXES_PER_LEVEL = 10_000;

/** `mvhd` version 1 needs 32 bytes after its header, `mehd` version 1 needs 12. */
const MVHD_BYTES = 32;
const MEHD_BYTES = 12;

interface Box {
  type: string;
  /** Offset of the payload (after the header). */
  payload: number;
  /** Offset just past the box, clipped to its parent (so a truncated box ends where the data does). */
  end: number;
}

/** The `mvhd` facts of `file`, or nulls when it has none that can be read. Never throws. */
export async function readContainerFacts(file: string): Promise<ContainerFacts> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    return await readMovie(handle, size);
  } catch {
    // Not an ISO-BMFF file, or a damaged one: no container facts; ffprobe and the name remain.
    return NONE;
  } finally {
    // Read-only, and read already: a close that fails loses nothing.
    await handle?.close().catch(() => undefined);
  }
}

async function readMovie(handle: FileHandle, fileSize: number): Promise<ContainerFacts> {
  let first = true;
  for await (const box of boxes(handle, 0, fileSize)) {
    if (first && !FIRST_BOXES.has(box.type)) return NONE;
    first = false;
    if (box.type === 'moov') return await readMoov(handle, box);
  }
  return NONE;
}

async function readMoov(handle: FileHandle, moov: Box): Promise<ContainerFacts> {
  let header: { creationMs: number | null; durationMs: number | null; timescale: number } | null =
    null;
  let fragmentDurationMs: number | null = null;
  for await (const box of boxes(handle, moov.payload, moov.end)) {
    if (box.type === 'mvhd' && header === null) {
      header = parseMvhd(await readPayload(handle, box, MVHD_BYTES));
    } else if (box.type === 'mvex' && header !== null && header.durationMs === null) {
      // Fragmented files (written that way so a crash loses only the last fragment) keep the
      // total duration in mvex/mehd, in mvhd's time scale.
      for await (const child of boxes(handle, box.payload, box.end)) {
        if (child.type !== 'mehd') continue;
        const mehd = await readPayload(handle, child, MEHD_BYTES);
        if (mehd) fragmentDurationMs = parseMehd(mehd, header.timescale);
        break;
      }
    }
  }
  if (header === null) return NONE;
  return { creationMs: header.creationMs, durationMs: header.durationMs ?? fragmentDurationMs };
}

/** The box headers between `start` and `limit`, one bounded read each. Stops at the first bad one. */
async function* boxes(handle: FileHandle, start: number, limit: number): AsyncGenerator<Box> {
  const header = Buffer.alloc(16);
  let offset = start;
  for (let count = 0; count < MAX_BOXES_PER_LEVEL && limit - offset >= 8; count += 1) {
    const { bytesRead } = await handle.read(header, 0, Math.min(16, limit - offset), offset);
    if (bytesRead < 8) return;
    const size32 = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    // Structural box types are printable ASCII; anything else means we are reading garbage.
    if (!/^[\x20-\x7e]{4}$/.test(type)) return;
    let headerSize = 8;
    let size: number;
    if (size32 === 1) {
      if (bytesRead < 16) return;
      const large = header.readBigUInt64BE(8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) return;
      size = Number(large);
      headerSize = 16;
    } else if (size32 === 0) {
      size = limit - offset; // "extends to the end of the file" (or of its parent)
    } else {
      size = size32;
    }
    if (size < headerSize) return;
    const claimedEnd = offset + size;
    yield { type, payload: offset + headerSize, end: Math.min(claimedEnd, limit) };
    if (claimedEnd >= limit) return;
    offset = claimedEnd;
  }
}

/** Up to `max` bytes of a box's payload, or null when the box holds fewer than it must. */
async function readPayload(handle: FileHandle, box: Box, max: number): Promise<Buffer | null> {
  const length = Math.min(max, box.end - box.payload);
  if (length <= 0) return null;
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, box.payload);
  return buffer.subarray(0, bytesRead);
}

function parseMvhd(
  body: Buffer | null,
): { creationMs: number | null; durationMs: number | null; timescale: number } | null {
  if (body === null || body.length < 4) return null;
  const version = body[0];
  let creation: bigint;
  let timescale: number;
  let duration: bigint;
  let unknownDuration: bigint;
  if (version === 1) {
    if (body.length < 32) return null;
    creation = body.readBigUInt64BE(4);
    timescale = body.readUInt32BE(20);
    duration = body.readBigUInt64BE(24);
    unknownDuration = 0xffff_ffff_ffff_ffffn;
  } else if (version === 0) {
    if (body.length < 20) return null;
    creation = BigInt(body.readUInt32BE(4));
    timescale = body.readUInt32BE(12);
    duration = BigInt(body.readUInt32BE(16));
    unknownDuration = 0xffff_ffffn;
  } else {
    return null;
  }
  const creationS = Number(creation) - EPOCH_1904_TO_1970_S;
  return {
    creationMs: creation === 0n ? null : plausible(creationS * 1000),
    durationMs: duration === unknownDuration ? null : toMs(duration, timescale),
    timescale,
  };
}

function parseMehd(body: Buffer, timescale: number): number | null {
  const version = body[0];
  if (version === 1 && body.length >= 12) return toMs(body.readBigUInt64BE(4), timescale);
  if (version === 0 && body.length >= 8) return toMs(BigInt(body.readUInt32BE(4)), timescale);
  return null;
}

/** Zero is what a writer leaves when it never finished (or never knew): unknown, not "0 s". */
function toMs(units: bigint, timescale: number): number | null {
  if (timescale === 0 || units === 0n || units > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Math.round((Number(units) * 1000) / timescale);
}
