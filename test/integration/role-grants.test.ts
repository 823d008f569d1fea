// Separation of duties (D-CUSTODIAN, D-SUPERVISION): an admin alone cannot make someone a
// custodian or a supervisor — the two roles that see footage. A second person, an existing
// custodian who is neither the admin who asked nor the person named, confirms or rejects it;
// until then the role is not held. Attacked through the station's door, by a second process
// holding the catalogue's write lock, and by the command line racing the screen.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { RoleGrant, User } from '../../src-main/contract';
import { closeStation, openStation, type Station } from '../../src-main/station/services';
import { runCli } from '../support/cli';
import { seedUser } from '../support/core-station';
import { stationDoor } from '../support/station-door';
import { tempDir } from '../support/temp';

const PASSWORD = 'Right-Password-2025';
const WRONG = 'not-the-password';

let dir: ReturnType<typeof tempDir>;
let file: string;
let station: Station;
const door = stationDoor(() => station);
const { tokens, call, ok } = door;
const logIn = (badge: string) => door.logIn(badge, PASSWORD);
const add = (badge: string, role: string) =>
  ok<{ user: User | null; grant: RoleGrant | null }>(
    'users.add',
    { badge, name: `User ${badge}`, role, password: PASSWORD },
    'ADM1',
  );
function audited(): { actor: string; action: string; subject: string; details: unknown }[] {
  return station.catalogue.db
    .prepare<[], { actor: string; action: string; subject: string; details: string }>(
      "SELECT actor, action, subject, details FROM audit_log WHERE action LIKE 'user.%' ORDER BY seq",
    )
    .all()
    .map((r) => ({ ...r, details: JSON.parse(r.details) as unknown }));
}
function roleOf(badge: string): string | undefined {
  return station.catalogue.users.get(badge)?.role;
}

beforeEach(async () => {
  dir = tempDir('evidock-grants-');
  file = join(dir.path, CATALOGUE_FILE);
  const { catalogue } = Catalogue.open(file);
  seedUser(catalogue, { badge: 'ADM1', role: 'admin', password: PASSWORD });
  seedUser(catalogue, { badge: 'ADM2', role: 'admin', password: PASSWORD });
  seedUser(catalogue, { badge: 'P100', role: 'officer', password: PASSWORD });
  catalogue.close();
  station = openStation({ dataDir: dir.path, log: () => {} });
  tokens.clear();
  await logIn('ADM1');
});
afterEach(() => {
  closeStation(station);
  dir.remove();
});

/** The station's first custodian (no confirmation: there is nobody to confirm), logged in. */
async function firstCustodian(badge = 'C001'): Promise<void> {
  const { user, grant } = await add(badge, 'custodian');
  expect(user).toMatchObject({ badge, role: 'custodian' });
  expect(grant).toMatchObject({ status: 'bootstrap' });
  await logIn(badge);
}

describe('the first custodian of a station', () => {
  it('is created without confirmation, and the audit says it was the first', async () => {
    await firstCustodian();
    expect(audited().at(-1)).toMatchObject({
      actor: 'ADM1',
      action: 'user.added',
      subject: 'user:C001',
      details: { role: 'custodian', firstCustodian: true },
    });
  });

  it('two admins adding a custodian at the same moment make one; the other waits for it', async () => {
    await logIn('ADM2');
    const [one, two] = await Promise.all([
      call(
        'users.add',
        { badge: 'C001', name: 'One', role: 'custodian', password: PASSWORD },
        'ADM1',
      ),
      call(
        'users.add',
        { badge: 'C002', name: 'Two', role: 'custodian', password: PASSWORD },
        'ADM2',
      ),
    ]);
    const grants = [one, two].map((r) => (r as { value: { grant: RoleGrant } }).value.grant.status);
    expect(grants.sort()).toEqual(['bootstrap', 'pending']);
    expect([roleOf('C001'), roleOf('C002')].filter((r) => r === 'custodian')).toHaveLength(1);
  });

  it('once a custodian has existed, even all custodians disabled, a new one needs confirmation', async () => {
    await firstCustodian();
    await ok('users.disable', { badge: 'C001' }, 'ADM1');

    const { user, grant } = await add('C002', 'custodian');
    expect(user).toBeNull();
    expect(grant).toMatchObject({ badge: 'C002', role: 'custodian', status: 'pending' });
    expect(roleOf('C002')).toBeUndefined();
  });
});

