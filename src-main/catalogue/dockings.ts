import type { Sql } from './sql';
import type { ClockOffsetSource, Finding, IdentifiedBy } from '../contract';

export const DOCKING_STATUSES = ['ingesting', 'complete', 'interrupted', 'failed'] as const;
export type DockingStatus = (typeof DOCKING_STATUSES)[number];

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
  /** Said to the officer when the docking ended: every clip proven (and cleared, by policy). */
  safeToUndock: boolean;
  /** Why the docking stopped short, when it did. */
  error: { code: string; message: string } | null;
  /** When the officer at the dock was confirmed (badge + PIN or card); null while only assigned. */
  identifiedAt: string | null;
  /** When the officer said they were done at the dock (labels, or a deferral). */
  officerDoneAt: string | null;
}

/** How a docking ended. */
export interface DockingOutcome {
  status: Exclude<DockingStatus, 'ingesting'>;
  safeToUndock: boolean;
  error: { code: string; message: string } | null;
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
  safe_to_undock: number;
  error_code: string | null;
  error_message: string | null;
  identified_at: string | null;
  officer_done_at: string | null;
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
    safeToUndock: row.safe_to_undock === 1,
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    identifiedAt: row.identified_at,
    officerDoneAt: row.officer_done_at,
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

function findingFromRow(row: FindingRow): FindingRecord {
  return {
    id: row.id,
    dockingId: row.docking_id,
    code: row.code,
    message: row.message,
    clipId: row.clip_id,
    path: row.original_path,
    details: JSON.parse(row.details) as Record<string, unknown>,
    foundAt: row.found_at,
  };
}

/** A finding as the screens and the CLI show it. */
export function findingView(record: FindingRecord): Finding {
  return {
    code: record.code,
    message: record.message,
    path: record.path,
    clipId: record.clipId,
    details: record.details,
  };
}

/** The dockings and docking_findings tables. */
export class DockingReads {
  constructor(protected readonly sql: Sql) {}

  get(id: number): DockingRecord | undefined {
    const row = this.sql.read<[number], DockingRow>('SELECT * FROM dockings WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  listByRecorder(serial: string, limit = 50): DockingRecord[] {
    return this.sql
      .read<[string, number], DockingRow>(
        'SELECT * FROM dockings WHERE recorder_serial = ? ORDER BY started_at DESC, id DESC LIMIT ?',
      )
      .all(serial, limit)
      .map(fromRow);
  }

  /** Dockings started at or after `since` (ISO), newest first: what the Dock screen lists. */
  listSince(since: string, limit = 100): DockingRecord[] {
    return this.sql
      .read<[string, number], DockingRow>(
        'SELECT * FROM dockings WHERE started_at >= ? ORDER BY started_at DESC, id DESC LIMIT ?',
      )
      .all(since, limit)
      .map(fromRow);
  }

  /** Dockings that never finished: after a crash these are the ones to mark interrupted. */
  listUnfinished(): DockingRecord[] {
    return this.sql
      .read<[], DockingRow>("SELECT * FROM dockings WHERE status = 'ingesting' ORDER BY id")
      .all()
      .map(fromRow);
  }

  clipsDone(id: number): number {
    const row = this.sql
      .read<[number, number], { n: number }>(
        `SELECT (SELECT count(*) FROM clips WHERE docking_id = ?)
              + (SELECT count(*) FROM clip_sightings WHERE docking_id = ?) AS n`,
      )
      .get(id, id);
    return row?.n ?? 0;
  }

  /** Bytes of this docking's clips, archived or sighted. */
  bytesDone(id: number): number {
    const row = this.sql
      .read<[number, number], { n: number | null }>(
        `SELECT coalesce((SELECT sum(original_size) FROM clips WHERE docking_id = ?), 0)
              + coalesce((SELECT sum(original_size) FROM clip_sightings WHERE docking_id = ?), 0)
              AS n`,
      )
      .get(id, id);
    return row?.n ?? 0;
  }

  /** This docking's clips that have a thumbnail by now. */
  thumbnailsMade(id: number): number {
    const row = this.sql
      .read<[number], { n: number }>(
        'SELECT count(*) AS n FROM clips WHERE docking_id = ? AND thumbnail_path IS NOT NULL',
      )
      .get(id);
    return row?.n ?? 0;
  }

  countFindings(dockingId: number, code?: string): number {
    const row =
      code === undefined
        ? this.sql
            .read<[number], { n: number }>(
              'SELECT count(*) AS n FROM docking_findings WHERE docking_id = ?',
            )
            .get(dockingId)
        : this.sql
            .read<[number, string], { n: number }>(
              'SELECT count(*) AS n FROM docking_findings WHERE docking_id = ? AND code = ?',
            )
            .get(dockingId, code);
    return row?.n ?? 0;
  }

  /** In the order found; `limit` keeps a docking with thousands of refused files readable. */
  findings(dockingId: number, limit = -1): FindingRecord[] {
    return this.sql
      .read<[number, number], FindingRow>(
        'SELECT * FROM docking_findings WHERE docking_id = ? ORDER BY id LIMIT ?',
      )
      .all(dockingId, limit)
      .map(findingFromRow);
  }

  /** The findings that name one clip (docking_findings_by_clip). */
  findingsOfClip(clipId: number): FindingRecord[] {
    return this.sql
      .read<[number], FindingRow>('SELECT * FROM docking_findings WHERE clip_id = ? ORDER BY id')
      .all(clipId)
      .map(findingFromRow);
  }
}

export class DockingRepository extends DockingReads {
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
    const result = this.sql
      .write(
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

  setPlanned(id: number, clips: number, bytes: number): void {
    this.sql
      .write('UPDATE dockings SET clips_planned = ?, bytes_planned = ? WHERE id = ?')
      .run(clips, bytes, id);
  }

  setClockOffset(id: number, offsetMs: number | null, source: ClockOffsetSource | null): void {
    this.sql
      .write('UPDATE dockings SET clock_offset_ms = ?, clock_offset_source = ? WHERE id = ?')
      .run(offsetMs, source, id);
  }

  setClockSet(id: number, at: string): void {
    this.sql.write('UPDATE dockings SET clock_set_at = ? WHERE id = ?').run(at, id);
  }

  finish(id: number, outcome: DockingOutcome, at: string): void {
    this.sql
      .write(
        `UPDATE dockings SET status = ?, finished_at = ?, safe_to_undock = ?, error_code = ?,
           error_message = ? WHERE id = ?`,
      )
      .run(
        outcome.status,
        at,
        outcome.safeToUndock ? 1 : 0,
        outcome.error?.code ?? null,
        outcome.error?.message ?? null,
        id,
      );
  }

  /** The officer confirmed at the dock; the caller re-attributes the clips and audits it. */
  setOfficer(id: number, officerBadge: string, identifiedBy: IdentifiedBy, at: string): void {
    this.sql
      .write(
        'UPDATE dockings SET officer_badge = ?, identified_by = ?, identified_at = ? WHERE id = ?',
      )
      .run(officerBadge, identifiedBy, at, id);
  }

  /** The officer said they were done at the dock. */
  setOfficerDone(id: number, at: string): void {
    this.sql.write('UPDATE dockings SET officer_done_at = ? WHERE id = ?').run(at, id);
  }

  addFinding(dockingId: number, finding: NewFinding, at: string): FindingRecord {
    const result = this.sql
      .write(
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
}
