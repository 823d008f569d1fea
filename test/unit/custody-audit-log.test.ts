// The audit chain (rules D-NO-TAMPER, D-SUPERVISION): append-only, hash-chained, and able to name
// the entry an attacker with the sqlite shell altered or removed.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { AuditAction, AuditEntry } from '../../src-main/contract';
import { AuditLog, entryHash, GENESIS_HASH } from '../../src-main/custody/audit-log';
import {
  dropAuditTriggers,
  memoryCatalogue,
  rawAuditRows,
  testClock,
  type TestClock,
} from '../support/core-station';
import { tempDir } from '../support/temp';

let catalogue: Catalogue;
let db: Database.Database;
let clock: TestClock;
let log: AuditLog;

beforeEach(() => {
  catalogue = memoryCatalogue();
  db = catalogue.db;
  clock = testClock();
  log = new AuditLog(catalogue, clock.now);
});
afterEach(() => {
  if (db.open) db.close();
});

/** Appends `count` entries, one second apart, by alternating officers. */
function appendMany(count: number, target = log): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= count; i += 1) {
    clock.advanceSeconds(1);
    entries.push(
      target.record({
        actor: i % 2 === 0 ? 'B200' : 'A100',
        action: i % 3 === 0 ? 'auth.logout' : 'auth.login',
        subject: `user:${i % 2 === 0 ? 'B200' : 'A100'}`,
        details: { n: i, note: `第${i}条` },
      }),
    );
  }
  return entries;
}

describe('appending', () => {
  it('each entry carries the previous hash; the first links to 64 zeros; seq counts 1, 2, 3 …', () => {
    const entries = appendMany(4);

    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i += 1) {
      expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    }
    for (const entry of entries) {
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      const { hash, ...unsigned } = entry;
      expect(entryHash(unsigned)).toBe(hash);
    }
    // What is stored is what was returned.
    expect(rawAuditRows(db).map((r) => [r.seq, r.prev_hash, r.hash])).toEqual(
      entries.map((e) => [e.seq, e.prevHash, e.hash]),
    );
  });

  it('an entry is stamped with the station clock and keeps actor, action, subject and details', () => {
    clock.set('2025-06-30T23:59:59.000Z');
    const entry = log.record({
      actor: 'A100',
      action: 'user.added',
      subject: 'user:C300',
      details: { name: '张 三', role: 'custodian' },
    });

    expect(entry).toMatchObject({
      seq: 1,
      at: '2025-06-30T23:59:59.000Z',
      actor: 'A100',
      action: 'user.added',
      subject: 'user:C300',
      details: { name: '张 三', role: 'custodian' },
    });
    expect(log.list({ limit: 1 }).entries[0]).toEqual(entry);
  });

  it('an entry without details records an empty object', () => {
    const entry = log.record({ actor: 'station', action: 'station.started', subject: 'station' });
    expect(entry.details).toEqual({});
    expect(rawAuditRows(db)[0]!.details).toBe('{}');
  });

  it('an intact chain verifies, naming its length and head', () => {
    appendMany(6);
    clock.set('2025-04-01T00:00:00.000Z');

    expect(log.verify()).toEqual({
      ok: true,
      entries: 6,
      headSeq: 6,
      firstBadSeq: null,
      problemCode: null,
      problem: null,
      checkedAt: '2025-04-01T00:00:00.000Z',
      findings: [],
      findingsOmitted: 0,
      // A bare log in memory: no keys and no checkpoints (the station's log has both).
      checkpoints: { count: 0, last: null },
      keys: null,
      // Nothing to hold the entries to keys with: no notice either.
      beforeKeys: null,
    });
  });

  it('an empty log verifies as an intact chain of zero entries', () => {
    expect(log.verify()).toMatchObject({ ok: true, entries: 0, headSeq: 0, firstBadSeq: null });
  });
});

