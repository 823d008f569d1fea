// Password hashing with real scrypt (N=2^17, OWASP's minimum): what is stored, what verifies, what
// is stored again at that cost, and what never throws. A hash takes about half a second here.
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../../src-main/auth/password';

const HASH_FORMAT = /^scrypt\$131072\$8\$1\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

describe('hashPassword', () => {
  it('stores scrypt$131072$8$1$<16-byte salt>$<32-byte key>, never the password', async () => {
    const stored = await hashPassword('correct horse 7');

    const match = HASH_FORMAT.exec(stored);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(match![2]!, 'base64')).toHaveLength(32);
    expect(stored).not.toContain('correct horse 7');
    expect(await verifyPassword('correct horse 7', stored)).toBe(true);
    expect(await verifyPassword('correct horse 8', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  }, 30_000);

  it('the same password hashed twice gets different salts and keys, and both verify', async () => {
    const [first, second] = await Promise.all([
      hashPassword('same-password-1'),
      hashPassword('same-password-1'),
    ]);

    expect(first).not.toBe(second);
    expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
    expect(await verifyPassword('same-password-1', second)).toBe(true);
  }, 30_000);

  it('composed and decomposed accents are one password (NFC), whichever way it was typed first', async () => {
    const composed = 'caf\u00e9-密码-2025';
    const decomposed = 'cafe\u0301-密码-2025';
    expect(composed).not.toBe(decomposed);

    const stored = await hashPassword(composed);
    expect(await verifyPassword(decomposed, stored)).toBe(true);
    expect(await verifyPassword(composed, stored)).toBe(true);
    expect(await verifyPassword('cafe-密码-2025', stored)).toBe(false);
  }, 30_000);
});

describe('verifyPassword', () => {
  it('checks a hash with the parameters stored in it, so older or newer costs keep working', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('older account', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const stored = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64'), key.toString('base64')].join(
      '$',
    );

    expect(await verifyPassword('older account', stored)).toBe(true);
    expect(await verifyPassword('older accounts', stored)).toBe(false);
  });

  it('says a hash cheaper than N=2^17 is to be stored again, and one at that cost is not', async () => {
    const older = ['scrypt', 2 ** 15, 8, 1, 'c2FsdA==', 'a2V5'].join('$');
    expect(needsRehash(older)).toBe(true);
    expect(needsRehash(await hashPassword('today'))).toBe(false);
  }, 30_000);

  const salt = Buffer.from('0123456789abcdef').toString('base64');
  const key = Buffer.alloc(32, 7).toString('base64');

  it.each([
    ['an empty string', ''],
    ['not a hash at all', 'garbage'],
    ['another scheme', `bcrypt$32768$8$1$${salt}$${key}`],
    ['a missing key', `scrypt$32768$8$1$${salt}`],
    ['a missing salt and key', 'scrypt$32768$8$1'],
    ['a non-numeric cost', `scrypt$abc$8$1$${salt}$${key}`],
    ['a cost that is not a power of two', `scrypt$3$8$1$${salt}$${key}`],
    ['a negative cost', `scrypt$-1$8$1$${salt}$${key}`],
    ['a zero block size', `scrypt$32768$0$1$${salt}$${key}`],
    ['a zero parallelism', `scrypt$32768$8$0$${salt}$${key}`],
  ])('a stored hash with %s is a failed check (false), never a crash', async (_label, stored) => {
    await expect(verifyPassword('any password', stored)).resolves.toBe(false);
  });
});

describe('decoyHash', () => {
  it('is one real scrypt hash, reused, that no ordinary password matches', async () => {
    const decoy = await decoyHash();
    expect(decoy).toMatch(HASH_FORMAT);
    expect(await decoyHash()).toBe(decoy);
    expect(await verifyPassword('password', decoy)).toBe(false);
  }, 30_000);
});
