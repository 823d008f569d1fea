// Logins, lockouts and sessions (D-SUPERVISION: every outcome audited), with real scrypt, a real
// catalogue and a clock the test moves.
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthService, DEFAULT_AUTH_POLICY } from '../../src-main/auth/auth-service';
import { UserAdmin } from '../../src-main/auth/user-admin';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import { AuditLog } from '../../src-main/custody/audit-log';
import {
  asRpcError,
  memoryCatalogue,
  rawAuditRows,
  rejectionOf,
  seedUser,
  testClock,
  thrownBy,
  type TestClock,
} from '../support/core-station';
import { tempDir } from '../support/temp';

// Real scrypt at the product's cost: half a second a hash, more on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const OFFICER = { badge: 'A100', role: 'officer', password: 'Shift-Start-2025' } as const;
const WRONG = 'not-my-password';

let catalogue: Catalogue;
let db: Database.Database;
let clock: TestClock;
let audit: AuditLog;
let users: Catalogue['users'];
let auth: AuthService;

beforeEach(() => {
  catalogue = memoryCatalogue();
  db = catalogue.db;
  clock = testClock('2025-03-01T08:00:00.000Z');
  audit = new AuditLog(catalogue, clock.now);
  users = catalogue.users;
  auth = new AuthService(catalogue, audit, DEFAULT_AUTH_POLICY, clock.now);
  seedUser(catalogue, OFFICER);
});
afterEach(() => {
  if (db.open) db.close();
});

function auditTrail(): { action: string; actor: string; subject: string; details: unknown }[] {
  return rawAuditRows(db).map((r) => ({
    action: r.action,
    actor: r.actor,
    subject: r.subject,
    details: JSON.parse(r.details) as unknown,
  }));
}

async function loginError(badge: string, password: string) {
  return asRpcError(await rejectionOf(auth.login(badge, password)));
}

