// Verification pass 4 and what lets anyone prove a disc without the station: the signed manifest,
// its checksum lists and the public keys, burned to a pseudo-drive, mounted as a disc, checked by
// the station and by standard tools alone (sha256sum, the OpenSSL CLI).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStationKeys, type StationKeys } from '../../src-main/custody/station-keys';
import {
  burnDisc,
  checkFilesAt,
  checkManifestSignatures,
  MANIFEST_FORMAT,
  sealDiscLists,
  writeManifest,
  writeVerifiers,
  type DiscManifest,
} from '../../src-main/disc';
import { missingTools, mountedImage } from '../support/disc-image';
import { tempDir } from '../support/temp';

const dir = tempDir('disc-manifest-');
afterAll(() => dir.remove());

const missing = missingTools(['xorriso', 'fuseiso', 'openssl', 'sha256sum']);

function stationKeys(name: string): StationKeys {
  const dataDir = join(dir.path, name);
  mkdirSync(dataDir);
  return createStationKeys(dataDir).keys;
}

const CLIP = 'evidence/京朝综执罚〔2026〕7号/A001/2026-12-01/VID_0001.MP4';

async function stagedDisc(name: string, keys: StationKeys): Promise<string> {
  const staged = join(dir.path, name);
  const bytes = randomBytes(1024 * 1024 + 5);
  mkdirSync(join(staged, ...CLIP.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(staged, ...CLIP.split('/')), bytes);
  const manifest: DiscManifest = {
    format: MANIFEST_FORMAT,
    station: { id: 'station-test', keys: keys.fingerprints },
    set: { id: 'set-1', discs: 1 },
    disc: { n: 1, copy: 1, volumeId: 'CASE7_D1OF1', medium: 'cd' },
    createdAt: '2026-12-07T22:00:00+08:00',
    createdBy: 'C001',
    files: [
      {
        path: CLIP,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sm3: createHash('sm3').update(bytes).digest('hex'),
        clipId: 1,
        recordedStart: '2026-12-01T09:00:00+08:00',
        recordedEnd: '2026-12-01T09:05:00+08:00',
        recorderSerial: 'DSJ-0001',
        officerBadge: 'A001',
        caseNumber: '京朝综执罚〔2026〕7号',
        custodyAt: '2026-12-01T18:00:00+08:00',
      },
    ],
  };
  // A second original whose name has a space, as a verifier must read it.
  const second = randomBytes(4096);
  const spaced = `${CLIP.split('/').slice(0, -1).join('/')}/VID 0002.MP4`;
  writeFileSync(join(staged, ...spaced.split('/')), second);
  manifest.files.push({
    ...manifest.files[0]!,
    path: spaced,
    size: second.length,
    sha256: createHash('sha256').update(second).digest('hex'),
    sm3: createHash('sm3').update(second).digest('hex'),
    clipId: 2,
  });
  await writeManifest(staged, manifest, keys);
  await writeVerifiers(staged);
  await sealDiscLists(staged, manifest, keys);
  return staged;
}

async function burnedAndMounted<T>(staged: string, use: (root: string) => Promise<T>): Promise<T> {
  const image = join(dir.path, `${Math.random().toString(36).slice(2)}.iso`);
  await burnDisc({ drive: `stdio:${image}`, volumeId: 'CASE7_D1OF1', staged });
  return mountedImage(image, use);
}

describe.skipIf(missing.length > 0)(
  `a disc's signed manifest${missing.length > 0 ? ` — skipped: needs ${missing.join(', ')}` : ''}`,
  () => {
    it('is proven by the station (pass 4) and by sha256sum and the OpenSSL CLI alone', async () => {
      const keys = stationKeys('station-a');
      const staged = await stagedDisc('good', keys);
      await burnedAndMounted(staged, async (root) => {
        const pass = await checkManifestSignatures(root, keys);
        expect(pass).toMatchObject({ pass: 'signatures', ok: true, problems: [] });
        expect(pass.detail).toBe(
          "the manifest of 2 file(s) and its lists are signed (SM2 and Ed25519) by this station's keys",
        );

        const sums = execFileSync('sha256sum', ['-c', 'MANIFEST.sha256'], {
          cwd: root,
          encoding: 'utf8',
        });
        // The originals, and every other file on the disc after them: all of them OK.
        const lines = sums.split('\n').filter((l) => l !== '');
        expect(lines.every((l) => l.endsWith(': OK'))).toBe(true);
        expect(lines.filter((l) => l.startsWith('evidence/'))).toHaveLength(2);
        expect(lines.some((l) => l.startsWith('verify/verify.sh:'))).toBe(true);
        for (const args of [
          ['-inkey', 'keys/ed25519.pub.pem', '-sigfile', 'MANIFEST.json.ed25519'],
          [
            '-inkey',
            'keys/sm2.pub.pem',
            '-digest',
            'sm3',
            '-pkeyopt',
            'distid:1234567812345678',
            '-sigfile',
            'MANIFEST.json.sm2',
          ],
        ]) {
          const out = execFileSync(
            'openssl',
            ['pkeyutl', '-verify', '-pubin', '-rawin', '-in', 'MANIFEST.json', ...args],
            {
              cwd: root,
              encoding: 'utf8',
            },
          );
          expect(out).toMatch(/Signature Verified Successfully/);
        }
      });
    });

    it('is proven by the verifier on the disc itself, which names an original that differs', async () => {
      const keys = stationKeys('station-v');
      const good = await stagedDisc('verifier-good', keys);
      await burnedAndMounted(good, async (root) => {
        const run = spawnSync('sh', ['../verify/verify.sh'], {
          cwd: join(root, 'evidence'),
          encoding: 'utf8',
        });
        expect(run.status, run.stdout + run.stderr).toBe(0);
        expect(run.stdout).toContain(`PASS  ${CLIP}\n`);
        expect(run.stdout).toMatch(/PASS {2}evidence\/.*\/VID 0002\.MP4\n/);
        expect(run.stdout).toContain(
          `KEYS  SM2 ${keys.fingerprints.sm2.sha256}  Ed25519 ${keys.fingerprints.ed25519.sha256} (SHA-256)`,
        );
        expect(run.stdout).toMatch(
          /SIGNATURES {2}MANIFEST\.json: Ed25519 PASS, SM2 PASS; MANIFEST\.sha256: Ed25519 PASS, SM2 PASS;\nTOTAL {2}\d+ passed, 0 failed\n$/,
        );
      });

      const altered = await stagedDisc('verifier-altered', keys);
      const clip = join(altered, ...CLIP.split('/'));
      const bytes = readFileSync(clip);
      bytes[100] = bytes[100]! ^ 0xff;
      writeFileSync(clip, bytes);
      await burnedAndMounted(altered, async (root) => {
        const run = spawnSync('sh', [join(root, 'verify', 'verify.sh')], { encoding: 'utf8' });
        expect(run.status).toBe(1);
        expect(run.stdout).toContain(`FAIL  ${CLIP}\n`);
        expect(run.stdout).toMatch(/TOTAL {2}\d+ passed, 1 failed\n$/);
      });
    });

    it('fails the verifier for originals changed with their list rewritten to match, and for a file the list leaves out', async () => {
      const keys = stationKeys('station-f');
      const forged = await stagedDisc('verifier-forged', keys);
      const clip = join(forged, ...CLIP.split('/'));
      const bytes = readFileSync(clip);
      bytes[7] = bytes[7]! ^ 0xff;
      writeFileSync(clip, bytes);
      const list = join(forged, 'MANIFEST.sha256');
      const lines = readFileSync(list, 'utf8').split('\n');
      lines[0] = `${createHash('sha256').update(bytes).digest('hex')}  ${CLIP}`;
      writeFileSync(list, lines.join('\n'));
      writeFileSync(join(forged, 'evidence', 'planted.MP4'), 'not from the station');
      await burnedAndMounted(forged, async (root) => {
        const run = spawnSync('sh', [join(root, 'verify', 'verify.sh')], { encoding: 'utf8' });
        expect(run.status).toBe(1);
        expect(run.stdout).toContain(`PASS  ${CLIP}\n`);
        expect(run.stdout).toContain('EXTRA  evidence/planted.MP4\n');
        expect(run.stdout).toContain('MANIFEST.sha256: Ed25519 FAIL, SM2 FAIL;');
        expect(run.stdout).toMatch(/TOTAL {2}\d+ passed, 2 failed\n$/);
      });
    });

    it('fails pass 4 for a manifest changed after it was signed, or signed by another station', async () => {
      const keys = stationKeys('station-b');
      const edited = await stagedDisc('edited', keys);
      const manifest = join(edited, 'MANIFEST.json');
      const text = readFileSync(manifest, 'utf8');
      writeFileSync(
        manifest,
        text.replace('"recorderSerial": "DSJ-0001"', '"recorderSerial": "DSJ-0002"'),
      );
      await burnedAndMounted(edited, async (root) => {
        const pass = await checkManifestSignatures(root, keys);
        expect(pass.ok).toBe(false);
        expect(pass.problems).toEqual([
          'MANIFEST.json.sm2 does not verify MANIFEST.json',
          'MANIFEST.json.ed25519 does not verify MANIFEST.json',
        ]);
      });

      const other = await stagedDisc('other-station', stationKeys('station-c'));
      await burnedAndMounted(other, async (root) => {
        const pass = await checkManifestSignatures(root, keys);
        expect(pass.problems).toEqual([
          "the disc was signed with keys that are not this station's",
        ]);
        // Anyone else, without the station's keys, finds it signed by the keys it carries, and
        // is told their fingerprints to compare with the unit's: only those tell a forgery.
        const offline = await checkManifestSignatures(root, null);
        expect(offline.ok).toBe(true);
        expect(offline.detail).toMatch(
          /fingerprints SM2 [0-9a-f]{64}, Ed25519 [0-9a-f]{64} .*compare them with the ones the unit publishes/,
        );
      });
    });

    it('fails pass 4 when the checksum list on the disc does not say what the manifest says', async () => {
      const keys = stationKeys('station-d');
      const staged = await stagedDisc('list', keys);
      writeFileSync(join(staged, 'MANIFEST.sha256'), `${'0'.repeat(64)}  ${CLIP}\n`);
      await burnedAndMounted(staged, async (root) => {
        const pass = await checkManifestSignatures(root, keys);
        expect(pass.problems).toEqual([
          'MANIFEST.sha256.sm2 does not verify MANIFEST.sha256',
          'MANIFEST.sha256.ed25519 does not verify MANIFEST.sha256',
          'MANIFEST.sha256 does not list what the manifest says',
        ]);
      });
    });
  },
);

describe('a disc whose files are not plain files', () => {
  it('is refused at the burn, and passes 3 and 4 hash nothing a link points to', async () => {
    const keys = stationKeys('station-l');
    const staged = await stagedDisc('linked', keys);
    const elsewhere = join(dir.path, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'MANIFEST.json'), readFileSync(join(staged, 'MANIFEST.json')));
    // The folder of the originals replaced by a link to a copy kept elsewhere (the archive, say).
    const folder = join(staged, ...CLIP.split('/').slice(0, -1));
    cpSync(folder, join(elsewhere, 'originals'), { recursive: true });
    rmSync(folder, { recursive: true });
    symlinkSync(join(elsewhere, 'originals'), folder);
    await expect(
      burnDisc({ drive: `stdio:${join(dir.path, 'linked.iso')}`, volumeId: 'X', staged }),
    ).rejects.toThrow(/plain files only, not evidence\/.*\/2026-12-01/);

    const files = await checkFilesAt(staged, [
      { path: CLIP, size: 1, sha256: '0'.repeat(64), sm3: null },
    ]);
    expect(files.problems).toEqual([`${CLIP}: ${CLIP} is a link on the disc`]);
    rmSync(join(staged, 'MANIFEST.json'));
    symlinkSync(join(elsewhere, 'MANIFEST.json'), join(staged, 'MANIFEST.json'));
    const signatures = await checkManifestSignatures(staged, keys);
    expect(signatures.problems).toEqual(['MANIFEST.json is a link on the disc']);
  });
});

describe('a disc whose manifest is not one', () => {
  it('fails pass 4 with the reason instead of breaking on it', async () => {
    const keys = stationKeys('station-j');
    for (const [name, text] of [
      ['null', 'null'],
      [
        'files-null',
        JSON.stringify({
          format: 'evidock-disc-manifest/1',
          station: { keys: keys.fingerprints },
          files: [null],
        }),
      ],
      ['not-json', '{"format":'],
    ] as const) {
      const staged = await stagedDisc(`hostile-${name}`, keys);
      writeFileSync(join(staged, 'MANIFEST.json'), text);
      expect((await checkManifestSignatures(staged, keys)).problems).toEqual([
        'MANIFEST.json is not an evidock disc manifest',
      ]);
    }
  });
});
