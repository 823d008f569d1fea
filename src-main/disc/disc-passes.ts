import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import type { Catalogue } from '../catalogue/catalogue';
import type { DiscSetRecord } from '../catalogue/discs';
import type { DiscProgress } from '../contract';
import type { AuditCheckpoints } from '../custody/checkpoints';
import { SECTOR_BYTES } from '../domain';
import { withDiscMounted } from './disc-mount';
import { plainFileOnDisc } from './disc-files';
import { checkFilesAt, type ExpectedFile } from './file-pass';
import { checkListedFiles } from './disc-lists';
import { checkManifestSignatures, MANIFEST_FILES } from './manifest';
import { checkTreesAgree } from './tree-check';
import { checkBlocks, checkFileMd5s, timed, type PassResult } from './media-passes';

/** Where a set's staging, burn or check is, for the custodian watching it. */
export type ReportProgress = (
  setId: number,
  where: { n: number; copy: number },
  phase: DiscProgress['phase'],
  percent: number,
) => void;

export interface PassesDeps {
  catalogue: Catalogue;
  checkpoints: AuditCheckpoints;
  progress: ReportProgress;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The four passes over a burned disc: (1) every block and the session's MD5 tag; (2) every
 * file's MD5 tag; (3) every original read back through the mounted file system and hashed
 * against the catalogue (not against anything on the disc); (4) the manifest's signatures,
 * with this station's keys, and the manifest being the one the register recorded.
 */
export async function runPasses(
  deps: PassesDeps,
  drive: string,
  set: DiscSetRecord,
  n: number,
  manifestSha256: string,
  where: { n: number; copy: number },
  signal?: AbortSignal,
  /** At a re-check: the image as it was burned, which the disc read back must still be. */
  burned?: { sha256: string; bytes: number },
): Promise<PassResult[]> {
  const { catalogue, checkpoints, progress } = deps;
  // An image is read from the page cache and can be read by two passes at once (on two cores);
  // a drive is held by one reader at a time, and two would only make it seek.
  const image = drive.startsWith('stdio:');
  progress(set.id, where, 'blocks', 0);
  const [blocks, md5] = image
    ? await Promise.all([timed(checkBlocks(drive, signal)), timed(checkFileMd5s(drive, signal))])
    : [await timed(checkBlocks(drive, signal)), await timed(checkFileMd5s(drive, signal))];
  const asBurned = burned === undefined ? blocks : await sameImage(blocks, drive, burned);
  const expected = expectedFiles(catalogue, set.id, n);
  const [files, signatures] = await withDiscMounted(drive, async (root) => {
    progress(set.id, where, 'files', 0);
    const files = await timed(
      checkFilesAt(root, expected, {
        signal,
        onFile: (done, total) => progress(set.id, where, 'files', (done / total) * 100),
      }).then(async (result) =>
        withProblems(result, [
          ...(await checkListedFiles(root)),
          ...(await checkTreesAgree(drive, signal)).problems,
        ]),
      ),
    );
    progress(set.id, where, 'signatures', 0);
    const signatures = await timed(
      checkManifestSignatures(root, checkpoints.requireKeys()).then((result) =>
        withRegisteredManifest(result, root, manifestSha256),
      ),
    );
    return [files, signatures] as const;
  });
  return [asBurned, md5, files, signatures];
}

/** A pass with more problems found: failed, the first of them said in its detail. */
function withProblems(result: PassResult, problems: string[]): PassResult {
  if (problems.length === 0) return result;
  return {
    ...result,
    ok: false,
    detail: `${result.detail}; ${problems.length} more problem(s): ${problems[0]}`,
    problems: [...result.problems, ...problems],
  };
}

/**
 * Pass 1 at a re-check: every block read back is the block burned. The session is hashed as it
 * was at the burn (an image whole, a drive as far as the session reached) and held to the image
 * hash the register kept: a disc rebuilt from the same files, or another burn of the same
 * manifest, is not this disc.
 */
async function sameImage(
  blocks: PassResult,
  drive: string,
  burned: { sha256: string; bytes: number },
): Promise<PassResult> {
  const read = await imageAsBurned(drive, burned.bytes);
  if (read !== null && read.sha256 === burned.sha256) return blocks;
  const problem =
    read === null
      ? `the session could not be read back whole to compare it with the image burned (${burned.sha256})`
      : `the session read back (${read.bytes} bytes, SHA-256 ${read.sha256}) is not the image burned (${burned.bytes} bytes, SHA-256 ${burned.sha256})`;
  return withProblems(blocks, [problem]);
}

/** The disc in a drive read as far as the burned image reached, hashed; null if it cannot be. */
export async function imageAsBurned(
  drive: string,
  bytes: number,
): Promise<{ sha256: string; bytes: number } | null> {
  const path = drive.startsWith('stdio:') ? drive.slice('stdio:'.length) : drive;
  try {
    const read = await hashOf(path, drive.startsWith('stdio:') ? Number.POSITIVE_INFINITY : bytes);
    return read;
  } catch {
    return null;
  }
}

/**
 * A real disc's image hashed from the device, as far as the session reaches (pass 1 names its
 * sectors); null where it cannot be read whole.
 */
export async function deviceImage(
  drive: string,
  passes: PassResult[],
): Promise<{ sha256: string; bytes: number } | null> {
  const sectors = passes.find((p) => p.pass === 'blocks')?.sectors;
  if (sectors === undefined || sectors === 0) return null;
  try {
    return await hashOf(drive, sectors * SECTOR_BYTES);
  } catch {
    return null;
  }
}

/** The SHA-256 and size of the first `limit` bytes of a file or device (the whole image). */
export async function hashOf(
  path: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(4 << 20);
  let bytes = 0;
  try {
    while (bytes < limit) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(buffer.length, limit - bytes),
        null,
      );
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** One line saying which passes failed and their first problem. */
export function failureOf(passes: readonly PassResult[]): string {
  return passes
    .filter((p) => !p.ok)
    .map(
      (p) =>
        `pass ${p.pass}: ${p.detail}${p.problems[0] === undefined ? '' : ` (${p.problems[0]})`}`,
    )
    .join('; ');
}

/** Pass 4 also holds the disc to the manifest the register recorded for it. */
async function withRegisteredManifest(
  result: PassResult,
  root: string,
  manifestSha256: string,
): Promise<PassResult> {
  let onDisc: string;
  try {
    onDisc = sha256(await readFile(await plainFileOnDisc(root, MANIFEST_FILES.json)));
  } catch (error) {
    onDisc = `unreadable (${(error as Error).message})`;
  }
  if (onDisc === manifestSha256) return result;
  const problem = `MANIFEST.json on the disc (SHA-256 ${onDisc}) is not the one the register recorded (${manifestSha256})`;
  return {
    ...result,
    ok: false,
    detail: `${result.detail}; ${problem}`,
    problems: [...result.problems, problem],
  };
}

/** The originals disc n of a set must hold, with the hashes the catalogue proved at ingest. */
export function expectedFiles(catalogue: Catalogue, setId: number, n: number): ExpectedFile[] {
  const placed = catalogue.discs.clipsOnDisc(setId, n);
  const facts = new Map(
    catalogue.discs.clipFacts(placed.map((p) => p.clipId)).map((f) => [f.id, f]),
  );
  return placed.map((p) => {
    const f = facts.get(p.clipId)!;
    return { path: p.path, size: f.size, sha256: f.sha256, sm3: f.sm3 };
  });
}
