import { DIRECT_IO_ALIGNMENT, threadBuffers, type AlignedBufferPool } from './aligned-buffers';

/** Something read by position: a DiskFile, or a reader that wraps one. */
interface BlockReader {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
}

interface ReadLoop {
  /** Bytes per read; a multiple of 4096 lets every whole block go past the page cache. */
  chunk: number;
  /** Where to start (a resumed copy starts after what it kept). */
  from?: number;
  /** Never read at or past this (a recorder's file is read up to the size the walk saw). */
  limit?: number;
  /** Each chunk in order, while the next one is being read. */
  consume(view: Buffer, position: number): Promise<void> | void;
  /** Buffers of one size whatever the file's (default `chunk`): the pool stays small. */
  bufferSize?: number;
  pool?: AlignedBufferPool;
}

/**
 * The one read loop of the archive: the copy from a recorder, the read-back of a copy and the
 * integrity sweep all read with it. Double-buffered: the next chunk is read while this one is
 * consumed (hashed, written). Chunks sit at aligned positions (a resumed start is brought back
 * onto them by a shorter first read), so that reads can go past the page cache. Answers where
 * the data ended: the limit, or the end of the file (the first read that comes back short).
 */
export async function readBlocks(reader: BlockReader, loop: ReadLoop): Promise<number> {
  const pool = loop.pool ?? threadBuffers;
  const aligned = loop.chunk % DIRECT_IO_ALIGNMENT === 0;
  const limit = loop.limit ?? Infinity;
  const want = (at: number) =>
    Math.min(aligned ? loop.chunk - (at % DIRECT_IO_ALIGNMENT) : loop.chunk, limit - at);
  const bufferSize = Math.max(loop.chunk, loop.bufferSize ?? 0);
  let current = pool.take(bufferSize);
  let spare = pool.take(bufferSize);
  let position = loop.from ?? 0;
  let pending: Promise<number> | null = position < limit ? readInto(current, position) : null;

  function readInto(buffer: Buffer, at: number): Promise<number> {
    const read = reader.read(buffer, 0, want(at), at);
    // Awaited below; a failure must not count as unhandled while the current chunk is consumed.
    read.catch(() => undefined);
    return read;
  }

  try {
    while (pending !== null) {
      const got = await pending;
      pending = null;
      if (got === 0) break;
      const next = position + got;
      // A file read short has ended there: asking past its end would only be answered with 0.
      const ended = got < want(position);
      if (!ended && next < limit) pending = readInto(spare, next);
      await loop.consume(current.subarray(0, got), position);
      position = next;
      [current, spare] = [spare, current];
    }
    return position;
  } finally {
    // A buffer goes back to the pool only once the kernel has stopped writing into it.
    if (pending !== null) await pending.catch(() => undefined);
    pool.give(current);
    pool.give(spare);
  }
}
