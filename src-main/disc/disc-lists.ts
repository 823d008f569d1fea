import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StationKeys } from '../custody/station-keys';
import { plainFileOnDisc } from './disc-files';
import { checksumList, MANIFEST_FILES, type DiscManifest } from './manifest';

/**
 * The checksum lists are signed last, and cover every file on the disc but themselves: the
 * originals (as the manifest lists them, first) and then README.pdf, 清单.pdf, custody.json,
 * DISCSET.txt, the verifiers, the keys, the recovery data and the manifest with its signatures.
 * A document, a custody record or a verifier changed on a copy of the disc fails its line, and a
 * file added to it is named as one the lists leave out.
 */
export const LIST_FILES = [MANIFEST_FILES.sha256, MANIFEST_FILES.sm3].flatMap((name) => [
  name,
  `${name}.sm2`,
  `${name}.ed25519`,
]);

/** Every path on a disc (relative, `/`), whatever it is, outside the lists themselves. */
export async function pathsOnDisc(root: string): Promise<{ files: string[]; odd: string[] }> {
  const files: string[] = [];
  const odd: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      // lstat, not the entry's own type: a link to a folder is not walked into.
      const stat = await lstat(join(dir, entry.name));
      if (stat.isDirectory()) await walk(join(dir, entry.name), path);
      else if (stat.isFile()) {
        if (!LIST_FILES.includes(path)) files.push(path);
      } else odd.push(path);
    }
  };
  await walk(root, '');
  return { files: files.sort(), odd };
}

async function digestsOf(path: string): Promise<{ sha256: string; sm3: string }> {
  const sha256 = createHash('sha256');
  const sm3 = createHash('sm3');
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    sm3.update(chunk as Buffer);
  }
  return { sha256: sha256.digest('hex'), sm3: sm3.digest('hex') };
}

/**
 * Writes MANIFEST.sha256 and MANIFEST.sm3 over everything staged (the originals first, by the
 * manifest's hashes, then every other file) and signs them: the last step of staging a copy.
 */
export async function sealDiscLists(
  root: string,
  manifest: DiscManifest,
  keys: StationKeys,
): Promise<void> {
  const { files } = await pathsOnDisc(root);
  const originals = new Set(manifest.files.map((f) => f.path));
  const rest: { path: string; sha256: string; sm3: string }[] = [];
  for (const path of files) {
    if (originals.has(path)) continue;
    rest.push({ path, ...(await digestsOf(join(root, ...path.split('/')))) });
  }
  for (const algorithm of ['sha256', 'sm3'] as const) {
    const name = algorithm === 'sha256' ? MANIFEST_FILES.sha256 : MANIFEST_FILES.sm3;
    const text =
      checksumList(manifest.files, algorithm) +
      rest.map((f) => `${f[algorithm]}  ${f.path}\n`).join('');
    const bytes = Buffer.from(text, 'utf8');
    const signatures = keys.sign(bytes);
    await writeFile(join(root, name), bytes);
    await writeFile(join(root, `${name}.sm2`), signatures.sm2);
    await writeFile(join(root, `${name}.ed25519`), signatures.ed25519);
  }
}

const LINE = /^([0-9a-f]{64}) {2}(.+)$/;

/**
 * Every file on the disc against MANIFEST.sha256: nothing on the disc that the list leaves out,
 * nothing but plain files, and each file outside `evidence/` with the hash the list gives it
 * (the originals are hashed by pass 3 against the catalogue, or offline against the manifest).
 * The list's own signatures are pass 4's.
 */
export async function checkListedFiles(root: string): Promise<string[]> {
  let text: string;
  try {
    text = (await readFile(await plainFileOnDisc(root, MANIFEST_FILES.sha256))).toString('utf8');
  } catch (error) {
    return [`${MANIFEST_FILES.sha256} cannot be read: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const listed = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = LINE.exec(line);
    if (m === null) {
      problems.push(`${MANIFEST_FILES.sha256}: a malformed line`);
      continue;
    }
    listed.set(m[2]!, m[1]!);
  }
  const { files, odd } = await pathsOnDisc(root);
  for (const path of odd) problems.push(`${path}: not a plain file`);
  for (const path of files) {
    if (!listed.has(path))
      problems.push(`${path}: on the disc but not in ${MANIFEST_FILES.sha256}`);
  }
  const onDisc = new Set(files);
  for (const [path, want] of listed) {
    if (!onDisc.has(path)) {
      problems.push(`${path}: in ${MANIFEST_FILES.sha256} but not on the disc`);
      continue;
    }
    if (path.startsWith('evidence/')) continue;
    try {
      const { sha256 } = await digestsOf(await plainFileOnDisc(root, path));
      if (sha256 !== want) problems.push(`${path}: SHA-256 ${sha256}, not ${want}`);
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
  }
  return problems;
}
