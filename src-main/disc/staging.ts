import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, link, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SECTOR_BYTES } from '../domain';
import type { StationKeys } from '../custody/station-keys';
import { writeManifest, type DiscManifest, type ManifestFile } from './manifest';
import { sealDiscLists } from './disc-lists';
import { createRecoveryData, RECOVERY_FOLDER } from './recovery';
import { writeVerifiers } from './verifier-scripts';

/** The fixed files every disc carries besides the manifest, the keys and the verifiers. */
export const DISC_FILES = {
  readme: 'README.pdf',
  evidenceList: '清单.pdf',
  custody: 'custody.json',
  discSet: 'DISCSET.txt',
} as const;

/** An original to put on a disc: where it is in the archive, where it goes, what it is. */
export interface OriginalToStage {
  /** The archived original (absolute). */
  source: string;
  file: ManifestFile;
}

/** One copy of one disc: its volume id, and the documents made for it once its manifest is. */
export interface CopyToStage {
  copy: number;
  volumeId: string;
}

export interface DiscToStage {
  n: number;
  originals: OriginalToStage[];
  copies: CopyToStage[];
}

/** What a copy's documents are made from. */
export interface CopyDocuments {
  readme: Buffer;
  evidenceList: Buffer;
  custody: Buffer;
}

export interface SetToStage {
  /** `<data-dir>/discs/staging/<tag>`: on the archive's file system, so originals are linked. */
  root: string;
  manifest: (disc: DiscToStage, copy: CopyToStage) => DiscManifest;
  documents: (manifest: DiscManifest, manifestSha256: string) => Promise<CopyDocuments>;
  keys: StationKeys;
  par2Percent: number;
  discs: DiscToStage[];
  signal?: AbortSignal;
  onProgress?: (phase: 'staging' | 'recovery', n: number, percent: number) => void;
}

/** A staged copy: its folder, ready to burn, and the hash of its signed manifest. */
export interface StagedCopy {
  n: number;
  copy: number;
  volumeId: string;
  folder: string;
  manifestSha256: string;
  /** What the folder burns to: every file's sectors (the file system's own areas not counted). */
  bytes: number;
}

export class StagingFailed extends Error {
  constructor(
    readonly code: 'ARCHIVE_MISSING' | 'ARCHIVE_MISMATCH' | 'STAGING_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/** par2 runs for this many discs at once. */
const PAR2_AT_ONCE = 2;

/** Runs `work` over `items`, at most `atOnce` at a time; the first failure ends the rest. */
async function inTurns<T>(
  items: readonly T[],
  atOnce: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
}

/** Where the first copy of a disc is staged: the originals and recovery data the others link. */
function baseFolder(root: string, disc: DiscToStage): string {
  const first = disc.copies[0];
  if (first === undefined) throw new StagingFailed('STAGING_FAILED', `disc ${disc.n} has no copy`);
  return copyFolder(root, disc.n, first.copy);
}

/** Where copy k of disc n is staged. */
export function copyFolder(root: string, n: number, copy: number): string {
  return join(root, `D${n}C${copy}`);
}

/**
 * Puts an original in place without copying its bytes when it can (a hard link: the disc's
 * staging costs no room), else copies it. Either way the size is checked against the proof: an
 * archive that lost or grew bytes is never staged as the original (D-NO-TAMPER); the bytes
 * themselves are proven by pass 3 against the disc.
 */
async function placeOriginal(original: OriginalToStage, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  let size: number;
  try {
    size = (await stat(original.source)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StagingFailed(
        'ARCHIVE_MISSING',
        `the archived original of clip ${original.file.clipId} is missing: it cannot go on a disc`,
      );
    }
    throw error;
  }
  if (size !== original.file.size) {
    throw new StagingFailed(
      'ARCHIVE_MISMATCH',
      `the archived original of clip ${original.file.clipId} is ${size} bytes, not the ${original.file.size} proven at ingest: it does not go on a disc (D-NO-TAMPER)`,
    );
  }
  try {
    await link(original.source, dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
    await copyFile(original.source, dest, fsConstants.COPYFILE_EXCL);
  }
}

/** Links every plain file under `from` into the same place under `to` (a copy's shared part). */
async function linkTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const dest = join(to, source.slice(from.length + 1));
    await mkdir(dirname(dest), { recursive: true });
    await link(source, dest);
  }
}

/** The bytes a folder takes on a disc: each file rounded up to whole sectors. */
export async function sectorBytes(folder: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const { size } = await stat(join(entry.parentPath, entry.name));
    bytes += Math.ceil(size / SECTOR_BYTES) * SECTOR_BYTES;
  }
  return bytes;
}

