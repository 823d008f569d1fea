import {
  isGrantedRole,
  RpcError,
  type GrantedRole,
  type Role,
  type RoleGrant,
  type User,
} from '../contract';
import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import { publicGrant, type RoleGrantRecord } from '../catalogue/role-grants';
import { publicUser, type UserRecord } from '../catalogue/users';
import type { AuditLog } from '../custody/audit-log';
import { sameBadge } from '../domain';
import type { Caller } from './auth-service';

/** A custodian or supervisor role as an admin's request leaves it. */
export interface Granting {
  /** The account as it is now: null for a new account that waits for its grant. */
  user: User | null;
  grant: RoleGrant | null;
}

/**
 * Separation of duties (D-CUSTODIAN, D-SUPERVISION): the custodian and supervisor roles, the two
 * that see footage, take two people. An admin asks; a custodian who is neither that admin nor the
 * person named confirms or rejects, and until then the role is not held. Each check and the write
 * it guards are one catalogue transaction, so a double confirmation, or a confirmation racing a
 * rejection in another process, cannot both win. Audited under the names of the sessions that
 * acted.
 */
export class RoleGrants {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** What waits for a custodian, oldest first. */
  pending(): RoleGrant[] {
    return this.catalogue.roleGrants.pending().map(publicGrant);
  }

  /**
   * Inside an admin's write: a new account with `role`. A custodian or supervisor waits, whole, in
   * its grant; the station's first custodian ever is added at once (nobody could confirm them).
   */
  addAccount(
    tx: CatalogueWrite,
    caller: Caller,
    input: { badge: string; name: string; role: Role; passwordHash: string },
  ): Granting {
    const at = this.now().toISOString();
    const { badge, name, role } = input;
    if (this.catalogue.users.get(badge) || this.catalogue.roleGrants.pendingFor(badge)) {
      throw new RpcError('ALREADY_EXISTS', `A user with badge ${badge} already exists.`);
    }
    const asked = { badge, previousRole: null, newName: name };
    // A custodian or supervisor waits for a custodian, except a station's first custodian ever.
    if (isGrantedRole(role) && !this.isFirstCustodian(role)) {
      const grant = this.ask(tx, caller, at, 'pending', {
        ...asked,
        role,
        newPasswordHash: input.passwordHash,
      });
      this.audit.append(tx, {
        actor: caller.user.badge,
        action: 'user.role.requested',
        subject: `user:${badge}`,
        details: { grant: grant.id, role, name, newAccount: true },
      });
      return { user: null, grant: publicGrant(grant) };
    }
    tx.users.insert(input, at);
    const first = isGrantedRole(role)
      ? this.ask(tx, caller, at, 'bootstrap', { ...asked, role, newPasswordHash: null })
      : null;
    this.audit.append(tx, {
      actor: caller.user.badge,
      action: 'user.added',
      subject: `user:${badge}`,
      details: first ? { name, role, firstCustodian: true } : { name, role },
    });
    return {
      user: publicUser(this.catalogue.users.get(badge)!),
      grant: first && publicGrant(first),
    };
  }

  /**
   * Inside an admin's write: `target` is to hold `role`. To custodian or supervisor it waits for
   * a custodian (the old role stays in force); any other change is made at once.
   */
  changeRole(
    tx: CatalogueWrite,
    caller: Caller,
    target: UserRecord,
    role: Role,
  ): Granting & { user: User } {
    const at = this.now().toISOString();
    const asked = { badge: target.badge, previousRole: target.role, newName: null };
    // A custodian or supervisor waits for a custodian, except a station's first custodian ever.
    if (isGrantedRole(role) && !this.isFirstCustodian(role)) {
      const grant = this.ask(tx, caller, at, 'pending', { ...asked, role, newPasswordHash: null });
      this.audit.append(tx, {
        actor: caller.user.badge,
        action: 'user.role.requested',
        subject: `user:${target.badge}`,
        details: { grant: grant.id, role, previousRole: target.role },
      });
      return { user: publicUser(target), grant: publicGrant(grant) };
    }
    tx.users.setRole(target.badge, role, at);
    const first = isGrantedRole(role)
      ? this.ask(tx, caller, at, 'bootstrap', { ...asked, role, newPasswordHash: null })
      : null;
    this.audit.append(tx, {
      actor: caller.user.badge,
      action: 'user.role.changed',
      subject: `user:${target.badge}`,
      details: first
        ? { from: target.role, to: role, firstCustodian: true }
        : { from: target.role, to: role },
    });
    return {
      user: publicUser(this.catalogue.users.get(target.badge)!),
      grant: first && publicGrant(first),
    };
  }

