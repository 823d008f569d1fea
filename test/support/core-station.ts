// Helpers for the unit tests of the station's core (catalogue, custody, auth): real SQLite,
// real scrypt, an injected clock. Nothing here replaces a module under test.
import type Database from 'better-sqlite3';
import { randomBytes, scryptSync } from 'node:crypto';
import type { AuditRow } from '../../src-main/catalogue/audit-entries';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import type { Role } from '../../src-main/contract';
import { RpcError } from '../../src-main/contract';

/** A private, migrated in-memory catalogue. */
export function memoryCatalogue(): Catalogue {
  return Catalogue.open(':memory:').catalogue;
}

/** A clock the test moves by hand; services read it through `now`. */
export interface TestClock {
  now: () => Date;
  advanceSeconds: (seconds: number) => void;
  set: (iso: string) => void;
}

export function testClock(startIso = '2025-03-01T08:00:00.000Z'): TestClock {
  let current = Date.parse(startIso);
  return {
    now: () => new Date(current),
    advanceSeconds: (seconds) => {
      current += seconds * 1000;
    },
    set: (iso) => {
      current = Date.parse(iso);
    },
  };
}

/**
 * A real scrypt hash of `password` at a low cost (N=2^12 instead of the station's 2^17), cheap to
 * seed. verifyPassword reads the cost stored in each hash; the first login of a seeded user
 * stores the password again at full cost, as it would for an account of an older station, so
 * from then on that user's logins cost what they cost at a station (about half a second).
 */
export function quickHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 2 ** 12, r: 8, p: 1 });
  return ['scrypt', 2 ** 12, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Puts a user straight into the users table, with a real (low-cost) scrypt hash of `password`. */
export function seedUser(
  catalogue: Catalogue,
  user: { badge: string; name?: string; role: Role; password: string },
  at = '2025-03-01T07:00:00.000Z',
): void {
  catalogue.write((tx) =>
    tx.users.insert(
      {
        badge: user.badge,
        name: user.name ?? `Officer ${user.badge}`,
        role: user.role,
        passwordHash: quickHash(user.password),
      },
      at,
    ),
  );
}

/** What an attacker with the sqlite shell does first: remove the append-only triggers. */
export function dropAuditTriggers(db: Database.Database): void {
  db.exec(`DROP TRIGGER audit_log_refuses_update; DROP TRIGGER audit_log_refuses_delete;`);
}

/** What an insider does first with the sqlite shell to the clips: every guard on the table removed. */
export function dropClipTriggers(db: Database.Database): void {
  const names = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'clips'",
    )
    .all();
  for (const { name } of names) db.exec(`DROP TRIGGER "${name}"`);
}

/** The audit_log rows as SQLite stores them, read past the station's code. */
export function rawAuditRows(db: Database.Database): AuditRow[] {
  return db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').all();
}

/** The error `work` throws, or a failure if it throws nothing. */
export function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** The reason `promise` rejects with, or a failure if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Narrows an unknown error to an RpcError, failing loudly when it is something else. */
export function asRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  throw new Error(`expected an RpcError, got: ${String(error)}`, { cause: error });
}
