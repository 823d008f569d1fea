// Account administration: every change is audited as the admin who made it, and the station can
// never be left without an active admin.
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthService, DEFAULT_AUTH_POLICY, type Caller } from '../../src-main/auth/auth-service';
import { UserAdmin } from '../../src-main/auth/user-admin';
import type { Catalogue } from '../../src-main/catalogue/catalogue';
import { publicUser } from '../../src-main/catalogue/users';
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

// Real scrypt at the product's cost: half a second a hash, more on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const ADMIN_PASSWORD = 'Admin-Pass-2025';
const OFFICER_PASSWORD = 'Officer-Pass-2025';

let db: Database.Database;
let clock: TestClock;
let audit: AuditLog;
let catalogue: Catalogue;
let users: Catalogue['users'];
let auth: AuthService;
let admin: UserAdmin;
let caller: Caller;

beforeEach(async () => {
  catalogue = memoryCatalogue();
  db = catalogue.db;
  clock = testClock('2025-03-01T08:00:00.000Z');
  audit = new AuditLog(catalogue, clock.now);
  users = catalogue.users;
  // Two wrong passwords lock, to keep the real-scrypt lockout below cheap.
  auth = new AuthService(
    catalogue,
    audit,
    { ...DEFAULT_AUTH_POLICY, maxFailedLogins: 2 },
    clock.now,
  );
  admin = new UserAdmin(catalogue, audit, auth, clock.now);
  seedUser(catalogue, { badge: 'ADM1', name: '管理员', role: 'admin', password: ADMIN_PASSWORD });
  seedUser(catalogue, { badge: 'A100', role: 'officer', password: OFFICER_PASSWORD });
  caller = auth.resolve((await auth.login('ADM1', ADMIN_PASSWORD)).token);
});
afterEach(() => {
  if (db.open) db.close();
});

/** Audit entries after the admin's own login. */
function changesAudited(): { action: string; actor: string; subject: string; details: unknown }[] {
  return rawAuditRows(db)
    .filter((r) => r.action !== 'auth.login')
    .map((r) => ({
      action: r.action,
      actor: r.actor,
      subject: r.subject,
      details: JSON.parse(r.details) as unknown,
    }));
}

describe('adding a user', () => {
  it('creates an account that can log in, audited as the admin with name and role only', async () => {
    const { user, grant } = await admin.add(caller, {
      badge: 'C300',
      name: '王 芳',
      role: 'custodian',
      password: 'Custodian-Pass-1',
    });

    expect(user).toEqual({
      badge: 'C300',
      name: '王 芳',
      role: 'custodian',
      disabled: false,
      createdAt: '2025-03-01T08:00:00.000Z',
      lockedUntil: null,
      pinSet: false,
      pinCleared: null,
      cardMasked: null,
    });
    // The station's first custodian: nobody could confirm them (D-CUSTODIAN).
    expect(grant).toMatchObject({ badge: 'C300', role: 'custodian', status: 'bootstrap' });
    expect(changesAudited()).toEqual([
      {
        action: 'user.added',
        actor: 'ADM1',
        subject: 'user:C300',
        details: { name: '王 芳', role: 'custodian', firstCustodian: true },
      },
    ]);
    await expect(auth.login('C300', 'Custodian-Pass-1')).resolves.toMatchObject({
      user: { role: 'custodian' },
    });
  });

  it('a badge that exists already, in any letter case, is ALREADY_EXISTS and changes nothing', async () => {
    const error = asRpcError(
      await rejectionOf(
        admin.add(caller, { badge: 'a100', name: 'Someone else', role: 'admin', password: 'x' }),
      ),
    );

    expect(error.code).toBe('ALREADY_EXISTS');
    expect(users.get('A100')).toMatchObject({ name: 'Officer A100', role: 'officer' });
    expect(users.count()).toBe(2);
    expect(changesAudited()).toEqual([]);
  });

  it('the list shows public facts only, never a password hash, a failure count or a whole card number', () => {
    const listed = admin.list();
    expect(listed.map((u) => [u.role, u.badge])).toEqual([
      ['admin', 'ADM1'],
      ['officer', 'A100'],
    ]);
    for (const user of listed) {
      expect(Object.keys(user).sort()).toEqual(
        [
          'badge',
          'cardMasked',
          'createdAt',
          'disabled',
          'lockedUntil',
          'name',
          'pinCleared',
          'pinSet',
          'role',
        ].sort(),
      );
    }
  });
});

