// The ISO-BMFF (MP4/MOV) box reader behind a clip's container times (issue 3, "Media facts"): real
// ffmpeg files both ways round, hand-built boxes for what ffmpeg does not write, and the damaged and
// hostile files a recorder can hand us.
import { randomBytes } from 'node:crypto';
import { open, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readContainerFacts } from '../../src-main/ingest/media/iso-bmff';
import { audio, photo, video } from '../support/footage';
import { tempDir } from '../support/temp';

const dir = tempDir('evidock-media-bmff-');
afterAll(() => dir.remove());

const CREATED = '2026-11-22T05:00:00Z';
const CREATED_MS = Date.parse(CREATED);
/** Seconds from 1904-01-01 to 1970-01-01. */
const EPOCH_1904 = 2_082_844_800;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts what the reader asks the file system for, to show that its reads are bounded. */
async function spyOnReads(): Promise<{ calls: () => number; bytes: () => number }> {
  const probe = await open(join(dir.path, '.probe'), 'w');
  const prototype = Object.getPrototypeOf(probe) as { read: (...args: unknown[]) => unknown };
  await probe.close();
  const spy = vi.spyOn(prototype, 'read');
  return {
    calls: () => spy.mock.calls.length,
    bytes: () =>
      spy.mock.calls.reduce((sum, args) => sum + (typeof args[2] === 'number' ? args[2] : 0), 0),
  };
}

let counter = 0;
async function write(bytes: Buffer): Promise<string> {
  counter += 1;
  const file = join(dir.path, `built-${counter}.mp4`);
  await writeFile(file, bytes);
  return file;
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** A box with a 64-bit size (size field 1, then the real size). */
function largeBox(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1);
  header.write(type, 4, 'latin1');
  header.writeBigUInt64BE(BigInt(16 + body.length), 8);
  return Buffer.concat([header, body]);
}

function mvhd0(creation1904: number, timescale: number, duration: number): Buffer {
  const b = Buffer.alloc(100);
  b.writeUInt32BE(0, 0); // version 0, flags 0
  b.writeUInt32BE(creation1904, 4);
  b.writeUInt32BE(creation1904, 8);
  b.writeUInt32BE(timescale, 12);
  b.writeUInt32BE(duration, 16);
  return box('mvhd', b);
}

function mvhd1(creation1904: bigint, timescale: number, duration: bigint): Buffer {
  const b = Buffer.alloc(112);
  b.writeUInt8(1, 0);
  b.writeBigUInt64BE(creation1904, 4);
  b.writeBigUInt64BE(creation1904, 12);
  b.writeUInt32BE(timescale, 20);
  b.writeBigUInt64BE(duration, 24);
  return box('mvhd', b);
}

const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1'));
const since1904 = (iso: string) => Date.parse(iso) / 1000 + EPOCH_1904;

/** Top-level box types in file order. */
async function topLevel(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  const types: string[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at);
    types.push(bytes.toString('latin1', at + 4, at + 8));
    at += size === 1 ? Number(bytes.readBigUInt64BE(at + 8)) : size;
    if (size === 0) break;
  }
  return types;
}

describe('ISO-BMFF mvhd: ffmpeg-made files', () => {
  it('MP4 with moov after mdat (ffmpeg default, as recorders write): creation time exact', async () => {
    const file = await video({ creationTime: CREATED });
    const types = await topLevel(file);
    expect(types.indexOf('moov')).toBeGreaterThan(types.indexOf('mdat'));

    const facts = await readContainerFacts(file);
    expect(facts.creationMs).toBe(CREATED_MS);
    expect(new Date(facts.creationMs ?? 0).toISOString()).toBe('2026-11-22T05:00:00.000Z');
    expect(facts.durationMs).toBeGreaterThanOrEqual(950);
    expect(facts.durationMs).toBeLessThanOrEqual(1100);
  });

  it('MP4 with +faststart (moov first): the same facts', async () => {
    const file = await video({ creationTime: CREATED, faststart: true });
    const types = await topLevel(file);
    expect(types.indexOf('moov')).toBeLessThan(types.indexOf('mdat'));
    const facts = await readContainerFacts(file);
    expect(facts.creationMs).toBe(CREATED_MS);
    expect(facts.durationMs).toBeGreaterThanOrEqual(950);
  });

  it.each([false, true])(
    'MOV (QuickTime), faststart %s: creation time exact',
    async (faststart) => {
      const file = await video({
        creationTime: '2027-02-03T04:05:06Z',
        container: 'mov',
        faststart,
      });
      expect((await readFile(file)).toString('latin1', 8, 12)).toBe('qt  ');
      const facts = await readContainerFacts(file);
      expect(facts.creationMs).toBe(Date.parse('2027-02-03T04:05:06Z'));
      expect(facts.durationMs).toBeGreaterThanOrEqual(950);
    },
  );

  it('a longer clip: duration from mvhd', async () => {
    const facts = await readContainerFacts(await video({ seconds: 3, creationTime: CREATED }));
    expect(facts.durationMs).toBeGreaterThanOrEqual(2950);
    expect(facts.durationMs).toBeLessThanOrEqual(3100);
  });

  it('no creation_time (ffmpeg writes 0): absent, duration still read', async () => {
    const facts = await readContainerFacts(await video({ creationTime: null }));
    expect(facts.creationMs).toBeNull();
    expect(facts.durationMs).toBeGreaterThanOrEqual(950);
  });

  it('a creation time before 2000 is an unset clock: absent; 2000-01-01 itself counts', async () => {
    const early = await readContainerFacts(await video({ creationTime: '1999-12-31T23:59:59Z' }));
    expect(early.creationMs).toBeNull();
    const y2k = await readContainerFacts(await video({ creationTime: '2000-01-01T00:00:00Z' }));
    expect(y2k.creationMs).toBe(Date.UTC(2000, 0, 1));
  });
});

