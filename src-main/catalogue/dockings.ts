import type Database from 'better-sqlite3';

export const DOCKING_STATUSES = ['ingesting', 'complete', 'interrupted', 'failed'] as const;
export type DockingStatus = (typeof DOCKING_STATUSES)[number];

export const IDENTIFIED_BY = ['assigned', 'badge-pin', 'card', 'cli'] as const;
export type IdentifiedBy = (typeof IDENTIFIED_BY)[number];

export type ClockOffsetSource = 'driver' | 'estimate';

export interface DockingRecord {
  id: number;
  recorderSerial: string;
  officerBadge: string | null;
  identifiedBy: IdentifiedBy | null;
  mountpoint: string;
  startedAt: string;
  finishedAt: string | null;
  status: DockingStatus;
  clockOffsetMs: number | null;
  clockOffsetSource: ClockOffsetSource | null;
  clockSetAt: string | null;
  clipsPlanned: number;
  bytesPlanned: number;
}

interface DockingRow {
  id: number;
  recorder_serial: string;
  officer_badge: string | null;
  identified_by: IdentifiedBy | null;
  mountpoint: string;
  started_at: string;
  finished_at: string | null;
  status: DockingStatus;
  clock_offset_ms: number | null;
  clock_offset_source: ClockOffsetSource | null;
  clock_set_at: string | null;
  clips_planned: number;
  bytes_planned: number;
}

function fromRow(row: DockingRow): DockingRecord {
  return {
    id: row.id,
    recorderSerial: row.recorder_serial,
    officerBadge: row.officer_badge,
    identifiedBy: row.identified_by,
    mountpoint: row.mountpoint,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    clockOffsetMs: row.clock_offset_ms,
    clockOffsetSource: row.clock_offset_source,
    clockSetAt: row.clock_set_at,
    clipsPlanned: row.clips_planned,
    bytesPlanned: row.bytes_planned,
  };
}

/** Something a docking found (rules D-24H, D-CONTINUOUS, bad input): stored, never silent. */
export interface FindingRecord {
  id: number;
  dockingId: number;
  code: string;
  message: string;
  clipId: number | null;
  path: string | null;
  details: Record<string, unknown>;
  foundAt: string;
}

export interface NewFinding {
  code: string;
  message: string;
  path?: string | null;
  clipId?: number | null;
  details?: Record<string, unknown>;
}

interface FindingRow {
  id: number;
  docking_id: number;
  code: string;
  message: string;
  clip_id: number | null;
  original_path: string | null;
  details: string;
  found_at: string;
}

/** The dockings and docking_findings tables. */
export class DockingRepository {
  constructor(private readonly db: Database.Database) {}

  start(
    docking: {
      recorderSerial: string;
      officerBadge: string | null;
      identifiedBy: IdentifiedBy | null;
      mountpoint: string;
      clockOffsetMs?: number | null;
      clockOffsetSource?: ClockOffsetSource | null;
    },
    at: string,
  ): DockingRecord {
    const result = this.db
      .prepare(
        `INSERT INTO dockings (recorder_serial, officer_badge, identified_by, mountpoint,
           started_at, status, clock_offset_ms, clock_offset_source)
         VALUES (@recorderSerial, @officerBadge, @identifiedBy, @mountpoint, @at, 'ingesting',
           @clockOffsetMs, @clockOffsetSource)`,
      )
      .run({
        ...docking,
        clockOffsetMs: docking.clockOffsetMs ?? null,
        clockOffsetSource: docking.clockOffsetSource ?? null,
        at,
      });
    return this.get(Number(result.lastInsertRowid))!;
  }

  get(id: number): DockingRecord | undefined {
    const row = this.db
      .prepare<[number], DockingRow>('SELECT * FROM dockings WHERE id = ?')
      .get(id);
    return row && fromRow(row);
  }

  listByRecorder(serial: string, limit = 50): DockingRecord[] {
    return this.db
      .prepare<[string, number], DockingRow>(
        'SELECT * FROM dockings WHERE recorder_serial = ? ORDER BY started_at DESC, id DESC LIMIT ?',
      )
      .all(serial, limit)
      .map(fromRow);
  }

  /** Dockings that never finished: after a crash these are the ones to mark interrupted. */
  listUnfinished(): DockingRecord[] {
    return this.db
      .prepare<[], DockingRow>("SELECT * FROM dockings WHERE status = 'ingesting' ORDER BY id")
      .all()
      .map(fromRow);
  }

  setPlanned(id: number, clips: number, bytes: number): void {
    this.db
      .prepare('UPDATE dockings SET clips_planned = ?, bytes_planned = ? WHERE id = ?')
      .run(clips, bytes, id);
  }

  setClockOffset(id: number, offsetMs: number | null, source: ClockOffsetSource | null): void {
    this.db
      .prepare('UPDATE dockings SET clock_offset_ms = ?, clock_offset_source = ? WHERE id = ?')
      .run(offsetMs, source, id);
  }

  setClockSet(id: number, at: string): void {
    this.db.prepare('UPDATE dockings SET clock_set_at = ? WHERE id = ?').run(at, id);
  }

  finish(id: number, status: Exclude<DockingStatus, 'ingesting'>, at: string): void {
    this.db
      .prepare('UPDATE dockings SET status = ?, finished_at = ? WHERE id = ?')
      .run(status, at, id);
  }

  addFinding(dockingId: number, finding: NewFinding, at: string): FindingRecord {
    const result = this.db
      .prepare(
        `INSERT INTO docking_findings (docking_id, code, message, clip_id, original_path, details, found_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        dockingId,
        finding.code,
        finding.message,
        finding.clipId ?? null,
        finding.path ?? null,
        JSON.stringify(finding.details ?? {}),
        at,
      );
    return {
      id: Number(result.lastInsertRowid),
      dockingId,
      code: finding.code,
      message: finding.message,
      clipId: finding.clipId ?? null,
      path: finding.path ?? null,
      details: finding.details ?? {},
      foundAt: at,
    };
  }

  findings(dockingId: number): FindingRecord[] {
    return this.db
      .prepare<[number], FindingRow>(
        'SELECT * FROM docking_findings WHERE docking_id = ? ORDER BY id',
      )
      .all(dockingId)
      .map((row) => ({
        id: row.id,
        dockingId: row.docking_id,
        code: row.code,
        message: row.message,
        clipId: row.clip_id,
        path: row.original_path,
        details: JSON.parse(row.details) as Record<string, unknown>,
        foundAt: row.found_at,
      }));
  }
}
