import type { RecorderFact, RecorderFacts } from '../contract';
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
  /** When its registration was bound to its device's facts; null until its next docking. */
  boundAt: string | null;
}

interface RecorderRow {
  serial: string;
  profile_id: string;
  officer_badge: string | null;
  officer_name: string | null;
  registered_by: string;
  registered_at: string;
  retired_at: string | null;
  bound_at: string | null;
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
    boundAt: row.bound_at,
  };
}

const SELECT = `SELECT r.*, u.name AS officer_name, b.bound_at FROM recorders r
                LEFT JOIN users u ON u.badge = r.officer_badge
                LEFT JOIN recorder_bindings b ON b.serial = r.serial`;

/** The device facts a registration is bound to (D-WHO-RECORDS). */
export interface RecorderBinding {
  serial: string;
  facts: RecorderFacts;
  boundAt: string;
  /** `station` for the docking that first saw them, else the custodian who confirmed them. */
  boundBy: string;
}

interface BindingRow {
  serial: string;
  usb_vendor_id: number | null;
  usb_product_id: number | null;
  usb_serial: string | null;
  fs_uuid: string | null;
  capacity: number | null;
  bound_at: string;
  bound_by: string;
}

function bindingFromRow(row: BindingRow): RecorderBinding {
  return {
    serial: row.serial,
    facts: {
      usbVendorId: row.usb_vendor_id,
      usbProductId: row.usb_product_id,
      usbSerial: row.usb_serial,
      fsUuid: row.fs_uuid,
      capacity: row.capacity,
    },
    boundAt: row.bound_at,
    boundBy: row.bound_by,
  };
}

/** A volume held because its facts differ from its recorder's binding. */
export interface LookalikeRecord {
  id: number;
  recorderSerial: string;
  officerBadge: string | null;
  officerName: string | null;
  seenAt: string;
  device: string;
  mountpoint: string;
  seen: RecorderFacts;
  bound: RecorderFacts;
  differs: RecorderFact[];
  decision: 'confirmed' | 'refused' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  dockingId: number | null;
}

interface LookalikeRow {
  id: number;
  recorder_serial: string;
  officer_badge: string | null;
  officer_name: string | null;
  seen_at: string;
  device: string;
  mountpoint: string;
  seen: string;
  bound: string;
  differs: string;
  decision: 'confirmed' | 'refused' | null;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  docking_id: number | null;
}

function lookalikeFromRow(row: LookalikeRow): LookalikeRecord {
  return {
    id: row.id,
    recorderSerial: row.recorder_serial,
    officerBadge: row.officer_badge,
    officerName: row.officer_name,
    seenAt: row.seen_at,
    device: row.device,
    mountpoint: row.mountpoint,
    seen: JSON.parse(row.seen) as RecorderFacts,
    bound: JSON.parse(row.bound) as RecorderFacts,
    differs: JSON.parse(row.differs) as RecorderFact[],
    decision: row.decision,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
    dockingId: row.docking_id,
  };
}

const SELECT_LOOKALIKE = `SELECT l.*, r.officer_badge, u.name AS officer_name
                          FROM recorder_lookalikes l JOIN recorders r ON r.serial = l.recorder_serial
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

  binding(serial: string): RecorderBinding | undefined {
    const row = this.sql
      .read<[string], BindingRow>('SELECT * FROM recorder_bindings WHERE serial = ?')
      .get(serial);
    return row && bindingFromRow(row);
  }

  lookalike(id: number): LookalikeRecord | undefined {
    const row = this.sql.read<[number], LookalikeRow>(`${SELECT_LOOKALIKE} WHERE l.id = ?`).get(id);
    return row && lookalikeFromRow(row);
  }

  /** Look-alikes no custodian has decided yet, newest first. */
  heldLookalikes(limit = 100): LookalikeRecord[] {
    return this.sql
      .read<[number], LookalikeRow>(
        `${SELECT_LOOKALIKE} WHERE l.decision IS NULL ORDER BY l.id DESC LIMIT ?`,
      )
      .all(limit)
      .map(lookalikeFromRow);
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
    // A registration is bound by its own first docking, not by the facts of an earlier one.
    this.sql.write('DELETE FROM recorder_bindings WHERE serial = ?').run(recorder.serial);
    return this.get(recorder.serial)!;
  }

  /** Binds a registration to `facts` (all of them: facts not given are forgotten). */
  bind(serial: string, facts: RecorderFacts, by: string, at: string): void {
    this.sql
      .write(
        `INSERT INTO recorder_bindings (serial, usb_vendor_id, usb_product_id, usb_serial, fs_uuid,
           capacity, bound_at, bound_by)
         VALUES (@serial, @usbVendorId, @usbProductId, @usbSerial, @fsUuid, @capacity, @at, @by)
         ON CONFLICT (serial) DO UPDATE SET usb_vendor_id = excluded.usb_vendor_id,
           usb_product_id = excluded.usb_product_id, usb_serial = excluded.usb_serial,
           fs_uuid = excluded.fs_uuid, capacity = excluded.capacity,
           bound_at = excluded.bound_at, bound_by = excluded.bound_by`,
      )
      .run({ serial, ...facts, at, by });
  }

  /** Holds a look-alike for a custodian; the caller audits it. */
  holdLookalike(
    lookalike: {
      recorderSerial: string;
      device: string;
      mountpoint: string;
      seen: RecorderFacts;
      bound: RecorderFacts;
      differs: readonly RecorderFact[];
    },
    at: string,
  ): LookalikeRecord {
    const result = this.sql
      .write(
        `INSERT INTO recorder_lookalikes (recorder_serial, seen_at, device, mountpoint, seen, bound,
           differs) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        lookalike.recorderSerial,
        at,
        lookalike.device,
        lookalike.mountpoint,
        JSON.stringify(lookalike.seen),
        JSON.stringify(lookalike.bound),
        JSON.stringify(lookalike.differs),
      );
    return this.lookalike(Number(result.lastInsertRowid))!;
  }

  /** A custodian's decision on a held look-alike; the caller checks it was held and audits it. */
  decideLookalike(
    id: number,
    decision: 'confirmed' | 'refused',
    by: string,
    reason: string,
    at: string,
  ): void {
    this.sql
      .write(
        `UPDATE recorder_lookalikes SET decision = ?, decided_by = ?, decided_at = ?, reason = ?
         WHERE id = ? AND decision IS NULL`,
      )
      .run(decision, by, at, reason, id);
  }

  /** The docking a confirmed look-alike was ingested as. */
  setLookalikeDocking(id: number, dockingId: number): void {
    this.sql.write('UPDATE recorder_lookalikes SET docking_id = ? WHERE id = ?').run(dockingId, id);
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
