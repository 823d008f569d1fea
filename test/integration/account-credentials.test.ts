// Credentials as an attacker meets them: a second session that outlives a change of password, a
// disabled account that confirms a guessed password, a dock PIN that survives an admin's reset,
// IC card numbers read off the users list, short PINs, and password hashes a stolen catalogue
// would give up cheaply. Each through the station's one door, on a real catalogue file.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { migrate } from '../../src-main/catalogue/migrate';
import { MIGRATIONS } from '../../src-main/catalogue/migrations';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { User } from '../../src-main/contract';
import { closeStation, openStation, type Station } from '../../src-main/station/services';
import { quickHash, seedUser } from '../support/core-station';
import { stationDoor } from '../support/station-door';
import { tempDir } from '../support/temp';

const PASSWORD = 'Right-Password-2025';
const WRONG = 'not-the-password';
const CARD = '0012345678';

let dir: ReturnType<typeof tempDir>;
let station: Station;
const door = stationDoor(() => station);
const { tokens, call, ok } = door;
const logIn = (badge: string, as?: string) => door.logIn(badge, PASSWORD, as);
function storedHash(badge: string, column: 'password_hash' | 'pin_hash'): string | null {
  const row = station.catalogue.db
    .prepare<[string], Record<string, string | null>>(`SELECT ${column} FROM users WHERE badge = ?`)
    .get(badge);
  return row?.[column] ?? null;
}
const costOf = (hash: string | null) => Number(hash?.split('$')[1]);

beforeEach(() => {
  dir = tempDir('evidock-credentials-');
  const { catalogue } = Catalogue.open(join(dir.path, CATALOGUE_FILE));
  for (const [badge, role] of [
    ['ADM1', 'admin'],
    ['SUP1', 'supervisor'],
    ['P100', 'officer'],
    ['P200', 'officer'],
  ] as const) {
    seedUser(catalogue, { badge, role, password: PASSWORD });
  }
  catalogue.close();
  station = openStation({ dataDir: dir.path, log: () => {} });
  tokens.clear();
});
afterEach(() => {
  closeStation(station);
  dir.remove();
});

describe('changing one’s own password', () => {
  it('ends the account’s other sessions, not the one that changed it', async () => {
    await logIn('P100', 'desk');
    await logIn('P100', 'dock');

    await ok(
      'auth.changePassword',
      { currentPassword: PASSWORD, newPassword: 'Changed-2025' },
      'desk',
    );

    expect(await call('auth.whoami', {}, 'dock')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await call('auth.whoami', {}, 'desk')).toMatchObject({ ok: true });
  });
});

describe('a disabled account', () => {
  it('answers the right password exactly as a wrong one, counts it, and audits the real reason', async () => {
    await logIn('ADM1');
    await ok('users.disable', { badge: 'P100' }, 'ADM1');

    const wrong = await call('auth.login', { badge: 'P200', password: WRONG });
    const right = await call('auth.login', { badge: 'P100', password: PASSWORD });
    expect(right).toEqual(wrong);

    for (let i = 2; i < 5; i += 1) await call('auth.login', { badge: 'P100', password: PASSWORD });
    const fifth = await call('auth.login', { badge: 'P100', password: PASSWORD });
    expect(fifth).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    const reasons = station.catalogue.db
      .prepare<[], { details: string }>(
        "SELECT details FROM audit_log WHERE action = 'auth.login.failed' AND subject = 'user:P100'",
      )
      .all()
      .map((r) => (JSON.parse(r.details) as { reason: string }).reason);
    expect(reasons).toEqual(['disabled', 'disabled', 'disabled', 'disabled', 'disabled']);
  });
});

describe('an admin’s password reset', () => {
  it('also clears the dock PIN, so whoever knew it does not keep it', async () => {
    await logIn('ADM1');
    const officer = await logIn('P100');
    await ok('auth.setPin', { currentPassword: PASSWORD, pin: '583920' }, 'P100');
    await station.auth.verifyPin('P100', '583920', officer);

    await ok('users.resetPassword', { badge: 'P100', newPassword: 'Reset-By-Admin-1' }, 'ADM1');

    const session = await logIn('ADM1', 'again');
    await expect(station.auth.verifyPin('P100', '583920', session)).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    const { users } = await ok<{ users: User[] }>('users.list', {}, 'ADM1');
    expect(users.find((u) => u.badge === 'P100')).toMatchObject({ pinSet: false });
    const cleared = station.catalogue.db
      .prepare("SELECT actor, details FROM audit_log WHERE action = 'user.pin.cleared'")
      .all();
    expect(cleared).toEqual([{ actor: 'ADM1', details: '{"reason":"password-reset"}' }]);
  });
});

