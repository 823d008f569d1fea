import { RpcError, type SessionInfo, type User } from '../contract';
import type { Catalogue } from '../catalogue/catalogue';
import { publicUser, type UserRecord } from '../catalogue/users';
import type { AuditLog } from '../custody/audit-log';
import { DockPins } from './dock-pins';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password';
import { SessionStore } from './sessions';
import { invalidCredentials, SignInAttempts, type Refusal } from './sign-in-attempts';

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

/**
 * Logins, lockouts and sessions. Every outcome is audited (D-SUPERVISION). Each check of a secret
 * (a password at login, the current password before changing it or setting a PIN, a dock PIN)
 * is counted before it is made (`SignInAttempts`).
 */
export class AuthService {
  readonly sessions: SessionStore;

  private readonly users: Catalogue['users'];
  private readonly attempts: SignInAttempts;
  private readonly pins: DockPins;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    readonly policy: AuthPolicy = DEFAULT_AUTH_POLICY,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.users = catalogue.users;
    this.sessions = new SessionStore(policy.idleTimeoutSeconds * 1000, () => this.now().getTime());
    this.attempts = new SignInAttempts(catalogue, audit, this.sessions, policy, now);
    this.pins = new DockPins(catalogue, audit, this.sessions, this.attempts, policy, now);
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
    const before = this.users.get(badge);
    // Audited as the users table spells the badge, when an account has it.
    const counted = this.attempts.admit(badge, 'auth.login.refused', before?.badge ?? badge);
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
      throw this.attempts.refused(counted, {
        actor: before?.badge ?? badge,
        badge: before?.badge ?? badge,
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

  /** An officer confirming themselves at the dock with badge + PIN, typed at `sessionToken`. */
  verifyPin(badge: string, pin: string, sessionToken: string): Promise<User> {
    return this.pins.verify(badge, pin, sessionToken);
  }

  /** The caller's own record, once their current password proves it is them at the keyboard. */
  private async provenByPassword(caller: Caller, currentPassword: string): Promise<UserRecord> {
    // Guessing here, at someone's unlocked session, counts like guessing at the login screen.
    const badge = caller.user.badge;
    const counted = this.attempts.admit(badge, 'auth.password.change.failed', badge);
    const record = this.users.get(badge);
    const matches = await verifyPassword(
      currentPassword,
      record?.passwordHash ?? (await decoyHash()),
    );
    if (!record || !matches) {
      throw this.attempts.refused(counted, {
        actor: badge,
        badge,
        action: 'auth.password.change.failed',
        reason: 'wrong-password',
        details: {},
        wrong: new RpcError('INVALID_CREDENTIALS', 'The current password is wrong.'),
      });
    }
    return record;
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
