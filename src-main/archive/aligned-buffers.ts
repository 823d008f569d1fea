/** O_DIRECT wants buffer address, file offset and length aligned to the logical block size. */
export const DIRECT_IO_ALIGNMENT = 4096;

const WASM_PAGE = 64 * 1024;
/** The one WebAssembly API used here; the station's tsconfig has no lib that types it. */
declare const WebAssembly:
  { Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer } } | undefined;
/** Memory known to start on a page boundary (see AlignedBufferPool). */
const pageAlignedMemory = new WeakSet<ArrayBufferLike>();

/**
 * Buffers that start on a page boundary, for O_DIRECT. A WebAssembly memory is mapped page by
 * page, so its first byte is page-aligned; a plain Buffer comes from malloc and is not, and an
 * O_DIRECT read into it is not always refused: on a device with 4096-byte blocks (zram, 4Kn
 * disks) the kernel has been seen to write past the buffer, corrupting the heap and the hash.
 * So O_DIRECT only ever goes into these buffers.
 *
 * A buffer is lent out and given back (the lock etcher-sdk's aligned buffers take): whoever
 * holds it must not give it back while the kernel may still write into it. Memory is taken two
 * buffers at a time (every read loop double-buffers) and kept for reuse: each memory holds its
 * pages, and reserves address space, until it is collected. Without WebAssembly (node --jitless)
 * the buffers are plain ones and isPageAligned says so.
 */
export class AlignedBufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private readonly lent = new WeakSet<Buffer>();

  take(length: number): Buffer {
    let list = this.free.get(length);
    if (!list) this.free.set(length, (list = []));
    if (list.length === 0) {
      if (typeof WebAssembly === 'undefined') return Buffer.allocUnsafeSlow(length);
      const stride = Math.ceil(length / WASM_PAGE) * WASM_PAGE;
      const memory = new WebAssembly.Memory({ initial: (2 * stride) / WASM_PAGE });
      pageAlignedMemory.add(memory.buffer);
      list.push(Buffer.from(memory.buffer, stride, length), Buffer.from(memory.buffer, 0, length));
    }
    const buffer = list.pop()!;
    this.lent.add(buffer);
    return buffer;
  }

  /** Gives a buffer back for reuse; only once no read or write is in flight into it. */
  give(buffer: Buffer): void {
    if (!this.lent.has(buffer)) return;
    this.lent.delete(buffer);
    if (pageAlignedMemory.has(buffer.buffer)) this.free.get(buffer.length)?.push(buffer);
  }
}

/** Whether `buffer` from `offset` on starts on a page boundary (as far as this module knows). */
export function isPageAligned(buffer: Buffer, offset = 0): boolean {
  return (
    pageAlignedMemory.has(buffer.buffer) && (buffer.byteOffset + offset) % DIRECT_IO_ALIGNMENT === 0
  );
}

/** Whether a transfer of `length` bytes at `position` into `buffer[offset…]` may go past the cache. */
export function directTransferOk(
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
): boolean {
  const aligned = (n: number) => n % DIRECT_IO_ALIGNMENT === 0;
  return isPageAligned(buffer, offset) && aligned(length) && aligned(position);
}

/** The buffers of this thread (each copy worker is a thread of its own). */
export const threadBuffers = new AlignedBufferPool();
