import { RpcError, type AuditAction } from '../contract';
import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { AuditLog } from '../custody/audit-log';
import type { SessionStore } from './sessions';
import { activeLock, countAttempt, type CountedAttempt, type LockLimits } from './sign-in-lock';

/** Why a secret was refused, as the audit keeps it (the person is told only "wrong"). */
export type Refusal =
  'wrong-password' | 'wrong-pin' | 'unknown-badge' | 'awaiting-grant' | 'disabled' | 'no-pin';

/** A refused secret as the audit keeps it, and what the person is told when it set no lock. */
export interface RefusedAttempt {
  /** Who acted: the badge typed at the login screen, the session's user at the dock. */
  actor: string;
  /** Whose secret it was, and whose count it took a number of. */
  badge: string;
  action: AuditAction;
  reason: Refusal;
  details: Record<string, unknown>;
  wrong: RpcError;
}

/**
 * Guesses at a badge's secrets (D-SUPERVISION). Every check of a secret is counted in the
 * catalogue BEFORE the slow scrypt, in the one transaction that looks at the lock: guesses sent
 * together, from several sessions or several processes, each take a number, and no more of them
 * are checked than the lock allows. Only a success takes its count back; a failure only writes
 * the audit entry.
 */
export class SignInAttempts {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly sessions: SessionStore,
    private readonly limits: LockLimits,
    private readonly now: () => Date,
  ) {}

  /**
   * Counts an attempt at a badge's own secret before it is checked, or refuses it unchecked
   * while the badge is locked (audited as `action`, by `actor`).
   */
  admit(badge: string, action: AuditAction, actor: string): CountedAttempt {
    const at = this.now();
    const outcome = this.catalogue.write((tx) => {
      const lockedUntil = activeLock(tx, 'account', badge, at);
      if (lockedUntil === null) return countAttempt(tx, 'account', badge, this.limits, at);
      this.audit.append(tx, {
        actor,
        action,
        subject: `user:${actor}`,
        details: { reason: 'locked', lockedUntil },
      });
      return lockedUntil;
    });
    if (typeof outcome === 'string') throw lockedError(outcome);
    return outcome;
  }

  /**
   * A refused secret: audited with its real reason and its number in the badge's count, with
   * the lock that number set (and whatever `alsoAudit` adds). Nothing is written to the lock: the
   * attempt was counted before the check, and a failure lifts no lock. A lock set here ends the
   * badge's sessions and is what the person is told; otherwise `wrong` is.
   */
  refused(
    counted: CountedAttempt,
    refusal: RefusedAttempt,
    alsoAudit?: (tx: CatalogueWrite) => void,
  ): RpcError {
    const { actor, badge, action, reason, details } = refusal;
    this.catalogue.write((tx) => {
      this.audit.append(tx, {
        actor,
        action,
        subject: `user:${badge}`,
        details: { reason, consecutiveFailures: counted.attempt, ...details },
      });
      if (counted.lockedUntil !== null) {
        this.audit.append(tx, {
          actor,
          action: 'auth.locked',
          subject: `user:${badge}`,
          details: { consecutiveFailures: counted.attempt, lockedUntil: counted.lockedUntil },
        });
      }
      alsoAudit?.(tx);
    });
    if (counted.lockedUntil === null) return refusal.wrong;
    this.sessions.revokeAllFor(badge, 'locked');
    return lockedError(counted.lockedUntil);
  }
}

export function invalidCredentials(): RpcError {
  return new RpcError('INVALID_CREDENTIALS', 'Badge or password is wrong.');
}

export function lockedError(lockedUntil: string): RpcError {
  return new RpcError(
    'ACCOUNT_LOCKED',
    `Too many wrong passwords: this account is locked until ${lockedUntil}.`,
    { lockedUntil },
  );
}
