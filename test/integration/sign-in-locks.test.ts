// Sign-in locks attacked the way an insider would: many guesses sent at once over the station's
// WebSocket, guesses at an unlocked session's "change password", dock PINs guessed from several
// sessions, and several command-line processes guessing at the same moment. Each attempt is
// counted in the catalogue before its (slow) check, so a burst gets no more guesses than the
// lock allows, and nothing a failure writes can lift a lock (D-SUPERVISION).
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src-main/auth/password';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { RpcResult } from '../../src-main/contract';
import { closeStation, openStation, type Station } from '../../src-main/station/services';
import { CLI } from '../support/cli';
import { SocketClient } from '../support/socket-client';
import { startStationProcess, type StationProcess } from '../support/station-process';
import { tempDir } from '../support/temp';

const RIGHT = 'Right-Password-2025';
const WRONG = 'not-the-password';
/** The station's default: five wrong in a row lock the account for five minutes. */
const LIMIT = 5;

/** Users straight into a catalogue file, each with a real, full-cost hash of `RIGHT`. */
async function seedUsers(dataDir: string, users: { badge: string; role: string }[]) {
  const passwordHash = await hashPassword(RIGHT);
  const { catalogue } = Catalogue.open(join(dataDir, CATALOGUE_FILE));
  catalogue.db.transaction(() => {
    for (const user of users) {
      catalogue.db
        .prepare(
          `INSERT INTO users (badge, name, role, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`,
        )
        .run(user.badge, `User ${user.badge}`, user.role, passwordHash);
    }
  })();
  catalogue.close();
}

/** What the audit chain holds for a badge, read past the station with a connection of our own. */
function auditedFor(dataDir: string, badge: string): { action: string; reason?: string }[] {
  const db = new Database(join(dataDir, CATALOGUE_FILE), { readonly: true });
  try {
    return db
      .prepare<[string], { action: string; details: string }>(
        'SELECT action, details FROM audit_log WHERE subject = ? ORDER BY seq',
      )
      .all(`user:${badge}`)
      .map((row) => ({
        action: row.action,
        reason: (JSON.parse(row.details) as { reason?: string }).reason,
      }));
  } finally {
    db.close();
  }
}

const codeOf = (result: RpcResult): string => (result.ok ? 'OK' : result.error.code);
/** Guesses the station actually checked against a hash (refused-while-locked ones were not). */
const checked = (audit: { action: string; reason?: string }[], action: string) =>
  audit.filter((e) => e.action === action && e.reason !== 'locked').length;

