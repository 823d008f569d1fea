import type { Sql } from './sql';

/** A registered recorder (rules D-CUSTODIAN, D-NO-LEAK): only these are ingested automatically. */
export interface RecorderRecord {
  serial: string;
  profileId: string;
  officerBadge: string | null;
  /** The assigned officer's name, when the badge belongs to a station user. */
  officerName: string | null;
  registeredBy: string;
  registeredAt: string;
  retiredAt: string | null;
}

interface RecorderRow {
  serial: string;
  profile_id: string;
  officer_badge: string | null;
  officer_name: string | null;
  registered_by: string;
  registered_at: string;
  retired_at: string | null;
}

function fromRow(row: RecorderRow): RecorderRecord {
  return {
    serial: row.serial,
    profileId: row.profile_id,
    officerBadge: row.officer_badge,
    officerName: row.officer_name,
    registeredBy: row.registered_by,
    registeredAt: row.registered_at,
    retiredAt: row.retired_at,
  };
}

const SELECT = `SELECT r.*, u.name AS officer_name FROM recorders r
                LEFT JOIN users u ON u.badge = r.officer_badge`;

/** The recorders table. Serials compare case-insensitively, as the schema declares. */
export class RecorderReads {
  constructor(protected readonly sql: Sql) {}

  get(serial: string): RecorderRecord | undefined {
    const row = this.sql.read<[string], RecorderRow>(`${SELECT} WHERE r.serial = ?`).get(serial);
    return row && fromRow(row);
  }

  /** Registered and not retired: the recorders the station ingests from. */
  getActive(serial: string): RecorderRecord | undefined {
    const recorder = this.get(serial);
    return recorder && recorder.retiredAt === null ? recorder : undefined;
  }

  list(options: { includeRetired?: boolean } = {}): RecorderRecord[] {
    const where = options.includeRetired ? '' : 'WHERE r.retired_at IS NULL';
    return this.sql
      .read<[], RecorderRow>(`${SELECT} ${where} ORDER BY r.serial`)
      .all()
      .map(fromRow);
  }
}

/** The recorders table, written inside a catalogue transaction. */
export class RecorderRepository extends RecorderReads {
  /** Registers a recorder, or re-registers a retired one; the caller audits it. */
  register(
    recorder: { serial: string; profileId: string; officerBadge: string | null },
    by: string,
    at: string,
  ): RecorderRecord {
    this.sql
      .write(
        `INSERT INTO recorders (serial, profile_id, officer_badge, registered_by, registered_at)
         VALUES (@serial, @profileId, @officerBadge, @by, @at)
         ON CONFLICT (serial) DO UPDATE SET profile_id = excluded.profile_id,
           officer_badge = excluded.officer_badge, registered_by = excluded.registered_by,
           registered_at = excluded.registered_at, retired_at = NULL`,
      )
      .run({ ...recorder, by, at });
    return this.get(recorder.serial)!;
  }

  setOfficer(serial: string, officerBadge: string | null): void {
    this.sql
      .write('UPDATE recorders SET officer_badge = ? WHERE serial = ?')
      .run(officerBadge, serial);
  }

  retire(serial: string, at: string): void {
    this.sql
      .write('UPDATE recorders SET retired_at = ? WHERE serial = ? AND retired_at IS NULL')
      .run(at, serial);
  }
}
