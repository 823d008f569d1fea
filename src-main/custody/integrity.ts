import type Database from 'better-sqlite3';
import { createHash, type Hash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, readFile, statfs, type FileHandle } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { AuditLog } from './audit-log';
import { STATION_ACTOR } from './audit-log';

/**
 * Reading an archived copy back from the disk, and the sweep that re-proves the whole archive
 * (rule D-NO-TAMPER). Ingest proves each copy with the same reader, so "verified" means the same
 * thing at ingest and at every later sweep.
 */

export type HashAlgorithm = 'sha256' | 'sm3';

/** How the bytes were read back: past the OS page cache, or through it (and why). */
export interface ReadBack {
  method: 'direct' | 'cached';
  /** Why the cache could not be bypassed; null when it was. */
  reason: string | null;
}

export interface DiskDigest {
  sha256: string;
  sm3: string | null;
  bytes: number;
  readBack: ReadBack;
}

export interface DiskReadOptions {
  /** Bytes per read, a multiple of 4096. */
  chunkSize?: number;
  onBytes?: (bytesSoFar: number) => void;
  /** Checked between chunks; throwing from here aborts the read. */
  checkpoint?: () => void;
}

/** The archive's sidecar next to each original: `<name>.evidock.json`. */
export const SIDECAR_SUFFIX = '.evidock.json';

/** O_DIRECT wants buffer address, file offset and length aligned to the logical block size. */
export const DIRECT_IO_ALIGNMENT = 4096;
const ALIGNMENT = DIRECT_IO_ALIGNMENT;
const DEFAULT_CHUNK = 4 << 20;
const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

/** Why this platform or filesystem cannot read past the page cache, or null when it can. */
async function cacheBypassUnavailable(path: string): Promise<string | null> {
  if (process.platform === 'darwin') {
    return 'macOS: bypassing the cache needs fcntl(F_NOCACHE), a native call evidock does not ship';
  }
  if (process.platform === 'win32') {
    return 'Windows: bypassing the cache needs CreateFile(FILE_FLAG_NO_BUFFERING), a native call evidock does not ship';
  }
  if (fsConstants.O_DIRECT === undefined) {
    return `${process.platform}: Node offers no O_DIRECT here`;
  }
  try {
    const fs = await statfs(path);
    if (fs.type === TMPFS_MAGIC || fs.type === RAMFS_MAGIC) {
      return 'the archive is on tmpfs/ramfs: the page cache is the storage, there is no disk behind it';
    }
  } catch {
    // statfs is advisory here; O_DIRECT itself decides below.
  }
  return null;
}

const REFUSED = new Set(['EINVAL', 'EOPNOTSUPP', 'ENOTSUP']);

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

const WASM_PAGE = 64 * 1024;
/** The one WebAssembly API used here; the station's tsconfig has no lib that types it. */
declare const WebAssembly:
  { Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer } } | undefined;
/** Memory known to start on a page boundary (see PageAlignedBuffers). */
const pageAlignedMemory = new WeakSet<ArrayBufferLike>();

/**
 * Buffers that start on a page boundary, for O_DIRECT. A WebAssembly memory is mapped page by
 * page, so its first byte is page-aligned; a plain Buffer comes from malloc and is not, and an
 * O_DIRECT read into it is not always refused: on a device with 4096-byte blocks (zram, 4Kn
 * disks) the kernel has been seen to write past the buffer, corrupting the heap and the hash.
 * So O_DIRECT only ever goes into these buffers. Memory is taken two buffers at a time (a copy
 * double-buffers) and kept for reuse: each memory holds its pages, and reserves address space,
 * until it is collected. Without WebAssembly (node --jitless) the buffers are plain ones and
 * isPageAligned says so.
 */
export class PageAlignedBuffers {
  private readonly free = new Map<number, Buffer[]>();

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
    return list.pop()!;
  }

  give(buffer: Buffer): void {
    if (pageAlignedMemory.has(buffer.buffer)) this.free.get(buffer.length)?.push(buffer);
  }
}

/** Whether `buffer` from `offset` on starts on a page boundary (as far as this module knows). */
export function isPageAligned(buffer: Buffer, offset = 0): boolean {
  return (
    pageAlignedMemory.has(buffer.buffer) && (buffer.byteOffset + offset) % DIRECT_IO_ALIGNMENT === 0
  );
}

