import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyFingerprints } from '../contract';
import {
  KEY_FILES,
  readPublicKeys,
  type StationKeys,
  type StationPublicKeys,
} from '../custody/station-keys';
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
  const signatures = keys.sign(bytes);
  await writeFile(join(root, MANIFEST_FILES.json), bytes);
  await writeFile(join(root, MANIFEST_FILES.sha256), checksumList(manifest.files, 'sha256'));
  await writeFile(join(root, MANIFEST_FILES.sm3), checksumList(manifest.files, 'sm3'));
  await writeFile(join(root, MANIFEST_FILES.sm2Signature), signatures.sm2);
  await writeFile(join(root, MANIFEST_FILES.ed25519Signature), signatures.ed25519);
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
 * Pass 4: the manifest on the disc is the one the station signed. Both signatures are checked
 * with the public keys on the disc; those keys must be the ones the manifest names, and, when the
 * station checks its own disc, the station's own (a disc re-signed with other keys fails); and
 * the checksum lists must say what the manifest says.
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
  let bytes: Buffer;
  let manifest: DiscManifest;
  let keys: StationPublicKeys;
  let signatures: { sm2: Buffer; ed25519: Buffer };
  try {
    bytes = await readFile(join(root, MANIFEST_FILES.json));
    manifest = JSON.parse(bytes.toString('utf8')) as DiscManifest;
    signatures = {
      sm2: await readFile(join(root, MANIFEST_FILES.sm2Signature)),
      ed25519: await readFile(join(root, MANIFEST_FILES.ed25519Signature)),
    };
    keys = readPublicKeys(root);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files)) {
    return fail(`${MANIFEST_FILES.json} is not an evidock disc manifest`);
  }
  const verified = keys.verify(bytes, signatures);
  if (!verified.sm2) problems.push(`${MANIFEST_FILES.sm2Signature} does not verify the manifest`);
  if (!verified.ed25519) {
    problems.push(`${MANIFEST_FILES.ed25519Signature} does not verify the manifest`);
  }
  const named = manifest.station?.keys;
  if (
    named?.sm2?.sha256 !== keys.fingerprints.sm2.sha256 ||
    named?.ed25519?.sha256 !== keys.fingerprints.ed25519.sha256
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
  for (const algorithm of ['sha256', 'sm3'] as const) {
    const file = algorithm === 'sha256' ? MANIFEST_FILES.sha256 : MANIFEST_FILES.sm3;
    const list = await readFile(join(root, file), 'utf8').catch(() => null);
    if (list !== checksumList(manifest.files, algorithm)) {
      problems.push(`${file} does not list what the manifest says`);
    }
  }
  const ok = problems.length === 0;
  return {
    pass: 'signatures',
    ok,
    detail: ok
      ? `the manifest of ${manifest.files.length} file(s) is signed by station ${manifest.station.id} (SM2 and Ed25519)`
      : `${problems.length} problem(s) with the manifest's signatures`,
    problems,
  };
}
