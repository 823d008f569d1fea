import type { GrantedRole, GrantStatus, Role, RoleGrant } from '../contract';
import type { Sql } from './sql';

/** A grant as the station keeps it: with a waiting account's password hash, while it waits. */
export interface RoleGrantRecord extends RoleGrant {
  /** A new account's scrypt hash, kept only while the grant is pending. */
  newPasswordHash: string | null;
}

interface RoleGrantRow {
  id: number;
  badge: string;
  name: string;
  role: GrantedRole;
  previous_role: Role | null;
  new_password_hash: string | null;
  status: GrantStatus;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

function fromRow(row: RoleGrantRow): RoleGrantRecord {
  return {
    id: row.id,
    badge: row.badge,
    name: row.name,
    role: row.role,
    previousRole: row.previous_role,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    newPasswordHash: row.new_password_hash,
  };
}

/** The public view of a grant: never the waiting account's hash. */
export function publicGrant(record: RoleGrantRecord): RoleGrant {
  const { newPasswordHash: _hash, ...grant } = record;
  return grant;
}

/** A grant with the name of its account: a waiting one's own, else the user's. */
const SELECT_GRANT = `SELECT g.id, g.badge, COALESCE(g.new_name, u.name, g.badge) AS name, g.role,
    g.previous_role, g.new_password_hash, g.status, g.requested_by, g.requested_at,
    g.decided_by, g.decided_at
  FROM role_grants g LEFT JOIN users u ON u.badge = g.badge`;

/** The role_grants table (separation of duties, D-CUSTODIAN). */
export class RoleGrantReads {
  constructor(protected readonly sql: Sql) {}

  get(id: number): RoleGrantRecord | undefined {
    const row = this.sql.read<[number], RoleGrantRow>(`${SELECT_GRANT} WHERE g.id = ?`).get(id);
    return row && fromRow(row);
  }

  /** The open request for a badge, if any (there is at most one). */
  pendingFor(badge: string): RoleGrantRecord | undefined {
    const row = this.sql
      .read<[string], RoleGrantRow>(`${SELECT_GRANT} WHERE g.badge = ? AND g.status = 'pending'`)
      .get(badge);
    return row && fromRow(row);
  }

  /** Every open request, oldest first. */
  pending(): RoleGrantRecord[] {
    return this.sql
      .read<[], RoleGrantRow>(`${SELECT_GRANT} WHERE g.status = 'pending' ORDER BY g.id`)
      .all()
      .map(fromRow);
  }

  /**
   * Whether this station has ever had a custodian. Until it has, its first custodian is added
   * without confirmation (there is nobody to confirm); afterwards never again, even if every
   * custodian was later disabled or given another role.
   */
  custodianEverHeld(): boolean {
    return (
      this.sql
        .read<[], { held: number }>(
          `SELECT EXISTS (SELECT 1 FROM role_grants WHERE role = 'custodian'
               AND status IN ('confirmed', 'bootstrap', 'held-before'))
             OR EXISTS (SELECT 1 FROM users WHERE role = 'custodian') AS held`,
        )
        .get()!.held === 1
    );
  }
}

/** The role_grants table, written inside a catalogue transaction. */
export class RoleGrantRepository extends RoleGrantReads {
  /**
   * Records a request (`pending`) or a station's first custodian (`bootstrap`). A new account
   * (no previous role) brings its name, and while pending its password hash.
   */
  insert(grant: {
    badge: string;
    role: GrantedRole;
    previousRole: Role | null;
    newName: string | null;
    newPasswordHash: string | null;
    status: 'pending' | 'bootstrap';
    requestedBy: string;
    at: string;
  }): RoleGrantRecord {
    const { lastInsertRowid } = this.sql
      .write(
        `INSERT INTO role_grants (badge, role, previous_role, new_name, new_password_hash, status,
           requested_by, requested_at)
         VALUES (@badge, @role, @previousRole, @newName, @newPasswordHash, @status,
           @requestedBy, @at)`,
      )
      .run(grant);
    return this.get(Number(lastInsertRowid))!;
  }

  /**
   * Decides a pending grant; the waiting hash is dropped either way. False when it was no longer
   * pending: someone else decided it first.
   */
  decide(id: number, status: 'confirmed' | 'rejected', by: string, at: string): boolean {
    const { changes } = this.sql
      .write(
        `UPDATE role_grants SET status = ?, decided_by = ?, decided_at = ?, new_password_hash = NULL
         WHERE id = ? AND status = 'pending'`,
      )
      .run(status, by, at, id);
    return changes === 1;
  }
}