describe('disabling and enabling', () => {
  it('an admin cannot disable their own account, whatever the letter case', () => {
    for (const badge of ['ADM1', 'adm1']) {
      const error = asRpcError(thrownBy(() => admin.setDisabled(caller, badge, true)));
      expect(error.code).toBe('CONFLICT');
    }
    expect(users.get('ADM1')!.disabled).toBe(false);
    expect(changesAudited()).toEqual([]);
  });

  it('the last active admin cannot be disabled, even by a caller whose own account was disabled meanwhile', async () => {
    seedUser(catalogue, { badge: 'ADM2', role: 'admin', password: ADMIN_PASSWORD });
    // ADM1 was disabled by another station process (the CLI) after this caller was resolved.
    catalogue.write((tx) => tx.users.setDisabled('ADM1', true, clock.now().toISOString()));

    const error = asRpcError(thrownBy(() => admin.setDisabled(caller, 'ADM2', true)));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/last active admin/);
    expect(users.get('ADM2')!.disabled).toBe(false);
  });

  it('another admin can be disabled while one active admin remains', async () => {
    seedUser(catalogue, { badge: 'ADM2', role: 'admin', password: ADMIN_PASSWORD });
    expect(admin.setDisabled(caller, 'ADM2', true).disabled).toBe(true);
  });

  it('disabling then enabling an officer is audited each time as the acting admin', async () => {
    const disabled = admin.setDisabled(caller, 'A100', true);
    expect(disabled.disabled).toBe(true);
    // As a wrong password would: nothing tells the password was right.
    expect(asRpcError(await rejectionOf(auth.login('A100', OFFICER_PASSWORD))).code).toBe(
      'INVALID_CREDENTIALS',
    );

    const enabled = admin.setDisabled(caller, 'a100', false);
    expect(enabled).toMatchObject({ badge: 'A100', disabled: false });
    await expect(auth.login('A100', OFFICER_PASSWORD)).resolves.toHaveProperty('token');

    expect(changesAudited().filter((e) => e.action.startsWith('user.'))).toEqual([
      { action: 'user.disabled', actor: 'ADM1', subject: 'user:A100', details: {} },
      { action: 'user.enabled', actor: 'ADM1', subject: 'user:A100', details: {} },
    ]);
  });

  it('disabling an account that is already disabled changes and records nothing', () => {
    admin.setDisabled(caller, 'A100', true);
    const entries = rawAuditRows(db).length;

    expect(admin.setDisabled(caller, 'A100', true).disabled).toBe(true);
    expect(rawAuditRows(db)).toHaveLength(entries);
  });

  it('disabling ends the user’s live sessions', async () => {
    const { token } = await auth.login('A100', OFFICER_PASSWORD);
    admin.setDisabled(caller, 'A100', true);

    expect(asRpcError(thrownBy(() => auth.resolve(token))).code).toBe('ACCOUNT_DISABLED');
    expect(auth.resolve(caller.token).user.badge).toBe('ADM1');
  });

  it('an unknown badge is NOT_FOUND', () => {
    expect(asRpcError(thrownBy(() => admin.setDisabled(caller, 'Z999', true))).code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('resetting a password', () => {
  it('clears a lockout, ends the user’s sessions, and only the new password works', async () => {
    const { token } = await auth.login('A100', OFFICER_PASSWORD);
    await rejectionOf(auth.login('A100', 'wrong-1'));
    const lock = asRpcError(await rejectionOf(auth.login('A100', 'wrong-2')));
    expect(lock.code).toBe('ACCOUNT_LOCKED');

    const user = await admin.resetPassword(caller, 'a100', 'Fresh-Start-2025');

    expect(user).toMatchObject({ badge: 'A100', lockedUntil: null });
    expect(catalogue.signInLocks.get('account', 'A100')).toBeUndefined();
    const ended = asRpcError(thrownBy(() => auth.resolve(token)));
    expect(ended.code).toBe('UNAUTHENTICATED');
    expect(ended.message).toMatch(/reset/);
    // Still inside the old lock period: the lock is gone.
    await expect(auth.login('A100', 'Fresh-Start-2025')).resolves.toHaveProperty('token');
    expect(asRpcError(await rejectionOf(auth.login('A100', OFFICER_PASSWORD))).code).toBe(
      'INVALID_CREDENTIALS',
    );

    expect(changesAudited()).toContainEqual({
      action: 'user.password.reset',
      actor: 'ADM1',
      subject: 'user:A100',
      details: {},
    });
    expect(JSON.stringify(rawAuditRows(db))).not.toContain('Fresh-Start-2025');
  });

  it('an unknown badge is NOT_FOUND', async () => {
    const error = asRpcError(await rejectionOf(admin.resetPassword(caller, 'Z999', 'whatever-1')));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('the returned user is the public view', async () => {
    const user = await admin.resetPassword(caller, 'A100', 'Fresh-Start-2025');
    expect(user).toEqual(publicUser(users.get('A100')!));
    expect(user).not.toHaveProperty('passwordHash');
  });
});
