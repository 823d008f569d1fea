import { RpcError, type Role, type User } from '../contract';
import type { Catalogue } from '../catalogue/catalogue';
import { publicUser, type UserRecord } from '../catalogue/users';
import type { AuditLog } from '../custody/audit-log';
import type { AuthService, Caller } from './auth-service';
import { sameBadge } from '../domain';
import { hashPassword } from './password';

/** Account administration by admins; every change is audited as the admin who made it. */
export class UserAdmin {
  private readonly users: Catalogue['users'];

  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly auth: AuthService,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.users = catalogue.users;
  }

  list(): User[] {
    return this.users.list().map(publicUser);
  }

  async add(
    caller: Caller,
    input: { badge: string; name: string; role: Role; password: string },
  ): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    this.catalogue.write((tx) => {
      if (this.users.get(input.badge)) {
        throw new RpcError('ALREADY_EXISTS', `A user with badge ${input.badge} already exists.`);
      }
      tx.users.insert({ ...input, passwordHash }, this.now().toISOString());
      this.audit.append(tx, {
        actor: caller.user.badge,
        action: 'user.added',
        subject: `user:${input.badge}`,
        details: { name: input.name, role: input.role },
      });
    });
    return publicUser(this.require(input.badge));
  }

  setDisabled(caller: Caller, badge: string, disabled: boolean): User {
    // The checks and the change in one transaction: two admins disabling each other at once (one
    // here, one from the command line) cannot both pass "not the last admin".
    const target = this.catalogue.write((tx) => {
      const target = this.require(badge);
      if (disabled && sameBadge(target.badge, caller.user.badge)) {
        throw new RpcError('CONFLICT', 'You cannot disable your own account.');
      }
      if (disabled && target.role === 'admin' && !target.disabled && this.activeAdmins() <= 1) {
        throw new RpcError(
          'CONFLICT',
          'This is the last active admin; the station would have no admin.',
        );
      }
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

  async resetPassword(caller: Caller, badge: string, newPassword: string): Promise<User> {
    this.require(badge);
    const passwordHash = await hashPassword(newPassword);
    const target = this.catalogue.write((tx) => {
      const target = this.require(badge);
      tx.users.setPasswordHash(target.badge, passwordHash, this.now().toISOString());
      this.audit.append(tx, {
        actor: caller.user.badge,
        action: 'user.password.reset',
        subject: `user:${target.badge}`,
      });
      return target;
    });
    // Sessions opened before the reset end here; a login or a change of password still checking
    // the old one is refused when it comes to write (AuthService re-reads the hash it proved).
    this.auth.sessions.revokeAllFor(target.badge, 'password-reset');
    return publicUser(this.require(badge));
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

  private activeAdmins(): number {
    return this.users.list().filter((u) => u.role === 'admin' && !u.disabled).length;
  }
}
