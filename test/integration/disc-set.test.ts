// A long-term set burned as a custodian burns it (D-LONGTERM): planned from the long-term
// footage not yet on disc, staged whole, each disc and copy burned to a pseudo-drive with the
// real `evidock disc burn`, proven four ways and registered; then checked by standard tools alone
// from the mounted image, by `verify-disc` without a login, and re-checked against the register.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools, mountedImage } from '../support/disc-image';
import {
  ADMIN_PW,
  CUSTODIAN_PW,
  forwardStation,
  OFFICER_PW,
  type ForwardStation,
} from '../support/forward-station';
import { runCli } from '../support/cli';
import { tempDir } from '../support/temp';

const missing = missingTools(['xorriso', 'fuseiso', 'par2', 'openssl', 'sha256sum']);
const CASE = '金普民宗罚〔2026〕31号';
/** 24 MiB: 16 MiB reserved for the fixed files leaves room for two of these clips a disc. */
const MEDIUM = String(24 * 1024 * 1024);

interface BurnedDisc {
  id: number;
  n: number;
  of: number;
  copy: number;
  volumeId: string;
  state: string;
  drive: string;
  manifestSha256: string;
  imageSha256: string | null;
  nextCheckDue: string | null;
}

describe.skipIf(missing.length > 0)('a long-term disc set, burned with the CLI', () => {
  const images = tempDir('disc-set-images-');
  let station: ForwardStation;
  let setId: number;
  let burned: BurnedDisc[] = [];
  let failed: BurnedDisc;
  const as = (badge: string, pw: string, ...args: string[]) =>
    station.cli([...args, '--user', badge], `${pw}\n`);
  const custodian = (...args: string[]) => as('C001', CUSTODIAN_PW, ...args);

  beforeAll(async () => {
    station = await forwardStation([3_500_000, 3_300_000, 3_100_000, 2_900_000, 1_000_000]);
    const [a, b, c, d] = station.clips.map((clip) => String(clip.id));
    const made = await as(
      'P100',
      OFFICER_PW,
      'cases',
      'create',
      '--number',
      CASE,
      '--kind',
      'penalty',
      '--title',
      '当事人对现场执法有异议',
    );
    expect(made.code, made.stdout).toBe(0);
    const filed = await as(
      'P100',
      OFFICER_PW,
      'clips',
      'label',
      a!,
      b!,
      c!,
      '--case',
      CASE,
      '--long-term',
      'dispute',
    );
    expect(filed.code, filed.stdout).toBe(0);
    const daily = await as(
      'P100',
      OFFICER_PW,
      'clips',
      'label',
      d!,
      '--no-case',
      '--matter',
      '道路巡查',
      '--long-term',
      'obstruction',
    );
    expect(daily.code, daily.stdout).toBe(0);
  }, 120_000);
  afterAll(() => {
    station?.remove();
    images.remove();
  });

  it('counts the long-term footage not yet on disc', async () => {
    const list = await custodian('disc', 'list');
    expect(list.code, list.stdout).toBe(0);
    expect(list.json()).toMatchObject({ pending: { clips: 4 }, discs: [], due: 0 });
  });

  it('refuses a medium smaller than a clip, naming one that holds it', async () => {
    const run = await custodian(
      'disc',
      'plan',
      '--clips',
      String(station.clips[0]!.id),
      '--media',
      String(17 * 1024 * 1024),
    );
    expect(run.code).not.toBe(0);
    expect(run.json()).toMatchObject({
      error: { code: 'DISC_TOO_SMALL', details: { tooLarge: [{ fitsOn: 'cd' }] } },
    });
  });

  it('plans the long-term footage onto discs that each hold whole cases where they can', async () => {
    const run = await custodian('disc', 'plan', '--long-term-pending', '--media', MEDIUM);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const set = run.json() as {
      id: number;
      discs: { n: number; clips: number; caseNumbers: string[]; volumeIds: string[] }[];
      copies: number;
    };
    setId = set.id;
    expect(set.copies).toBe(2);
    expect(set.discs.map((d) => d.clips).reduce((x, y) => x + y)).toBe(4);
    expect(set.discs.length).toBe(2);
    // Each copy after the first says so in its volume id, as its label says 副本 / COPY.
    for (const d of set.discs) {
      expect(d.volumeIds[0]).toMatch(new RegExp(`_D${d.n}OF2$`));
      expect(d.volumeIds[1]).toMatch(new RegExp(`_D${d.n}OF2_COPY$`));
    }
  });

  it('stages the set, burns every disc and copy, proves each four ways and registers it', async () => {
    const run = await custodian(
      'disc',
      'burn',
      '--plan',
      String(setId),
      '--drive',
      `stdio:${join(images.path, 'lt.iso')}`,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const out = run.json() as {
      burned: { disc: BurnedDisc; passes: { pass: string; ok: boolean }[] }[];
    };
    expect(out.burned).toHaveLength(4);
    for (const b of out.burned) {
      expect(b.disc.state).toBe('verified');
      expect(b.passes.map((p) => [p.pass, p.ok])).toEqual([
        ['blocks', true],
        ['md5', true],
        ['files', true],
        ['signatures', true],
      ]);
    }
    burned = out.burned.map((b) => b.disc);
    // One image per disc and copy, named with its volume id; no partial image left.
    expect(readdirSync(images.path).sort()).toEqual(
      burned.map((d) => `lt-${d.volumeId}.iso`).sort(),
    );
    const list = (await custodian('disc', 'list')).json() as {
      pending: { clips: number };
      discs: BurnedDisc[];
    };
    expect(list.pending.clips).toBe(0);
    expect(list.discs).toHaveLength(4);
    for (const d of list.discs) {
      expect(d.state).toBe('verified');
      // Unit policy: read back again in four years.
      expect(Date.parse(d.nextCheckDue!) - Date.now()).toBeGreaterThan(3.9 * 365 * 86_400_000);
    }
    // The image the register names is the one on disk, byte for byte.
    const first = burned[0]!;
    const sha = execFileSync('sha256sum', [join(images.path, `lt-${first.volumeId}.iso`)], {
      encoding: 'utf8',
    }).split(' ')[0];
    expect(sha).toBe(first.imageSha256);
  }, 240_000);

  it('holds a disc anyone can verify with standard tools: sha256sum, the OpenSSL CLI, verify.sh', async () => {
    const copy = burned.find((d) => d.copy === 2)!;
    await mountedImage(join(images.path, `lt-${copy.volumeId}.iso`), async (root) => {
      const names = readdirSync(root).sort();
      for (const name of [
        'DISCSET.txt',
        'MANIFEST.json',
        'MANIFEST.json.ed25519',
        'MANIFEST.json.sm2',
        'MANIFEST.sha256',
        'MANIFEST.sm3',
        'README.pdf',
        'custody.json',
        'evidence',
        'keys',
        'par2',
        'verify',
        '清单.pdf',
      ]) {
        expect(names).toContain(name);
      }
      const check = spawnSync('sha256sum', ['-c', 'MANIFEST.sha256'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      const ed = spawnSync(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'keys/ed25519.pub.pem',
          '-rawin',
          '-in',
          'MANIFEST.json',
          '-sigfile',
          'MANIFEST.json.ed25519',
        ],
        { cwd: root, encoding: 'utf8' },
      );
      expect(ed.stdout + ed.stderr).toContain('Signature Verified Successfully');
      const sm2 = spawnSync(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'keys/sm2.pub.pem',
          '-rawin',
          '-digest',
          'sm3',
          '-pkeyopt',
          'distid:1234567812345678',
          '-in',
          'MANIFEST.json',
          '-sigfile',
          'MANIFEST.json.sm2',
        ],
        { cwd: root, encoding: 'utf8' },
      );
      expect(sm2.stdout + sm2.stderr).toContain('Signature Verified Successfully');
      const verify = spawnSync('sh', ['verify/verify.sh'], { cwd: root, encoding: 'utf8' });
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/PASS/);
      const manifest = JSON.parse(readFileSync(join(root, 'MANIFEST.json'), 'utf8')) as {
        disc: { n: number; copy: number; volumeId: string };
        set: { id: string; discs: number };
        files: { caseNumber: string | null }[];
      };
      expect(manifest.disc).toMatchObject({ n: copy.n, copy: 2, volumeId: copy.volumeId });
      expect(manifest.set.discs).toBe(2);
      // DISCSET.txt names every original of the set, on whichever disc it is.
      const discSet = readFileSync(join(root, 'DISCSET.txt'), 'utf8');
      expect(discSet.match(/^D[12]OF2 /gm)).toHaveLength(4);
      const readme = execFileSync('pdftotext', [join(root, 'README.pdf'), '-'], {
        encoding: 'utf8',
      });
      expect(readme).toContain(copy.volumeId);
      expect(readme).toMatch(/副本/);
      const list = execFileSync('pdftotext', [join(root, '清单.pdf'), '-'], { encoding: 'utf8' });
      expect(list).toContain('电子数据清单');
    });
  }, 60_000);

  it('lets anyone check an image without a login: verify-disc', async () => {
    const disc = burned[0]!;
    const run = await runCli([
      'verify-disc',
      join(images.path, `lt-${disc.volumeId}.iso`),
      '--json',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = run.json() as {
      ok: boolean;
      files: { ok: boolean }[];
      custody: { ok: boolean };
    };
    expect(result.ok).toBe(true);
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.files.every((f) => f.ok)).toBe(true);
    expect(result.custody.ok).toBe(true);
    // Signed with the unit's keys only if its published fingerprints say so.
    const { signer } = run.json() as { signer: { sm2: string; ed25519: string } };
    const image = join(images.path, `lt-${disc.volumeId}.iso`);
    const ours = await runCli([
      'verify-disc',
      image,
      '--fingerprint',
      signer.sm2,
      signer.ed25519,
      '--json',
    ]);
    expect(ours.code, ours.stdout).toBe(0);
    const theirs = await runCli(['verify-disc', image, '--fingerprint', 'ab'.repeat(32), '--json']);
    expect(theirs.code).not.toBe(0);
    expect(theirs.json()).toMatchObject({ ok: false, signerKnown: false });
  }, 60_000);

  it('re-checks a disc against the register and records it; a flipped byte fails it and it is recorded failed', async () => {
    const disc = burned.find((d) => d.n === 1 && d.copy === 1)!;
    const image = join(images.path, `lt-${disc.volumeId}.iso`);
    const again = await custodian('disc', 'verify', '--drive', `stdio:${image}`);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ disc: { id: disc.id, state: 'verified' } });

    // A byte of an original flipped where the disc holds it (found by its first bytes).
    const clip = station.clips[0]!;
    const head = Buffer.alloc(64);
    const fd = openSync(join(station.dataDir, ...clip.archivePath.split('/')), 'r');
    readSync(fd, head, 0, 64, 0);
    closeSync(fd);
    const damaged = join(images.path, 'damaged.img');
    const onDisc = burned.find(
      (d) => d.copy === 1 && readFileSync(join(images.path, `lt-${d.volumeId}.iso`)).includes(head),
    )!;
    copyFileSync(join(images.path, `lt-${onDisc.volumeId}.iso`), damaged);
    const bytes = readFileSync(damaged);
    const at = bytes.indexOf(head) + 1000;
    const out = openSync(damaged, 'r+');
    writeSync(out, Buffer.from([bytes[at]! ^ 0xff]), 0, 1, at);
    closeSync(out);

    const run = await custodian('disc', 'verify', '--drive', `stdio:${damaged}`);
    expect(run.code).not.toBe(0);
    const shown = await custodian('disc', 'list');
    failed = onDisc;
    const row = (shown.json() as { discs: BurnedDisc[] }).discs.find((d) => d.id === onDisc.id)!;
    expect(row.state).toBe('failed');
    expect(row.nextCheckDue).toBeNull();
    // Its copy still holds the clips: none is pending yet.
    expect((shown.json() as { pending: { clips: number } }).pending.clips).toBe(0);
    const offline = await runCli(['verify-disc', damaged, '--json']);
    expect(offline.code).not.toBe(0);
    const result = offline.json() as { files: { ok: boolean }[] };
    expect(result.files.some((f) => !f.ok)).toBe(true);
  }, 120_000);

  it('burns a failed disc anew, never over its image', async () => {
    const image = join(images.path, `lt-${failed.volumeId}.iso`);
    const before = readFileSync(image);
    const over = await custodian(
      'disc',
      'burn',
      '--plan',
      String(setId),
      '--disc',
      String(failed.n),
      '--copy',
      '1',
      '--drive',
      `stdio:${join(images.path, 'lt.iso')}`,
    );
    expect(over.code).not.toBe(0);
    expect(JSON.stringify(over.json())).toMatch(/never written over/);
    expect(readFileSync(image).equals(before)).toBe(true);
    const anew = await custodian(
      'disc',
      'burn',
      '--plan',
      String(setId),
      '--disc',
      String(failed.n),
      '--copy',
      '1',
      '--drive',
      `stdio:${join(images.path, 'new.iso')}`,
    );
    expect(anew.code, anew.stdout + anew.stderr).toBe(0);
    expect(anew.json()).toMatchObject({
      burned: [{ disc: { n: failed.n, copy: 1, state: 'verified' } }],
      set: { complete: true },
    });
  }, 120_000);

  it('fails a disc rebuilt from a genuine one’s files with a verifier that lies, at the station and offline', async () => {
    const genuine = burned.find((d) => d.copy === 2)!;
    const tree = join(images.path, 'rebuilt-tree');
    await mountedImage(join(images.path, `lt-${genuine.volumeId}.iso`), async (root) => {
      execFileSync('cp', ['-r', root, tree]);
    });
    execFileSync('chmod', ['-R', 'u+w', tree]);
    writeFileSync(
      join(tree, 'verify', 'verify.sh'),
      '#!/bin/sh\necho "TOTAL  9 passed, 0 failed"\n',
    );
    const rebuilt = join(images.path, 'rebuilt.img');
    execFileSync(
      'xorriso',
      [
        '-no_rc',
        '-local_charset',
        'UTF-8',
        '-md5',
        'on',
        '-outdev',
        `stdio:${rebuilt}`,
        '-volid',
        genuine.volumeId,
        '-joliet',
        'on',
        '-rockridge',
        'on',
        '-compliance',
        'iso_9660_level=3',
        '-map',
        tree,
        '/',
        '-commit',
      ],
      { stdio: 'ignore' },
    );
    const station = await custodian('disc', 'verify', '--drive', `stdio:${rebuilt}`);
    expect(station.code).not.toBe(0);
    const checked = station.json() as {
      passes: { pass: string; ok: boolean; problems: string[] }[];
    };
    expect(checked.passes.find((p) => p.pass === 'blocks')!.problems.join('\n')).toMatch(
      /not the image burned/,
    );
    expect(checked.passes.find((p) => p.pass === 'files')!.problems.join('\n')).toMatch(
      /verify\/verify\.sh: SHA-256/,
    );
    const offline = await runCli(['verify-disc', rebuilt, '--json']);
    expect(offline.code).not.toBe(0);
    expect(JSON.stringify(offline.json())).toMatch(/verify\/verify\.sh: SHA-256/);
  }, 120_000);

  it('tells a supervisor a disc failed, not what it found in footage they may not see', async () => {
    const add = await station.cli(
      [
        'users',
        'add',
        '--badge',
        'S001',
        '--name',
        '督察',
        '--role',
        'supervisor',
        '--user',
        'A001',
      ],
      `${ADMIN_PW}\nsupervisor pass 1\n`,
    );
    expect(add.code, add.stdout).toBe(0);
    const confirm = (await station.cli(['users', 'grants', 'list'])).json() as {
      grants: { id: number }[];
    };
    for (const grant of confirm.grants) {
      await custodian('users', 'grants', 'confirm', '--id', String(grant.id));
    }
    await as(
      'P100',
      OFFICER_PW,
      'clips',
      'label',
      String(station.clips[0]!.id),
      '--confidentiality',
      'privacy',
    );
    const seen = (await as('S001', 'supervisor pass 1', 'disc', 'list')).json() as {
      discs: { id: number; problem: string | null }[];
    };
    const row = seen.discs.find((d) => d.id === failed.id)!;
    expect(row.problem).toMatch(/^withheld/);
    const custodianSees = (await custodian('disc', 'list')).json() as {
      discs: { id: number; problem: string | null }[];
    };
    expect(custodianSees.discs.find((d) => d.id === failed.id)!.problem).toMatch(
      /pass (files|md5)/,
    );
  }, 120_000);

  it('names a disc the register does not know', async () => {
    const stranger = tempDir('disc-stranger-');
    try {
      const folder = join(stranger.path, 'root');
      execFileSync('mkdir', ['-p', join(folder, 'evidence')]);
      execFileSync('sh', ['-c', `echo '{"set":{"id":"S1"}}' > ${join(folder, 'MANIFEST.json')}`]);
      const image = join(stranger.path, 'x.iso');
      execFileSync(
        'xorriso',
        ['-no_rc', '-md5', 'on', '-outdev', `stdio:${image}`, '-map', folder, '/', '-commit'],
        { stdio: 'ignore' },
      );
      const run = await custodian('disc', 'verify', '--drive', `stdio:${image}`);
      expect(run.code).not.toBe(0);
      expect(run.json()).toMatchObject({ error: { code: 'DISC_UNKNOWN' } });
    } finally {
      stranger.remove();
    }
  }, 60_000);
});
