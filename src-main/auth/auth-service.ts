import { RpcError, type AuditAction, type SessionInfo, type User } from '../contract';
import type { Catalogue } from '../catalogue/catalogue';
import { publicUser, type UserRecord } from '../catalogue/users';
import type { AuditLog } from '../custody/audit-log';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password';
import { SessionStore } from './sessions';
import { activeLock, countAttempt, released, type CountedAttempt } from './sign-in-lock';

export interface AuthPolicy {
  idleTimeoutSeconds: number;
  /** Attempts in a row that lock a badge (passwords and dock PINs); also a session's wrong PINs. */
  maxFailedLogins: number;
  lockoutSeconds: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  // The workstation is shared by a whole shift: lock quickly.
  idleTimeoutSeconds: 5 * 60,
  maxFailedLogins: 5,
  lockoutSeconds: 5 * 60,
};

/** Who is calling, once their session token has been checked. */
export interface Caller {
  token: string;
  user: User;
}

/** Why a secret was refused, as the audit keeps it (the person is told only "wrong"). */
type Refusal =
  'wrong-password' | 'wrong-pin' | 'unknown-badge' | 'awaiting-grant' | 'disabled' | 'no-pin';

/** A dock PIN counted against the badge typed and against the session's user who typed it. */
interface PinAttempt {
  byCaller: CountedAttempt;
  byBadge: CountedAttempt;
}

/**
 * Logins, lockouts and sessions. Every outcome is audited (D-SUPERVISION).
 *
 * Every check of a secret (a password at login, the current password before changing it or
 * setting a PIN, a dock PIN) is counted in the catalogue BEFORE the slow scrypt, in the one
 * transaction that looks at the lock: guesses sent together, from several sessions or several
 * processes, each take a number, and no more of them are checked than the lock allows. Only a
 * success takes its count back; a failure only writes the audit entry.
 */
export class AuthService {
  readonly sessions: SessionStore;