function hashers(algorithms: readonly HashAlgorithm[]): Hash[] {
  return algorithms.map((a) => createHash(a));
}

function roundUp(n: number, to: number): number {
  return Math.max(to, Math.ceil(n / to) * to);
}

/**
 * Hashes a file as it is on the disk. Linux: O_DIRECT, so the bytes come from the device and not
 * from pages the copy left in memory; elsewhere, and where the filesystem refuses O_DIRECT,
 * through the cache, and `readBack` says so and why.
 */
export async function hashFromDisk(
  path: string,
  algorithms: readonly HashAlgorithm[],
  options: DiskReadOptions = {},
): Promise<DiskDigest> {
  const hashes = hashers(algorithms);
  let reason = await cacheBypassUnavailable(path);
  let handle: FileHandle | null = null;
  if (reason === null) {
    try {
      handle = await open(
        path,
        fsConstants.O_RDONLY | fsConstants.O_DIRECT | (fsConstants.O_NOFOLLOW ?? 0),
      );
    } catch (error) {
      const code = errorCode(error);
      if (!code || !REFUSED.has(code)) throw error;
      reason = `the filesystem refused O_DIRECT (${code})`;
    }
  }
  let bytes = 0;
  try {
    if (handle !== null) {
      const size = (await handle.stat()).size;
      const chunk = Math.min(options.chunkSize ?? DEFAULT_CHUNK, roundUp(size, ALIGNMENT));
      const done = await readDirect(handle, chunk, hashes, options);
      bytes = done.bytes;
      if (done.refused !== null) reason = done.refused;
      else if (bytes < size) {
        reason = `a direct read ended short at byte ${bytes} of ${size}; the rest was read through the cache`;
      }
      await handle.close();
      handle = null;
    }
    if (reason !== null) {
      handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
      bytes = await readCached(handle, bytes, hashes, options);
    }
  } finally {
    await handle?.close();
  }
  const [sha256, sm3] = hashes.map((h) => h.digest('hex'));
  return {
    sha256: sha256!,
    sm3: sm3 ?? null,
    bytes,
    readBack: { method: reason === null ? 'direct' : 'cached', reason },
  };
}

/** Page-aligned buffers for reading past the cache, kept for the next read on this thread. */
const directBuffers = new PageAlignedBuffers();

/**
 * Double-buffered: the next chunk is read while this one is hashed. `refused` says why nothing
 * could be read past the cache (the caller then reads through it).
 */
async function readDirect(
  handle: FileHandle,
  chunk: number,
  hashes: Hash[],
  options: DiskReadOptions,
): Promise<{ bytes: number; refused: string | null }> {
  // Buffers of one size (the largest chunk) however small the file: the pool stays small.
  const length = Math.max(chunk, options.chunkSize ?? DEFAULT_CHUNK);
  let current = directBuffers.take(length);
  let spare = directBuffers.take(length);
  let pending: Promise<number> | null = null;
  const readInto = (buffer: Buffer, position: number) =>
    handle.read(buffer, 0, chunk, position).then((r) => r.bytesRead);
  let position = 0;
  try {
    if (!isPageAligned(current) || !isPageAligned(spare)) {
      return { bytes: 0, refused: 'no page-aligned memory for O_DIRECT (WebAssembly is off)' };
    }
    pending = readInto(current, 0);
    for (;;) {
      let got: number;
      try {
        got = await (pending as Promise<number>);
      } catch (error) {
        if (position === 0 && errorCode(error) === 'EINVAL') {
          return { bytes: 0, refused: 'the filesystem refused O_DIRECT reads (EINVAL)' };
        }
        throw error;
      } finally {
        pending = null;
      }
      if (got === 0) return { bytes: position, refused: null };
      const full = got === chunk;
      if (full) {
        pending = readInto(spare, position + got);
        pending.catch(() => undefined); // awaited below; not unhandled meanwhile
      }
      const view = current.subarray(0, got);
      for (const h of hashes) h.update(view);
      position += got;
      options.onBytes?.(position);
      options.checkpoint?.();
      // A short read is the end of the file; anything left (never seen on Linux) is read cached.
      if (!full) return { bytes: position, refused: null };
      [current, spare] = [spare, current];
    }
  } finally {
    // A buffer goes back to the pool only once the kernel has stopped writing into it.
    if (pending !== null) await pending.catch(() => undefined);
    directBuffers.give(current);
    directBuffers.give(spare);
  }
}

