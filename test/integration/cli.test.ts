import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { tempDir } from '../support/temp';

const ADMIN_PW = 'admin pass 1';
const OFFICER_PW = 'officer pass 1';

describe('evidock CLI', () => {
  let dir: ReturnType<typeof tempDir>;
  const at = (...args: string[]): string[] => [...args, '--data-dir', dir.path, '--json'];
  const addAdmin = () =>
    runCli(
      at('users', 'add', '--badge', 'A001', '--name', '张管理', '--role', 'admin'),
      `${ADMIN_PW}\n`,
    );
  const addOfficer = () =>
    runCli(
      at(
        'users',
        'add',
        '--badge',
        'P100',
        '--name',
        '李警官',
        '--role',
        'officer',
        '--user',
        'A001',
      ),
      `${ADMIN_PW}\n${OFFICER_PW}\n`,
    );
  const auditActions = async (): Promise<string[]> => {
    const run = await runCli(at('audit', 'list', '--limit', '100'));
    return (run.json() as { entries: { action: string }[] }).entries.map((e) => e.action).reverse();
  };
  const tamper = (sql: string): void => {
    const db = new Database(join(dir.path, 'catalogue.sqlite'));
    db.exec('DROP TRIGGER audit_log_refuses_update; DROP TRIGGER audit_log_refuses_delete;');
    db.exec(sql);
    db.close();
  };

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('makes the first user of an empty station an admin, and refuses any other role', async () => {
    const officerFirst = await runCli(
      at('users', 'add', '--badge', 'P100', '--name', 'x', '--role', 'officer'),
      `${OFFICER_PW}\n`,
    );
    expect(officerFirst.code).not.toBe(0);
    expect(officerFirst.json()).toMatchObject({ error: { code: 'SETUP_REQUIRED' } });

    const admin = await addAdmin();
    expect(admin.code).toBe(0);
    expect(admin.json()).toMatchObject({ user: { badge: 'A001', name: '张管理', role: 'admin' } });
  });

  it('needs an authenticated admin for every later change, and audits it as that admin', async () => {
    await addAdmin();
    const anonymous = await runCli(
      at('users', 'add', '--badge', 'P100', '--name', 'x', '--role', 'officer'),
      `${OFFICER_PW}\n`,
    );
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

    const wrong = await runCli(
      at('users', 'add', '--badge', 'P100', '--name', 'x', '--role', 'officer', '--user', 'A001'),
      `not the password\n${OFFICER_PW}\n`,
    );
    expect(wrong.json()).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });

    const added = await addOfficer();
    expect(added.code).toBe(0);
    expect(added.json()).toMatchObject({
      user: { badge: 'P100', role: 'officer', disabled: false },
    });

    const disabled = await runCli(
      at('users', 'disable', '--badge', 'P100', '--user', 'A001'),
      `${ADMIN_PW}\n`,
    );
    expect(disabled.json()).toMatchObject({ user: { badge: 'P100', disabled: true } });

    const list = await runCli(at('users', 'list'));
    expect((list.json() as { users: { badge: string; disabled: boolean }[] }).users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ badge: 'A001', disabled: false }),
        expect.objectContaining({ badge: 'P100', disabled: true }),
      ]),
    );

    const entries = (
      (await runCli(at('audit', 'list'))).json() as {
        entries: { actor: string; action: string; subject: string }[];
      }
    ).entries;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'A001', action: 'user.added', subject: 'user:P100' }),
        expect.objectContaining({ actor: 'A001', action: 'user.disabled', subject: 'user:P100' }),
        expect.objectContaining({ actor: 'A001', action: 'auth.login.failed' }),
      ]),
    );
  });

  it('never prints or stores a password', async () => {
    const outputs = [await addAdmin(), await addOfficer()];
    for (const run of outputs) expect(run.stdout + run.stderr).not.toContain(ADMIN_PW);
    const db = readFileSync(join(dir.path, 'catalogue.sqlite')).toString('latin1');
    expect(db).not.toContain(ADMIN_PW);
    expect(db).not.toContain(OFFICER_PW);
  });

  it('verifies an intact audit chain with exit 0', async () => {
    await addAdmin();
    await addOfficer();
    const run = await runCli(at('audit', 'verify'));
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ verification: { ok: true, firstBadSeq: null } });
    expect(await auditActions()).toEqual([
      'station.keys.created',
      'catalogue.migrated',
      'setup.admin.created',
      'auth.login',
      'user.added',
      'auth.logout',
    ]);
  });

  it('D-NO-TAMPER: an audit row altered with the sqlite shell makes verify fail and name it', async () => {
    await addAdmin();
    await addOfficer();
    tamper(
      'UPDATE audit_log SET details = \'{"name":"someone else","role":"admin"}\' WHERE seq = 4',
    );
    const run = await runCli(at('audit', 'verify'));
    expect(run.code).not.toBe(0);
    expect(run.json()).toMatchObject({
      error: { code: 'CHAIN_BROKEN', details: { firstBadSeq: 4 } },
    });
    expect((run.json() as { error: { message: string } }).error.message).toContain('#4');
  });

  it('D-NO-TAMPER: a removed middle row and a removed newest row are both named', async () => {
    await addAdmin();
    await addOfficer();
    tamper('DELETE FROM audit_log WHERE seq = 3');
    const middle = await runCli(at('audit', 'verify'));
    expect(middle.code).not.toBe(0);
    expect(middle.json()).toMatchObject({ error: { details: { firstBadSeq: 3 } } });

    const second = tempDir();
    try {
      const other = (...args: string[]) => [...args, '--data-dir', second.path, '--json'];
      await runCli(
        other('users', 'add', '--badge', 'A001', '--name', 'a', '--role', 'admin'),
        `${ADMIN_PW}\n`,
      );
      const db = new Database(join(second.path, 'catalogue.sqlite'));
      const newest = (db.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number }).s;
      db.exec('DROP TRIGGER audit_log_refuses_delete');
      db.prepare('DELETE FROM audit_log WHERE seq = ?').run(newest);
      db.close();
      const tail = await runCli(other('audit', 'verify'));
      expect(tail.code).not.toBe(0);
      expect(tail.json()).toMatchObject({
        error: { code: 'CHAIN_BROKEN', details: { firstBadSeq: newest } },
      });
    } finally {
      second.remove();
    }
  });

  it('refuses a catalogue written by a newer evidock and leaves it untouched', async () => {
    await addAdmin();
    const file = join(dir.path, 'catalogue.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    const before = readFileSync(file);
    const run = await runCli(at('users', 'list'));
    expect(run.code).not.toBe(0);
    expect(run.json()).toMatchObject({ error: { code: 'SCHEMA_TOO_NEW' } });
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('answers bad arguments with a JSON error and a non-zero exit', async () => {
    const run = await runCli(at('users', 'add', '--badge', 'A1', '--name', 'x', '--role', 'chief'));
    expect(run.code).not.toBe(0);
    expect(run.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    const badge = await runCli(
      at('users', 'add', '--badge', '../x', '--name', 'x', '--role', 'admin'),
      `${ADMIN_PW}\n`,
    );
    expect(badge.code).not.toBe(0);
    expect(badge.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    const short = await runCli(
      at('users', 'add', '--badge', 'A1', '--name', 'x', '--role', 'admin'),
      'short\n',
    );
    expect(short.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('8') },
    });
  });

  it('refuses to listen beyond loopback', async () => {
    const run = await runCli(at('station', '--host', '0.0.0.0', '--port', '0'));
    expect(run.code).not.toBe(0);
    expect(run.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('loopback') },
    });
  });
});
