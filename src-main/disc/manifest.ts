import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyFingerprints } from '../contract';
import {
  KEY_FILES,
  readPublicKeys,
  type StationKeys,
  type StationPublicKeys,
} from '../custody/station-keys';
import { plainFileOnDisc } from './disc-files';
import type { PassResult } from './media-passes';

/**
 * The files on every disc that let anyone prove it without the station: the manifest, checksum
 * lists that `sha256sum -c` (and gmssl-style SM3 tools) read, both signatures of the manifest,
 * and the public keys that check them (D-NO-TAMPER).
 */
export const MANIFEST_FILES = {
  json: 'MANIFEST.json',
  sha256: 'MANIFEST.sha256',
  sm3: 'MANIFEST.sm3',
  sm2Signature: 'MANIFEST.json.sm2',
  ed25519Signature: 'MANIFEST.json.ed25519',
  keysFolder: 'keys',
  fingerprints: 'keys/FINGERPRINTS.txt',
} as const;

export const MANIFEST_FORMAT = 'evidock-disc-manifest/1';

/**
 * The files signed, each with `<name>.sm2` and `<name>.ed25519` beside it: the manifest, and the
 * lists the verifiers read, so that a list rewritten to match altered originals fails too.
 */
export const SIGNED_FILES = [MANIFEST_FILES.json, MANIFEST_FILES.sha256, MANIFEST_FILES.sm3];

/** One original on the disc, as the catalogue proved and labelled it. */
export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  sm3: string | null;
  clipId: number;
  /** When recording began and ended, ISO 8601 with the recorder's offset. */
  recordedStart: string | null;
  recordedEnd: string | null;
  recorderSerial: string | null;
  officerBadge: string | null;
  caseNumber: string | null;
  /** When the station took it into custody (D-24H). */
  custodyAt: string;
}

export interface DiscManifest {
  format: typeof MANIFEST_FORMAT;
  station: { id: string; keys: KeyFingerprints };
  set: { id: string; discs: number };
  disc: { n: number; copy: number; volumeId: string; medium: string };
  createdAt: string;
  createdBy: string;
  files: ManifestFile[];
}

