import { isGrantedRole, RpcError, type Role, type User } from '../contract';
import type { Catalogue } from '../catalogue/catalogue';
import { publicUser, type UserRecord } from '../catalogue/users';
import type { AuditLog } from '../custody/audit-log';
import type { AuthService, Caller } from './auth-service';
import { sameBadge } from '../domain';
import { hashPassword } from './password';
import { RoleGrants, type Granting } from './role-grants';

/** Account administration by admins; every change is audited as the admin who made it. */
export class UserAdmin {
  /** Custodian and supervisor roles, which an admin asks for and a custodian confirms. */
  readonly grants: RoleGrants;

  private readonly users: Catalogue['users'];

  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly auth: AuthService,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.users = catalogue.users;
    this.grants = new RoleGrants(catalogue, audit, now);
  }

  list(): User[] {
    return this.users.list().map(publicUser);
  }

  /** A new account; a custodian or supervisor waits for a custodian's confirmation. */
  async add(
    caller: Caller,
    input: { badge: string; name: string; role: Role; password: string },
  ): Promise<Granting> {
    const passwordHash = await hashPassword(input.password);
    return this.catalogue.write((tx) =>
      this.grants.addAccount(tx, caller, { ...input, passwordHash }),
    );
  }

  /** Another role; to custodian or supervisor it waits, and the old role stays in force. */
  setRole(caller: Caller, badge: string, role: Role): Granting & { user: User } {
    return this.catalogue.write((tx) => {
      const target = this.require(badge);
      if (sameBadge(target.badge, caller.user.badge)) {
        throw new RpcError('CONFLICT', 'You cannot change your own role.');
      }
      const waiting = this.grants.pendingFor(target.badge);
      if (waiting) {
        throw new RpcError(
          'CONFLICT',
          `The ${waiting.role} role asked for ${target.badge} awaits a custodian's decision; ` +
            'it is confirmed or rejected first.',
        );
      }
      if (target.role === role) return { user: publicUser(target), grant: null };
      this.refuseLastAdmin(target);
      return this.grants.changeRole(tx, caller, target, role);
    });
  }

  setDisabled(caller: Caller, badge: string, disabled: boolean): User {
    // The checks and the change in one transaction: two admins disabling each other at once (one
    // here, one from the command line) cannot both pass "not the last admin".
    const target = this.catalogue.write((tx) => {
      const target = this.require(badge);
      if (disabled && sameBadge(target.badge, caller.user.badge)) {
        throw new RpcError('CONFLICT', 'You cannot disable your own account.');
      }
      if (disabled) this.refuseLastAdmin(target);
      if (target.disabled === disabled) return target;
      tx.users.setDisabled(target.badge, disabled, this.now().toISOString());
      this.audit.append(tx, {
        actor: caller.user.badge,
        action: disabled ? 'user.disabled' : 'user.enabled',
        subject: `user:${target.badge}`,
      });
      if (disabled) tx.afterCommit(() => this.auth.sessions.revokeAllFor(target.badge, 'disabled'));
      return target;
    });
    return publicUser(this.require(target.badge));
  }

  /** Inside the write that would take `target`'s admin role away: the station keeps one. */
  private refuseLastAdmin(target: UserRecord): void {
    if (target.role === 'admin' && !target.disabled && this.users.activeAdmins() <= 1) {
      throw new RpcError(
        'CONFLICT',
        'This is the last active admin; the station would have no admin.',
      );
    }
  }

  /**
   * A new password for someone who forgot theirs. It lifts a sign-in lock, and clears the dock
   * PIN too: whoever knew the PIN (or the old password) must not keep a way in.
   */
  async resetPassword(caller: Caller, badge: string, newPassword: string): Promise<User> {
    this.refuseResetOf(this.require(badge));
    const passwordHash = await hashPassword(newPassword);
    const target = this.catalogue.write((tx) => {
      const target = this.require(badge);
      this.refuseResetOf(target);
      const at = this.now().toISOString();
      tx.users.setPasswordHash(target.badge, passwordHash, at);
      tx.signInLocks.clear('account', target.badge);
      this.audit.append(tx, {
        actor: caller.user.badge,
        action: 'user.password.reset',
        subject: `user:${target.badge}`,
      });
      if (target.pinHash !== null) {
        tx.users.clearPin(target.badge, 'password-reset', at);
        this.audit.append(tx, {
          actor: caller.user.badge,
          action: 'user.pin.cleared',
          subject: `user:${target.badge}`,
          details: { reason: 'password-reset' },
        });
      }
      return target;
    });
    // Sessions opened before the reset end here (and in any other process, at their next call:
    // the password's generation moved on); a login or a change of password still checking the
    // old one is refused when it comes to write.
    this.auth.sessions.revokeAllFor(target.badge, 'password-reset');
    return publicUser(this.require(badge));
  }

  /**
   * An admin who could set a custodian's or supervisor's password could sign in as them and
   * confirm their own requests or read footage: one person acting as two (D-CUSTODIAN). Those
   * accounts change their own password; nor is a password reset while a role that sees footage
   * waits for that account, or the confirming custodian would be granting it to the admin.
   */
  private refuseResetOf(target: UserRecord): void {
    if (isGrantedRole(target.role)) {
      throw new RpcError(
        'FORBIDDEN',
        `An admin does not reset a ${target.role}'s password (D-CUSTODIAN: it would let one ` +
          'person act as two); they change it themselves.',
        { reason: 'privileged-account' },
      );
    }
    const waiting = this.grants.pendingFor(target.badge);
    if (waiting) {
      throw new RpcError(
        'CONFLICT',
        `The ${waiting.role} role asked for ${target.badge} awaits a custodian's decision; ` +
          'its password is not reset meanwhile.',
        { reason: 'role-pending' },
      );
    }
  }

  /** Registers (or removes) the IC card an officer confirms themselves with at the dock. */
  setCard(caller: Caller, badge: string, cardNumber: string | null): User {
    this.catalogue.write((tx) => {
      const target = this.require(badge);
      const holder = cardNumber === null ? undefined : this.users.findByCard(cardNumber);
      if (holder && holder.badge !== target.badge) {
        throw new RpcError('CONFLICT', `This card is already registered to ${holder.badge}.`);
      }
      if (target.cardNumber === cardNumber) return;
      tx.users.setCardNumber(target.badge, cardNumber, this.now().toISOString());
      this.audit.append(tx, {
        actor: caller.user.badge,
        action: 'user.card.set',
        subject: `user:${target.badge}`,
        // The number itself identifies a person's card: kept out of the permanent log.
        details: { card: cardNumber === null ? 'removed' : 'registered' },
      });
    });
    return publicUser(this.require(badge));
  }

  private require(badge: string): UserRecord {
    const user = this.users.get(badge);
    if (!user) throw new RpcError('NOT_FOUND', `No user with badge ${badge}.`);
    return user;
  }
}