describe('logging in', () => {
  it('the right badge and password open a session that says when it will lock for inactivity', async () => {
    const session = await auth.login('A100', OFFICER.password);

    expect(session.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(session.idleTimeoutSeconds).toBe(300);
    expect(session.user).toEqual({
      badge: 'A100',
      name: 'Officer A100',
      role: 'officer',
      disabled: false,
      createdAt: '2025-03-01T07:00:00.000Z',
      lockedUntil: null,
      pinSet: false,
      pinCleared: null,
      cardMasked: null,
    });
    expect(session.user).not.toHaveProperty('passwordHash');
    expect(auth.resolve(session.token).user.badge).toBe('A100');
    expect(auditTrail()).toEqual([
      { action: 'auth.login', actor: 'A100', subject: 'user:A100', details: {} },
    ]);
  });

  it('the badge is case-insensitive: a100 is the officer A100', async () => {
    const session = await auth.login('a100', OFFICER.password);
    expect(session.user.badge).toBe('A100');
    expect(auditTrail()[0]).toMatchObject({ action: 'auth.login', actor: 'A100' });
  });

  it('a wrong password is INVALID_CREDENTIALS and is audited as a failed login', async () => {
    const error = await loginError('A100', WRONG);

    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(auditTrail()).toEqual([
      {
        action: 'auth.login.failed',
        actor: 'A100',
        subject: 'user:A100',
        details: { reason: 'wrong-password', consecutiveFailures: 1 },
      },
    ]);
  });

  it('an unknown badge gets the same answer as a wrong password, is counted, and is audited', async () => {
    const wrongPassword = await loginError('A100', WRONG);
    const unknownBadge = await loginError('Z999', WRONG);

    expect(unknownBadge.code).toBe('INVALID_CREDENTIALS');
    expect(unknownBadge.message).toBe(wrongPassword.message);
    expect(auditTrail()[1]).toEqual({
      action: 'auth.login.failed',
      actor: 'Z999',
      subject: 'user:Z999',
      details: { reason: 'unknown-badge', consecutiveFailures: 1 },
    });
    // Locked like an account after as many guesses: the lock tells no badge from another.
    for (let i = 2; i < 5; i += 1) await loginError('Z999', WRONG);
    expect((await loginError('Z999', WRONG)).code).toBe('ACCOUNT_LOCKED');
  });
});

describe('lockout after repeated wrong passwords', () => {
  it('the fifth wrong password in a row locks the account for 5 minutes; the right one is refused until then', async () => {
    for (let i = 1; i <= 4; i += 1) {
      expect((await loginError('A100', WRONG)).code).toBe('INVALID_CREDENTIALS');
      clock.advanceSeconds(10);
    }
    const fifth = await loginError('A100', WRONG);
    const lockedUntil = new Date(clock.now().getTime() + 5 * 60 * 1000).toISOString();

    expect(fifth.code).toBe('ACCOUNT_LOCKED');
    expect(fifth.details).toEqual({ lockedUntil });
    expect(fifth.message).toContain(lockedUntil);
    expect(users.get('A100')!.lockedUntil).toBe(lockedUntil);
    expect(auditTrail().slice(-2)).toEqual([
      {
        action: 'auth.login.failed',
        actor: 'A100',
        subject: 'user:A100',
        details: { reason: 'wrong-password', consecutiveFailures: 5 },
      },
      {
        action: 'auth.locked',
        actor: 'A100',
        subject: 'user:A100',
        details: { consecutiveFailures: 5, lockedUntil },
      },
    ]);

    // One second before the lock ends, even the right password is refused, and that is audited.
    clock.advanceSeconds(5 * 60 - 1);
    const duringLock = await loginError('A100', OFFICER.password);
    expect(duringLock.code).toBe('ACCOUNT_LOCKED');
    expect(duringLock.details).toEqual({ lockedUntil });
    expect(auditTrail().at(-1)).toEqual({
      action: 'auth.login.refused',
      actor: 'A100',
      subject: 'user:A100',
      details: { reason: 'locked', lockedUntil },
    });

    // Once the clock passes lockedUntil the right password works and the lock is cleared.
    clock.advanceSeconds(2);
    const session = await auth.login('A100', OFFICER.password);
    expect(session.user.lockedUntil).toBeNull();
    expect(catalogue.signInLocks.get('account', 'A100')).toBeUndefined();

    // The count starts again from zero.
    expect((await loginError('A100', WRONG)).code).toBe('INVALID_CREDENTIALS');
    expect(auditTrail().at(-1)!.details).toEqual({
      reason: 'wrong-password',
      consecutiveFailures: 1,
    });
  });

  it('a successful login resets the count: 4 wrong, 1 right, 4 wrong does not lock', async () => {
    for (let i = 0; i < 4; i += 1) await loginError('A100', WRONG);
    await auth.login('A100', OFFICER.password);
    expect(catalogue.signInLocks.get('account', 'A100')).toBeUndefined();

    for (let i = 0; i < 4; i += 1) {
      expect((await loginError('A100', WRONG)).code).toBe('INVALID_CREDENTIALS');
    }
    expect(catalogue.signInLocks.get('account', 'A100')).toMatchObject({
      attempts: 4,
      lockedUntil: null,
    });
    expect(auditTrail().some((e) => e.action === 'auth.locked')).toBe(false);
    await expect(auth.login('A100', OFFICER.password)).resolves.toHaveProperty('token');
  });

  it('five wrong passwords sent at the same moment still lock the account', async () => {
    const errors = await Promise.all(
      Array.from({ length: 5 }, () => rejectionOf(auth.login('A100', WRONG))),
    );

    const codes = errors.map((e) => asRpcError(e).code).sort();
    expect(codes).toEqual([
      'ACCOUNT_LOCKED',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
    ]);
    expect((await loginError('A100', OFFICER.password)).code).toBe('ACCOUNT_LOCKED');
  });

  it('a disabled account answers the right password as a wrong one; the audit says why', async () => {
    catalogue.write((tx) => tx.users.setDisabled('A100', true, clock.now().toISOString()));

    const wrong = await loginError('A100', WRONG);
    const right = await loginError('A100', OFFICER.password);
    expect([right.code, right.message]).toEqual([wrong.code, wrong.message]);
    expect(auditTrail().at(-1)).toEqual({
      action: 'auth.login.failed',
      actor: 'A100',
      subject: 'user:A100',
      details: { reason: 'disabled', consecutiveFailures: 2, passwordRight: true },
    });
  });
});

describe('sessions', () => {
  it('a call without a token is UNAUTHENTICATED; so is a token the station never issued', () => {
    expect(asRpcError(thrownBy(() => auth.resolve(undefined))).code).toBe('UNAUTHENTICATED');
    expect(asRpcError(thrownBy(() => auth.resolve(''))).code).toBe('UNAUTHENTICATED');
    expect(asRpcError(thrownBy(() => auth.resolve('forged-token'))).code).toBe('UNAUTHENTICATED');
  });

  it('after 5 minutes without a call the session is SESSION_EXPIRED, then gone', async () => {
    const { token } = await auth.login('A100', OFFICER.password);
    clock.advanceSeconds(5 * 60 + 1);

    const error = asRpcError(thrownBy(() => auth.resolve(token)));
    expect(error.code).toBe('SESSION_EXPIRED');
    expect(asRpcError(thrownBy(() => auth.resolve(token))).code).toBe('UNAUTHENTICATED');
  });

  it('activity within the timeout keeps the session alive well past 5 minutes in total', async () => {
    const { token } = await auth.login('A100', OFFICER.password);
    for (let i = 0; i < 5; i += 1) {
      clock.advanceSeconds(4 * 60);
      expect(auth.resolve(token).user.badge).toBe('A100');
    }
  });

  it('watching pushed events (peek) does not keep an idle session alive', async () => {
    const { token } = await auth.login('A100', OFFICER.password);
    clock.advanceSeconds(4 * 60);
    expect(auth.peek(token)?.user.badge).toBe('A100');
    clock.advanceSeconds(2 * 60);

    expect(auth.peek(token)).toBeUndefined();
    expect(asRpcError(thrownBy(() => auth.resolve(token))).code).toBe('SESSION_EXPIRED');
  });

  it('logging out ends the session and is audited', async () => {
    const { token } = await auth.login('A100', OFFICER.password);
    auth.logout(auth.resolve(token));

    expect(asRpcError(thrownBy(() => auth.resolve(token))).code).toBe('UNAUTHENTICATED');
    expect(auditTrail().at(-1)).toMatchObject({ action: 'auth.logout', actor: 'A100' });
  });

  it('disabling a user ends their live sessions at their next call', async () => {
    seedUser(catalogue, { badge: 'ADM1', role: 'admin', password: 'Admin-Pass-1' });
    const admin = auth.resolve((await auth.login('ADM1', 'Admin-Pass-1')).token);
    const first = await auth.login('A100', OFFICER.password);
    const second = await auth.login('a100', OFFICER.password);

    new UserAdmin(catalogue, audit, auth, clock.now).setDisabled(admin, 'A100', true);

    expect(auth.peek(first.token)).toBeUndefined();
    expect(asRpcError(thrownBy(() => auth.resolve(first.token))).code).toBe('ACCOUNT_DISABLED');
    expect(asRpcError(thrownBy(() => auth.resolve(second.token))).code).toBe('ACCOUNT_DISABLED');
    expect(asRpcError(thrownBy(() => auth.resolve(first.token))).code).toBe('UNAUTHENTICATED');
    expect(auth.resolve(admin.token).user.badge).toBe('ADM1');
  });

  it('an account disabled directly in the catalogue (another station process) is refused at its next call', async () => {
    const { token } = await auth.login('A100', OFFICER.password);
    catalogue.write((tx) => tx.users.setDisabled('A100', true, clock.now().toISOString()));

    expect(auth.peek(token)).toBeUndefined();
    expect(asRpcError(thrownBy(() => auth.resolve(token))).code).toBe('ACCOUNT_DISABLED');
  });
});

describe('first-run setup', () => {
  it('an empty station accepts one first admin, then refuses with SETUP_DONE', async () => {
    const empty = memoryCatalogue();
    const emptyAudit = new AuditLog(empty, clock.now);
    const station = new AuthService(empty, emptyAudit, DEFAULT_AUTH_POLICY, clock.now);
    expect(station.setupRequired()).toBe(true);

    const session = await station.createFirstAdmin({
      badge: 'ADM1',
      name: '李 主任',
      password: 'First-Admin-1',
    });
    expect(session.user).toMatchObject({ badge: 'ADM1', role: 'admin', disabled: false });
    expect(station.resolve(session.token).user.role).toBe('admin');
    expect(station.setupRequired()).toBe(false);

    const again = asRpcError(
      await rejectionOf(
        station.createFirstAdmin({ badge: 'ADM2', name: 'Intruder', password: 'Second-Admin-2' }),
      ),
    );
    expect(again.code).toBe('SETUP_DONE');
    expect(empty.users.list().map((u) => u.badge)).toEqual(['ADM1']);
    expect(emptyAudit.list({ limit: 10 }).entries.map((e) => [e.action, e.actor])).toEqual([
      ['setup.admin.created', 'ADM1'],
    ]);
    empty.close();
  });

  it('a station that already has users refuses setup', async () => {
    expect(auth.setupRequired()).toBe(false);
    const error = asRpcError(
      await rejectionOf(
        auth.createFirstAdmin({ badge: 'ADM9', name: 'Late', password: 'Late-Admin-9' }),
      ),
    );
    expect(error.code).toBe('SETUP_DONE');
    expect(users.get('ADM9')).toBeUndefined();
  });
});

describe('changing one’s own password', () => {
  it('requires the current password; the new one then works and the old one does not', async () => {
    const caller = auth.resolve((await auth.login('A100', OFFICER.password)).token);

    const refused = asRpcError(
      await rejectionOf(auth.changePassword(caller, WRONG, 'New-Password-2')),
    );
    expect(refused.code).toBe('INVALID_CREDENTIALS');
    expect(auditTrail().some((e) => e.action === 'auth.password.changed')).toBe(false);

    await auth.changePassword(caller, OFFICER.password, 'New-Password-2');
    expect(auditTrail().at(-1)).toEqual({
      action: 'auth.password.changed',
      actor: 'A100',
      subject: 'user:A100',
      details: {},
    });
    await expect(auth.login('A100', 'New-Password-2')).resolves.toHaveProperty('token');
    expect((await loginError('A100', OFFICER.password)).code).toBe('INVALID_CREDENTIALS');
  });

  it('D-SUPERVISION: a wrong current password when changing password leaves a trace in the audit log', async () => {
    // Someone at an officer's unlocked session can otherwise guess the password here without
    // limit and without a record, which the login screen would lock and audit.
    const caller = auth.resolve((await auth.login('A100', OFFICER.password)).token);
    const before = rawAuditRows(db).length;

    await rejectionOf(auth.changePassword(caller, WRONG, 'New-Password-2'));

    const added = auditTrail().slice(before);
    expect(added).toContainEqual(expect.objectContaining({ actor: 'A100', subject: 'user:A100' }));
  });
});

describe('D-NO-LEAK: passwords are never written down', () => {
  it('no password appears in the catalogue file, its WAL, or any audit entry', async () => {
    const dir = tempDir('evidock-auth-');
    try {
      const file = join(dir.path, CATALOGUE_FILE);
      const { catalogue: disk } = Catalogue.open(file);
      const diskAudit = new AuditLog(disk, clock.now);
      const station = new AuthService(disk, diskAudit, DEFAULT_AUTH_POLICY, clock.now);
      const admin = new UserAdmin(disk, diskAudit, station, clock.now);
      const secrets = [
        'Setup-Secret-密码-1',
        'Guess-Secret-2',
        'Changed-Secret-3',
        'Officer-Secret-4',
        'Reset-Secret-5',
      ];

      const session = await station.createFirstAdmin({
        badge: 'ADM1',
        name: 'Admin',
        password: secrets[0]!,
      });
      await rejectionOf(station.login('ADM1', secrets[1]!));
      const caller = station.resolve(session.token);
      await station.changePassword(caller, secrets[0]!, secrets[2]!);
      await admin.add(caller, {
        badge: 'B200',
        name: 'Officer',
        role: 'officer',
        password: secrets[3]!,
      });
      await admin.resetPassword(caller, 'B200', secrets[4]!);

      const details = diskAudit
        .list({ limit: 100 })
        .entries.map((e) => JSON.stringify(e))
        .join('\n');
      const userRows = JSON.stringify(disk.db.prepare('SELECT * FROM users').all());
      const liveFiles = readdirSync(dir.path)
        .map((name) => readFileSync(join(dir.path, name)).toString('utf8'))
        .join('\n');
      disk.close();
      const closedFile = readFileSync(file).toString('utf8');

      for (const secret of secrets) {
        expect(details).not.toContain(secret);
        expect(userRows).not.toContain(secret);
        expect(liveFiles).not.toContain(secret);
        expect(closedFile).not.toContain(secret);
      }
    } finally {
      dir.remove();
    }
  });
});