describe('IC card numbers', () => {
  it('are masked wherever the station answers with users; an admin still registers them', async () => {
    await logIn('ADM1');
    await logIn('SUP1');
    await ok('users.setCard', { badge: 'P100', cardNumber: CARD }, 'ADM1');

    const answers = [
      await call('users.list', {}, 'ADM1'),
      await call('users.list', {}, 'SUP1'),
      await call('auth.login', { badge: 'P100', password: PASSWORD }),
      await call('users.setCard', { badge: 'P200', cardNumber: '9988776655' }, 'ADM1'),
    ];
    for (const answer of answers) {
      expect(answer.ok).toBe(true);
      expect(JSON.stringify(answer)).not.toContain(CARD);
      expect(JSON.stringify(answer)).not.toContain('9988776655');
    }
    const { users } = (answers[0] as { value: { users: User[] } }).value;
    expect(users.find((u) => u.badge === 'P100')).toMatchObject({ cardMasked: '••••5678' });
    // The dock still knows the card by its whole number.
    expect(station.catalogue.users.findByCard(CARD)?.badge).toBe('P100');
  });
});

describe('dock PINs', () => {
  it('are six digits, as the national recorder standard’s device passwords', async () => {
    await logIn('P100');
    for (const pin of ['2468', '24680', '2468013', '24680135']) {
      expect(await call('auth.setPin', { currentPassword: PASSWORD, pin }, 'P100')).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect(await call('auth.setPin', { currentPassword: PASSWORD, pin: '246801' }, 'P100')).toEqual(
      { ok: true, value: {} },
    );
  });
});

describe('password and PIN hashes', () => {
  it('cost scrypt N=2^17, r=8, p=1; an older, cheaper hash is replaced at the next login', async () => {
    await logIn('ADM1');
    await ok(
      'users.add',
      { badge: 'P300', name: 'New', role: 'officer', password: PASSWORD },
      'ADM1',
    );
    expect(storedHash('P300', 'password_hash')).toMatch(/^scrypt\$131072\$8\$1\$/);

    // P100 was stored at an older, cheaper cost (as a station before this change stored it).
    expect(costOf(storedHash('P100', 'password_hash'))).toBeLessThan(2 ** 17);
    expect(await call('auth.login', { badge: 'P100', password: WRONG })).toMatchObject({
      ok: false,
    });
    expect(costOf(storedHash('P100', 'password_hash'))).toBeLessThan(2 ** 17);
    await logIn('P100');
    expect(storedHash('P100', 'password_hash')).toMatch(/^scrypt\$131072\$8\$1\$/);
    await logIn('P100', 'again');
  });

  it('an older PIN hash is replaced at the next right PIN', async () => {
    const session = await logIn('P200');
    station.catalogue.db
      .prepare('UPDATE users SET pin_hash = ? WHERE badge = ?')
      .run(quickHash('583920'), 'P200');

    await station.auth.verifyPin('P200', '583920', session);
    expect(storedHash('P200', 'pin_hash')).toMatch(/^scrypt\$131072\$8\$1\$/);
    await expect(station.auth.verifyPin('P200', '583920', session)).resolves.toMatchObject({
      badge: 'P200',
    });
  });
});

describe('a station upgraded to six-digit PINs', () => {
  it('clears the PINs set before, whatever their length, and says why', () => {
    const file = join(dir.path, 'old.sqlite');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 4));
    old
      .prepare(
        `INSERT INTO users (badge, name, role, password_hash, pin_hash, created_at, updated_at)
         VALUES (?, ?, 'officer', ?, ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
      )
      .run('P900', 'Four digits', quickHash(PASSWORD), quickHash('2468'));
    old
      .prepare(
        `INSERT INTO users (badge, name, role, password_hash, pin_hash, created_at, updated_at)
         VALUES (?, ?, 'officer', ?, ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
      )
      .run('P901', 'Six digits', quickHash(PASSWORD), quickHash('246801'));
    old.close();

    const { catalogue } = Catalogue.open(file);
    try {
      for (const badge of ['P900', 'P901']) {
        expect(catalogue.users.get(badge)).toMatchObject({
          pinHash: null,
          pinSet: false,
          pinCleared: 'six-digit-pins',
        });
      }
    } finally {
      catalogue.close();
    }
  });
});

describe('an admin who resets a password to act as someone who sees footage (D-CUSTODIAN)', () => {
  it('cannot reset a custodian’s or supervisor’s password, sign in as them and confirm a role', async () => {
    seedUser(station.catalogue, { badge: 'C001', role: 'custodian', password: PASSWORD });
    await logIn('ADM1');
    const asked = await ok<{ grant: { id: number } | null }>(
      'users.add',
      { badge: 'S666', name: 'Crony', role: 'supervisor', password: 'Crony-Password-1' },
      'ADM1',
    );
    expect(asked.grant).not.toBeNull();

    for (const badge of ['C001', 'SUP1']) {
      expect(
        await call('users.resetPassword', { badge, newPassword: 'Admin-Knows-This-1' }, 'ADM1'),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // The custodian's own password still works and the admin's does not.
    expect(
      await call('auth.login', { badge: 'C001', password: 'Admin-Knows-This-1' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    await logIn('C001');
  });

  it('cannot reset the password of an account a custodian is about to give a role', async () => {
    seedUser(station.catalogue, { badge: 'C001', role: 'custodian', password: PASSWORD });
    await logIn('ADM1');
    await ok('users.setRole', { badge: 'P200', role: 'custodian' }, 'ADM1');
    expect(
      await call(
        'users.resetPassword',
        { badge: 'P200', newPassword: 'Admin-Knows-This-2' },
        'ADM1',
      ),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await logIn('P200');
  });
});
