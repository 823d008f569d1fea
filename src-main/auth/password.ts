import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { withHashingSlot } from './hashing-slots';

/**
 * scrypt (memory-hard) with N=2^17, r=8, p=1, OWASP's minimum: 128 MiB and about half a second per
 * hash on a station, which makes guessing from a stolen catalogue expensive. The parameters are
 * stored with each hash, so an older, cheaper hash still verifies and is stored again at this
 * cost at its next successful check (`needsRehash`).
 */
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return withHashingSlot(() => scryptKey(password, salt, options));
}

function scryptKey(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const maxmem = 256 * (options.N ?? 0) * (options.r ?? 0) + 1024 * 1024;
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** False for a wrong password and for a stored hash that is damaged: never a crash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const N = Number(n);
  const blockSize = Number(r);
  const parallel = Number(p);
  const sane =
    scheme === 'scrypt' &&
    Number.isInteger(N) &&
    N > 1 &&
    N <= 2 ** 20 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(blockSize) &&
    blockSize >= 1 &&
    blockSize <= 32 &&
    Number.isInteger(parallel) &&
    parallel >= 1 &&
    parallel <= 16 &&
    !!salt &&
    !!key;
  if (!sane) return false;
  const expected = Buffer.from(key, 'base64');
  // A busy station says so (withHashingSlot throws before any work); only a failing derivation
  // counts as a refusal.
  return withHashingSlot(async () => {
    try {
      const actual = await scryptKey(password, Buffer.from(salt, 'base64'), {
        N,
        r: blockSize,
        p: parallel,
      });
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    } catch {
      // A stored hash that does not parse proves nothing: the password is refused.
      return false;
    }
  });
}

/** Whether a stored hash is cheaper than the station's cost now, so it is stored again. */
export function needsRehash(stored: string): boolean {
  const [, n] = stored.split('$');
  return Number(n) < PARAMS.N;
}

/** Spent on unknown badges so a login's timing does not reveal which badges exist. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
