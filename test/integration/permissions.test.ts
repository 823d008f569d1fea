import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METHODS,
  METHOD_NAMES,
  PERMISSIONS,
  ROLES,
  roleHasPermission,
  type MethodName,
  type Role,
  type RpcResult,
} from '../../src-main/contract';
import { closeStation, openStation, type Station } from '../../src-main/station/services';
import { confirmWaitingRoles } from '../support/role-grants';
import { tempDir } from '../support/temp';

const PASSWORD = 'correct horse 1';
const BADGE: Record<Role, string> = {
  admin: 'ADM-1',
  officer: 'OFF-1',
  custodian: 'CUS-1',
  supervisor: 'SUP-1',
};

/** Well-formed input for each method, so an allowed call fails (if at all) for a reason other than its permission. */
const SAMPLE_PARAMS: Record<MethodName, unknown> = {
  'station.info': {},
  'setup.createAdmin': { badge: 'NEW-ADM', name: 'X', password: 'another pass 2' },
  'auth.login': { badge: 'OFF-1', password: PASSWORD },
  'auth.logout': {},
  'auth.whoami': {},
  'auth.changePassword': { currentPassword: PASSWORD, newPassword: PASSWORD },
  'users.list': {},
  'users.add': { badge: 'TMP-X', name: 'Temp', role: 'officer', password: 'temp pass 3' },
  'users.disable': { badge: 'NOBODY' },
  'users.enable': { badge: 'NOBODY' },
  'users.resetPassword': { badge: 'NOBODY', newPassword: 'temp pass 3' },
  'users.setRole': { badge: 'NOBODY', role: 'officer' },
  'users.grants.list': {},
  'users.grants.confirm': { id: 999 },
  'users.grants.reject': { id: 999 },
  'audit.list': { limit: 5 },
  'audit.verify': {},
  'audit.keys': {},
  'recorders.profiles': {},
  'recorders.list': {},
  'recorders.register': { serial: 'CAM-PERM-1', profileId: 'generic-dcim', officerBadge: null },
  'recorders.retire': { serial: 'NO-SUCH-CAM' },
  'recorders.lookalikes': {},
  'recorders.confirmLookalike': { id: 999, reason: 'a replaced card' },
  'recorders.refuseLookalike': { id: 999, reason: 'not the recorder' },
  'dock.status': {},
  'dock.identify': { dockingId: 999, badge: 'OFF-1', pin: '123456' },
  'dock.reattribute': { dockingId: 999, badge: 'OFF-1', reason: 'recorded by OFF-1' },
  'clips.list': {},
  'clips.thumbnail': { id: 999 },
  'policy.get': {},
  'policy.set': { key: 'continuityGapSeconds', value: 120 },
  'auth.setPin': { currentPassword: PASSWORD, pin: '246813' },
  'users.setCard': { badge: 'NOBODY', cardNumber: null },
  'clips.search': {},
  'clips.get': { id: 999 },
  'clips.label': { target: { clipIds: [999] }, set: { notes: 'x' } },
  'clips.custodyException': {
    clipIds: [999],
    exception: { kind: 'off-site', returnedAt: '2026-11-21T06:00:00Z', note: null },
  },
  'clips.play': { id: 999 },
  'dock.finish': { dockingId: 999 },
  'cases.list': {},
  'cases.get': { number: '金普民宗罚〔2026〕999号' },
  'cases.create': { number: 'not a number', kind: 'penalty', title: 'x' },
  'cases.close': { number: '金普民宗罚〔2026〕999号' },
  'cases.approve': { number: '金普民宗罚〔2026〕999号' },
  'cases.archive': { number: '金普民宗罚〔2026〕999号' },
  'cases.setAct': { number: '金普民宗罚〔2026〕999号', act: 'hearing' },
  'report.compliance': { from: '2026-11-01', to: '2026-11-30' },
  'report.export': { from: '2026-11-01', to: '2026-11-30', format: 'csv' },
  'filing.recentCases': {},
  'filing.policy': {},
  'integrity.status': {},
  // This station runs no schedule (openStation only): an allowed call answers CONFLICT.
  'integrity.start': {},
  'forward.targets.list': {},
  'forward.targets.add': { name: 'perm-target', kind: 'folder', folderPath: '/nonexistent-share' },
  'forward.targets.test': { name: 'no-such-target' },
  'forward.targets.change': { name: 'no-such-target', enabled: false },
  'forward.targets.remove': { name: 'no-such-target' },
  'forward.status': {},
  'forward.retry': { name: 'no-such-target' },
  'forward.clip': { clipId: 999 },
  'forward.failures': { name: 'no-such-target' },
  // Calls an allowed caller makes harmlessly: no such set, disc or clip; no drive to read.
  'disc.plan': { selection: { kind: 'clips', clipIds: [999] }, medium: 'dvd' },
  'disc.sets.get': { setId: 999 },
  'disc.sets.list': {},
  'disc.burn': { setId: 999, n: 1, copy: 1, drive: 'stdio:/nonexistent/disc.iso' },
  'disc.verify': { drive: 'stdio:/nonexistent/disc.iso' },
  'disc.list': {},
  'disc.get': { discId: 999 },
  'disc.drives': {},
  'disc.handover': { discId: 999, toWhom: 'court', reason: 'evidence' },
  'disc.label': { discId: 999 },
  'station.storage': {},
};