describe('over the station’s WebSocket', () => {
  const dir = tempDir('evidock-locks-');
  let station: StationProcess;
  let client: SocketClient;

  beforeAll(async () => {
    await seedUsers(dir.path, [
      { badge: 'P101', role: 'officer' },
      { badge: 'P102', role: 'officer' },
      { badge: 'P103', role: 'officer' },
      { badge: 'P104', role: 'officer' },
    ]);
    station = await startStationProcess(dir.path);
    client = await SocketClient.open(station.url, `http://127.0.0.1:${station.port}`);
  });
  afterAll(async () => {
    client?.close();
    if (station?.child.exitCode === null) await station.stop();
    dir.remove();
  });

  const login = (badge: string, password: string) => client.call('auth.login', { badge, password });

  it('forty wrong passwords and the right one sent at once do not log in', async () => {
    const burst = [...Array.from({ length: 40 }, () => WRONG), RIGHT];
    const answers = await Promise.all(burst.map((password) => login('P101', password)));

    expect(answers.filter((a) => a.ok)).toEqual([]);
    expect(codeOf(answers.at(-1)!)).toBe('ACCOUNT_LOCKED');
    // Only as many guesses were checked as the lock allows; the rest were refused unchecked.
    expect(checked(auditedFor(dir.path, 'P101'), 'auth.login.failed')).toBe(LIMIT);
    expect(codeOf(await login('P101', RIGHT))).toBe('ACCOUNT_LOCKED');
  });

  it('a flood of sign-ins as badges nobody has is turned away at once, and a real sign-in still gets through', async () => {
    // Each check costs 128 MiB and half a second of a thread the archive's reads share: a flood
    // that queued them all would hold the station's memory and its file reads (D-SUPERVISION).
    const flood = Array.from({ length: 40 }, (_, i) => login(`NOBODY${i}`, WRONG));
    const answers = await Promise.all(flood);
    const codes = answers.map(codeOf);
    expect(codes.filter((c) => c === 'SIGN_IN_BUSY').length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'SIGN_IN_BUSY' || c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codeOf(await login('P104', RIGHT))).toBe('OK');
  });

  it('a burst of wrong passwords leaves the lock in place: the failures that finish last do not lift it', async () => {
    // Not a multiple of five: a failure that rewrites the count could not land on a lock by chance.
    const answers = await Promise.all(Array.from({ length: 43 }, () => login('P102', WRONG)));

    expect(answers.filter((a) => a.ok)).toEqual([]);
    expect(codeOf(await login('P102', RIGHT))).toBe('ACCOUNT_LOCKED');
  });

  it('guessing the current password at an unlocked session (change password) locks like the login screen', async () => {
    const session = await login('P103', RIGHT);
    client.session = (session as { value: { token: string } }).value.token;
    const guesses = [...Array.from({ length: 40 }, () => WRONG), RIGHT].map((current) =>
      client.call('auth.changePassword', {
        currentPassword: current,
        newPassword: 'Taken-Over-2025',
      }),
    );
    const answers = await Promise.all(guesses);

    expect(answers.filter((a) => a.ok)).toEqual([]);
    expect(auditedFor(dir.path, 'P103').map((e) => e.action)).not.toContain(
      'auth.password.changed',
    );
    expect(checked(auditedFor(dir.path, 'P103'), 'auth.password.change.failed')).toBe(LIMIT);
    expect(codeOf(await login('P103', RIGHT))).toBe('ACCOUNT_LOCKED');
    expect(codeOf(await login('P103', 'Taken-Over-2025'))).toBe('ACCOUNT_LOCKED');
  });

  it('guessing the current password when setting a dock PIN locks like the login screen', async () => {
    const session = await login('P104', RIGHT);
    client.session = (session as { value: { token: string } }).value.token;
    const guesses = [...Array.from({ length: 43 }, () => WRONG), RIGHT].map((current) =>
      client.call('auth.setPin', { currentPassword: current, pin: '583920' }),
    );
    const answers = await Promise.all(guesses);

    expect(answers.filter((a) => a.ok)).toEqual([]);
    expect(auditedFor(dir.path, 'P104').map((e) => e.action)).not.toContain('user.pin.set');
    expect(codeOf(await login('P104', RIGHT))).toBe('ACCOUNT_LOCKED');
  });
});