describe('ISO-BMFF mvhd: hand-built boxes', () => {
  it('version 0 mvhd, 1904 epoch, timescale arithmetic', async () => {
    const file = await write(
      Buffer.concat([ftyp, box('moov', mvhd0(since1904(CREATED), 600, 600 * 90 + 300))]),
    );
    expect(await readContainerFacts(file)).toEqual({ creationMs: CREATED_MS, durationMs: 90_500 });
  });

  it('a 64-bit box size (mdat) and a version 1 mvhd with 64-bit times after it', async () => {
    const file = await write(
      Buffer.concat([
        ftyp,
        largeBox('mdat', randomBytes(4096)),
        box('moov', mvhd1(BigInt(since1904(CREATED)), 90_000, 90_000n * 3600n)),
      ]),
    );
    expect(await readContainerFacts(file)).toEqual({
      creationMs: CREATED_MS,
      durationMs: 3_600_000,
    });
  });

  it('moov after a 5 GiB mdat: found with a few small reads (sparse file)', async () => {
    const file = join(dir.path, 'large.mp4');
    const mdatSize = 5n * 1024n ** 3n;
    const header = Buffer.alloc(16);
    header.writeUInt32BE(1);
    header.write('mdat', 4, 'latin1');
    header.writeBigUInt64BE(mdatSize, 8);
    const moov = box('moov', mvhd0(since1904(CREATED), 1000, 1_800_000));
    await writeFile(file, Buffer.concat([ftyp, header]));
    const handle = await open(file, 'r+');
    try {
      await handle.write(moov, 0, moov.length, ftyp.length + Number(mdatSize));
    } finally {
      await handle.close();
    }
    const reads = await spyOnReads();
    expect(await readContainerFacts(file)).toEqual({
      creationMs: CREATED_MS,
      durationMs: 1_800_000,
    });
    expect(reads.calls()).toBeGreaterThan(0);
    expect(reads.calls()).toBeLessThanOrEqual(5);
    expect(reads.bytes()).toBeLessThan(200);
    await truncate(file, 0);
  });

  it('a box of size 0 ("to the end of the file") as the last box', async () => {
    const moov = box('moov', mvhd0(since1904(CREATED), 1000, 5000));
    moov.writeUInt32BE(0, 0);
    const file = await write(Buffer.concat([ftyp, box('free', Buffer.alloc(10)), moov]));
    expect(await readContainerFacts(file)).toEqual({ creationMs: CREATED_MS, durationMs: 5000 });
  });

  it('mvhd after other moov children, and udta/trak skipped by size', async () => {
    const file = await write(
      Buffer.concat([
        ftyp,
        box('moov', box('udta', Buffer.alloc(40, 0xa9)), mvhd0(since1904(CREATED), 1000, 2000)),
      ]),
    );
    expect(await readContainerFacts(file)).toEqual({ creationMs: CREATED_MS, durationMs: 2000 });
  });

  it('unknown duration (all ones) and a zero time scale give no duration', async () => {
    const ones = await write(
      Buffer.concat([ftyp, box('moov', mvhd0(since1904(CREATED), 1000, 0xffffffff))]),
    );
    expect(await readContainerFacts(ones)).toEqual({ creationMs: CREATED_MS, durationMs: null });
    const ones64 = await write(
      Buffer.concat([ftyp, box('moov', mvhd1(BigInt(since1904(CREATED)), 1000, 2n ** 64n - 1n))]),
    );
    expect((await readContainerFacts(ones64)).durationMs).toBeNull();
    const noScale = await write(
      Buffer.concat([ftyp, box('moov', mvhd0(since1904(CREATED), 0, 5000))]),
    );
    expect((await readContainerFacts(noScale)).durationMs).toBeNull();
  });

  it('a fragmented file (mvhd duration 0): duration from mvex/mehd', async () => {
    const mehd = Buffer.alloc(8);
    mehd.writeUInt32BE(0, 0);
    mehd.writeUInt32BE(12_000, 4);
    const file = await write(
      Buffer.concat([
        ftyp,
        box('moov', mvhd0(since1904(CREATED), 1000, 0), box('mvex', box('mehd', mehd))),
      ]),
    );
    expect(await readContainerFacts(file)).toEqual({ creationMs: CREATED_MS, durationMs: 12_000 });
  });

  it('an unknown mvhd version is not guessed at', async () => {
    const bad = mvhd0(since1904(CREATED), 1000, 5000);
    bad.writeUInt8(7, 8);
    const file = await write(Buffer.concat([ftyp, box('moov', bad)]));
    expect(await readContainerFacts(file)).toEqual({ creationMs: null, durationMs: null });
  });
});

