import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  checkBlocks,
  checkDiscOffline,
  checkFileMd5s,
  checkTreesAgree,
  DiscNotMounted,
  withDiscMounted,
  XorrisoMissing,
  type OfflineCheck,
  type PassResult,
} from '../../disc';
import { emit, fail, type OutputOptions } from './output';

interface DiscVerification extends OfflineCheck {
  /** For an image: xorriso's own passes (every block, every file's MD5 tag). */
  media: PassResult[];
  /** With --fingerprint: whether the disc is signed with the keys named. */
  signerKnown?: boolean;
}

function text(result: DiscVerification, what: string): string {
  const lines = [
    ...result.files.map(
      (f) =>
        `${f.ok ? 'PASS' : 'FAIL'}  ${f.path}${f.problem === null ? '' : `  (${f.problem.slice(f.path.length + 2)})`}`,
    ),
    ...result.extra.map((path) => `EXTRA ${path}  (on the disc but not in the manifest)`),
  ];
  for (const pass of [...result.media, ...result.passes]) {
    lines.push(`${pass.ok ? 'PASS' : 'FAIL'}  ${pass.pass}: ${pass.detail}`);
    for (const problem of pass.problems.slice(0, 10)) lines.push(`      ${problem}`);
  }
  lines.push(`${result.custody.ok ? 'PASS' : 'FAIL'}  custody.json: ${result.custody.detail}`);
  const keys =
    result.signer === null
      ? 'no readable keys on the disc'
      : `SM2 ${result.signer.sm2}, Ed25519 ${result.signer.ed25519}`;
  lines.push(
    result.signerKnown === undefined
      ? `KEYS  ${keys}: compare them with the fingerprints your unit publishes (or name them with --fingerprint)`
      : `${result.signerKnown ? 'PASS' : 'FAIL'}  signed with ${result.signerKnown ? "the unit's keys" : 'other keys than the ones named'}: ${keys}`,
  );
  const passed = result.files.filter((f) => f.ok).length;
  lines.push(
    `${result.ok ? 'PASS' : 'FAIL'}: ${what}: ${passed} of ${result.files.length} original(s) match the signed manifest`,
  );
  return lines.join('\n');
}

/**
 * `evidock verify-disc <folder-or-image>`: the check anyone can make of a disc, without a login
 * or the station's data: a mounted disc's folder, or an image (read through fuseiso, with
 * xorriso's block and MD5 passes besides). Exits non-zero unless everything passes.
 */
export function verifyDiscCommand(): Command {
  return new Command('verify-disc')
    .description(
      "check a disc (its mounted folder, or an image file) as a court would: every original against the signed manifest, the signatures (compare the printed fingerprints with the unit's), the custody record; no login",
    )
    .argument('<folder-or-image>', 'where the disc is mounted, or an image file')
    .option(
      '--fingerprint <sha256...>',
      "the unit's published key fingerprints (SHA-256): the disc must be signed with those keys",
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (where: string, options: OutputOptions & { fingerprint?: string[] }) => {
      const path = resolve(where);
      let isImage: boolean;
      try {
        isImage = statSync(path).isFile();
      } catch {
        fail('NOT_FOUND', `${where} is neither a folder nor an image file.`);
      }
      let result: DiscVerification;
      try {
        if (isImage) {
          const drive = `stdio:${path}`;
          const trees = await checkTreesAgree(drive);
          const media: PassResult[] = [
            await checkBlocks(drive),
            await checkFileMd5s(drive),
            {
              pass: 'files',
              ok: trees.ok,
              detail: trees.ok
                ? 'its Rock Ridge, Joliet (Windows) and ISO 9660 trees show the same files'
                : 'its trees show different files to different systems',
              problems: trees.problems,
            },
          ];
          const offline = await withDiscMounted(drive, (root) => checkDiscOffline(root));
          result = { ...offline, ok: offline.ok && media.every((p) => p.ok), media };
        } else {
          result = { ...(await checkDiscOffline(path)), media: [] };
        }
      } catch (error) {
        if (error instanceof XorrisoMissing) fail('DISC_TOOL_MISSING', error.message);
        if (error instanceof DiscNotMounted) {
          fail(
            error.code === 'FUSEISO_MISSING' ? 'DISC_TOOL_MISSING' : 'DISC_UNKNOWN',
            error.message,
          );
        }
        throw error;
      }
      // Anyone can sign with keys of their own: only the unit's fingerprints tell its discs.
      const expected = (options.fingerprint ?? []).map((f) =>
        f.replace(/[\s:]/g, '').toLowerCase(),
      );
      if (expected.length > 0) {
        const known =
          result.signer !== null &&
          expected.includes(result.signer.sm2) &&
          expected.includes(result.signer.ed25519);
        result = { ...result, ok: result.ok && known, signerKnown: known };
      }
      emit(options, result, () => text(result, where));
      // The document above says what failed: the exit code says that something did.
      if (!result.ok) process.exitCode = 1;
    });
}