describe('a custodian or supervisor account an admin asks for', () => {
  it('cannot log in until a custodian confirms it, and answers like a wrong password', async () => {
    await firstCustodian();
    const { grant } = await add('S001', 'supervisor');
    expect(grant).toMatchObject({ status: 'pending', requestedBy: 'ADM1', previousRole: null });

    const pending = await call('auth.login', { badge: 'S001', password: PASSWORD });
    const wrong = await call('auth.login', { badge: 'P100', password: WRONG });
    expect(pending).toEqual(wrong);

    // Admins see that it waits; the custodian sees it to decide.
    expect(await ok<{ grants: RoleGrant[] }>('users.grants.list', {}, 'ADM1')).toMatchObject({
      grants: [{ badge: 'S001', role: 'supervisor', status: 'pending' }],
    });
    await ok('users.grants.confirm', { id: grant!.id }, 'C001');
    await logIn('S001');
    expect(roleOf('S001')).toBe('supervisor');
    expect(audited().slice(-2)).toMatchObject([
      { actor: 'ADM1', action: 'user.role.requested', subject: 'user:S001' },
      { actor: 'C001', action: 'user.role.confirmed', subject: 'user:S001' },
    ]);
  });

  it('is not confirmed by the admin who asked, nor by the person it names', async () => {
    await firstCustodian();
    // The admin who asked has no such power at all.
    const { grant } = await add('S001', 'supervisor');
    expect(await call('users.grants.confirm', { id: grant!.id }, 'ADM1')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // A custodian asked to become a supervisor cannot confirm it for themselves.
    const change = await ok<{ user: User; grant: RoleGrant }>(
      'users.setRole',
      { badge: 'C001', role: 'supervisor' },
      'ADM1',
    );
    expect(await call('users.grants.confirm', { id: change.grant.id }, 'C001')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(roleOf('C001')).toBe('custodian');
  });

  it('rejected, leaves no account behind, and the rejection is audited as the custodian', async () => {
    await firstCustodian();
    const { grant } = await add('C002', 'custodian');
    await ok('users.grants.reject', { id: grant!.id }, 'C001');

    expect(roleOf('C002')).toBeUndefined();
    expect(await call('auth.login', { badge: 'C002', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
    expect(audited().at(-1)).toMatchObject({
      actor: 'C001',
      action: 'user.role.rejected',
      subject: 'user:C002',
    });
  });
});

describe('a change of role to custodian or supervisor', () => {
  it('leaves the old role in force until confirmed', async () => {
    await firstCustodian();
    await logIn('P100');
    const { user, grant } = await ok<{ user: User; grant: RoleGrant }>(
      'users.setRole',
      { badge: 'P100', role: 'supervisor' },
      'ADM1',
    );
    expect(user.role).toBe('officer');
    expect(grant).toMatchObject({ status: 'pending', previousRole: 'officer' });
    expect(await call('audit.list', {}, 'P100')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    await ok('users.grants.confirm', { id: grant.id }, 'C001');
    expect((await call('audit.list', {}, 'P100')).ok).toBe(true);
  });
});

describe('deciding a grant races nothing', () => {
  it('a confirm and a reject at once: one wins, the other is refused', async () => {
    await firstCustodian('C001');
    const second = await add('C002', 'custodian');
    await ok('users.grants.confirm', { id: second.grant!.id }, 'C001');
    await logIn('C002');
    const { grant } = await add('S001', 'supervisor');

    const outcomes = await Promise.all([
      call('users.grants.confirm', { id: grant!.id }, 'C001'),
      call('users.grants.reject', { id: grant!.id }, 'C002'),
      call('users.grants.confirm', { id: grant!.id }, 'C002'),
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const decided = audited().filter((e) => /^user\.role\.(confirmed|rejected)$/.test(e.action));
    expect(decided.filter((e) => e.subject === 'user:S001')).toHaveLength(1);
  });

  it('a confirm that lands while another process rejects it (holding the write lock) is refused', async () => {
    await firstCustodian('C001');
    const { grant } = await add('S001', 'supervisor');

    const other = await otherProcessRejects(grant!.id, 300);
    const exited = new Promise((resolve) => other.once('exit', resolve));
    const confirmed = await call('users.grants.confirm', { id: grant!.id }, 'C001');
    await exited;

    expect(confirmed).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(roleOf('S001')).toBeUndefined();
  });
});

describe('at the command line', () => {
  it('a custodian lists and confirms grants, audited as that custodian', async () => {
    await firstCustodian('C001');
    const { grant } = await add('S001', 'supervisor');
    const at = ['--data-dir', dir.path, '--json'];

    const listed = await runCli(['users', 'grants', 'list', ...at]);
    expect(listed.json()).toMatchObject({ grants: [{ id: grant!.id, badge: 'S001' }] });
    const confirmed = await runCli(
      ['users', 'grants', 'confirm', '--id', String(grant!.id), '--user', 'C001', ...at],
      `${PASSWORD}\n`,
    );
    expect(confirmed.json()).toMatchObject({ user: { badge: 'S001', role: 'supervisor' } });
    expect(roleOf('S001')).toBe('supervisor');
    expect(audited().at(-1)).toMatchObject({ actor: 'C001', action: 'user.role.confirmed' });
  });
});

/**
 * Another process (the command line) that has passed its own checks and holds the catalogue's
 * write lock while it marks the grant rejected; it commits after `holdMs`.
 */
async function otherProcessRejects(id: number, holdMs: number): Promise<Worker> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require('better-sqlite3');
     const db = new Database(workerData.file);
     db.pragma('busy_timeout = 5000');
     db.exec('BEGIN IMMEDIATE');
     db.prepare(\`UPDATE role_grants SET status = 'rejected', decided_by = 'C009', decided_at = ?,
       new_password_hash = NULL WHERE id = ?\`)
       .run(new Date().toISOString(), workerData.id);
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { file, id, holdMs } },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return worker;
}
