import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewClip } from '../catalogue/clips';
import type { ClockOffset } from '../domain';
import type { CopyResult } from './copy';
import {
  fsyncFolder,
  makeFolderInside,
  resolveInside,
  writeFileDurably,
  type ReadBack,
} from '../archive';
import type { MediaFacts, MediaKind } from '../contract';

export const STAGING_FOLDER = 'staging';
export const PARTIAL_SUFFIX = '.partial';
export const MANIFEST_SUFFIX = '.json';
/** Scratch space for whole-or-nothing writes (sidecars, manifests). */
const SCRATCH_FOLDER = 'tmp';

/**
 * The state of one clip between the recorder and the catalogue, kept next to its partial so that
 * a restart knows exactly where the clip stood:
 * - `copying`: bytes are (or were) being copied; never counted, resumed at the next docking.
 * - `verified`: the copy is durable and proven equal to what was read from the recorder; the
 *   clip below is complete but for its archive path.
 * - `placing`: as verified, and `archivePath` is where it is being (or was) linked.
 */
export interface StagingManifest {
  format: 'evidock-staging/1';
  key: string;
  recorderSerial: string;
  dockingId: number;
  originalPath: string;
  originalName: string;
  originalSize: number;
  originalMtime: string;
  mtimeMs: number;
  kind: MediaKind;
  createdAt: string;
  state: 'copying' | 'verified' | 'placing';
  proof?: Proof;
  /** Everything the catalogue row needs except the archive path. */
  clip?: Omit<NewClip, 'archivePath'>;
  archivePath?: string;
}

export interface Proof {
  sha256: string;
  sm3: string | null;
  readBack: ReadBack;
  resumedFrom: number;
  copiedAt: string;
  verifiedAt: string;
  copyMs: number;
  verifyMs: number;
}

/**
 * The manifest of a copy just proven: the proof, and the catalogue row it will become. Custody
 * begins when the copy is proven (rule D-24H measures to here).
 */
export function provenManifest(
  copying: StagingManifest,
  result: CopyResult,
  facts: MediaFacts,
  context: { verifiedAt: string; officerBadge: string | null; clockOffset: ClockOffset | null },
): StagingManifest {
  const { verifiedAt } = context;
  return {
    ...copying,
    state: 'verified',
    proof: {
      sha256: result.sha256,
      sm3: result.sm3,
      readBack: result.readBack,
      resumedFrom: result.resumedFrom,
      copiedAt: new Date(Date.parse(verifiedAt) - result.verifyMs).toISOString(),
      verifiedAt,
      copyMs: result.copyMs,
      verifyMs: result.verifyMs,
    },
    clip: {
      recorderSerial: copying.recorderSerial,
      dockingId: copying.dockingId,
      originalPath: copying.originalPath,
      originalSize: copying.originalSize,
      originalMtime: copying.originalMtime,
      kind: copying.kind,
      sha256: result.sha256,
      sm3: result.sm3,
      officerBadge: facts.badge ?? context.officerBadge,
      sequence: facts.sequence,
      recordedStart: facts.recordedStart,
      recordedStartSource: facts.recordedStartSource,
      recordedEnd: facts.recordedEnd,
      recordedEndSource: facts.recordedEndSource,
      durationMs: facts.durationMs,
      width: facts.width,
      height: facts.height,
      codec: facts.codec,
      custodyAt: verifiedAt,
      clockOffsetMs: context.clockOffset?.offsetMs ?? null,
      clockOffsetSource: context.clockOffset?.source ?? null,
    },
  };
}

/** Same file on the same recorder (path, size, mtime) → same key, so a partial is found again. */
export function stagingKey(
  serial: string,
  originalPath: string,
  size: number,
  mtime: string,
): string {
  return createHash('sha256')
    .update(`${serial.toUpperCase()}\u0000${originalPath}\u0000${size}\u0000${mtime}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
}

/** Paths of the staging area; every one checked to stay inside the data dir. */
export class Staging {
  readonly root: string;

  constructor(readonly dataDir: string) {
    this.root = resolveInside(dataDir, STAGING_FOLDER);
  }

  async prepare(serial: string): Promise<void> {
    await makeFolderInside(this.dataDir, this.folder(serial));
    await makeFolderInside(this.dataDir, this.scratch);
  }

  get scratch(): string {
    return join(this.root, SCRATCH_FOLDER);
  }

  folder(serial: string): string {
    return resolveInside(this.dataDir, `${STAGING_FOLDER}/${serial.toUpperCase()}`);
  }

  partial(serial: string, key: string): string {
    return join(this.folder(serial), key + PARTIAL_SUFFIX);
  }

  manifestPath(serial: string, key: string): string {
    return join(this.folder(serial), key + MANIFEST_SUFFIX);
  }

  async write(manifest: StagingManifest): Promise<void> {
    await writeFileDurably(
      this.manifestPath(manifest.recorderSerial, manifest.key),
      JSON.stringify(manifest, null, 2),
      { tmpFolder: this.scratch },
    );
  }

  async read(serial: string, key: string): Promise<StagingManifest | null> {
    return readManifest(this.manifestPath(serial, key));
  }

  /** Removes a clip's partial and manifest: the partial first, so no manifest outlives a lie. */
  async discard(serial: string, key: string): Promise<void> {
    await rm(this.partial(serial, key), { force: true });
    await rm(this.manifestPath(serial, key), { force: true });
    // A removal that does not survive a power cut brings back a partial its manifest no longer
    // vouches for: recovery discards it. Nothing depends on this flush.
    await fsyncFolder(this.folder(serial)).catch(() => undefined);
  }

  /** Every manifest and every partial on disk, by recorder folder, for recovery. */
  async inventory(): Promise<
    { serial: string; key: string; hasPartial: boolean; manifest: StagingManifest | null }[]
  > {
    const found = new Map<
      string,
      { serial: string; key: string; hasPartial: boolean; manifest: StagingManifest | null }
    >();
    let folders: string[];
    try {
      folders = await readdir(this.root);
    } catch {
      // No staging folder yet: nothing was ever staged.
      return [];
    }
    for (const serial of folders) {
      if (serial === SCRATCH_FOLDER) continue;
      let names: string[];
      try {
        names = await readdir(join(this.root, serial));
      } catch {
        // Not a recorder's folder (a stray file): nothing of ours in it.
        continue;
      }
      for (const name of names) {
        const key = name.endsWith(PARTIAL_SUFFIX)
          ? name.slice(0, -PARTIAL_SUFFIX.length)
          : name.endsWith(MANIFEST_SUFFIX)
            ? name.slice(0, -MANIFEST_SUFFIX.length)
            : null;
        if (key === null) continue;
        const id = `${serial}/${key}`;
        const entry = found.get(id) ?? { serial, key, hasPartial: false, manifest: null };
        if (name.endsWith(PARTIAL_SUFFIX)) entry.hasPartial = true;
        else entry.manifest = await readManifest(join(this.root, serial, name));
        found.set(id, entry);
      }
    }
    return [...found.values()];
  }

  /** Leftovers of whole-or-nothing writes that never finished. */
  async clearScratch(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true });
  }
}

async function readManifest(path: string): Promise<StagingManifest | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as StagingManifest;
    return parsed.format === 'evidock-staging/1' ? parsed : null;
  } catch {
    // No manifest, or a torn one: the partial is copied again from the recorder.
    return null;
  }
}
