import { RpcError, type User } from '../contract';
import type { Catalogue } from '../catalogue/catalogue';
import { publicUser } from '../catalogue/users';
import type { AuditLog } from '../custody/audit-log';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password';
import type { SessionStore } from './sessions';
import { lockedError, type Refusal, type SignInAttempts } from './sign-in-attempts';
import {
  activeLock,
  countAttempt,
  released,
  type CountedAttempt,
  type LockLimits,
} from './sign-in-lock';

/** A dock PIN counted against the badge typed and against the session's user who typed it. */
interface PinAttempt {
  byCaller: CountedAttempt;
  byBadge: CountedAttempt;
}

/** An officer confirming themselves at the dock with their badge and dock PIN. */
export class DockPins {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly sessions: SessionStore,
    private readonly attempts: SignInAttempts,
    private readonly limits: LockLimits,
    private readonly now: () => Date,
  ) {}

  /**
   * A badge and its PIN, typed at the session `sessionToken`. Each PIN is counted before its
   * check twice over: against the badge typed (with its password guesses: six digits must not be
   * guessable at leisure), and against the session's user, whoever the PIN was for (an officer
   * trying a few PINs on each colleague). A right PIN gives back only its own attempts; it clears
   * no earlier failure.
   */
  async verify(badge: string, pin: string, sessionToken: string): Promise<User> {
    const session = this.sessions.peek(sessionToken);
    if (session === undefined) throw new RpcError('UNAUTHENTICATED', 'Log in first.');
    // The session's user (as the users table spells the badge) is who acted; the badge typed is
    // only whom it was about.
    const caller = session.badge;
    const at = this.now();
    const counted = this.catalogue.write((tx): PinAttempt | RpcError => {
      const sessionLock = activeLock(tx, 'pin-caller', caller, at);
      const badgeLock = activeLock(tx, 'account', badge, at);
      if (sessionLock !== null || badgeLock !== null) {
        this.audit.append(tx, {
          actor: caller,
          action: 'docking.officer.refused',
          subject: `user:${badge}`,
          details: { reason: sessionLock !== null ? 'session-locked' : 'locked' },
        });
        return sessionLock !== null ? tooManyPins(sessionLock) : lockedError(badgeLock!);
      }
      return {
        byCaller: countAttempt(tx, 'pin-caller', caller, this.limits, at, true),
        byBadge: countAttempt(tx, 'account', badge, this.limits, at),
      };
    });
    if (counted instanceof RpcError) throw counted;
    const record = this.catalogue.users.get(badge);
    const usable = record !== undefined && record.pinHash !== null && !record.disabled;
    const matches = await verifyPassword(pin, (usable && record.pinHash) || (await decoyHash()));
    if (!usable || !matches) {
      const reason: Refusal = !record
        ? 'unknown-badge'
        : record.disabled
          ? 'disabled'
          : record.pinHash === null
            ? 'no-pin'
            : 'wrong-pin';
      throw this.refused(caller, record?.badge ?? badge, reason, counted);
    }
    const rehashed = needsRehash(record.pinHash!) ? await hashPassword(pin) : null;
    return this.catalogue.write((tx) => {
      const now = this.catalogue.users.get(record.badge);
      // A reset (which clears the PIN), a new PIN or a disabling that landed during the check
      // wins: the PIN proved is no longer the account's.
      if (!now || now.disabled || now.pinHash !== record.pinHash) throw wrongPin();
      released(tx, counted.byBadge, this.limits);
      released(tx, counted.byCaller, this.limits);
      if (rehashed !== null) tx.users.rehashPin(record.badge, record.pinHash!, rehashed);
      return publicUser(record);
    });
  }

  /**
   * A refused PIN, audited as the session's user who typed it. A lock on the badge is what they
   * are told first; then the pause of their own session's PIN checks.
   */
  private refused(caller: string, badge: string, reason: Refusal, counted: PinAttempt): RpcError {
    const paused = counted.byCaller;
    return this.attempts.refused(
      counted.byBadge,
      {
        actor: caller,
        badge,
        action: 'docking.officer.refused',
        reason,
        details: {},
        wrong: paused.lockedUntil === null ? wrongPin() : tooManyPins(paused.lockedUntil),
      },
      (tx) => {
        if (paused.lockedUntil === null) return;
        this.audit.append(tx, {
          actor: caller,
          action: 'auth.pin.checks.paused',
          subject: `user:${caller}`,
          details: { wrongPins: paused.attempt, until: paused.lockedUntil },
        });
      },
    );
  }
}

function wrongPin(): RpcError {
  return new RpcError('INVALID_CREDENTIALS', 'Badge or PIN is wrong.');
}

function tooManyPins(until: string): RpcError {
  return new RpcError(
    'TOO_MANY_ATTEMPTS',
    `Too many wrong PINs were typed at this session: PINs are checked again after ${until}.`,
    { lockedUntil: until },
  );
}