  /** A custodian confirms: from now on the role is held (a waiting account now exists). */
  confirm(caller: Caller, id: number): { user: User; grant: RoleGrant } {
    return this.catalogue.write((tx) => {
      const grant = this.decidable(caller, id);
      const at = this.now().toISOString();
      if (grant.previousRole === null) {
        if (this.catalogue.users.get(grant.badge)) {
          throw new RpcError('CONFLICT', `A user with badge ${grant.badge} exists already.`);
        }
        tx.users.insert(
          {
            badge: grant.badge,
            name: grant.name,
            role: grant.role,
            passwordHash: grant.newPasswordHash!,
          },
          at,
        );
      } else {
        const target = this.catalogue.users.get(grant.badge);
        if (!target || target.role !== grant.previousRole) {
          throw new RpcError(
            'CONFLICT',
            `${grant.badge} no longer holds the role this was asked from; it cannot be confirmed.`,
          );
        }
        tx.users.setRole(grant.badge, grant.role, at);
      }
      this.decide(tx, caller, grant, 'confirmed', at);
      return {
        user: publicUser(this.catalogue.users.get(grant.badge)!),
        grant: publicGrant(this.catalogue.roleGrants.get(grant.id)!),
      };
    });
  }

  /** A custodian rejects: the role is never held; a waiting account is never created. */
  reject(caller: Caller, id: number): RoleGrant {
    return this.catalogue.write((tx) => {
      const grant = this.decidable(caller, id);
      this.decide(tx, caller, grant, 'rejected', this.now().toISOString());
      return publicGrant(this.catalogue.roleGrants.get(grant.id)!);
    });
  }

  /** The open request for a badge, if any: an admin changes nothing else about it meanwhile. */
  pendingFor(badge: string): RoleGrantRecord | undefined {
    return this.catalogue.roleGrants.pendingFor(badge);
  }

  /**
   * Inside the deciding write: the grant is still open, and the caller, read again now, is an
   * active custodian who neither asked for it nor is named by it.
   */
  private decidable(caller: Caller, id: number): RoleGrantRecord {
    const grant = this.catalogue.roleGrants.get(id);
    if (!grant) throw new RpcError('NOT_FOUND', `No role grant ${id}.`);
    if (grant.status !== 'pending') {
      throw new RpcError(
        'CONFLICT',
        `This grant was already ${grant.status}${grant.decidedBy ? ` by ${grant.decidedBy}` : ''}.`,
        { status: grant.status },
      );
    }
    const decider = this.catalogue.users.get(caller.user.badge);
    if (!decider || decider.disabled || decider.role !== 'custodian') {
      throw new RpcError('FORBIDDEN', 'Only an active custodian confirms or rejects a role.');
    }
    if (sameBadge(grant.requestedBy, decider.badge)) {
      throw new RpcError('FORBIDDEN', 'The person who asked for a role cannot also decide it.');
    }
    if (sameBadge(grant.badge, decider.badge)) {
      throw new RpcError('FORBIDDEN', 'A role is decided by someone other than the person named.');
    }
    return grant;
  }

  /** Records the decision on an open grant, audited as the deciding custodian. */
  private decide(
    tx: CatalogueWrite,
    caller: Caller,
    grant: RoleGrantRecord,
    status: 'confirmed' | 'rejected',
    at: string,
  ): void {
    tx.roleGrants.decide(grant.id, status, caller.user.badge, at);
    this.audit.append(tx, {
      actor: caller.user.badge,
      action: status === 'confirmed' ? 'user.role.confirmed' : 'user.role.rejected',
      subject: `user:${grant.badge}`,
      details: {
        grant: grant.id,
        role: grant.role,
        requestedBy: grant.requestedBy,
        newAccount: grant.previousRole === null,
      },
    });
  }

  /** A station that never had a custodian gets its first one without confirmation. */
  private isFirstCustodian(role: Role): boolean {
    return role === 'custodian' && !this.catalogue.roleGrants.custodianEverHeld();
  }

  /**
   * A row in the grants table asked for by the caller: a request (`pending`), or a station's first
   * custodian (`bootstrap`), given at once.
   */
  private ask(
    tx: CatalogueWrite,
    caller: Caller,
    at: string,
    status: 'pending' | 'bootstrap',
    grant: {
      badge: string;
      role: GrantedRole;
      previousRole: Role | null;
      newName: string | null;
      newPasswordHash: string | null;
    },
  ): RoleGrantRecord {
    return tx.roleGrants.insert({ ...grant, status, requestedBy: caller.user.badge, at });
  }
}
