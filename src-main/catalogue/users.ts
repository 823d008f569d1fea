import type { Role, User } from '../contract';
import type { Sql } from './sql';

export interface UserRecord extends User {
  passwordHash: string;
  failedLogins: number;
  /** scrypt hash of the dock PIN, or null. */
  pinHash: string | null;
}

interface UserRow {
  badge: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  pin_hash: string | null;
  card_number: string | null;
}

function fromRow(row: UserRow): UserRecord {
  return {
    badge: row.badge,
    name: row.name,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    lockedUntil: row.locked_until,
    passwordHash: row.password_hash,
    failedLogins: row.failed_logins,
    pinHash: row.pin_hash,
    pinSet: row.pin_hash !== null,
    cardNumber: row.card_number,
  };
}

/** The public view of a user: never the hash or the failure counter. */
export function publicUser(record: UserRecord): User {
  const { badge, name, role, disabled, createdAt, lockedUntil, pinSet, cardNumber } = record;
  return { badge, name, role, disabled, createdAt, lockedUntil, pinSet, cardNumber };
}

/** The users table. Badges compare case-insensitively (`A123` and `a123` are one officer). */
export class UserReads {
  constructor(protected readonly sql: Sql) {}

  count(): number {
    return this.sql.read<[], { n: number }>('SELECT count(*) AS n FROM users').get()!.n;
  }

  get(badge: string): UserRecord | undefined {
    const row = this.sql.read<[string], UserRow>('SELECT * FROM users WHERE badge = ?').get(badge);
    return row && fromRow(row);
  }

  list(): UserRecord[] {
    return this.sql
      .read<[], UserRow>('SELECT * FROM users ORDER BY role, badge')
      .all()
      .map(fromRow);
  }

  /** The user an IC card belongs to (card numbers are unique). */
  findByCard(cardNumber: string): UserRecord | undefined {
    const row = this.sql
      .read<[string], UserRow>('SELECT * FROM users WHERE card_number = ?')
      .get(cardNumber);
    return row && fromRow(row);
  }
}

/** The users table, written inside a catalogue transaction. */
export class UserRepository extends UserReads {
  insert(
    user: { badge: string; name: string; role: Role; passwordHash: string },
    at: string,
  ): void {
    this.sql
      .write(
        `INSERT INTO users (badge, name, role, password_hash, created_at, updated_at)
         VALUES (@badge, @name, @role, @passwordHash, @at, @at)`,
      )
      .run({ ...user, at });
  }

  setPinHash(badge: string, pinHash: string, at: string): void {
    this.sql
      .write('UPDATE users SET pin_hash = ?, updated_at = ? WHERE badge = ?')
      .run(pinHash, at, badge);
  }

  setCardNumber(badge: string, cardNumber: string | null, at: string): void {
    this.sql
      .write('UPDATE users SET card_number = ?, updated_at = ? WHERE badge = ?')
      .run(cardNumber, at, badge);
  }

  setDisabled(badge: string, disabled: boolean, at: string): void {
    this.sql
      .write('UPDATE users SET disabled = ?, updated_at = ? WHERE badge = ?')
      .run(disabled ? 1 : 0, at, badge);
  }

  setPasswordHash(badge: string, passwordHash: string, at: string): void {
    this.sql
      .write(
        `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ?
         WHERE badge = ?`,
      )
      .run(passwordHash, at, badge);
  }

  recordFailure(badge: string, failedLogins: number, lockedUntil: string | null, at: string): void {
    this.sql
      .write('UPDATE users SET failed_logins = ?, locked_until = ?, updated_at = ? WHERE badge = ?')
      .run(failedLogins, lockedUntil, at, badge);
  }

  clearFailures(badge: string, at: string): void {
    this.sql
      .write(
        `UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ?
         WHERE badge = ? AND (failed_logins != 0 OR locked_until IS NOT NULL)`,
      )
      .run(at, badge);
  }
}