describe('every contract method is permission-checked by the station', () => {
  const dir = tempDir();
  let station: Station;

  const call = (method: string, params: unknown, session?: string): Promise<RpcResult> =>
    station.dispatcher.dispatch({ method, params, session });

  async function login(role: Role): Promise<string> {
    const result = await call('auth.login', { badge: BADGE[role], password: PASSWORD });
    if (!result.ok) throw new Error(`login as ${role}: ${result.error.message}`);
    return (result.value as { token: string }).token;
  }

  beforeAll(async () => {
    station = openStation({ dataDir: dir.path });
    const setup = await call('setup.createAdmin', {
      badge: BADGE.admin,
      name: 'Admin',
      password: PASSWORD,
    });
    expect(setup.ok).toBe(true);
    const admin = (setup as { value: { token: string } }).value.token;
    for (const role of ['officer', 'custodian', 'supervisor'] as const) {
      const added = await call(
        'users.add',
        { badge: BADGE[role], name: role, role, password: PASSWORD },
        admin,
      );
      expect(added.ok).toBe(true);
    }
    // The supervisor's role waits for the custodian, the station's first (D-CUSTODIAN).
    await confirmWaitingRoles((c) => station.dispatcher.dispatch(c), await login('custodian'));
  });

  afterAll(() => {
    closeStation(station);
    dir.remove();
  });

  it('declares a known permission for every method', () => {
    for (const name of METHOD_NAMES) expect(PERMISSIONS).toContain(METHODS[name].permission);
  });

  it('refuses every non-public method without a session', async () => {
    for (const name of METHOD_NAMES) {
      if (METHODS[name].permission === 'public') continue;
      const result = await call(name, SAMPLE_PARAMS[name]);
      expect(result, name).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('refuses a forged session token', async () => {
    const result = await call('users.list', {}, 'not-a-real-token');
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses unknown methods', async () => {
    const result = await call('users.drop', {}, await login('admin'));
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  for (const role of ROLES) {
    it(`walks every method as ${role}: forbidden exactly where the role lacks the permission`, async () => {
      // One session for the walk (a login costs a real scrypt check): a new one only after a
      // method that ends it.
      let token = await login(role);
      for (const name of METHOD_NAMES) {
        const result = await call(name, SAMPLE_PARAMS[name], token);
        if (name === 'auth.logout') token = await login(role);
        const allowed = roleHasPermission(role, METHODS[name].permission);
        if (allowed) {
          if (!result.ok)
            expect(['FORBIDDEN', 'UNAUTHENTICATED'], `${role} → ${name}`).not.toContain(
              result.error.code,
            );
        } else {
          expect(result, `${role} → ${name}`).toMatchObject({
            ok: false,
            error: { code: 'FORBIDDEN' },
          });
        }
        if (name === 'users.add' && result.ok) {
          // Undo so the next role's walk adds the same badge again.
          const admin = await login('admin');
          await call('users.disable', { badge: 'TMP-X' }, admin);
          station.catalogue.db.prepare("DELETE FROM users WHERE badge = 'TMP-X'").run();
        }
      }
    });
  }

  it('lets officers see neither users nor the audit log (D-NO-LEAK)', async () => {
    const officer = await login('officer');
    for (const method of ['users.list', 'audit.list', 'audit.verify', 'audit.keys']) {
      expect(await call(method, {}, officer)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
  });

  it('lets supervisors read but change no account (D-SUPERVISION)', async () => {
    const supervisor = await login('supervisor');
    expect((await call('users.list', {}, supervisor)).ok).toBe(true);
    expect((await call('audit.verify', {}, supervisor)).ok).toBe(true);
    // D-SUPERVISION: supervisors check the chain, so they see the keys it is signed with.
    expect(await call('audit.keys', {}, supervisor)).toMatchObject({
      ok: true,
      value: { keys: { sm2: { sha256: expect.any(String) } }, problem: null },
    });
    const refused = await call('users.disable', { badge: BADGE.officer }, supervisor);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