/** The manifest's bytes: what is signed. Its keys keep the order above; files are in disc order. */
export function manifestBytes(manifest: DiscManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** `<hex>  <path>` a line, as `sha256sum -c` reads it from the disc's root. */
export function checksumList(files: readonly ManifestFile[], algorithm: 'sha256' | 'sm3'): string {
  return files
    .filter((f) => f[algorithm] !== null)
    .map((f) => `${f[algorithm]!}  ${f.path}\n`)
    .join('');
}

/** Writes the manifest, its lists, its signatures and the public keys into a staged disc. */
export async function writeManifest(
  root: string,
  manifest: DiscManifest,
  keys: StationKeys,
): Promise<Buffer> {
  const bytes = manifestBytes(manifest);
  const contents: Record<string, Buffer> = {
    [MANIFEST_FILES.json]: bytes,
    [MANIFEST_FILES.sha256]: Buffer.from(checksumList(manifest.files, 'sha256')),
    [MANIFEST_FILES.sm3]: Buffer.from(checksumList(manifest.files, 'sm3')),
  };
  for (const name of SIGNED_FILES) {
    const signatures = keys.sign(contents[name]!);
    await writeFile(join(root, name), contents[name]!);
    await writeFile(join(root, `${name}.sm2`), signatures.sm2);
    await writeFile(join(root, `${name}.ed25519`), signatures.ed25519);
  }
  await mkdir(join(root, MANIFEST_FILES.keysFolder), { recursive: true });
  await writeFile(join(root, MANIFEST_FILES.keysFolder, KEY_FILES.sm2Public), keys.pem.sm2);
  await writeFile(join(root, MANIFEST_FILES.keysFolder, KEY_FILES.ed25519Public), keys.pem.ed25519);
  const f = keys.fingerprints;
  await writeFile(
    join(root, MANIFEST_FILES.fingerprints),
    [
      `station ${manifest.station.id}`,
      `sm2.pub.pem      SHA-256 ${f.sm2.sha256}`,
      `sm2.pub.pem      SM3     ${f.sm2.sm3}`,
      `ed25519.pub.pem  SHA-256 ${f.ed25519.sha256}`,
      '',
    ].join('\n'),
  );
  return bytes;
}

/**
 * Pass 4: the manifest on the disc is the one the station signed. The manifest and both checksum
 * lists are each checked against both signatures, with the public keys on the disc; those keys
 * must be the ones the manifest names and, when the station checks its own disc, the station's
 * own (a disc re-signed with other keys fails). Without the station's keys (anyone else checking)
 * the result names the keys' fingerprints, to be compared with the ones the unit publishes: a
 * forger can sign with keys of their own, and only the fingerprints tell.
 */
export async function checkManifestSignatures(
  root: string,
  stationKeys: StationPublicKeys | null,
): Promise<PassResult> {
  const problems: string[] = [];
  const fail = (problem: string): PassResult => ({
    pass: 'signatures',
    ok: false,
    detail: `the manifest cannot be checked: ${problem}`,
    problems: [problem],
  });
  const contents = new Map<string, Buffer>();
  let keys: StationPublicKeys;
  try {
    for (const name of SIGNED_FILES) {
      for (const file of [name, `${name}.sm2`, `${name}.ed25519`]) {
        contents.set(file, await readFile(await plainFileOnDisc(root, file)));
      }
    }
    await plainFileOnDisc(root, `${MANIFEST_FILES.keysFolder}/${KEY_FILES.sm2Public}`);
    await plainFileOnDisc(root, `${MANIFEST_FILES.keysFolder}/${KEY_FILES.ed25519Public}`);
    keys = readPublicKeys(root);
  } catch (error) {
    return fail((error as Error).message);
  }
  const manifest = parsedManifest(contents.get(MANIFEST_FILES.json)!);
  if (manifest === null) return fail(`${MANIFEST_FILES.json} is not an evidock disc manifest`);
  for (const name of SIGNED_FILES) {
    const verified = keys.verify(contents.get(name)!, {
      sm2: contents.get(`${name}.sm2`)!,
      ed25519: contents.get(`${name}.ed25519`)!,
    });
    if (!verified.sm2) problems.push(`${name}.sm2 does not verify ${name}`);
    if (!verified.ed25519) problems.push(`${name}.ed25519 does not verify ${name}`);
  }
  const named = manifest.station.keys;
  if (
    named.sm2.sha256 !== keys.fingerprints.sm2.sha256 ||
    named.ed25519.sha256 !== keys.fingerprints.ed25519.sha256
  ) {
    problems.push('the keys on the disc are not the ones its manifest names');
  }
  if (
    stationKeys !== null &&
    (stationKeys.fingerprints.sm2.sha256 !== keys.fingerprints.sm2.sha256 ||
      stationKeys.fingerprints.ed25519.sha256 !== keys.fingerprints.ed25519.sha256)
  ) {
    problems.push("the disc was signed with keys that are not this station's");
  }
  for (const [algorithm, file] of [
    ['sha256', MANIFEST_FILES.sha256],
    ['sm3', MANIFEST_FILES.sm3],
  ] as const) {
    if (
      !listsOriginals(contents.get(file)!.toString('utf8'), checksumList(manifest.files, algorithm))
    ) {
      problems.push(`${file} does not list what the manifest says`);
    }
  }
  const ok = problems.length === 0;
  const f = keys.fingerprints;
  const whose =
    stationKeys === null
      ? `keys with fingerprints SM2 ${f.sm2.sha256}, Ed25519 ${f.ed25519.sha256} (SHA-256): compare them with the ones the unit publishes`
      : "this station's keys";
  return {
    pass: 'signatures',
    ok,
    detail: ok
      ? `the manifest of ${manifest.files.length} file(s) and its lists are signed (SM2 and Ed25519) by ${whose}`
      : `${problems.length} problem(s) with the manifest's signatures`,
    problems,
  };
}

/**
 * Whether a checksum list starts with the manifest's originals, as the manifest lists them, and
 * names no other original after them (the rest of the disc's files follow: see disc-lists.ts).
 */
function listsOriginals(list: string, originals: string): boolean {
  if (!list.startsWith(originals)) return false;
  return list
    .slice(originals.length)
    .split('\n')
    .every((line) => line === '' || !/^[0-9a-f]{64} {2}evidence\//.test(line));
}

/** The manifest, if the bytes are one: an object of the format, its files objects with names. */
function parsedManifest(bytes: Buffer): DiscManifest | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  const m = value as Partial<DiscManifest> | null;
  const text = (v: unknown) => typeof v === 'string';
  const ok =
    typeof m === 'object' &&
    m !== null &&
    m.format === MANIFEST_FORMAT &&
    typeof m.station === 'object' &&
    m.station !== null &&
    text(m.station.keys?.sm2?.sha256) &&
    text(m.station.keys?.ed25519?.sha256) &&
    Array.isArray(m.files) &&
    m.files.every(
      (f: unknown) =>
        typeof f === 'object' &&
        f !== null &&
        text((f as ManifestFile).path) &&
        text((f as ManifestFile).sha256) &&
        (text((f as ManifestFile).sm3) || (f as ManifestFile).sm3 === null),
    );
  return ok ? (m as DiscManifest) : null;
}