  private readonly users: Catalogue['users'];

  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    readonly policy: AuthPolicy = DEFAULT_AUTH_POLICY,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.users = catalogue.users;
    this.sessions = new SessionStore(policy.idleTimeoutSeconds * 1000, () => this.now().getTime());
  }

  setupRequired(): boolean {
    return this.users.count() === 0;
  }

  /** The first account of an empty station, which must be an admin; refused once anyone exists. */
  async createFirstAdmin(input: {
    badge: string;
    name: string;
    password: string;
  }): Promise<SessionInfo> {
    const passwordHash = await hashPassword(input.password);
    this.catalogue.write((tx) => {
      if (!this.setupRequired()) {
        throw new RpcError(
          'SETUP_DONE',
          'This station already has users; ask an admin for an account.',
        );
      }
      tx.users.insert({ ...input, role: 'admin', passwordHash }, this.now().toISOString());
      this.audit.append(tx, {
        actor: input.badge,
        action: 'setup.admin.created',
        subject: `user:${input.badge}`,
        details: { name: input.name, role: 'admin' },
      });
    });
    return this.openSession(input.badge);
  }

  /**
   * A badge and its password. Whatever the badge is (no account, an account whose role awaits
   * confirmation, a disabled account), a refusal reads exactly as a wrong password and counts as
   * one: nothing confirms a guess. The audit keeps the real reason.
   */
  async login(badge: string, password: string): Promise<SessionInfo> {
    // Audited as the users table spells the badge, when an account has it.
    const counted = this.admit(
      'account',
      badge,
      'auth.login.refused',
      this.users.get(badge)?.badge ?? badge,
    );
    const before = this.users.get(badge);
    const matches = await verifyPassword(password, before?.passwordHash ?? (await decoyHash()));
    const refusal: Refusal | null = !before
      ? this.catalogue.roleGrants.pendingFor(badge)
        ? 'awaiting-grant'
        : 'unknown-badge'
      : before.disabled
        ? 'disabled'
        : matches
          ? null
          : 'wrong-password';
    if (before === undefined || refusal !== null) {
      throw this.refused(counted, {
        actor: before?.badge ?? badge,
        action: 'auth.login.failed',
        reason: refusal ?? 'unknown-badge',
        // A supervisor wants to know that a disabled account's own password was typed.
        details: refusal === 'disabled' ? { passwordRight: matches } : {},
        wrong: invalidCredentials(),
      });
    }
    const rehashed = needsRehash(before.passwordHash) ? await hashPassword(password) : null;
    // The password was proved against the hash read before the (slow) check: the session opens
    // only if that is still the account's password, in the same step as the write, so a reset
    // or a disabling that landed meanwhile is never outlived by a session.
    return this.catalogue.write((tx) => {
      this.requireUnchanged(before);
      tx.signInLocks.clear('account', before.badge);
      // A cheaper hash of an older station is stored again at today's cost, with the success.
      if (rehashed !== null) tx.users.rehashPassword(before.badge, before.passwordHash, rehashed);
      this.audit.append(tx, {
        actor: before.badge,
        action: 'auth.login',
        subject: `user:${before.badge}`,
      });
      return this.openSession(before.badge);
    });
  }

  logout(caller: Caller): void {
    this.sessions.close(caller.token);
    this.audit.record({
      actor: caller.user.badge,
      action: 'auth.logout',
      subject: `user:${caller.user.badge}`,
    });
  }

  /**
   * Checks a session token on every call. The user is re-read each time, so disabling an account,
   * changing its role or setting another password takes effect on its next call, not at its next
   * login, whichever process made the change.
   */
  resolve(token: string | undefined): Caller {
    if (!token) throw new RpcError('UNAUTHENTICATED', 'Log in first.');
    const session = this.sessions.touch(token);
    if (session === 'expired') {
      throw new RpcError(
        'SESSION_EXPIRED',
        'The session ended after a period without activity; log in again.',
      );
    }
    if (session === 'disabled') {
      throw new RpcError('ACCOUNT_DISABLED', 'This account was disabled by an admin.');
    }
    if (session === 'password-reset') {
      throw new RpcError(
        'UNAUTHENTICATED',
        'An admin reset this password; log in with the new one.',
      );
    }
    if (session === 'locked') {
      throw new RpcError('ACCOUNT_LOCKED', 'Too many wrong passwords: this account is locked.');
    }
    if (!session) throw new RpcError('UNAUTHENTICATED', 'Log in first.');
    const user = this.users.get(session.badge);
    if (!user || user.disabled) {
      this.sessions.close(token);
      throw new RpcError('ACCOUNT_DISABLED', 'This account is disabled; ask an admin.');
    }
    if (user.passwordGeneration !== session.generation) {
      this.sessions.close(token);
      throw new RpcError(
        'UNAUTHENTICATED',
        'The password of this account was changed; log in with the new one.',
      );
    }
    return { token, user: publicUser(user) };
  }

  /** The caller behind a live token without restarting its idle clock (for pushed events). */
  peek(token: string | undefined): Caller | undefined {
    const session = token ? this.sessions.peek(token) : undefined;
    const user = session && this.users.get(session.badge);
    return session && user && !user.disabled && user.passwordGeneration === session.generation
      ? { token: session.token, user: publicUser(user) }
      : undefined;
  }

  /**
   * A new password, proved by the current one. The account's other sessions end (in this and
   * any other station process): whoever else was signed in with the old password is out.
   */
  async changePassword(
    caller: Caller,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const record = await this.provenByPassword(caller, currentPassword);
    const passwordHash = await hashPassword(newPassword);
    this.catalogue.write((tx) => {
      this.requireUnchanged(record, caller);
      tx.users.setPasswordHash(record.badge, passwordHash, this.now().toISOString());
      tx.signInLocks.clear('account', record.badge);
      this.audit.append(tx, {
        actor: record.badge,
        action: 'auth.password.changed',
        subject: `user:${record.badge}`,
      });
      tx.afterCommit(() => this.sessions.adopt(caller.token, record.passwordGeneration + 1));
    });
  }

  /** Sets the caller's own dock PIN; their password proves it is them, as for a new password. */
  async setPin(caller: Caller, currentPassword: string, pin: string): Promise<void> {
    const record = await this.provenByPassword(caller, currentPassword);
    const pinHash = await hashPassword(pin);
    this.catalogue.write((tx) => {
      this.requireUnchanged(record, caller);
      tx.users.setPinHash(record.badge, pinHash, this.now().toISOString());
      tx.signInLocks.clear('account', record.badge);
      this.audit.append(tx, {
        actor: record.badge,
        action: 'user.pin.set',
        subject: `user:${record.badge}`,
      });
    });
  }

  /**
   * An officer confirming themselves at the dock with badge + PIN, typed at the session
   * `sessionToken`. Each PIN is counted before its check twice over: against the badge typed
   * (with its password guesses: six digits must not be guessable at leisure), and against the
   * session's user, whoever the PIN was for (an officer trying a few PINs on each colleague).
   * A right PIN gives back only its own attempts; it clears no earlier failure.
   */
  async verifyPin(badge: string, pin: string, sessionToken: string): Promise<User> {
    const session = this.sessions.peek(sessionToken);
    if (session === undefined) throw new RpcError('UNAUTHENTICATED', 'Log in first.');
    // The session's user is who acted; the badge typed is only whom it was about.
    const caller = this.users.get(session.badge)?.badge ?? session.badge;
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
        byCaller: countAttempt(tx, 'pin-caller', caller, this.policy, at, true),
        byBadge: countAttempt(tx, 'account', badge, this.policy, at),
      };
    });
    if (counted instanceof RpcError) throw counted;
    const record = this.users.get(badge);
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
      throw this.pinRefused(caller, record?.badge ?? badge, reason, counted);
    }
    const rehashed = needsRehash(record.pinHash!) ? await hashPassword(pin) : null;
    return this.catalogue.write((tx) => {
      const now = this.users.get(record.badge);
      // A reset (which clears the PIN), a new PIN or a disabling that landed during the check
      // wins: the PIN proved is no longer the account's.
      if (!now || now.disabled || now.pinHash !== record.pinHash) {
        throw new RpcError('INVALID_CREDENTIALS', 'Badge or PIN is wrong.');
      }
      released(tx, counted.byBadge, this.policy);
      released(tx, counted.byCaller, this.policy);
      if (rehashed !== null) tx.users.rehashPin(record.badge, record.pinHash!, rehashed);
      return publicUser(record);
    });
  }

  /** The caller's own record, once their current password proves it is them at the keyboard. */
  private async provenByPassword(caller: Caller, currentPassword: string): Promise<UserRecord> {
    // Guessing here, at someone's unlocked session, counts like guessing at the login screen.
    const badge = caller.user.badge;
    const counted = this.admit('account', badge, 'auth.password.change.failed', badge);
    const record = this.users.get(badge);
    const matches = await verifyPassword(
      currentPassword,
      record?.passwordHash ?? (await decoyHash()),
    );
    if (!record || !matches) {
      throw this.refused(counted, {
        actor: badge,
        action: 'auth.password.change.failed',
        reason: 'wrong-password',
        details: {},
        wrong: new RpcError('INVALID_CREDENTIALS', 'The current password is wrong.'),
      });
    }
    return record;
  }

  /**
   * Counts an attempt at a badge's own secret before it is checked, or refuses it unchecked
   * while the badge is locked (audited as `action`, by `actor`).
   */
  private admit(
    scope: 'account',
    badge: string,
    action: AuditAction,
    actor: string,
  ): CountedAttempt {
    const at = this.now();
    const outcome = this.catalogue.write((tx) => {
      const lockedUntil = activeLock(tx, scope, badge, at);
      if (lockedUntil === null) return countAttempt(tx, scope, badge, this.policy, at);
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
   * A refused password: audited with its real reason and its number in the count. Nothing is
   * written to the lock: the attempt was counted before the check, and a failure lifts no lock.
   */
  private refused(
    counted: CountedAttempt,
    refusal: {
      actor: string;
      action: AuditAction;
      reason: Refusal;
      details: Record<string, unknown>;
      wrong: RpcError;
    },
  ): RpcError {
    const { actor, action, reason, details } = refusal;
    this.catalogue.write((tx) => {
      this.audit.append(tx, {
        actor,
        action,
        subject: `user:${actor}`,
        details: { reason, consecutiveFailures: counted.attempt, ...details },
      });
      if (counted.lockedUntil !== null) {
        this.audit.append(tx, {
          actor,
          action: 'auth.locked',
          subject: `user:${actor}`,
          details: { consecutiveFailures: counted.attempt, lockedUntil: counted.lockedUntil },
        });
      }
    });
    if (counted.lockedUntil === null) return refusal.wrong;
    this.sessions.revokeAllFor(actor, 'locked');
    return lockedError(counted.lockedUntil);
  }

  /** A refused dock PIN, audited as the session's user who typed it. */
  private pinRefused(
    caller: string,
    badge: string,
    reason: Refusal,
    counted: PinAttempt,
  ): RpcError {
    const { byCaller, byBadge } = counted;
    this.catalogue.write((tx) => {
      this.audit.append(tx, {
        actor: caller,
        action: 'docking.officer.refused',
        subject: `user:${badge}`,
        details: { reason, consecutiveFailures: byBadge.attempt },
      });
      if (byBadge.lockedUntil !== null) {
        this.audit.append(tx, {
          actor: caller,
          action: 'auth.locked',
          subject: `user:${badge}`,
          details: { consecutiveFailures: byBadge.attempt, lockedUntil: byBadge.lockedUntil },
        });
      }
      if (byCaller.lockedUntil !== null) {
        this.audit.append(tx, {
          actor: caller,
          action: 'auth.pin.checks.paused',
          subject: `user:${caller}`,
          details: { wrongPins: byCaller.attempt, until: byCaller.lockedUntil },
        });
      }
    });
    if (byBadge.lockedUntil !== null) {
      this.sessions.revokeAllFor(badge, 'locked');
      return lockedError(byBadge.lockedUntil);
    }
    if (byCaller.lockedUntil !== null) return tooManyPins(byCaller.lockedUntil);
    return new RpcError('INVALID_CREDENTIALS', 'Badge or PIN is wrong.');
  }

  /**
   * Inside the write a password proved: the account still has the password that was proved (an
   * admin's reset or a change meanwhile wins; a re-hash at a higher cost is the same password),
   * is not disabled, and the session that asked is still open.
   */
  private requireUnchanged(proved: UserRecord, caller?: Caller): void {
    const now = this.users.get(proved.badge);
    if (caller !== undefined && this.sessions.peek(caller.token) === undefined) {
      throw new RpcError('UNAUTHENTICATED', 'The session ended; log in again.');
    }
    if (!now || now.passwordGeneration !== proved.passwordGeneration) {
      // At the login screen, as any wrong password: nothing tells the old one was right.
      throw caller === undefined
        ? invalidCredentials()
        : new RpcError(
            'INVALID_CREDENTIALS',
            'The password was changed meanwhile; use the new one.',
          );
    }
    if (now.disabled) {
      throw caller === undefined
        ? invalidCredentials()
        : new RpcError('ACCOUNT_DISABLED', 'This account is disabled; ask an admin.');
    }
  }

  private openSession(badge: string): SessionInfo {
    const record = this.users.get(badge);
    if (!record) throw new RpcError('INTERNAL', `user ${badge} vanished while logging in`);
    const session = this.sessions.open(record.badge, record.passwordGeneration);
    return {
      token: session.token,
      user: publicUser(record),
      idleTimeoutSeconds: this.policy.idleTimeoutSeconds,
    };
  }
}

function invalidCredentials(): RpcError {
  return new RpcError('INVALID_CREDENTIALS', 'Badge or password is wrong.');
}

function lockedError(lockedUntil: string): RpcError {
  return new RpcError(
    'ACCOUNT_LOCKED',
    `Too many wrong passwords: this account is locked until ${lockedUntil}.`,
    { lockedUntil },
  );
}

function tooManyPins(until: string): RpcError {
  return new RpcError(
    'TOO_MANY_ATTEMPTS',
    `Too many wrong PINs were typed at this session: PINs are checked again after ${until}.`,
    { lockedUntil: until },
  );
}
