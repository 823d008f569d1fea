import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPublicKeys } from '../custody/station-keys';
import { checkCustodyDocument } from './custody-check';
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
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The manifest's files, if it is one: hostile input yields null, never a throw. */
function listedFiles(bytes: Buffer): ExpectedFile[] | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  const files = (value as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return null;
  const out: ExpectedFile[] = [];
  for (const f of files as Partial<ManifestFile>[]) {
    if (
      typeof f !== 'object' ||
      f === null ||
      typeof f.path !== 'string' ||
      !Number.isSafeInteger(f.size) ||
      typeof f.sha256 !== 'string' ||
      !HEX64.test(f.sha256) ||
      !(f.sm3 === null || (typeof f.sm3 === 'string' && HEX64.test(f.sm3)))
    ) {
      return null;
    }
    out.push({ path: f.path, size: f.size!, sha256: f.sha256, sm3: f.sm3 });
  }
  return out;
}

async function evidenceFiles(root: string): Promise<string[]> {
  try {
    const entries = await readdir(join(root, 'evidence'), { withFileTypes: true, recursive: true });
    return entries
      .filter((e) => !e.isDirectory())
      .map(
        (e) =>
          `${join(e.parentPath, e.name)
            .slice(root.length + 1)
            .split(/[\\/]/)
            .join('/')}`,
      );
  } catch {
    return [];
  }
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
  let expected: ExpectedFile[] | null = null;
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
  const listed = new Set(expected?.map((f) => f.path) ?? []);
  const extra = (await evidenceFiles(root)).filter((path) => !listed.has(path));
  if (extra.length > 0) {
    filePass = {
      ...filePass,
      ok: false,
      problems: [
        ...filePass.problems,
        ...extra.map((p) => `${p}: on the disc but not in the manifest`),
      ],
    };
  }
  let custody: OfflineCheck['custody'];
  try {
    const doc = JSON.parse(
      (await readFile(await plainFileOnDisc(root, DISC_FILES.custody))).toString('utf8'),
    ) as unknown;
    const checked = checkCustodyDocument(doc, readPublicKeys(root));
    custody = { ok: checked.ok, detail: checked.detail, problems: checked.problems };
  } catch (error) {
    custody = {
      ok: false,
      detail: `${DISC_FILES.custody} cannot be checked: ${(error as Error).message}`,
      problems: [(error as Error).message],
    };
  }
  const passes = [filePass, signatures];
  return {
    ok: passes.every((p) => p.ok) && custody.ok,
    files,
    extra,
    passes,
    custody,
  };
}