/** `DISCSET.txt`: every original on every disc of the set, so each disc tells where the rest is. */
export function discSetText(
  set: { tag: string; discs: number },
  discs: readonly DiscToStage[],
): string {
  const lines = [
    `set ${set.tag}: ${set.discs} disc(s)`,
    'disc  sha256  bytes  path',
    ...discs.flatMap((disc) =>
      disc.originals.map(
        (o) => `D${disc.n}OF${set.discs}  ${o.file.sha256}  ${o.file.size}  ${o.file.path}`,
      ),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Stages a whole set before anything is burned: for each disc the originals (linked), its
 * recovery data, then for each copy its signed manifest, documents, custody record, the set's
 * list and the verifiers. A copy shares the originals and recovery data of the first (links),
 * and has its own manifest, since its copy number and volume id are its own. A staging cut off
 * half-way is removed and made again.
 */
export async function stageSet(
  set: SetToStage & { tag: string; discCount: number },
): Promise<StagedCopy[]> {
  await rm(set.root, { recursive: true, force: true });
  await mkdir(set.root, { recursive: true });
  const discSet = discSetText({ tag: set.tag, discs: set.discCount }, set.discs);
  // The originals of every disc first (links: quick), then each disc's recovery data, two discs
  // at a time (par2 keeps about one core busy), then each copy's own files.
  for (const disc of set.discs) {
    const base = baseFolder(set.root, disc);
    for (const [i, original] of disc.originals.entries()) {
      set.signal?.throwIfAborted();
      await placeOriginal(original, join(base, ...original.file.path.split('/')));
      set.onProgress?.('staging', disc.n, ((i + 1) / disc.originals.length) * 100);
    }
  }
  await inTurns(set.discs, PAR2_AT_ONCE, async (disc) => {
    set.onProgress?.('recovery', disc.n, 0);
    await createRecoveryData(baseFolder(set.root, disc), set.par2Percent, set.signal);
    set.onProgress?.('recovery', disc.n, 100);
  });
  const staged: StagedCopy[] = [];
  for (const disc of set.discs) {
    const base = baseFolder(set.root, disc);
    for (const copy of disc.copies) {
      set.signal?.throwIfAborted();
      const folder = copyFolder(set.root, disc.n, copy.copy);
      if (folder !== base) {
        await linkTree(join(base, 'evidence'), join(folder, 'evidence'));
        await linkTree(join(base, RECOVERY_FOLDER), join(folder, RECOVERY_FOLDER));
      }
      const manifest = set.manifest(disc, copy);
      const bytes = await writeManifest(folder, manifest, set.keys);
      const manifestSha256 = createHash('sha256').update(bytes).digest('hex');
      const documents = await set.documents(manifest, manifestSha256);
      await writeFile(join(folder, DISC_FILES.readme), documents.readme);
      await writeFile(join(folder, DISC_FILES.evidenceList), documents.evidenceList);
      await writeFile(join(folder, DISC_FILES.custody), documents.custody);
      await writeFile(join(folder, DISC_FILES.discSet), discSet);
      await writeVerifiers(folder);
      await sealDiscLists(folder, manifest, set.keys);
      staged.push({
        n: disc.n,
        copy: copy.copy,
        volumeId: copy.volumeId,
        folder,
        manifestSha256,
        bytes: await sectorBytes(folder),
      });
    }
  }
  return staged;
}
