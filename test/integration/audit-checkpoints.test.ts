// Rules D-NO-TAMPER, D-SUPERVISION: an insider with the sqlite3 shell on the catalogue cuts the
// newest audit entries (rewinding sqlite_sequence) or rewrites the middle and re-hashes the rest.
// Both used to pass `evidock audit verify`. Each attack here is done the way an insider would (a
// raw better-sqlite3 connection on the catalogue file, an editor on the checkpoint log), then the
// real command line is asked; it must exit non-zero and name the damage.
import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encodeSignatures,
  parseCheckpointLine,
  signedBytes,
} from '../../src-main/custody/checkpoint-format';
import { signingFingerprints } from '../../src-main/custody/checkpoints';
import { createStationKeys, readPublicKeys } from '../../src-main/custody/station-keys';
import { insider, rehashedRow, stationWithHistory } from '../support/audit-history';
import { runCli } from '../support/cli';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
const checkpointLog = () => join(dir.path, 'audit-checkpoints.log');
const verify = () => runCli(['audit', 'verify', '--data-dir', dir.path, '--json']);

interface Finding {
  code: string;
  entrySeq: number | null;
  checkpointSeq: number | null;
  message: string;
}
interface VerifyFailure {
  error: { code: string; message: string; details: { findings: Finding[] } };
}

function newestSeq(db: Database.Database): number {
  return (db.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number }).s;
}

/** Deletes every entry after `keep` and rewinds AUTOINCREMENT, so nothing looks removed. */
function cutTail(db: Database.Database, keep: number): void {
  db.prepare('DELETE FROM audit_log WHERE seq > ?').run(keep);
  db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'").run(keep);
}

/** Edits entry `seq`, then re-hashes it and every later entry so the chain links again. */
function rewriteFrom(db: Database.Database, seq: number, details: Record<string, unknown>): void {
  db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(JSON.stringify(details), seq);
  let prevHash = (
    db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq - 1) as { hash: string }
  ).hash;
  const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(seq) as Record<
    string,
    string | number
  >[];
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const hash = rehashedRow(row, row['seq'] as number, prevHash);
    update.run(prevHash, hash, row['seq']);
    prevHash = hash;
  }
}

async function failedVerify(): Promise<VerifyFailure> {
  const run = await verify();
  expect(run.code, run.stdout + run.stderr).not.toBe(0);
  const failure = run.json() as VerifyFailure;
  expect(failure.error.code).toBe('CHAIN_BROKEN');
  return failure;
}

function codesOf(failure: VerifyFailure): string[] {
  return [...new Set(failure.error.details.findings.map((f) => f.code))];
}

beforeEach(() => {
  dir = tempDir('evidock-checkpoints-');
});
afterEach(() => dir.remove());