describe('ISO-BMFF mvhd: damaged and hostile files never throw', () => {
  const NULLS = { creationMs: null, durationMs: null };

  it('a recording cut off before its moov (battery died): nulls', async () => {
    const whole = await readFile(await video({ creationTime: CREATED }));
    const types = await topLevel(await video({ creationTime: CREATED }));
    expect(types.at(-1)).toBe('moov');
    const moovAt = whole.lastIndexOf('moov', undefined, 'latin1') - 4;
    const cuts = [0, 3, 8, 11, 100, Math.floor(whole.length / 2), moovAt, moovAt + 8 + 12];
    for (const length of cuts) {
      const file = await write(whole.subarray(0, length));
      expect(await readContainerFacts(file), `cut at ${length}`).toEqual(NULLS);
    }
  });

  it('a faststart file cut anywhere: no throw; once mvhd is whole the facts are back', async () => {
    const whole = await readFile(await video({ creationTime: CREATED, faststart: true }));
    const mvhdAt = whole.indexOf('mvhd', 0, 'latin1');
    for (let length = 0; length < mvhdAt + 120; length += 7) {
      const facts = await readContainerFacts(await write(whole.subarray(0, length)));
      if (length < mvhdAt + 24) expect(facts.creationMs, `cut at ${length}`).toBeNull();
    }
    const cut = await readContainerFacts(await write(whole.subarray(0, mvhdAt + 200)));
    expect(cut.creationMs).toBe(CREATED_MS);
  });

  it('random bytes: nulls', async () => {
    for (const size of [1, 7, 8, 16, 64, 1000, 100_000]) {
      for (let round = 0; round < 5; round += 1) {
        const file = await write(randomBytes(size));
        expect(await readContainerFacts(file)).toEqual(NULLS);
      }
    }
  });

  it('random bytes after a valid ftyp: no throw', async () => {
    for (let round = 0; round < 50; round += 1) {
      const file = await write(Buffer.concat([ftyp, randomBytes(2000)]));
      await expect(readContainerFacts(file)).resolves.toBeDefined();
    }
  });

  it('boxes that lie about their size: no throw, nulls', async () => {
    const huge = box('moov', mvhd0(since1904(CREATED), 1000, 5000));
    huge.writeUInt32BE(0xffffffff, 0); // claims 4 GiB; mvhd is still inside what exists
    const tiny = Buffer.from(ftyp);
    tiny.writeUInt32BE(4, 0); // smaller than its own header
    const large = largeBox('mdat', Buffer.alloc(8));
    large.writeBigUInt64BE(2n ** 63n, 8); // beyond any file
    const mvhdTooShort = box('moov', box('mvhd', Buffer.from([0, 0, 0, 0, 1, 2])));
    expect(await readContainerFacts(await write(Buffer.concat([ftyp, huge])))).toEqual({
      creationMs: CREATED_MS,
      durationMs: 5000,
    });
    expect(await readContainerFacts(await write(Buffer.concat([tiny, huge])))).toEqual(NULLS);
    expect(await readContainerFacts(await write(Buffer.concat([ftyp, large, huge])))).toEqual(
      NULLS,
    );
    expect(await readContainerFacts(await write(Buffer.concat([ftyp, mvhdTooShort])))).toEqual(
      NULLS,
    );
  });

  it('not ISO-BMFF at all (WAV, JPEG), a folder, a missing file: nulls', async () => {
    expect(await readContainerFacts(await audio())).toEqual(NULLS);
    expect(await readContainerFacts(await photo())).toEqual(NULLS);
    expect(await readContainerFacts(dir.path)).toEqual(NULLS);
    expect(await readContainerFacts(join(dir.path, 'missing.mp4'))).toEqual(NULLS);
  });

  it('a file of 200,000 empty boxes costs a bounded number of reads', async () => {
    const free = box('free');
    const file = await write(
      Buffer.concat([ftyp, ...Array<Buffer>(200_000).fill(free), box('moov', mvhd0(1, 1, 1))]),
    );
    const reads = await spyOnReads();
    expect(await readContainerFacts(file)).toEqual(NULLS);
    expect(reads.calls()).toBeGreaterThanOrEqual(10_000);
    expect(reads.calls()).toBeLessThanOrEqual(10_001);
  });
});
