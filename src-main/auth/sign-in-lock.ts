import type { CatalogueWrite } from '../catalogue/catalogue';
import type { LockScope } from '../catalogue/sign-in-locks';

/** How many attempts a badge gets before it is locked, and for how long. */
export interface LockLimits {
  maxFailedLogins: number;
  lockoutSeconds: number;
}

/** An attempt counted before its check: its number, and the lock it set if it reached the limit. */
export interface CountedAttempt {
  scope: LockScope;
  badge: string;
  attempt: number;
  lockedUntil: string | null;
}

/**
 * The lock that refuses an attempt now, or null. A lock whose time has passed refuses nothing:
 * the next attempt starts a fresh count.
 */
export function activeLock(
  tx: CatalogueWrite,
  scope: LockScope,
  badge: string,
  now: Date,
): string | null {
  const lockedUntil = tx.signInLocks.get(scope, badge)?.lockedUntil ?? null;
  return lockedUntil !== null && Date.parse(lockedUntil) > now.getTime() ? lockedUntil : null;
}

/**
 * Counts an attempt BEFORE its (slow) check, in the transaction that found no lock: parallel
 * guesses each take a number, so a burst is checked no more often than the limit allows, and the
 * attempt that reaches the limit sets the lock then, not after its check. Nothing but a success
 * takes a count back (`released`, `cleared`): a failure writes nothing here.
 *
 * `forgetAfterQuiet`: a count that saw no attempt for a lockout period starts again (a session's
 * PIN typos over a shift must not add up; a guesser waiting that long gains nothing).
 */
export function countAttempt(
  tx: CatalogueWrite,
  scope: LockScope,
  badge: string,
  limits: LockLimits,
  now: Date,
  forgetAfterQuiet = false,
): CountedAttempt {
  const current = tx.signInLocks.get(scope, badge);
  const lockoutMs = limits.lockoutSeconds * 1000;
  const stale =
    current === undefined ||
    current.lockedUntil !== null ||
    (forgetAfterQuiet && now.getTime() - Date.parse(current.lastAttemptAt) > lockoutMs);
  // Only ever called with no active lock: a lock still set here has been served.
  const attempt = (stale ? 0 : current.attempts) + 1;
  const lockedUntil =
    attempt >= limits.maxFailedLogins ? new Date(now.getTime() + lockoutMs).toISOString() : null;
  tx.signInLocks.save(scope, badge, {
    attempts: attempt,
    lockedUntil,
    lastAttemptAt: now.toISOString(),
  });
  return { scope, badge, attempt, lockedUntil };
}

/**
 * A success gives back its own attempt, nothing more: a right PIN must not wipe the failures
 * before it (nor those of the password it does not prove). The lock goes only if the count it
 * stood on is now below the limit, i.e. this attempt was the one that set it.
 */
export function released(tx: CatalogueWrite, counted: CountedAttempt, limits: LockLimits): void {
  const current = tx.signInLocks.get(counted.scope, counted.badge);
  if (current === undefined) return;
  const attempts = Math.max(current.attempts - 1, 0);
  const lockedUntil = attempts >= limits.maxFailedLogins ? current.lockedUntil : null;
  if (attempts === 0 && lockedUntil === null) {
    tx.signInLocks.clear(counted.scope, counted.badge);
  } else {
    tx.signInLocks.save(counted.scope, counted.badge, { ...current, attempts, lockedUntil });
  }
}