async function readCached(
  handle: FileHandle,
  from: number,
  hashes: Hash[],
  options: DiskReadOptions,
): Promise<number> {
  const buffer = Buffer.allocUnsafe(options.chunkSize ?? DEFAULT_CHUNK);
  let position = from;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return position;
    const view = buffer.subarray(0, bytesRead);
    for (const h of hashes) h.update(view);
    position += bytesRead;
    options.onBytes?.(position);
    options.checkpoint?.();
  }
}

// ---------------------------------------------------------------------------------------------
// The integrity sweep (rule D-NO-TAMPER)

export const INTEGRITY_PROBLEMS = [
  /** The catalogue names an original the archive no longer has. */
  'missing',
  /** The original's bytes differ from the hashes taken when it was archived. */
  'mismatch',
  /** Something else sits where the original should be (a link, a folder). */
  'not-a-file',
  'unreadable',
  /** The sidecar that lets the catalogue be rebuilt is gone, unreadable, or disagrees. */
  'sidecar-missing',
  'sidecar-mismatch',
  /** A file in the archive that the catalogue does not know: footage inserted behind its back. */
  'uncatalogued',
] as const;
export type IntegrityProblemCode = (typeof INTEGRITY_PROBLEMS)[number];

export interface IntegrityProblem {
  code: IntegrityProblemCode;
  clipId: number | null;
  /** Relative to the data dir, `/`-separated. */
  archivePath: string;
  message: string;
  details: Record<string, unknown>;
}

export interface IntegrityReport {
  ok: boolean;
  clipsChecked: number;
  bytesChecked: number;
  /** How many originals were read past the cache and how many through it. */
  readBack: { direct: number; cached: number };
  problems: IntegrityProblem[];
  startedAt: string;
  finishedAt: string;
}

export interface IntegrityOptions {
  db: Database.Database;
  dataDir: string;
  /** When given, the sweep and each problem are written to the audit log. */
  audit?: AuditLog;
  actor?: string;
  now?: () => Date;
  onProgress?: (progress: { clipsChecked: number; clips: number; bytes: number }) => void;
}

interface ClipToCheck {
  id: number;
  archive_path: string;
  sha256: string;
  sm3: string | null;
  original_size: number;
}

const ARCHIVE_FOLDER = 'archive';

/**
 * Re-hashes every archived original against the catalogue, checks each sidecar, and looks for
 * files the catalogue does not know. Reads, never writes, the archive.
 */
export async function verifyArchive(options: IntegrityOptions): Promise<IntegrityReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const dataDir = resolve(options.dataDir);
  // Loaded up front: a statement iterator would hold the connection across the awaits below.
  const clips = options.db
    .prepare<[], ClipToCheck>(
      'SELECT id, archive_path, sha256, sm3, original_size FROM clips ORDER BY id',
    )
    .all();
  const problems: IntegrityProblem[] = [];
  const readBack = { direct: 0, cached: 0 };
  let bytesChecked = 0;
  let clipsChecked = 0;
  const problem = (
    code: IntegrityProblemCode,
    clip: ClipToCheck | null,
    archivePath: string,
    message: string,
    details: Record<string, unknown> = {},
  ) => problems.push({ code, clipId: clip?.id ?? null, archivePath, message, details });

  for (const clip of clips) {
    const file = inside(dataDir, clip.archive_path);
    if (file === null) {
      problem('not-a-file', clip, clip.archive_path, 'the catalogued path leaves the data dir');
    } else {
      const digest = await checkOriginal(file, clip, problem);
      if (digest) {
        bytesChecked += digest.bytes;
        readBack[digest.readBack.method] += 1;
      }
      await checkSidecar(file, clip, problem);
    }
    clipsChecked += 1;
    options.onProgress?.({ clipsChecked, clips: clips.length, bytes: bytesChecked });
  }

  const known = new Set(clips.map((c) => c.archive_path));
  for await (const relPath of archiveFiles(dataDir)) {
    const original = relPath.endsWith(SIDECAR_SUFFIX)
      ? relPath.slice(0, -SIDECAR_SUFFIX.length)
      : relPath;
    if (!known.has(original)) {
      problem(
        'uncatalogued',
        null,
        relPath,
        `${relPath} is in the archive but not in the catalogue`,
      );
    }
  }

  const report: IntegrityReport = {
    ok: problems.length === 0,
    clipsChecked,
    bytesChecked,
    readBack,
    problems,
    startedAt,
    finishedAt: now().toISOString(),
  };
  if (options.audit) record(options.audit, options.actor ?? STATION_ACTOR, report);
  return report;
}

