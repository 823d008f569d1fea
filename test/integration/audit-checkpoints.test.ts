// Rules D-NO-TAMPER, D-SUPERVISION: an insider with the sqlite3 shell on the catalogue cuts the
// newest audit entries (rewinding sqlite_sequence) or rewrites the middle and re-hashes the rest.
// Both used to pass `evidock audit verify`. Each attack here is done the way an insider would (a
// raw better-sqlite3 connection on the catalogue file, an editor on the checkpoint log), then the
// real command line is asked; it must exit non-zero and name the damage.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../src-main/contract';
import { entryHash } from '../../src-main/custody/audit-log';
import { startStation } from '../../src-main/station/lifecycle';
import { runCli } from '../support/cli';
import { tempDir } from '../support/temp';

const ACTIONS: readonly AuditAction[] = ['auth.login', 'clip.played', 'auth.logout'];

let dir: ReturnType<typeof tempDir>;
const catalogueFile = () => join(dir.path, 'catalogue.sqlite');
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

/** A station that ran, recorded `count` entries of ordinary work through its own code, stopped. */
async function stationWithHistory(count: number): Promise<void> {
  const station = startStation({ dataDir: dir.path, log: () => {} }, 'browser');
  for (let i = 0; i < count; i += 1) {
    station.services.audit.record({
      actor: `P${100 + (i % 7)}`,
      action: ACTIONS[i % ACTIONS.length]!,
      subject: `clip:${i}`,
      details: { n: i },
    });
  }
  await station.stop('end of shift');
}

/** The insider's connection: the append-only triggers dropped first. */
function insider<T>(work: (db: Database.Database) => T): T {
  const db = new Database(catalogueFile());
  try {
    for (const { name } of db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .all()) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    return work(db);
  } finally {
    db.close();
  }
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
  const rows = db
    .prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq')
    .all(seq) as Record<string, string | number>[];
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const hash = entryHash({
      seq: row['seq'] as number,
      at: row['at'] as string,
      actor: row['actor'] as string,
      action: row['action'] as string,
      subject: row['subject'] as string,
      details: JSON.parse(row['details'] as string) as Record<string, unknown>,
      prevHash,
    });
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
    await stationWithHistory(250);
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

  it('the newest entries deleted and sqlite_sequence rewound: verify names the missing tail', async () => {
    await stationWithHistory(250);
    const newest = insider((db) => {
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
    await stationWithHistory(250);
    insider((db) => rewriteFrom(db, 50, { n: 'never happened' }));

    const failure = await failedVerify();
    const rewritten = failure.error.details.findings.filter((f) => f.code === 'rewritten');
    expect(rewritten.length, JSON.stringify(failure)).toBeGreaterThan(0);
    // The first checkpoint after the edit seals entry #100: the rewrite lies before it.
    expect(rewritten[0]!.entrySeq).toBe(100);
    expect(rewritten[0]!.message).toMatch(/#100/);
  });

  it('checkpoints cut from the catalogue along with the tail: the checkpoint log still names them', async () => {
    await stationWithHistory(250);
    insider((db) => {
      cutTail(db, 150);
      db.prepare('DELETE FROM audit_checkpoints WHERE head_seq > 150').run();
      const kept = (db.prepare('SELECT max(seq) AS s FROM audit_checkpoints').get() as { s: number })
        .s;
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_checkpoints'").run(kept);
    });

    const failure = await failedVerify();
    expect(codesOf(failure)).toEqual(expect.arrayContaining(['table-cut', 'tail-missing']));
  });

  it('a line removed from the checkpoint log, another edited: each is named', async () => {
    await stationWithHistory(250);
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
    await stationWithHistory(120);
    rmSync(join(dir.path, 'keys'), { recursive: true });

    const failure = await failedVerify();
    expect(codesOf(failure)).toContain('keys-missing');

    const listed = await runCli(['users', 'list', '--data-dir', dir.path, '--json']);
    expect(listed.code).not.toBe(0);
    expect(listed.json()).toMatchObject({ error: { code: 'KEYS_UNUSABLE' } });
    expect(existsSync(join(dir.path, 'keys'))).toBe(false);
  });
});