describe('D-NO-TAMPER: signed checkpoints hold the audit chain', () => {
  it('a station that ran cleanly verifies, with its checkpoints and both key fingerprints', async () => {
    await stationWithHistory(dir.path, 250);
    const run = await verify();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const { verification } = run.json() as {
      verification: {
        ok: boolean;
        findings: Finding[];
        checkpoints: { count: number; last: { headSeq: number } | null };
        keys: { sm2: { sha256: string }; ed25519: { sha256: string } } | null;
      };
    };
    expect(verification.ok).toBe(true);
    expect(verification.findings).toEqual([]);
    // Keys made (entry #1 sealed), entries #100 and #200, and the stop.
    expect(verification.checkpoints.count).toBeGreaterThanOrEqual(4);
    expect(verification.keys?.sm2.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(verification.keys?.ed25519.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a command-line command that appended entries seals them as it ends; verify signs nothing', async () => {
    const added = await runCli(
      [
        'users',
        'add',
        '--badge',
        'A001',
        '--name',
        '张管理',
        '--role',
        'admin',
        '--data-dir',
        dir.path,
        '--json',
      ],
      'admin pass 1\n',
    );
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const lines = () => readFileSync(checkpointLog(), 'utf8').split('\n').filter(Boolean);
    const sealedByAdd = lines().map((line) => parseCheckpointLine(line));
    const head = insider(dir.path, (db) => newestSeq(db));
    expect(sealedByAdd.at(-1)).toMatchObject({ headSeq: head, reason: 'stop' });

    const run = await verify();
    expect(run.code).toBe(0);
    expect(lines()).toHaveLength(sealedByAdd.length);
  });

  it('the newest entries deleted and sqlite_sequence rewound: verify names the missing tail', async () => {
    await stationWithHistory(dir.path, 250);
    const newest = insider(dir.path, (db) => {
      const before = newestSeq(db);
      cutTail(db, 150);
      return before;
    });

    const failure = await failedVerify();
    const tail = failure.error.details.findings.find((f) => f.code === 'tail-missing');
    expect(tail, JSON.stringify(failure)).toBeDefined();
    expect(tail!.entrySeq).toBe(151);
    expect(tail!.message).toContain('#151');
    expect(tail!.message).toContain(`#${newest}`);
  });

  it('an entry edited and every later entry re-hashed: verify names the rewritten middle', async () => {
    await stationWithHistory(dir.path, 250);
    insider(dir.path, (db) => rewriteFrom(db, 50, { n: 'never happened' }));

    const failure = await failedVerify();
    const rewritten = failure.error.details.findings.filter((f) => f.code === 'rewritten');
    expect(rewritten.length, JSON.stringify(failure)).toBeGreaterThan(0);
    // The first checkpoint after the edit seals entry #100: the rewrite lies before it.
    expect(rewritten[0]!.entrySeq).toBe(100);
    expect(rewritten[0]!.message).toMatch(/#100/);
  });

  it('checkpoints cut from the catalogue along with the tail: the checkpoint log still names them', async () => {
    await stationWithHistory(dir.path, 250);
    insider(dir.path, (db) => {
      cutTail(db, 150);
      db.prepare('DELETE FROM audit_checkpoints WHERE head_seq > 150').run();
      const kept = (
        db.prepare('SELECT max(seq) AS s FROM audit_checkpoints').get() as { s: number }
      ).s;
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_checkpoints'").run(kept);
    });

    const failure = await failedVerify();
    expect(codesOf(failure)).toEqual(expect.arrayContaining(['table-cut', 'tail-missing']));
  });

  it('a line removed from the checkpoint log, another edited: each is named', async () => {
    await stationWithHistory(dir.path, 250);
    const lines = readFileSync(checkpointLog(), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const edited = lines[2]!.replace(/"headSeq":(\d+)/, (_m, n: string) => `"headSeq":${+n - 1}`);
    writeFileSync(checkpointLog(), [lines[0], edited, ...lines.slice(3)].join('\n') + '\n');

    const failure = await failedVerify();
    const findings = failure.error.details.findings;
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'log-lines-lost', checkpointSeq: 2 }),
        expect.objectContaining({ code: 'log-differs', checkpointSeq: 3 }),
      ]),
    );
  });

  it('keys/ deleted: verify names it, and nothing makes new keys to sign over the history', async () => {
    await stationWithHistory(dir.path, 120);
    rmSync(join(dir.path, 'keys'), { recursive: true });

    const failure = await failedVerify();
    expect(codesOf(failure)).toContain('keys-missing');

    const listed = await runCli(['users', 'list', '--data-dir', dir.path, '--json']);
    expect(listed.code).not.toBe(0);
    expect(listed.json()).toMatchObject({ error: { code: 'KEYS_UNUSABLE' } });
    expect(existsSync(join(dir.path, 'keys'))).toBe(false);
  });

  it('checkpoints re-signed over a rewritten chain with keys of the insider: named as foreign', async () => {
    await stationWithHistory(dir.path, 250);
    const elsewhere = tempDir('evidock-insider-');
    try {
      const { keys: theirs } = createStationKeys(elsewhere.path);
      insider(dir.path, (db) => {
        rewriteFrom(db, 50, { n: 'never happened' });
        // Each checkpoint row signed again over the rewritten hashes, with the insider's keys.
        const rows = db.prepare('SELECT * FROM audit_checkpoints').all() as Record<
          string,
          string | number
        >[];
        for (const row of rows) {
          const fields = {
            seq: row['seq'] as number,
            headSeq: row['head_seq'] as number,
            headHash: (
              db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(row['head_seq']) as {
                hash: string;
              }
            ).hash,
            at: row['at'] as string,
            reason: row['reason'] as string,
            keys: signingFingerprints(theirs.fingerprints),
          };
          const signatures = encodeSignatures(theirs.sign(signedBytes(fields)));
          db.prepare(
            `UPDATE audit_checkpoints SET head_hash = ?, sm2_fingerprint = ?, ed25519_fingerprint = ?,
               sm2_signature = ?, ed25519_signature = ? WHERE seq = ?`,
          ).run(
            fields.headHash,
            fields.keys.sm2,
            fields.keys.ed25519,
            signatures.sm2,
            signatures.ed25519,
            fields.seq,
          );
        }
      });

      const failure = await failedVerify();
      const findings = failure.error.details.findings;
      // Their signatures are good, for their keys: the station's keys in keys/ are not those.
      expect(findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'foreign-key', checkpointSeq: 2 }),
          expect.objectContaining({ code: 'log-differs', checkpointSeq: 2 }),
          // The log, outside the catalogue, still holds what the station signed.
          expect.objectContaining({ code: 'rewritten', entrySeq: 100 }),
        ]),
      );
      expect(codesOf(failure)).not.toContain('bad-signature');

      // The insider puts their keys in keys/ too: the chain's record of the keys made, and the
      // log's signatures, still name the station's own.
      rmSync(join(dir.path, 'keys'), { recursive: true });
      cpSync(join(elsewhere.path, 'keys'), join(dir.path, 'keys'), { recursive: true });
      const again = await failedVerify();
      expect(codesOf(again)).toEqual(
        expect.arrayContaining(['keys-replaced', 'foreign-key', 'rewritten', 'log-differs']),
      );
      const listed = await runCli(['users', 'list', '--data-dir', dir.path, '--json']);
      expect(listed.json()).toMatchObject({
        error: { code: 'KEYS_UNUSABLE', details: { problem: 'keys-replaced' } },
      });
    } finally {
      elsewhere.remove();
    }
  });

  it('a damaged private key: verify names it, and the station refuses to sign with it', async () => {
    await stationWithHistory(dir.path, 10);
    writeFileSync(
      join(dir.path, 'keys', 'sm2.pem'),
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg\n-----END PRIVATE KEY-----\n',
    );
    const failure = await failedVerify();
    const damaged = failure.error.details.findings.find((f) => f.code === 'keys-damaged');
    expect(damaged?.message).toContain('keys/sm2.pem');
    // Nothing else is wrong: the public keys still check every signature.
    expect(codesOf(failure)).toEqual(['keys-damaged']);

    const station = await runCli(['users', 'list', '--data-dir', dir.path, '--json']);
    expect(station.json()).toMatchObject({
      error: { code: 'KEYS_UNUSABLE', details: { problem: 'keys-damaged' } },
    });
    expect((station.json() as { error: { message: string } }).error.message).toContain(
      'keys/sm2.pem',
    );
  });

  it('a checkpoint line verifies with the OpenSSL command line, SM2 and Ed25519, by the documented steps', async () => {
    await stationWithHistory(dir.path, 120);
    const keys = join(dir.path, 'keys');
    // The steps written down in src-main/custody/checkpoint-format.ts, for line 2 (entry #100).
    const script = [
      `line=$(sed -n 2p "${checkpointLog()}")`,
      `printf %s "$line" | sed 's/^{"checkpoint":\\(.*\\),"signatures":.*$/\\1/' | tr -d '\\n' > cp.json`,
      `printf %s "$line" | sed 's/.*,"signatures":{"ed25519":"\\([^"]*\\)".*/\\1/' | base64 -d > cp.json.ed25519`,
      `printf %s "$line" | sed 's/.*,"sm2":"\\([^"]*\\)"}}$/\\1/' | base64 -d > cp.json.sm2`,
      `openssl pkeyutl -verify -pubin -inkey "${keys}/ed25519.pub.pem" -rawin -in cp.json -sigfile cp.json.ed25519`,
      `openssl pkeyutl -verify -pubin -inkey "${keys}/sm2.pub.pem" -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in cp.json -sigfile cp.json.sm2`,
    ].join('\n');
    const work = tempDir('evidock-openssl-');
    try {
      const out = execFileSync('sh', ['-ec', script], { cwd: work.path, encoding: 'utf8' });
      expect(out.match(/Signature Verified Successfully/g)).toHaveLength(2);
      const line = readFileSync(checkpointLog(), 'utf8').split('\n')[1]!;
      const checkpoint = parseCheckpointLine(line);
      expect(checkpoint).toMatchObject({ seq: 2, headSeq: 100, reason: 'entries' });
      expect(readFileSync(join(work.path, 'cp.json')).equals(signedBytes(checkpoint))).toBe(true);

      // One byte changed, and OpenSSL refuses both.
      const forged = readFileSync(join(work.path, 'cp.json'), 'utf8').replace(
        '"headSeq":100',
        '"headSeq":101',
      );
      writeFileSync(join(work.path, 'forged.json'), forged);
      for (const [key, sig, extra] of [
        ['ed25519.pub.pem', 'cp.json.ed25519', []],
        ['sm2.pub.pem', 'cp.json.sm2', ['-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678']],
      ] as const) {
        expect(() =>
          execFileSync(
            'openssl',
            [
              'pkeyutl',
              '-verify',
              '-pubin',
              '-inkey',
              join(keys, key),
              '-rawin',
              ...extra,
              '-in',
              'forged.json',
              '-sigfile',
              sig,
            ],
            { cwd: work.path, stdio: 'pipe' },
          ),
        ).toThrow();
      }

      // The private keys are PKCS#8 that OpenSSL reads, their public halves the .pub.pem files;
      // and a signature OpenSSL makes with the SM2 key verifies in the station (the same Z).
      for (const name of ['sm2', 'ed25519']) {
        const pub = execFileSync('openssl', ['pkey', '-in', join(keys, `${name}.pem`), '-pubout'], {
          encoding: 'utf8',
        });
        expect(pub).toBe(readFileSync(join(keys, `${name}.pub.pem`), 'utf8'));
      }
      execFileSync(
        'openssl',
        [
          'pkeyutl',
          '-sign',
          '-inkey',
          join(keys, 'sm2.pem'),
          '-rawin',
          '-digest',
          'sm3',
          '-pkeyopt',
          'distid:1234567812345678',
          '-in',
          'cp.json',
          '-out',
          'openssl.sm2',
        ],
        { cwd: work.path },
      );
      const own = readPublicKeys(dir.path);
      expect(
        own.verify(readFileSync(join(work.path, 'cp.json')), {
          sm2: readFileSync(join(work.path, 'openssl.sm2')),
          ed25519: readFileSync(join(work.path, 'cp.json.ed25519')),
        }),
      ).toEqual({ sm2: true, ed25519: true });
    } finally {
      work.remove();
    }
  });

  it('keys/ gone: the audit log can still be read, and starting the station is refused', async () => {
    await stationWithHistory(dir.path, 5);
    rmSync(join(dir.path, 'keys'), { recursive: true });
    const list = await runCli(['audit', 'list', '--data-dir', dir.path, '--json']);
    expect(list.code).toBe(0);
    const station = await runCli(['station', '--port', '0', '--data-dir', dir.path, '--json']);
    expect(station.code).not.toBe(0);
    expect(station.json()).toMatchObject({ error: { code: 'KEYS_UNUSABLE' } });
    expect(existsSync(join(dir.path, 'keys'))).toBe(false);
  });
});
