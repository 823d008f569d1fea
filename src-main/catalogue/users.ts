import type { PinClearedReason, Role, User } from '../contract';
import type { Sql } from './sql';

/** A user as the station keeps them: the public view's facts, the hashes and the whole card. */
export interface UserRecord extends Omit<User, 'cardMasked'> {
  passwordHash: string;
  /** Raised when a person sets the password (not when the station re-hashes it). */
  passwordGeneration: number;
  /** scrypt hash of the dock PIN, or null. */
  pinHash: string | null;
  /** The IC card's whole number: only the dock's reader and the card check see it. */
  cardNumber: string | null;
}

interface UserRow {
  badge: string;
  name: string;
  role: Role;
  password_hash: string;
  password_generation: number;
  disabled: number;
  created_at: string;
  pin_hash: string | null;
  pin_cleared: PinClearedReason | null;
  card_number: string | null;
  locked_until: string | null;
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
    passwordGeneration: row.password_generation,
    pinHash: row.pin_hash,
    pinSet: row.pin_hash !== null,
    pinCleared: row.pin_cleared,
    cardNumber: row.card_number,
  };
}

/**
 * An IC card number as answers show it: its last four characters, and only when there are at
 * least eight (the last four of a shorter number are most of it). The prefix never says how long
 * the number is.
 */
export function maskedCard(cardNumber: string | null): string | null {
  if (cardNumber === null) return null;
  return cardNumber.length >= 8 ? `••••${cardNumber.slice(-4)}` : '••••';
}

/** The public view of a user: never a hash, nor the card's whole number. */
export function publicUser(record: UserRecord): User {
  const { badge, name, role, disabled, createdAt, lockedUntil, pinSet, pinCleared } = record;
  return {
    badge,
    name,
    role,
    disabled,
    createdAt,
    lockedUntil,
    pinSet,
    pinCleared,
    cardMasked: maskedCard(record.cardNumber),
  };
}

/** A user with the lock of their badge (sign_in_locks), if any. */
const SELECT_USER = `SELECT u.badge, u.name, u.role, u.password_hash, u.password_generation,
    u.disabled, u.created_at, u.pin_hash, u.pin_cleared, u.card_number, l.locked_until
  FROM users u LEFT JOIN sign_in_locks l ON l.scope = 'account' AND l.badge = u.badge`;

/** The users table. Badges compare case-insensitively (`A123` and `a123` are one officer). */
export class UserReads {
  constructor(protected readonly sql: Sql) {}

  count(): number {
    return this.sql.read<[], { n: number }>('SELECT count(*) AS n FROM users').get()!.n;
  }

  get(badge: string): UserRecord | undefined {
    const row = this.sql.read<[string], UserRow>(`${SELECT_USER} WHERE u.badge = ?`).get(badge);
    return row && fromRow(row);
  }

  list(): UserRecord[] {
    return this.sql.read<[], UserRow>(`${SELECT_USER} ORDER BY u.role, u.badge`).all().map(fromRow);
  }

  /** The user an IC card belongs to (card numbers are unique). */
  findByCard(cardNumber: string): UserRecord | undefined {
    const row = this.sql
      .read<[string], UserRow>(`${SELECT_USER} WHERE u.card_number = ?`)
      .get(cardNumber);
    return row && fromRow(row);
  }

  /** Active admins: the station must always keep one. */
  activeAdmins(): number {
    return this.sql
      .read<[], { n: number }>(
        "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0",
      )
      .get()!.n;
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

  /** The person's own new PIN: whatever cleared the old one is no longer to be said. */
  setPinHash(badge: string, pinHash: string, at: string): void {
    this.sql
      .write('UPDATE users SET pin_hash = ?, pin_cleared = NULL, updated_at = ? WHERE badge = ?')
      .run(pinHash, at, badge);
  }

  /** Clears the dock PIN, keeping why, for the person to be told. */
  clearPin(badge: string, reason: PinClearedReason, at: string): void {
    this.sql
      .write('UPDATE users SET pin_hash = NULL, pin_cleared = ?, updated_at = ? WHERE badge = ?')
      .run(reason, at, badge);
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

  setRole(badge: string, role: Role, at: string): void {
    this.sql
      .write('UPDATE users SET role = ?, updated_at = ? WHERE badge = ?')
      .run(role, at, badge);
  }

  /** A password a person set (added, changed, reset): sessions under the old one end. */
  setPasswordHash(badge: string, passwordHash: string, at: string): void {
    this.sql
      .write(
        `UPDATE users SET password_hash = ?, password_generation = password_generation + 1,
           updated_at = ? WHERE badge = ?`,
      )
      .run(passwordHash, at, badge);
  }

  /**
   * The same password stored again at a higher cost, only if the hash is still the one that was
   * proved (a change that landed meanwhile wins). The generation stays: no session ends.
   */
  rehashPassword(badge: string, proved: string, passwordHash: string): void {
    this.sql
      .write('UPDATE users SET password_hash = ? WHERE badge = ? AND password_hash = ?')
      .run(passwordHash, badge, proved);
  }

  /** The same PIN stored again at a higher cost, only if it is still the one that was proved. */
  rehashPin(badge: string, proved: string, pinHash: string): void {
    this.sql
      .write('UPDATE users SET pin_hash = ? WHERE badge = ? AND pin_hash = ?')
      .run(pinHash, badge, proved);
  }
}