describe('D-NO-TAMPER: the database itself refuses changes to the log', () => {
  it('an UPDATE of an audit entry is refused and the entry is unchanged', () => {
    appendMany(3);
    const before = rawAuditRows(db);

    expect(() => db.prepare("UPDATE audit_log SET details = '{}' WHERE seq = 2").run()).toThrow(
      /append-only \(rule D-NO-TAMPER\)/,
    );
    expect(rawAuditRows(db)).toEqual(before);
    expect(log.verify().ok).toBe(true);
  });

  it('a DELETE of an audit entry is refused and the entry is still there', () => {
    appendMany(3);
    const before = rawAuditRows(db);

    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(
      /append-only \(rule D-NO-TAMPER\)/,
    );
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(rawAuditRows(db)).toEqual(before);
    expect(log.verify().ok).toBe(true);
  });
});

describe('D-NO-TAMPER: verify names what an attacker with the sqlite shell did', () => {
  beforeEach(() => {
    appendMany(5);
    dropAuditTriggers(db);
  });

  it.each([
    ['details', `UPDATE audit_log SET details = '{"n":3,"note":"nothing happened"}' WHERE seq = 3`],
    ['actor', `UPDATE audit_log SET actor = 'C300' WHERE seq = 3`],
    ['at', `UPDATE audit_log SET at = '2025-03-01T07:00:00.000Z' WHERE seq = 3`],
    ['action', `UPDATE audit_log SET action = 'user.disabled' WHERE seq = 3`],
    ['subject', `UPDATE audit_log SET subject = 'user:C300' WHERE seq = 3`],
  ])('an entry whose %s was altered is named by verify', (_field, sql) => {
    db.exec(sql);

    const result = log.verify();
    expect(result).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problemCode: 'altered',
      headSeq: 2,
    });
    expect(result.problem).toMatch(/#3 was altered/);
  });

  it('a deleted middle entry is named as missing', () => {
    db.exec('DELETE FROM audit_log WHERE seq = 3');

    const result = log.verify();
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3, problemCode: 'missing' });
    expect(result.problem).toMatch(/#3 is missing/);
  });

  it('a deleted first entry is named as missing', () => {
    db.exec('DELETE FROM audit_log WHERE seq = 1');
    expect(log.verify()).toMatchObject({ ok: false, firstBadSeq: 1, problemCode: 'missing' });
  });

  it('a deleted newest entry is named too: the highest sequence ever issued remembers it', () => {
    db.exec('DELETE FROM audit_log WHERE seq = 5');

    const result = log.verify();
    expect(result).toMatchObject({
      ok: false,
      entries: 4,
      headSeq: 4,
      firstBadSeq: 5,
      problemCode: 'truncated',
    });
    expect(result.problem).toMatch(/#5/);
  });

  it('a log emptied entirely is named from its first entry', () => {
    db.exec('DELETE FROM audit_log');
    expect(log.verify()).toMatchObject({
      ok: false,
      entries: 0,
      firstBadSeq: 1,
      problemCode: 'truncated',
    });
  });

  it('an entry rewritten with a freshly computed hash breaks the link of the entry after it', () => {
    const [row] = db
      .prepare<
        [],
        {
          seq: number;
          at: string;
          actor: string;
          action: string;
          subject: string;
          prev_hash: string;
        }
      >('SELECT * FROM audit_log WHERE seq = 3')
      .all();
    const forged = {
      seq: row!.seq,
      at: row!.at,
      actor: row!.actor,
      action: row!.action,
      subject: row!.subject,
      details: { n: 3, note: 'rewritten' },
      prevHash: row!.prev_hash,
    };
    db.prepare('UPDATE audit_log SET details = ?, hash = ? WHERE seq = 3').run(
      JSON.stringify(forged.details),
      entryHash(forged),
    );

    const result = log.verify();
    expect(result).toMatchObject({ ok: false, firstBadSeq: 4, problemCode: 'unlinked' });
    expect(result.problem).toMatch(/#4 does not link to entry #3/);
  });

  it('an entry whose details are no longer JSON is named as unreadable', () => {
    db.exec(`UPDATE audit_log SET details = 'not json' WHERE seq = 2`);
    expect(log.verify()).toMatchObject({ ok: false, firstBadSeq: 2, problemCode: 'unreadable' });
  });

  it('appending after a tail was cut does not reuse its sequence numbers', () => {
    db.exec('DELETE FROM audit_log WHERE seq = 5');
    const next = log.record({ actor: 'A100', action: 'auth.login', subject: 'user:A100' });

    expect(next.seq).toBe(6);
    expect(log.verify()).toMatchObject({ ok: false, firstBadSeq: 5, problemCode: 'missing' });
  });
});

