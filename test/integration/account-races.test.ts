// Account changes raced as an insider would race them: a second process writing to the same
// catalogue at the same moment, and requests sent while a password is still being checked. The
// check and the write it guards happen in one transaction, so the race changes nothing.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthService, DEFAULT_AUTH_POLICY, type Caller } from '../../src-main/auth/auth-service';
import { hashPassword } from '../../src-main/auth/password';
import { UserAdmin } from '../../src-main/auth/user-admin';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { AuditLog } from '../../src-main/custody/audit-log';
import { asRpcError, rejectionOf, seedUser, thrownBy } from '../support/core-station';
import { tempDir } from '../support/temp';

const ADMIN_PASSWORD = 'Admin-Pass-2025';
const OFFICER_PASSWORD = 'Officer-Pass-2025';

let dir: ReturnType<typeof tempDir>;
let file: string;
let catalogue: Catalogue;
let auth: AuthService;
let admin: UserAdmin;

beforeEach(() => {
  dir = tempDir();
  file = join(dir.path, 'catalogue.sqlite');
  catalogue = Catalogue.open(file).catalogue;
  const audit = new AuditLog(catalogue);
  auth = new AuthService(catalogue, audit, DEFAULT_AUTH_POLICY);
  admin = new UserAdmin(catalogue, audit, auth);
  seedUser(catalogue, { badge: 'ADM1', role: 'admin', password: ADMIN_PASSWORD });
  seedUser(catalogue, { badge: 'ADM2', role: 'admin', password: ADMIN_PASSWORD });
  seedUser(catalogue, { badge: 'P100', role: 'officer', password: OFFICER_PASSWORD });
});
afterEach(() => {
  catalogue.close();
  dir.remove();
});

async function logIn(badge: string, password: string): Promise<Caller> {
  return auth.resolve((await auth.login(badge, password)).token);
}

/**
 * Another process (the command line) that has passed its own checks and holds the catalogue's
 * write lock while it disables `badge`; it commits after `holdMs`.
 */
async function otherProcessDisables(badge: string, holdMs: number): Promise<Worker> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require('better-sqlite3');
     const db = new Database(workerData.file);
     db.pragma('busy_timeout = 5000');
     db.exec('BEGIN IMMEDIATE');
     db.prepare('UPDATE users SET disabled = 1 WHERE badge = ?').run(workerData.badge);
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { file, badge, holdMs } },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return worker;
}

describe('two admins disabling each other at once', () => {
  it('leave the station one active admin: the second disabling is refused as the last admin', async () => {
    const adm1 = await logIn('ADM1', ADMIN_PASSWORD);
    // ADM2, at the command line, is disabling ADM1 right now and holds the write lock.
    const other = await otherProcessDisables('ADM1', 300);
    const exited = new Promise((resolve) => other.once('exit', resolve));
    const refused = asRpcError(thrownBy(() => admin.setDisabled(adm1, 'ADM2', true)));
    await exited;

    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/last active admin/);
    const admins = catalogue.users.list().filter((u) => u.role === 'admin' && !u.disabled);
    expect(admins.map((u) => u.badge)).toEqual(['ADM2']);
  });
});

describe("an admin's password reset", () => {
  it('is not undone by a change of password that was still checking the old one', async () => {
    const thief = await logIn('P100', OFFICER_PASSWORD);
    const adm1 = await logIn('ADM1', ADMIN_PASSWORD);
    // The thief's change is sent first; the admin's reset lands while it hashes.
    const change = auth.changePassword(thief, OFFICER_PASSWORD, 'Thief-Pass-2025');
    const reset = admin.resetPassword(adm1, 'P100', 'Reset-By-Admin-1');
    const [changed] = await Promise.allSettled([change, reset]);

    expect(changed.status).toBe('rejected');
    await expect(logIn('P100', 'Reset-By-Admin-1')).resolves.toMatchObject({
      user: { badge: 'P100' },
    });
    expect(asRpcError(await rejectionOf(auth.login('P100', 'Thief-Pass-2025'))).code).toBe(
      'INVALID_CREDENTIALS',
    );
  });

  it('is outlived by no session opened with the old password, however the logins interleave', async () => {
    // The officer's password at the station's real cost, so checking it takes as long as a login.
    const realHash = await hashPassword(OFFICER_PASSWORD);
    catalogue.write((tx) => tx.users.setPasswordHash('P100', realHash, new Date().toISOString()));
    const adm1 = await logIn('ADM1', ADMIN_PASSWORD);
    // The reset is hashing its new password while six logins check the old one: the hashing
    // threads are busy, so some logins finish checking only after the reset is written.
    const reset = admin.resetPassword(adm1, 'P100', 'Reset-By-Admin-2');
    const logins = Array.from({ length: 6 }, () => auth.login('P100', OFFICER_PASSWORD));
    const outcomes = await Promise.allSettled([...logins, reset]);
    expect(outcomes.at(-1)!.status).toBe('fulfilled');

    const tokens = outcomes
      .slice(0, -1)
      .flatMap((o) => (o.status === 'fulfilled' ? [(o.value as { token: string }).token] : []));
    const alive = tokens.filter((token) => {
      try {
        auth.resolve(token);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
