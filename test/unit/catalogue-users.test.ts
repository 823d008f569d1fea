// The users table: badges are one officer whatever their letter case, roles are the contract's,
// and the public view never carries a hash or an IC card's whole number. Sign-in locks are kept
// per badge beside it (sign_in_locks).
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalogue } from '../../src-main/catalogue/catalogue';
import { maskedCard, publicUser } from '../../src-main/catalogue/users';
import type { Role } from '../../src-main/contract';
import { memoryCatalogue } from '../support/core-station';

let db: Database.Database;
let catalogue: Catalogue;
let users: Catalogue['users'];

beforeEach(() => {
  catalogue = memoryCatalogue();
  db = catalogue.db;
  users = catalogue.users;
});
afterEach(() => db.close());

function add(badge: string, role: Role = 'officer', at = '2025-03-01T07:00:00.000Z'): void {
  catalogue.write((tx) =>
    tx.users.insert(
      { badge, name: `Officer ${badge}`, role, passwordHash: `scrypt$hash-of-${badge}` },
      at,
    ),
  );
}

const updatedAt = (badge: string) =>
  db.prepare('SELECT updated_at FROM users WHERE badge = ?').pluck().get(badge) as string;

describe('UserRepository', () => {
  it('A123 and a123 are one officer: found either way, and a second insert is refused', () => {
    add('A123');

    expect(users.get('a123')?.badge).toBe('A123');
    expect(() => add('a123')).toThrow(/UNIQUE constraint failed/);
    expect(users.count()).toBe(1);
  });

  it('a role outside the contract is refused by the table itself', () => {
    expect(() => add('B200', 'superuser' as Role)).toThrow(/CHECK constraint failed/);
    expect(users.count()).toBe(0);
  });

  it('a new user is enabled, unlocked, with no failures and the given creation time', () => {
    add('A100', 'custodian', '2025-02-02T02:02:02.000Z');
    expect(users.get('A100')).toEqual({
      badge: 'A100',
      name: 'Officer A100',
      role: 'custodian',
      disabled: false,
      createdAt: '2025-02-02T02:02:02.000Z',
      lockedUntil: null,
      passwordHash: 'scrypt$hash-of-A100',
      passwordGeneration: 1,
      pinHash: null,
      pinSet: false,
      pinCleared: null,
      cardNumber: null,
    });
    expect(users.get('nobody')).toBeUndefined();
  });

  it('lists users by role, then badge', () => {
    add('Z9', 'officer');
    add('B2', 'admin');
    add('A1', 'officer');
    add('C3', 'supervisor');
    expect(users.list().map((u) => `${u.role}:${u.badge}`)).toEqual([
      'admin:B2',
      'officer:A1',
      'officer:Z9',
      'supervisor:C3',
    ]);
  });

  it('a lock is kept per badge and read with the user; a new password raises the generation', () => {
    add('A100');
    catalogue.write((tx) =>
      tx.signInLocks.save('account', 'a100', {
        attempts: 5,
        lockedUntil: '2025-03-01T08:05:00.000Z',
        lastAttemptAt: '2025-03-01T08:00:00.000Z',
      }),
    );
    expect(users.get('A100')).toMatchObject({ lockedUntil: '2025-03-01T08:05:00.000Z' });
    // A badge no account has is counted all the same.
    catalogue.write((tx) =>
      tx.signInLocks.save('account', 'Z999', {
        attempts: 1,
        lockedUntil: null,
        lastAttemptAt: '2025-03-01T08:00:00.000Z',
      }),
    );
    expect(catalogue.signInLocks.get('account', 'z999')).toMatchObject({ attempts: 1 });

    catalogue.write((tx) =>
      tx.users.setPasswordHash('A100', 'scrypt$new', '2025-03-01T08:01:00.000Z'),
    );
    expect(users.get('A100')).toMatchObject({ passwordHash: 'scrypt$new', passwordGeneration: 2 });
    expect(updatedAt('A100')).toBe('2025-03-01T08:01:00.000Z');
  });

  it('a re-hash at a higher cost replaces only the hash that was proved, and keeps the generation', () => {
    add('A100');
    catalogue.write((tx) => tx.users.rehashPassword('A100', 'scrypt$other', 'scrypt$stronger'));
    expect(users.get('A100')!.passwordHash).toBe('scrypt$hash-of-A100');
    catalogue.write((tx) =>
      tx.users.rehashPassword('A100', 'scrypt$hash-of-A100', 'scrypt$stronger'),
    );
    expect(users.get('A100')).toMatchObject({
      passwordHash: 'scrypt$stronger',
      passwordGeneration: 1,
    });
  });

  it('disabling is stored and read back as a boolean', () => {
    add('A100');
    catalogue.write((tx) => tx.users.setDisabled('a100', true, '2025-03-01T08:00:00.000Z'));
    expect(users.get('A100')!.disabled).toBe(true);
    catalogue.write((tx) => tx.users.setDisabled('A100', false, '2025-03-01T08:00:01.000Z'));
    expect(users.get('A100')!.disabled).toBe(false);
  });

  it('the public view of a user has no hash, and the IC card masked to its last four', () => {
    add('A100');
    catalogue.write((tx) => tx.users.setCardNumber('A100', '0012345678', '2025-03-01T08:00:00Z'));
    const user = publicUser(users.get('A100')!);
    expect(user).toEqual({
      badge: 'A100',
      name: 'Officer A100',
      role: 'officer',
      disabled: false,
      createdAt: '2025-03-01T07:00:00.000Z',
      lockedUntil: null,
      pinSet: false,
      pinCleared: null,
      cardMasked: '••••5678',
    });
    expect(user).not.toHaveProperty('pinHash');
    expect(JSON.stringify(user)).not.toContain('0012345678');
  });

  it('a card number shorter than eight characters is masked whole', () => {
    expect(maskedCard('12AB56')).toBe('••••');
    expect(maskedCard('12AB5678')).toBe('••••5678');
    expect(maskedCard(null)).toBeNull();
  });
});