describe('listing', () => {
  beforeEach(() => {
    appendMany(25);
  });

  it('pages newest first; beforeSeq continues where the last page ended; total counts them all', () => {
    const first = log.list({ limit: 10 });
    expect(first.total).toBe(25);
    expect(first.entries.map((e) => e.seq)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);

    const second = log.list({ limit: 10, beforeSeq: 16 });
    expect(second.total).toBe(25);
    expect(second.entries.map((e) => e.seq)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);

    const last = log.list({ limit: 10, beforeSeq: 6 });
    expect(last.entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(log.list({ limit: 10, beforeSeq: 1 }).entries).toEqual([]);
  });

  it('filters by action, with the total of that action', () => {
    const logouts = log.list({ limit: 100, action: 'auth.logout' });
    expect(logouts.total).toBe(8);
    expect(logouts.entries.map((e) => e.seq)).toEqual([24, 21, 18, 15, 12, 9, 6, 3]);
    expect(logouts.entries.every((e) => e.action === 'auth.logout')).toBe(true);
  });

  it('filters by actor, and by actor and action together, paging within the filter', () => {
    const byB = log.list({ limit: 3, actor: 'B200' });
    expect(byB.total).toBe(12);
    expect(byB.entries.map((e) => e.seq)).toEqual([24, 22, 20]);

    const next = log.list({ limit: 3, actor: 'B200', beforeSeq: 20 });
    expect(next.total).toBe(12);
    expect(next.entries.map((e) => e.seq)).toEqual([18, 16, 14]);

    const both = log.list({ limit: 100, actor: 'B200', action: 'auth.logout' });
    expect(both.total).toBe(4);
    expect(both.entries.map((e) => e.seq)).toEqual([24, 18, 12, 6]);
  });

  it('an unknown actor or action lists nothing, with a total of 0', () => {
    expect(log.list({ limit: 10, actor: 'nobody' })).toEqual({ entries: [], total: 0 });
    expect(log.list({ limit: 10, action: 'clip.deleted' })).toEqual({ entries: [], total: 0 });
  });

  it('listed entries come back with their details parsed', () => {
    const [newest] = log.list({ limit: 1 }).entries;
    expect(newest!.details).toEqual({ n: 25, note: '第25条' });
  });
});

describe('transactions and listeners', () => {
  function insertUser(badge: string): void {
    db.prepare(
      `INSERT INTO users (badge, name, role, password_hash, created_at, updated_at)
       VALUES (?, 'Someone', 'officer', 'scrypt$x', 'now', 'now')`,
    ).run(badge);
  }
  const userCount = () => db.prepare('SELECT count(*) FROM users').pluck().get() as number;

  it('work that throws rolls back both its change and its audit entry, and no listener hears of it', () => {
    const heard: AuditEntry[] = [];
    log.onAppended((entry) => heard.push(entry));

    expect(() =>
      catalogue.write((tx) => {
        insertUser('A100');
        log.append(tx, { actor: 'admin', action: 'user.added', subject: 'user:A100' });
        throw new Error('disk full');
      }),
    ).toThrow('disk full');

    expect(userCount()).toBe(0);
    expect(rawAuditRows(db)).toEqual([]);
    expect(heard).toEqual([]);

    // The chain carries on as if the attempt never happened.
    const next = log.record({ actor: 'admin', action: 'user.added', subject: 'user:B200' });
    expect(next.seq).toBe(1);
    expect(next.prevHash).toBe(GENESIS_HASH);
    expect(heard.map((e) => e.seq)).toEqual([1]);
    expect(log.verify().ok).toBe(true);
  });

  it('a change and its audit entry commit together, and listeners hear each entry once, after commit', () => {
    const heard: { seq: number; inTransaction: boolean; usersNow: number }[] = [];
    log.onAppended((entry) =>
      heard.push({ seq: entry.seq, inTransaction: db.inTransaction, usersNow: userCount() }),
    );

    const result = catalogue.write((tx) => {
      insertUser('A100');
      log.append(tx, { actor: 'admin', action: 'user.added', subject: 'user:A100' });
      insertUser('B200');
      log.append(tx, { actor: 'admin', action: 'user.added', subject: 'user:B200' });
      expect(heard).toEqual([]);
      return 'done';
    });

    expect(result).toBe('done');
    expect(userCount()).toBe(2);
    expect(heard).toEqual([
      { seq: 1, inTransaction: false, usersNow: 2 },
      { seq: 2, inTransaction: false, usersNow: 2 },
    ]);
  });

  it('an unsubscribed listener hears nothing more', () => {
    const heard: number[] = [];
    const off = log.onAppended((entry) => heard.push(entry.seq));
    appendMany(1);
    off();
    appendMany(1);
    expect(heard).toEqual([1]);
  });

  it('an entry appended inside a caller transaction that rolls back is never announced', () => {
    // Appends join the caller's transaction when there is one, and listeners hear of an entry
    // only once it is committed: a nested write that then fails leaves nothing behind.
    const heard: AuditEntry[] = [];
    log.onAppended((entry) => heard.push(entry));

    expect(() =>
      catalogue.write(() => {
        insertUser('A100');
        log.record({ actor: 'admin', action: 'user.added', subject: 'user:A100' });
        throw new Error('abandoned');
      }),
    ).toThrow('abandoned');
    expect(rawAuditRows(db)).toEqual([]);
    expect(userCount()).toBe(0);

    const real = log.record({ actor: 'admin', action: 'user.added', subject: 'user:B200' });
    expect(heard).toEqual([real]);
  });

  it("a transaction opened behind the catalogue's back takes no audit entry and announces none", () => {
    const heard: AuditEntry[] = [];
    log.onAppended((entry) => heard.push(entry));

    expect(() =>
      db.transaction(() => {
        insertUser('A100');
        log.record({ actor: 'admin', action: 'user.added', subject: 'user:A100' });
        throw new Error('abandoned');
      })(),
    ).toThrow(/Catalogue\.write/);
    expect(rawAuditRows(db)).toEqual([]);
    expect(userCount()).toBe(0);
    expect(heard).toEqual([]);
  });
});

describe('one chain across processes', () => {
  it('two logs on two connections to the same file, appending in turn, keep one valid chain', () => {
    const dir = tempDir('evidock-audit-');
    try {
      const file = join(dir.path, CATALOGUE_FILE);
      const first = Catalogue.open(file).catalogue;
      const second = Catalogue.open(file).catalogue;
      const logA = new AuditLog(first, clock.now);
      const logB = new AuditLog(second, clock.now);

      const appended: AuditEntry[] = [];
      for (let i = 0; i < 10; i += 1) {
        const target = i % 2 === 0 ? logA : logB;
        const action: AuditAction = i % 2 === 0 ? 'auth.login' : 'auth.logout';
        appended.push(target.record({ actor: `P${i % 2}`, action, subject: `turn:${i}` }));
      }

      expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (let i = 1; i < appended.length; i += 1) {
        expect(appended[i]!.prevHash).toBe(appended[i - 1]!.hash);
      }
      expect(logA.verify()).toMatchObject({ ok: true, entries: 10, headSeq: 10 });
      expect(logB.verify()).toMatchObject({ ok: true, entries: 10, headSeq: 10 });
      first.close();
      second.close();
    } finally {
      dir.remove();
    }
  });

  it('a listener hears a committed entry that another connection can already read', () => {
    const dir = tempDir('evidock-audit-');
    try {
      const file = join(dir.path, CATALOGUE_FILE);
      const writer = Catalogue.open(file).catalogue;
      const reader = new Database(file, { readonly: true });
      const writerLog = new AuditLog(writer, clock.now);
      const seenByOther: number[] = [];
      writerLog.onAppended((entry) => {
        seenByOther.push(
          reader
            .prepare('SELECT count(*) FROM audit_log WHERE seq = ?')
            .pluck()
            .get(entry.seq) as number,
        );
      });

      writerLog.record({ actor: 'A100', action: 'auth.login', subject: 'user:A100' });
      expect(seenByOther).toEqual([1]);
      reader.close();
      writer.close();
    } finally {
      dir.remove();
    }
  });
});
