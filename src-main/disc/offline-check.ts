import { readFile } from 'node:fs/promises';
import { readPublicKeys } from '../custody/station-keys';
import { checkCustodyDocument } from './custody-check';
import { checkListedFiles } from './disc-lists';
import { DISC_FILES } from './staging';
import { plainFileOnDisc } from './disc-files';
import { checkFilesAt, type ExpectedFile } from './file-pass';
import { checkManifestSignatures, MANIFEST_FILES, type ManifestFile } from './manifest';
import type { PassResult } from './media-passes';

/** What anyone's check of a disc found: each original, the signatures, the custody record. */
export interface OfflineCheck {
  ok: boolean;
  /** Each original the manifest lists: PASS or FAIL with why. */
  files: { path: string; ok: boolean; problem: string | null }[];
  /** Files under evidence/ the manifest does not list: a disc holds nothing unaccounted for. */
  extra: string[];
  passes: PassResult[];
  custody: { ok: boolean; detail: string; problems: string[] };
  /** The SHA-256 fingerprints of the keys on the disc: who signed it, to compare with the unit's. */
  signer: { sm2: string; ed25519: string } | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The manifest's files, if it is one: hostile input yields null, never a throw. */
function listedFiles(bytes: Buffer): (ExpectedFile & { clipId: number })[] | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  const files = (value as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return null;
  const out: (ExpectedFile & { clipId: number })[] = [];
  for (const f of files as Partial<ManifestFile>[]) {
    if (
      typeof f !== 'object' ||
      f === null ||
      typeof f.path !== 'string' ||
      !Number.isSafeInteger(f.size) ||
      typeof f.sha256 !== 'string' ||
      !HEX64.test(f.sha256) ||
      !(f.sm3 === null || (typeof f.sm3 === 'string' && HEX64.test(f.sm3))) ||
      !Number.isSafeInteger(f.clipId)
    ) {
      return null;
    }
    out.push({ path: f.path, size: f.size!, sha256: f.sha256, sm3: f.sm3, clipId: f.clipId! });
  }
  return out;
}

/**
 * The check anyone can make of a disc, without the station and without a login: what the on-disc
 * verifier does (every original against the signed manifest, nothing unlisted, the signatures
 * with the keys on the disc, whose fingerprints it names for comparing with the unit's), and the
 * custody record's chain and checkpoints besides. Nothing on the disc is trusted before it is
 * checked: paths stay inside the disc, links are refused, malformed files fail.
 */
export async function checkDiscOffline(
  root: string,
  options: { signal?: AbortSignal } = {},
): Promise<OfflineCheck> {
  const signatures = await checkManifestSignatures(root, null);
  let expected: (ExpectedFile & { clipId: number })[] | null = null;
  try {
    expected = listedFiles(await readFile(await plainFileOnDisc(root, MANIFEST_FILES.json)));
  } catch {
    expected = null;
  }
  const files: OfflineCheck['files'] = [];
  let filePass: PassResult;
  if (expected === null) {
    filePass = {
      pass: 'files',
      ok: false,
      detail: `${MANIFEST_FILES.json} is missing or malformed: no original can be checked`,
      problems: [`${MANIFEST_FILES.json} is missing or malformed`],
    };
  } else {
    filePass = await checkFilesAt(root, expected, { signal: options.signal });
    for (const file of expected) {
      const problem = filePass.problems.find((p) => p.startsWith(`${file.path}: `)) ?? null;
      files.push({ path: file.path, ok: problem === null, problem });
    }
  }
  // Everything else on the disc against the signed lists, and nothing on it they leave out.
  const unlisted = await checkListedFiles(root);
  const extra = unlisted
    .filter((p) => p.endsWith(`not in ${MANIFEST_FILES.sha256}`))
    .map((p) => p.slice(0, p.indexOf(': ')));
  if (unlisted.length > 0) {
    filePass = {
      ...filePass,
      ok: false,
      problems: [...filePass.problems, ...unlisted],
    };
  }
  let custody: OfflineCheck['custody'];
  try {
    const doc = JSON.parse(
      (await readFile(await plainFileOnDisc(root, DISC_FILES.custody))).toString('utf8'),
    ) as unknown;
    const checked = checkCustodyDocument(doc, readPublicKeys(root));
    // The record is of the clips this disc holds, no fewer (one left out would hide its history).
    const ofClips = (doc as { clipIds?: unknown } | null)?.clipIds;
    const onDisc = [...new Set(expected?.map((f) => f.clipId) ?? [])].sort((a, b) => a - b);
    const same =
      Array.isArray(ofClips) &&
      JSON.stringify([...ofClips].sort((a, b) => Number(a) - Number(b))) === JSON.stringify(onDisc);
    const problems = same
      ? checked.problems
      : [...checked.problems, `${DISC_FILES.custody} is not the record of the clips on this disc`];
    custody = { ok: checked.ok && same, detail: checked.detail, problems };
  } catch (error) {
    custody = {
      ok: false,
      detail: `${DISC_FILES.custody} cannot be checked: ${(error as Error).message}`,
      problems: [(error as Error).message],
    };
  }
  const passes = [filePass, signatures];
  let signer: OfflineCheck['signer'] = null;
  try {
    const { fingerprints } = readPublicKeys(root);
    signer = { sm2: fingerprints.sm2.sha256, ed25519: fingerprints.ed25519.sha256 };
  } catch {
    signer = null;
  }
  return {
    ok: passes.every((p) => p.ok) && custody.ok,
    files,
    extra,
    passes,
    custody,
    signer,
  };
}
