import { idList, type Sql } from './sql';
import type { ClockOffsetSource, MediaFacts, MediaKind, TimeSource } from '../contract';

/**
 * A clip whose archived copy is proven bit-for-bit; the catalogue holds no other kind. Its times,
 * duration, frame and sequence are the facts the clip gave about itself; the badge and serial a
 * file name may carry are not kept (the docking says whose and which recorder it is).
 */
export interface ClipRecord extends Omit<MediaFacts, 'badge' | 'serial'> {
  id: number;
  recorderSerial: string;
  dockingId: number;
  /** Path on the recorder's volume, relative to its root, `/`-separated. */
  originalPath: string;
  originalSize: number;
  /** ISO time, millisecond precision: with path and size, identifies the file on the recorder. */
  originalMtime: string;
  kind: MediaKind;
  sha256: string;
  sm3: string | null;
  /** Relative to the data dir, `/`-separated. */
  archivePath: string;
  status: 'verified';
  officerBadge: string | null;
  custodyAt: string;
  clockOffsetMs: number | null;
  clockOffsetSource: ClockOffsetSource | null;
  thumbnailPath: string | null;
  clearedAt: string | null;
}

/**
 * What the integrity sweep checks of each clip: where it is, what it must hash to, and what names
 * it in a finding (its recorder, when it was recorded); and the facts it holds to the audit
 * chain's record (times, officer, late custody as found at docking).
 */
export interface ClipProof {
  id: number;
  archivePath: string;
  sha256: string;
  sm3: string | null;
  originalSize: number;
  recorderSerial: string;
  recordedStart: string | null;
  recordedEnd: string | null;
  custodyAt: string;
  clockOffsetMs: number | null;
  clockOffsetSource: string | null;
  officerBadge: string | null;
  lateCustody: boolean;
}

export type NewClip = Omit<ClipRecord, 'id' | 'status' | 'thumbnailPath' | 'clearedAt'>;

interface ClipRow {
  id: number;
  recorder_serial: string;
  docking_id: number;
  original_path: string;
  original_size: number;
  original_mtime: string;
  kind: MediaKind;
  sha256: string;
  sm3: string | null;
  archive_path: string;
  status: 'verified';
  officer_badge: string | null;
  sequence: number | null;
  recorded_start: string | null;
  recorded_start_source: TimeSource | null;
  recorded_end: string | null;
  recorded_end_source: TimeSource | null;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  custody_at: string;
  clock_offset_ms: number | null;
  clock_offset_source: ClockOffsetSource | null;
  thumbnail_path: string | null;
  cleared_at: string | null;
}

function fromRow(row: ClipRow): ClipRecord {
  return {
    id: row.id,
    recorderSerial: row.recorder_serial,
    dockingId: row.docking_id,
    originalPath: row.original_path,
    originalSize: row.original_size,
    originalMtime: row.original_mtime,
    kind: row.kind,
    sha256: row.sha256,
    sm3: row.sm3,
    archivePath: row.archive_path,
    status: row.status,
    officerBadge: row.officer_badge,
    sequence: row.sequence,
    recordedStart: row.recorded_start,
    recordedStartSource: row.recorded_start_source,
    recordedEnd: row.recorded_end,
    recordedEndSource: row.recorded_end_source,
    durationMs: row.duration_ms,
    width: row.width,
    height: row.height,
    codec: row.codec,
    custodyAt: row.custody_at,
    clockOffsetMs: row.clock_offset_ms,
    clockOffsetSource: row.clock_offset_source,
    thumbnailPath: row.thumbnail_path,
    clearedAt: row.cleared_at,
  };
}

/** The same bytes seen again: recorded against the clip that holds them, not stored twice. */
export interface SightingRecord {
  id: number;
  clipId: number;
  dockingId: number;
  recorderSerial: string;
  originalPath: string;
  originalSize: number;
  originalMtime: string;
  seenAt: string;
}

