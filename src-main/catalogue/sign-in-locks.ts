import type { Sql } from './sql';

/**
 * `account`: guesses at a badge's own password or dock PIN, whether or not an account has that
 * badge. `pin-caller`: dock PINs typed by a badge's sessions, for whomever they were typed.
 */
export type LockScope = 'account' | 'pin-caller';

/** Attempts counted against a badge, each before its check, and the lock they led to. */
export interface SignInLock {
  attempts: number;
  lockedUntil: string | null;
  lastAttemptAt: string;
}

interface SignInLockRow {
  attempts: number;
  locked_until: string | null;
  last_attempt_at: string;
}

/** The sign_in_locks table. Badges compare case-insensitively, as users does. */
export class SignInLockReads {
  constructor(protected readonly sql: Sql) {}

  get(scope: LockScope, badge: string): SignInLock | undefined {
    const row = this.sql
      .read<[LockScope, string], SignInLockRow>(
        `SELECT attempts, locked_until, last_attempt_at FROM sign_in_locks
         WHERE scope = ? AND badge = ?`,
      )
      .get(scope, badge);
    return (
      row && {
        attempts: row.attempts,
        lockedUntil: row.locked_until,
        lastAttemptAt: row.last_attempt_at,
      }
    );
  }
}

/** The sign_in_locks table, written inside a catalogue transaction. */
export class SignInLockRepository extends SignInLockReads {
  save(scope: LockScope, badge: string, lock: SignInLock): void {
    this.sql
      .write(
        `INSERT INTO sign_in_locks (scope, badge, attempts, locked_until, last_attempt_at)
         VALUES (@scope, @badge, @attempts, @lockedUntil, @lastAttemptAt)
         ON CONFLICT (scope, badge) DO UPDATE SET attempts = excluded.attempts,
           locked_until = excluded.locked_until, last_attempt_at = excluded.last_attempt_at`,
      )
      .run({ scope, badge, ...lock });
  }

  /** Forgets the count and any lock: only a proven password does this. */
  clear(scope: LockScope, badge: string): void {
    this.sql.write('DELETE FROM sign_in_locks WHERE scope = ? AND badge = ?').run(scope, badge);
  }
}