type ProblemSink = (
  code: IntegrityProblemCode,
  clip: ClipToCheck,
  archivePath: string,
  message: string,
  details?: Record<string, unknown>,
) => void;

async function checkOriginal(
  file: string,
  clip: ClipToCheck,
  problem: ProblemSink,
): Promise<DiskDigest | null> {
  const path = clip.archive_path;
  try {
    const info = await lstat(file);
    if (!info.isFile()) {
      problem('not-a-file', clip, path, `${path} is not a regular file`);
      return null;
    }
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      problem('missing', clip, path, `clip ${clip.id}: ${path} is missing from the archive`);
    } else {
      problem('unreadable', clip, path, `clip ${clip.id}: ${path}: ${String(error)}`);
    }
    return null;
  }
  let digest: DiskDigest;
  try {
    digest = await hashFromDisk(file, clip.sm3 === null ? ['sha256'] : ['sha256', 'sm3']);
  } catch (error) {
    problem(
      'unreadable',
      clip,
      path,
      `clip ${clip.id}: ${path} could not be read: ${String(error)}`,
    );
    return null;
  }
  const sha256Differs = digest.sha256 !== clip.sha256;
  const sm3Differs = clip.sm3 !== null && digest.sm3 !== clip.sm3;
  if (sha256Differs || sm3Differs || digest.bytes !== clip.original_size) {
    problem('mismatch', clip, path, `clip ${clip.id}: ${path} no longer matches its hash`, {
      expectedSha256: clip.sha256,
      actualSha256: digest.sha256,
      ...(clip.sm3 === null ? {} : { expectedSm3: clip.sm3, actualSm3: digest.sm3 }),
      expectedSize: clip.original_size,
      actualSize: digest.bytes,
    });
  }
  return digest;
}

async function checkSidecar(file: string, clip: ClipToCheck, problem: ProblemSink): Promise<void> {
  const path = clip.archive_path + SIDECAR_SUFFIX;
  let sidecar: { clip?: { sha256?: unknown; archivePath?: unknown } };
  try {
    sidecar = JSON.parse(await readFile(file + SIDECAR_SUFFIX, 'utf8')) as typeof sidecar;
  } catch (error) {
    const missing = errorCode(error) === 'ENOENT';
    problem(
      missing ? 'sidecar-missing' : 'sidecar-mismatch',
      clip,
      path,
      missing ? `clip ${clip.id}: ${path} is missing` : `clip ${clip.id}: ${path} is unreadable`,
    );
    return;
  }
  if (sidecar.clip?.sha256 !== clip.sha256 || sidecar.clip?.archivePath !== clip.archive_path) {
    problem(
      'sidecar-mismatch',
      clip,
      path,
      `clip ${clip.id}: ${path} disagrees with the catalogue`,
    );
  }
}

/** The absolute path of a data-dir-relative path, or null if it would leave the data dir. */
function inside(dataDir: string, relPath: string): string | null {
  const file = resolve(dataDir, ...relPath.split('/'));
  const rel = relative(dataDir, file);
  return rel === '' || rel.startsWith('..') || resolve(rel) === rel ? null : file;
}

/** Every entry under archive/ (not following links), as data-dir-relative `/` paths. */
async function* archiveFiles(dataDir: string): AsyncGenerator<string> {
  const pending = [join(dataDir, ARCHIVE_FOLDER)];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      throw error;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else yield relative(dataDir, full).split(sep).join('/');
    }
  }
}

function record(audit: AuditLog, actor: string, report: IntegrityReport): void {
  audit.transaction(() => {
    for (const p of report.problems) {
      audit.append({
        actor,
        action: 'integrity.problem',
        subject: p.clipId === null ? `archive:${p.archivePath}` : `clip:${p.clipId}`,
        details: { code: p.code, archivePath: p.archivePath, message: p.message, ...p.details },
      });
    }
    audit.append({
      actor,
      action: 'integrity.checked',
      subject: 'archive',
      details: {
        ok: report.ok,
        clipsChecked: report.clipsChecked,
        bytesChecked: report.bytesChecked,
        problems: report.problems.length,
        readBack: report.readBack,
      },
    });
  });
}