describe('dock PINs guessed from other sessions', () => {
  const dir = tempDir('evidock-pin-locks-');
  let station: Station;
  const PINS: Record<string, string> = { P201: '193847', P202: '502816', P203: '771204' };

  const call = (method: string, params: unknown, session?: string) =>
    station.dispatcher.dispatch({ method, params, session });
  async function sessionOf(badge: string): Promise<string> {
    const result = await call('auth.login', { badge, password: RIGHT });
    if (!result.ok) throw new Error(`${badge}: ${result.error.code}`);
    return (result.value as { token: string }).token;
  }

  beforeAll(async () => {
    await seedUsers(dir.path, [
      { badge: 'P200', role: 'officer' },
      { badge: 'P210', role: 'officer' },
      ...Object.keys(PINS).map((badge) => ({ badge, role: 'officer' })),
    ]);
    station = openStation({ dataDir: dir.path, log: () => {} });
    for (const [badge, pin] of Object.entries(PINS)) {
      const set = await call(
        'auth.setPin',
        { currentPassword: RIGHT, pin },
        await sessionOf(badge),
      );
      expect(set.ok).toBe(true);
    }
  });
  afterAll(() => {
    closeStation(station);
    dir.remove();
  });

  const verify = (badge: string, pin: string, session: string) =>
    station.auth.verifyPin(badge, pin, session).then(
      () => 'OK',
      (error: { code?: string }) => error.code ?? String(error),
    );

  it('thirty wrong PINs from three sessions and the right one, at once, do not confirm the colleague', async () => {
    const sessions = [await sessionOf('P200'), await sessionOf('P200'), await sessionOf('P200')];
    const guesses = Array.from({ length: 30 }, (_, i) => String(100000 + i));
    const answers = await Promise.all([
      ...guesses.map((pin, i) => verify('P201', pin, sessions[i % 3]!)),
      verify('P201', PINS.P201!, sessions[0]!),
    ]);

    expect(answers.at(-1)).not.toBe('OK');
    expect(answers.filter((a) => a === 'OK')).toEqual([]);
    const refusals = auditedFor(dir.path, 'P201').filter(
      (e) => e.action === 'docking.officer.refused' && e.reason === 'wrong-pin',
    );
    expect(refusals.length).toBeLessThanOrEqual(LIMIT);
  });

  it('one officer trying a few PINs on each of many colleagues is stopped by the count of their own session', async () => {
    const attacker = await sessionOf('P210');
    // Four wrong guesses at one colleague, one at the other: no colleague reaches the limit …
    for (const pin of ['000001', '000002', '000003', '000004']) {
      expect(await verify('P202', pin, attacker)).toBe('INVALID_CREDENTIALS');
    }
    // … but the guesser's own count does: the fifth wrong PIN pauses their PIN checks,
    expect(await verify('P203', '000005', attacker)).toBe('TOO_MANY_ATTEMPTS');
    // and the right PIN is then not even checked for them.
    expect(await verify('P203', PINS.P203!, attacker)).toBe('TOO_MANY_ATTEMPTS');
  });
});

describe('several command-line processes guessing at the same moment', () => {
  const dir = tempDir('evidock-cli-locks-');

  beforeAll(async () => {
    await seedUsers(dir.path, [
      { badge: 'A001', role: 'admin' },
      { badge: 'P300', role: 'officer' },
    ]);
  });
  afterAll(() => dir.remove());

  /** Starts `evidock` and waits until it has opened the catalogue; it then waits for stdin. */
  function ready(args: string[]) {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<unknown>((resolve, reject) =>
      child.on('close', () =>
        stdout ? resolve(JSON.parse(stdout) as unknown) : reject(new Error(`no answer: ${stderr}`)),
      ),
    );
    const opened = async () => {
      const catalogue = join(dir.path, CATALOGUE_FILE);
      for (let i = 0; i < 600; i += 1) {
        try {
          const fds = readdirSync(`/proc/${child.pid}/fd`);
          if (fds.some((fd) => safeReadlink(`/proc/${child.pid}/fd/${fd}`) === catalogue)) return;
        } catch {
          // Not started yet.
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the command never opened the catalogue');
    };
    return { child, done, opened };
  }

  it.runIf(process.platform === 'linux')(
    'eight wrong admin passwords typed into eight processes at once check five, and the lock holds',
    async () => {
      const runs = Array.from({ length: 8 }, () =>
        ready([
          'users',
          'disable',
          '--badge',
          'P300',
          '--user',
          'A001',
          '--data-dir',
          dir.path,
          '--json',
        ]),
      );
      await Promise.all(runs.map((run) => run.opened()));
      // Every process is waiting for its password: type them all at the same moment.
      for (const run of runs) run.child.stdin.end(`${WRONG}\n`);
      const answers = (await Promise.all(runs.map((run) => run.done))) as {
        error?: { code: string };
      }[];

      expect(answers.every((a) => a.error !== undefined)).toBe(true);
      expect(checked(auditedFor(dir.path, 'A001'), 'auth.login.failed')).toBe(LIMIT);
      const right = ready([
        'users',
        'disable',
        '--badge',
        'P300',
        '--user',
        'A001',
        '--data-dir',
        dir.path,
        '--json',
      ]);
      right.child.stdin.end(`${RIGHT}\n`);
      expect(await right.done).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
    },
  );
});

function safeReadlink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