/** Identifies one file on one recorder as the plan sees it. */
export interface OriginalKey {
  originalPath: string;
  originalSize: number;
  originalMtime: string;
}

export function originalKey(key: OriginalKey): string {
  return `${key.originalPath}\u0000${key.originalSize}\u0000${key.originalMtime}`;
}

export interface ClipQuery {
  recorderSerial?: string | undefined;
  /** Only the clips this officer recorded (an officer sees no one else's: D-NO-LEAK). */
  officerBadge?: string | undefined;
  dockingId?: number | undefined;
  /** Clips taken into custody at or after this ISO time. */
  since?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  /** D-CONFIDENTIAL for supervisors: leave out clips labelled confidential. */
  onlyUnconfidential?: boolean | undefined;
}

/** The clips and clip_sightings tables. */
export class ClipReads {
  constructor(protected readonly sql: Sql) {}

  get(id: number): ClipRecord | undefined {
    const row = this.sql.read<[number], ClipRow>('SELECT * FROM clips WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  findBySha256(sha256: string): ClipRecord | undefined {
    const row = this.sql
      .read<[string], ClipRow>('SELECT * FROM clips WHERE sha256 = ?')
      .get(sha256);
    return row && fromRow(row);
  }

  findByArchivePath(archivePath: string): ClipRecord | undefined {
    const row = this.sql
      .read<[string], ClipRow>('SELECT * FROM clips WHERE archive_path = ?')
      .get(archivePath);
    return row && fromRow(row);
  }

  findByOriginal(recorderSerial: string, key: OriginalKey): ClipRecord | undefined {
    const row = this.sql
      .read<[string, string, number, string], ClipRow>(
        `SELECT * FROM clips WHERE recorder_serial = ? AND original_path = ?
         AND original_size = ? AND original_mtime = ?`,
      )
      .get(recorderSerial, key.originalPath, key.originalSize, key.originalMtime);
    return row && fromRow(row);
  }

  /**
   * Every file of this recorder already proven, as a clip or a sighting, keyed by originalKey():
   * the planner's one query, so 20,000 files plan without 20,000 lookups.
   */
  knownOriginals(recorderSerial: string): Map<string, { clipId: number; sighting: boolean }> {
    const known = new Map<string, { clipId: number; sighting: boolean }>();
    const clips = this.sql
      .read(
        `SELECT id, original_path AS originalPath, original_size AS originalSize,
           original_mtime AS originalMtime FROM clips WHERE recorder_serial = ?`,
      )
      .iterate(recorderSerial) as IterableIterator<OriginalKey & { id: number }>;
    for (const row of clips) known.set(originalKey(row), { clipId: row.id, sighting: false });
    const sightings = this.sql
      .read(
        `SELECT s.clip_id AS id, s.original_path AS originalPath, s.original_size AS originalSize,
           s.original_mtime AS originalMtime
         FROM clip_sightings s JOIN dockings d ON d.id = s.docking_id WHERE d.recorder_serial = ?`,
      )
      .iterate(recorderSerial) as IterableIterator<OriginalKey & { id: number }>;
    for (const row of sightings) {
      if (!known.has(originalKey(row)))
        known.set(originalKey(row), { clipId: row.id, sighting: true });
    }
    return known;
  }

  list(query: ClipQuery = {}): { clips: ClipRecord[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.recorderSerial !== undefined) {
      where.push('recorder_serial = @recorderSerial');
      params.recorderSerial = query.recorderSerial;
    }
    if (query.officerBadge !== undefined) {
      where.push('officer_badge = @officerBadge COLLATE NOCASE');
      params.officerBadge = query.officerBadge;
    }
    if (query.dockingId !== undefined) {
      where.push('docking_id = @dockingId');
      params.dockingId = query.dockingId;
    }
    if (query.since !== undefined) {
      where.push('custody_at >= @since');
      params.since = new Date(query.since).toISOString();
    }
    if (query.onlyUnconfidential) {
      where.push(`NOT EXISTS (SELECT 1 FROM clip_labels l WHERE l.clip_id = clips.id
        AND l.confidentiality <> 'none')`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (
      this.sql.read(`SELECT count(*) AS n FROM clips ${filter}`).get(params) as { n: number }
    ).n;
    const clips = this.sql
      .read<Record<string, unknown>, ClipRow>(
        `SELECT * FROM clips ${filter} ORDER BY recorded_start IS NULL, recorded_start, id
         LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: query.limit ?? -1, offset: query.offset ?? 0 })
      .map(fromRow);
    return { clips, total };
  }

  /**
   * The recorder's latest clip of one kind from other dockings: continuity (D-CONTINUOUS) is
   * checked across dockings too, so a clip missing between two dockings is found.
   */
  latestOfRecorder(
    recorderSerial: string,
    kind: MediaKind,
    exceptDockingId: number,
  ): ClipRecord | undefined {
    const row = this.sql
      .read<[string, MediaKind, number], ClipRow>(
        `SELECT * FROM clips WHERE recorder_serial = ? AND kind = ? AND docking_id <> ?
         ORDER BY coalesce(recorded_start, recorded_end) DESC, sequence DESC, id DESC LIMIT 1`,
      )
      .get(recorderSerial, kind, exceptDockingId);
    return row && fromRow(row);
  }

  /** Every clip's proof, in id order (loaded whole: the sweep awaits between clips). */
  proofs(): ClipProof[] {
    return this.sql
      .read<[], ClipProof>(
        `SELECT id, archive_path AS archivePath, sha256, sm3, original_size AS originalSize,
           recorder_serial AS recorderSerial, recorded_start AS recordedStart,
           recorded_end AS recordedEnd, custody_at AS custodyAt, clock_offset_ms AS clockOffsetMs,
           clock_offset_source AS clockOffsetSource, officer_badge AS officerBadge,
           late_custody = 1 AS lateCustody
         FROM clips ORDER BY id`,
      )
      .all()
      .map((row) => ({ ...row, lateCustody: Boolean(row.lateCustody) }));
  }

  /** Many clips by id, in the order asked (missing ids are left out). */
  getMany(ids: readonly number[]): ClipRecord[] {
    if (ids.length === 0) return [];
    const rows = new Map<number, ClipRecord>();
    for (const row of this.sql
      .read<[string], ClipRow>('SELECT * FROM clips WHERE id IN (SELECT value FROM json_each(?))')
      .all(idList(ids))) {
      rows.set(row.id, fromRow(row));
    }
    return ids.flatMap((id) => rows.get(id) ?? []);
  }

  /** Clips recorded in [from, to), an officer's and/or a recorder's, oldest first. */
  recordedBetween(
    from: string,
    to: string,
    by: { officerBadge?: string | undefined; recorderSerial?: string | undefined },
  ): ClipRecord[] {
    const where = ['recorded_start >= @from', 'recorded_start < @to'];
    if (by.officerBadge !== undefined) where.push('officer_badge = @officerBadge');
    if (by.recorderSerial !== undefined) where.push('recorder_serial = @recorderSerial');
    return this.sql
      .read<Record<string, unknown>, ClipRow>(
        `SELECT * FROM clips WHERE ${where.join(' AND ')} ORDER BY recorded_start, id`,
      )
      .all({
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        officerBadge: by.officerBadge,
        recorderSerial: by.recorderSerial,
      })
      .map(fromRow);
  }

  count(): number {
    return (this.sql.read('SELECT count(*) AS n FROM clips').get() as { n: number }).n;
  }

  sighting(id: number): SightingRecord | undefined {
    return this.sql.read<[number], SightingRecord>(`${SIGHTING_SELECT} WHERE s.id = ?`).get(id);
  }

  sightingsByDocking(dockingId: number): SightingRecord[] {
    return this.sql
      .read<[number], SightingRecord>(`${SIGHTING_SELECT} WHERE s.docking_id = ? ORDER BY s.id`)
      .all(dockingId);
  }

  /** Bytes of the originals taken into custody since `at` (an ISO time): the archive's intake. */
  archivedBytesSince(at: string): number {
    return this.sql
      .read<[string], { bytes: number }>(
        'SELECT coalesce(sum(original_size), 0) AS bytes FROM clips WHERE custody_at >= ?',
      )
      .get(new Date(at).toISOString())!.bytes;
  }
}

export class ClipRepository extends ClipReads {
  /**
   * Inserts a proven clip; run it in the same transaction as its audit entry. The officer's badge
   * is stored as the users table spells it, so that an officer's clips are one exact index range.
   */
  insertVerified(clip: NewClip): ClipRecord {
    const result = this.sql
      .write(
        `INSERT INTO clips (recorder_serial, docking_id, original_path, original_size,
           original_mtime, kind, sha256, sm3, archive_path, status, officer_badge, sequence,
           recorded_start, recorded_start_source, recorded_end, recorded_end_source, duration_ms,
           width, height, codec, custody_at, clock_offset_ms, clock_offset_source)
         VALUES (@recorderSerial, @dockingId, @originalPath, @originalSize, @originalMtime, @kind,
           @sha256, @sm3, @archivePath, 'verified',
           coalesce((SELECT badge FROM users WHERE badge = @officerBadge), @officerBadge), @sequence,
           @recordedStart,
           @recordedStartSource, @recordedEnd, @recordedEndSource, @durationMs, @width, @height,
           @codec, @custodyAt, @clockOffsetMs, @clockOffsetSource)`,
      )
      .run(clip);
    return this.get(Number(result.lastInsertRowid))!;
  }

  /**
   * The officer confirmed at the dock owns the docking's clips, except those whose file names
   * carry a badge of their own (the recorder said who recorded them). Answers how many changed.
   */
  setOfficerOfDocking(dockingId: number, officerBadge: string): number {
    return this.sql
      .write(
        `UPDATE clips SET officer_badge =
           coalesce((SELECT badge FROM users WHERE badge = @officerBadge), @officerBadge)
         WHERE docking_id = @dockingId AND officer_badge IS NOT @officerBadge
           AND (officer_badge IS NULL OR officer_badge IN (
             SELECT officer_badge FROM dockings WHERE id = @dockingId
             UNION SELECT officer_badge FROM recorders WHERE serial = clips.recorder_serial))`,
      )
      .run({ dockingId, officerBadge }).changes;
  }

  setThumbnail(id: number, thumbnailPath: string): void {
    this.sql.write('UPDATE clips SET thumbnail_path = ? WHERE id = ?').run(thumbnailPath, id);
  }

  /** The recorder's copy was deleted after its archived copy was proven (clearing policy). */
  markCleared(id: number, at: string): void {
    this.sql
      .write('UPDATE clips SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL')
      .run(at, id);
  }

  addSighting(
    sighting: { clipId: number; dockingId: number } & OriginalKey,
    at: string,
  ): SightingRecord {
    const result = this.sql
      .write(
        `INSERT INTO clip_sightings (clip_id, docking_id, original_path, original_size,
           original_mtime, seen_at)
         VALUES (@clipId, @dockingId, @originalPath, @originalSize, @originalMtime, @at)`,
      )
      .run({ ...sighting, at });
    return this.sighting(Number(result.lastInsertRowid))!;
  }
}

const SIGHTING_SELECT = `SELECT s.id, s.clip_id AS clipId, s.docking_id AS dockingId,
  d.recorder_serial AS recorderSerial, s.original_path AS originalPath,
  s.original_size AS originalSize, s.original_mtime AS originalMtime, s.seen_at AS seenAt
  FROM clip_sightings s JOIN dockings d ON d.id = s.docking_id`;
