// One clip copied, hashed while written, flushed, read back from the disk and compared: the
// proof behind every "verified". Faults a plain folder cannot produce come from a source reader
// wrapped around the real one.
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyClip,
  CopyError,
  openSourceFile,
  type CopyTask,
  type OpenSource,
} from '../../src-main/ingest/copy';
import { tempDir } from '../support/temp';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = tempDir('evidock-copy-');
});
afterEach(() => dir.remove());

const digest = (algorithm: string, bytes: Buffer) =>
  createHash(algorithm).update(bytes).digest('hex');

function source(
  bytes: Buffer,
  name = 'src.mp4',
): { path: string; task: (over?: Partial<CopyTask>) => CopyTask } {
  const path = join(dir.path, name);
  writeFileSync(path, bytes);
  return {
    path,
    task: (over = {}) => {
      const stat = statSync(path);
      return {
        source: path,
        expected: { size: stat.size, mtimeMs: stat.mtimeMs, dev: stat.dev, ino: stat.ino },
        partial: join(dir.path, 'copy.partial'),
        resume: false,
        algorithms: ['sha256'],
        chunkSize: 64 * 1024,
        ...over,
      };
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<CopyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CopyError);
    return error as CopyError;
  }
  throw new Error('expected the copy to fail');
}

describe('copyClip', () => {
  it('copies, hashes SHA-256 and SM3 in one pass, and proves the copy read back past the cache', async () => {
    const bytes = randomBytes(1_000_003);
    const { task } = source(bytes);
    const phases = new Set<string>();
    const result = await copyClip(task({ algorithms: ['sha256', 'sm3'] }), {
      onProgress: (phase) => phases.add(phase),
    });
    expect(result.sha256).toBe(digest('sha256', bytes));
    expect(result.sm3).toBe(digest('sm3', bytes));
    expect(result.bytes).toBe(bytes.length);
    expect(result.readBack).toEqual({ method: 'direct', reason: null });
    expect(readFileSync(join(dir.path, 'copy.partial')).equals(bytes)).toBe(true);
    expect([...phases]).toEqual(['copying', 'verifying']);
  });

  it.skipIf(!existsSync('/dev/shm'))(
    'reads back through the cache on tmpfs, and says why',
    async () => {
      const partial = join('/dev/shm', `evidock-copy-${process.pid}.partial`);
      try {
        const bytes = randomBytes(10_000);
        const { task } = source(bytes);
        const result = await copyClip(task({ partial }));
        expect(result.readBack.method).toBe('cached');
        expect(result.readBack.reason).toMatch(/tmpfs/);
      } finally {
        rmSync(partial, { force: true });
      }
    },
  );

  it('refuses a file that grows while it is copied', async () => {
    const { path, task } = source(randomBytes(300_000));
    let grown = false;
    const growing: OpenSource = async (p) => {
      const real = await openSourceFile(p);
      return {
        ...real,
        read: async (...args) => {
          if (!grown) {
            grown = true;
            appendFileSync(path, 'more footage');
          }
          return real.read(...args);
        },
      };
    };
    const error = await failure(copyClip(task(), { openSource: growing }));
    expect(error.code).toBe('changed');
  });

  it('refuses a file that shrinks, or was replaced, before the copy', async () => {
    const { path, task } = source(randomBytes(100_000));
    const planned = task();
    truncateSync(path, 50_000);
    expect((await failure(copyClip(planned))).code).toBe('changed');

    const again = task();
    rmSync(path);
    symlinkSync(join(dir.path, 'elsewhere.mp4'), path);
    writeFileSync(join(dir.path, 'elsewhere.mp4'), 'x');
    expect((await failure(copyClip(again))).code).toBe('not-a-file');
  });

  it('an unreadable sector (EIO) fails this clip as a source error', async () => {
    const { task } = source(randomBytes(300_000));
    const badSector: OpenSource = async (p) => {
      const real = await openSourceFile(p);
      return {
        ...real,
        read: async (buffer, offset, length, position) => {
          if (position >= 128 * 1024) {
            throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
          }
          return real.read(buffer, offset, length, position);
        },
      };
    };
    const error = await failure(copyClip(task(), { openSource: badSector }));
    expect(error.code).toBe('source-error');
    expect(error.errno).toBe('EIO');
  });

  it('resumes a partial: keeps the bytes that match the source, rewrites from the first difference', async () => {
    const bytes = randomBytes(512 * 1024);
    const { task } = source(bytes);
    const partial = join(dir.path, 'copy.partial');

    writeFileSync(partial, bytes.subarray(0, 200 * 1024));
    const kept = await copyClip(task({ resume: true }));
    expect(kept.resumedFrom).toBe(200 * 1024);
    expect(kept.sha256).toBe(digest('sha256', bytes));
    expect(readFileSync(partial).equals(bytes)).toBe(true);

    const damaged = Buffer.from(bytes.subarray(0, 300 * 1024));
    damaged[130 * 1024] = damaged[130 * 1024]! ^ 0xff;
    writeFileSync(partial, damaged);
    const cut = await copyClip(task({ resume: true }));
    expect(cut.resumedFrom).toBe(128 * 1024); // the chunk holding the bad byte is written again
    expect(cut.sha256).toBe(digest('sha256', bytes));
    expect(readFileSync(partial).equals(bytes)).toBe(true);
  });

  it('stops when cancelled and keeps the partial', async () => {
    const { task } = source(randomBytes(1024 * 1024));
    let reads = 0;
    const error = await failure(copyClip(task(), { cancelled: () => ++reads > 3 }));
    expect(error.code).toBe('cancelled');
    expect(existsSync(join(dir.path, 'copy.partial'))).toBe(true);
  });
});
