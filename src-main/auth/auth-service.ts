import { RpcError, type SessionInfo, type User } from '../contract';
import type { Catalogue } from '../catalogue/catalogue';
import { publicUser, type UserRecord } from '../catalogue/users';
import type { AuditLog } from '../custody/audit-log';
import { decoyHash, hashPassword, verifyPassword } from './password';
import { SessionStore } from './sessions';

export interface AuthPolicy {
  idleTimeoutSeconds: number;
  /** Consecutive failures that lock an account. */
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

/** Logins, lockouts and sessions. Every outcome is audited (D-SUPERVISION). */
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

  async login(badge: string, password: string): Promise<SessionInfo> {
    const before = this.users.get(badge);
    if (!before) {
      await verifyPassword(password, await decoyHash());
      this.audit.record({
        actor: badge,
        action: 'auth.login.failed',
        subject: `user:${badge}`,
        details: { reason: 'unknown-badge' },
      });
      throw invalidCredentials();
    }
    const lockedUntil = this.activeLock(before);
    if (lockedUntil) {
      this.audit.record({
        actor: before.badge,
        action: 'auth.login.refused',
        subject: `user:${before.badge}`,
        details: { reason: 'locked', lockedUntil },
      });
      throw lockedError(lockedUntil);
    }
    const matches = await verifyPassword(password, before.passwordHash);
    if (!matches) throw this.recordFailure(before.badge, 'auth.login.failed');
    if (before.disabled) {
      this.audit.record({
        actor: before.badge,
        action: 'auth.login.refused',
        subject: `user:${before.badge}`,
        details: { reason: 'disabled' },
      });
      throw new RpcError('ACCOUNT_DISABLED', 'This account is disabled; ask an admin.');
    }
    // The password was proved against the hash read before the (slow) check: the session opens
    // only if that is still the account's password, in the same step as the write, so a reset
    // or a disabling that landed meanwhile is never outlived by a session.
    return this.catalogue.write((tx) => {
      this.requireUnchanged(before);
      tx.users.clearFailures(before.badge, this.now().toISOString());
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
   * Checks a session token on every call. The user is re-read each time, so disabling an account
   * or changing its role takes effect on its next call, not at its next login.
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
    return { token, user: publicUser(user) };
  }

  /** The caller behind a live token without restarting its idle clock (for pushed events). */
  peek(token: string | undefined): Caller | undefined {
    const session = token ? this.sessions.peek(token) : undefined;
    const user = session && this.users.get(session.badge);
    return session && user && !user.disabled
      ? { token: session.token, user: publicUser(user) }
      : undefined;
  }

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
      this.audit.append(tx, {
        actor: record.badge,
        action: 'auth.password.changed',
        subject: `user:${record.badge}`,
      });
    });
  }

  /** Sets the caller's own dock PIN; their password proves it is them, as for a new password. */
  async setPin(caller: Caller, currentPassword: string, pin: string): Promise<void> {
    const record = await this.provenByPassword(caller, currentPassword);
    const pinHash = await hashPassword(pin);
    this.catalogue.write((tx) => {
      this.requireUnchanged(record, caller);
      tx.users.setPinHash(record.badge, pinHash, this.now().toISOString());
      this.audit.append(tx, {
        actor: record.badge,
        action: 'user.pin.set',
        subject: `user:${record.badge}`,
      });
    });
  }

  /**
   * An officer confirming themselves at the dock with badge + PIN. A wrong PIN counts toward the
   * same lockout as a wrong password: four digits must not be guessable at leisure.
   */
  async verifyPin(badge: string, pin: string): Promise<User> {
    const record = this.users.get(badge);
    const refuse = (reason: string): RpcError => {
      this.audit.record({
        actor: record?.badge ?? badge,
        action: 'docking.officer.refused',
        subject: `user:${record?.badge ?? badge}`,
        details: { reason },
      });
      return new RpcError('INVALID_CREDENTIALS', 'Badge or PIN is wrong.');
    };
    if (!record || record.pinHash === null) {
      await verifyPassword(pin, await decoyHash());
      throw refuse(record ? 'no-pin' : 'unknown-badge');
    }
    const lockedUntil = this.activeLock(record);
    if (lockedUntil) {
      refuse('locked');
      throw lockedError(lockedUntil);
    }
    if (record.disabled) throw refuse('disabled');
    if (!(await verifyPassword(pin, record.pinHash))) {
      const failure = this.recordFailure(record.badge, 'docking.officer.refused');
      if (failure.code === 'ACCOUNT_LOCKED') this.sessions.revokeAllFor(record.badge, 'locked');
      throw failure.code === 'ACCOUNT_LOCKED'
        ? failure
        : new RpcError('INVALID_CREDENTIALS', 'Badge or PIN is wrong.');
    }
    this.catalogue.write((tx) => tx.users.clearFailures(record.badge, this.now().toISOString()));
    return publicUser(record);
  }

  /** The caller's own record, once their current password proves it is them at the keyboard. */
  private async provenByPassword(caller: Caller, currentPassword: string): Promise<UserRecord> {
    const record = this.users.get(caller.user.badge);
    if (!record) throw new RpcError('NOT_FOUND', 'This account no longer exists.');
    if (!(await verifyPassword(currentPassword, record.passwordHash))) {
      // Guessing here, at someone's unlocked session, counts like guessing at the login screen.
      const failure = this.recordFailure(record.badge, 'auth.password.change.failed');
      if (failure.code === 'ACCOUNT_LOCKED') this.sessions.revokeAllFor(record.badge, 'locked');
      throw failure.code === 'ACCOUNT_LOCKED'
        ? failure
        : new RpcError('INVALID_CREDENTIALS', 'The current password is wrong.');
    }
    return record;
  }

  /**
   * Inside the write a password proved: the account still has the password that was proved
   * (an admin's reset meanwhile wins, it is not overwritten nor outlived), is not disabled, and
   * the session that asked is still open.
   */
  private requireUnchanged(proved: UserRecord, caller?: Caller): void {
    const now = this.users.get(proved.badge);
    if (caller !== undefined && this.sessions.peek(caller.token) === undefined) {
      throw new RpcError('UNAUTHENTICATED', 'The session ended; log in again.');
    }
    if (!now || now.passwordHash !== proved.passwordHash) {
      // At the login screen, as any wrong password: nothing tells the old one was right.
      throw caller === undefined
        ? invalidCredentials()
        : new RpcError(
            'INVALID_CREDENTIALS',
            'The password was changed meanwhile; use the new one.',
          );
    }
    if (now.disabled)
      throw new RpcError('ACCOUNT_DISABLED', 'This account is disabled; ask an admin.');
  }

  private openSession(badge: string): SessionInfo {
    const record = this.users.get(badge);
    if (!record) throw new RpcError('INTERNAL', `user ${badge} vanished while logging in`);
    const session = this.sessions.open(record.badge);
    return {
      token: session.token,
      user: publicUser(record),
      idleTimeoutSeconds: this.policy.idleTimeoutSeconds,
    };
  }

  private activeLock(user: UserRecord): string | null {
    return user.lockedUntil && Date.parse(user.lockedUntil) > this.now().getTime()
      ? user.lockedUntil
      : null;
  }

  /** Counts a wrong password; the fifth in a row locks the account for the lockout period. */
  private recordFailure(
    badge: string,
    action: 'auth.login.failed' | 'auth.password.change.failed' | 'docking.officer.refused',
  ): RpcError {
    return this.catalogue.write((tx) => {
      const current = this.users.get(badge);
      const failures = (current?.failedLogins ?? 0) + 1;
      const at = this.now();
      this.audit.append(tx, {
        actor: badge,
        action,
        subject: `user:${badge}`,
        details: { reason: 'wrong-password', consecutiveFailures: failures },
      });
      if (failures < this.policy.maxFailedLogins) {
        tx.users.recordFailure(badge, failures, null, at.toISOString());
        return invalidCredentials();
      }
      const lockedUntil = new Date(at.getTime() + this.policy.lockoutSeconds * 1000).toISOString();
      tx.users.recordFailure(badge, 0, lockedUntil, at.toISOString());
      this.audit.append(tx, {
        actor: badge,
        action: 'auth.locked',
        subject: `user:${badge}`,
        details: { consecutiveFailures: failures, lockedUntil },
      });
      return lockedError(lockedUntil);
    });
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
