import type { DiscPassName, DiscSelection, DiscState } from '../contract';
import type { Sql } from './sql';

/** A planned set as stored. */
export interface DiscSetRecord {
  id: number;
  tag: string;
  selection: DiscSelection;
  caseNumber: string | null;
  medium: string;
  mediumBytes: number;
  discs: number;
  copies: number;
  par2Percent: number;
  plannedBy: string;
  plannedAt: string;
  stagedAt: string | null;
}

export type NewDiscSet = Omit<DiscSetRecord, 'id' | 'stagedAt'>;

/** A clip's place in a set: which disc, and its path there. */
export interface DiscSetClip {
  n: number;
  clipId: number;
  path: string;
}

/** One burn of a disc, as stored. */
export interface DiscBurnRecord {
  id: number;
  setId: number;
  n: number;
  copy: number;
  volumeId: string;
  state: DiscState;
  drive: string;
  driveModel: string | null;
  driveFirmware: string | null;
  speed: string | null;
  manifestSha256: string;
  imageSha256: string | null;
  imageBytes: number | null;
  burnedBy: string;
  startedAt: string;
  finishedAt: string | null;
  problem: string | null;
  location: string | null;
  nextCheckDue: string | null;
  lastCheckedAt: string | null;
}

export type NewDiscBurn = Pick<
  DiscBurnRecord,
  | 'setId'
  | 'n'
  | 'copy'
  | 'volumeId'
  | 'drive'
  | 'driveModel'
  | 'driveFirmware'
  | 'speed'
  | 'manifestSha256'
  | 'burnedBy'
  | 'startedAt'
>;

export interface DiscCheckRecord {
  discId: number;
  occasion: 'burn' | 'recheck';
  pass: DiscPassName;
  ok: boolean;
  detail: string;
  problems: string[];
  checkedBy: string;
  checkedAt: string;
}

export interface DiscHandoverRecord {
  discId: number;
  toWhom: string;
  location: string | null;
  reason: string;
  handedBy: string;
  handedAt: string;
}

/** A long-term clip no verified disc holds yet (D-LONGTERM). */
export interface PendingLongTermClip {
  clipId: number;
  size: number;
  custodyAt: string;
  caseNumber: string | null;
}

/** What a disc needs of a clip: to plan it, place it, list it in the manifest and prove it. */
export interface DiscClipFacts {
  id: number;
  size: number;
  sha256: string;
  sm3: string | null;
  archivePath: string;
  originalPath: string;
  recorderSerial: string;
  officerBadge: string | null;
  recordedStart: string | null;
  recordedEnd: string | null;
  custodyAt: string;
  caseNumber: string | null;
}

interface SetRow {
  id: number;
  tag: string;
  selection: string;
  case_number: string | null;
  medium: string;
  medium_bytes: number;
  discs: number;
  copies: number;
  par2_percent: number;
  planned_by: string;
  planned_at: string;
  staged_at: string | null;
}

interface BurnRow {
  id: number;
  set_id: number;
  n: number;
  copy: number;
  volume_id: string;
  state: DiscState;
  drive: string;
  drive_model: string | null;
  drive_firmware: string | null;
  speed: string | null;
  manifest_sha256: string;
  image_sha256: string | null;
  image_bytes: number | null;
  burned_by: string;
  started_at: string;
  finished_at: string | null;
  problem: string | null;
  location: string | null;
  next_check_due: string | null;
  last_checked_at: string | null;
}

function setFrom(row: SetRow): DiscSetRecord {
  return {
    id: row.id,
    tag: row.tag,
    selection: JSON.parse(row.selection) as DiscSelection,
    caseNumber: row.case_number,
    medium: row.medium,
    mediumBytes: row.medium_bytes,
    discs: row.discs,
    copies: row.copies,
    par2Percent: row.par2_percent,
    plannedBy: row.planned_by,
    plannedAt: row.planned_at,
    stagedAt: row.staged_at,
  };
}

function burnFrom(row: BurnRow): DiscBurnRecord {
  return {
    id: row.id,
    setId: row.set_id,
    n: row.n,
    copy: row.copy,
    volumeId: row.volume_id,
    state: row.state,
    drive: row.drive,
    driveModel: row.drive_model,
    driveFirmware: row.drive_firmware,
    speed: row.speed,
    manifestSha256: row.manifest_sha256,
    imageSha256: row.image_sha256,
    imageBytes: row.image_bytes,
    burnedBy: row.burned_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    problem: row.problem,
    location: row.location,
    nextCheckDue: row.next_check_due,
    lastCheckedAt: row.last_checked_at,
  };
}

/**
 * A clip is on disc once a verified disc holds it: a failed or interrupted burn, or a disc that
 * failed its re-check, leaves it pending (D-LONGTERM).
 */
const ON_VERIFIED_DISC = `EXISTS (SELECT 1 FROM disc_set_clips sc
    JOIN discs d ON d.set_id = sc.set_id AND d.n = sc.n AND d.state = 'verified'
    WHERE sc.clip_id = c.id)`;

export const PENDING_LONG_TERM_SQL = `SELECT c.id AS clipId, c.original_size AS size,
    c.custody_at AS custodyAt, l.case_number AS caseNumber
  FROM clip_labels l JOIN clips c ON c.id = l.clip_id
  WHERE l.long_term_reason IS NOT NULL AND NOT ${ON_VERIFIED_DISC}
  ORDER BY c.custody_at, c.id`;

/** The disc register: sets, their clips, each burn, its checks and handovers. */
export class DiscReads {
  constructor(protected readonly sql: Sql) {}

  set(id: number): DiscSetRecord | undefined {
    const row = this.sql.read<[number], SetRow>('SELECT * FROM disc_sets WHERE id = ?').get(id);
    return row === undefined ? undefined : setFrom(row);
  }

  setByTag(tag: string): DiscSetRecord | undefined {
    const row = this.sql.read<[string], SetRow>('SELECT * FROM disc_sets WHERE tag = ?').get(tag);
    return row === undefined ? undefined : setFrom(row);
  }

  /** The newest sets first. */
  sets(limit: number): DiscSetRecord[] {
    return this.sql
      .read<[number], SetRow>('SELECT * FROM disc_sets ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map(setFrom);
  }

  /** How many sets were planned on a day (their tags count from 1 each day). */
  setsTagged(prefix: string): number {
    return this.sql
      .read<[string], { n: number }>(
        "SELECT count(*) AS n FROM disc_sets WHERE tag LIKE ? || '%' ESCAPE '\\'",
      )
      .get(prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`))!.n;
  }

  setClips(setId: number): DiscSetClip[] {
    return this.sql
      .read<[number], DiscSetClip>(
        'SELECT n, clip_id AS clipId, path FROM disc_set_clips WHERE set_id = ? ORDER BY n, path',
      )
      .all(setId);
  }

  /** Where each clip of disc n of a set stands on it, by path. */
  clipsOnDisc(setId: number, n: number): DiscSetClip[] {
    return this.sql
      .read<[number, number], DiscSetClip>(
        'SELECT n, clip_id AS clipId, path FROM disc_set_clips WHERE set_id = ? AND n = ? ORDER BY path',
      )
      .all(setId, n);
  }

  burn(id: number): DiscBurnRecord | undefined {
    const row = this.sql.read<[number], BurnRow>('SELECT * FROM discs WHERE id = ?').get(id);
    return row === undefined ? undefined : burnFrom(row);
  }

  /** Every burn of a set's discs, oldest first. */
  burnsOfSet(setId: number): DiscBurnRecord[] {
    return this.sql
      .read<[number], BurnRow>('SELECT * FROM discs WHERE set_id = ? ORDER BY n, copy, id')
      .all(setId)
      .map(burnFrom);
  }

  /** The burns in the register, newest first; `dueBy`: only verified discs due by then. */
  burns(options: { dueBy?: string; limit: number }): DiscBurnRecord[] {
    const rows =
      options.dueBy === undefined
        ? this.sql
            .read<[number], BurnRow>('SELECT * FROM discs ORDER BY id DESC LIMIT ?')
            .all(options.limit)
        : this.sql
            .read<[string, number], BurnRow>(
              `SELECT * FROM discs INDEXED BY discs_due
               WHERE state = 'verified' AND next_check_due <= ? ORDER BY next_check_due LIMIT ?`,
            )
            .all(options.dueBy, options.limit);
    return rows.map(burnFrom);
  }

  /** Verified discs whose re-check is due by then. */
  dueCount(by: string): number {
    return this.sql
      .read<[string], { n: number }>(
        `SELECT count(*) AS n FROM discs INDEXED BY discs_due
         WHERE state = 'verified' AND next_check_due <= ?`,
      )
      .get(by)!.n;
  }

  /** Burns still marked under way: after a crash, the ones no process is burning any more. */
  burning(): DiscBurnRecord[] {
    return this.sql
      .read<[], BurnRow>("SELECT * FROM discs WHERE state = 'burning' ORDER BY id")
      .all()
      .map(burnFrom);
  }

  checks(discId: number): DiscCheckRecord[] {
    return this.sql
      .read<[number], Omit<DiscCheckRecord, 'ok' | 'problems'> & { ok: number; problems: string }>(
        `SELECT disc_id AS discId, occasion, pass, ok, detail, problems, checked_by AS checkedBy,
           checked_at AS checkedAt FROM disc_checks WHERE disc_id = ? ORDER BY id`,
      )
      .all(discId)
      .map((row) => ({ ...row, ok: row.ok === 1, problems: JSON.parse(row.problems) as string[] }));
  }

  handovers(discId: number): DiscHandoverRecord[] {
    return this.sql
      .read<[number], DiscHandoverRecord>(
        `SELECT disc_id AS discId, to_whom AS toWhom, location, reason, handed_by AS handedBy,
           handed_at AS handedAt FROM disc_handovers WHERE disc_id = ? ORDER BY id`,
      )
      .all(discId);
  }

  /** The facts of these clips a disc needs, in id order; ids that name no clip are left out. */
  clipFacts(ids: readonly number[]): DiscClipFacts[] {
    return this.sql
      .read<[string], DiscClipFacts>(
        `SELECT c.id, c.original_size AS size, c.sha256, c.sm3, c.archive_path AS archivePath,
           c.original_path AS originalPath, c.recorder_serial AS recorderSerial,
           c.officer_badge AS officerBadge, c.recorded_start AS recordedStart,
           c.recorded_end AS recordedEnd, c.custody_at AS custodyAt, l.case_number AS caseNumber
         FROM clips c LEFT JOIN clip_labels l ON l.clip_id = c.id
         WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id`,
      )
      .all(JSON.stringify(ids));
  }

  /** The clips filed under a case. */
  clipIdsOfCase(caseNumber: string): number[] {
    return this.sql
      .read<[string], { id: number }>(
        'SELECT clip_id AS id FROM clip_labels WHERE case_number = ? ORDER BY clip_id',
      )
      .all(caseNumber)
      .map((row) => row.id);
  }

  /** Long-term clips (D-LONGTERM) no verified disc holds, oldest custody first. */
  pendingLongTerm(): PendingLongTermClip[] {
    return this.sql.read<[], PendingLongTermClip>(PENDING_LONG_TERM_SQL).all();
  }

  /** Whether a verified disc holds the clip. */
  onDisc(clipId: number): boolean {
    return (
      this.sql
        .read<[number], { on: number }>(
          `SELECT ${ON_VERIFIED_DISC} AS on FROM clips c WHERE c.id = ?`,
        )
        .get(clipId)?.on === 1
    );
  }
}

export class DiscRepository extends DiscReads {
  addSet(set: NewDiscSet, clips: readonly DiscSetClip[]): DiscSetRecord {
    const { lastInsertRowid } = this.sql
      .write(
        `INSERT INTO disc_sets (tag, selection, case_number, medium, medium_bytes, discs, copies,
           par2_percent, planned_by, planned_at)
         VALUES (@tag, @selection, @caseNumber, @medium, @mediumBytes, @discs, @copies,
           @par2Percent, @plannedBy, @plannedAt)`,
      )
      .run({ ...set, selection: JSON.stringify(set.selection) });
    const setId = Number(lastInsertRowid);
    const insert = this.sql.write(
      'INSERT INTO disc_set_clips (set_id, n, clip_id, path) VALUES (?, ?, ?, ?)',
    );
    for (const clip of clips) insert.run(setId, clip.n, clip.clipId, clip.path);
    return this.set(setId)!;
  }

  markStaged(setId: number, at: string): void {
    this.sql.write('UPDATE disc_sets SET staged_at = ? WHERE id = ?').run(at, setId);
  }

  /** Records a burn beginning; the unique index refuses a second live burn of the same disc. */
  startBurn(burn: NewDiscBurn): DiscBurnRecord {
    const { lastInsertRowid } = this.sql
      .write(
        `INSERT INTO discs (set_id, n, copy, volume_id, state, drive, drive_model, drive_firmware,
           speed, manifest_sha256, burned_by, started_at)
         VALUES (@setId, @n, @copy, @volumeId, 'burning', @drive, @driveModel, @driveFirmware,
           @speed, @manifestSha256, @burnedBy, @startedAt)`,
      )
      .run(burn);
    return this.burn(Number(lastInsertRowid))!;
  }

  /** A burn's outcome: verified (with its next check) or failed / interrupted (with why). */
  finishBurn(
    id: number,
    outcome: {
      state: 'verified' | 'failed' | 'interrupted';
      at: string;
      problem: string | null;
      imageSha256: string | null;
      imageBytes: number | null;
      nextCheckDue: string | null;
    },
  ): void {
    this.sql
      .write(
        `UPDATE discs SET state = @state, finished_at = @at, problem = @problem,
           image_sha256 = coalesce(@imageSha256, image_sha256),
           image_bytes = coalesce(@imageBytes, image_bytes), next_check_due = @nextCheckDue,
           last_checked_at = CASE WHEN @state IN ('verified', 'failed') THEN @at ELSE NULL END
         WHERE id = @id AND state = 'burning'`,
      )
      .run({ id, ...outcome });
  }

  /** A re-check's outcome: a verified disc stays verified (checked again later) or fails. */
  recordRecheck(
    id: number,
    outcome: { ok: boolean; at: string; problem: string | null; nextCheckDue: string | null },
  ): void {
    this.sql
      .write(
        `UPDATE discs SET state = CASE WHEN @ok THEN state ELSE 'failed' END,
           problem = CASE WHEN @ok THEN problem ELSE @problem END,
           next_check_due = CASE WHEN @ok THEN @nextCheckDue ELSE NULL END,
           last_checked_at = @at
         WHERE id = @id`,
      )
      .run({
        id,
        ok: outcome.ok ? 1 : 0,
        at: outcome.at,
        problem: outcome.problem,
        nextCheckDue: outcome.nextCheckDue,
      });
  }

  /** The write speed the drive reported during the burn. */
  setSpeed(id: number, speed: string): void {
    this.sql.write('UPDATE discs SET speed = ? WHERE id = ?').run(speed, id);
  }

  addCheck(check: DiscCheckRecord): void {
    this.sql
      .write(
        `INSERT INTO disc_checks (disc_id, occasion, pass, ok, detail, problems, checked_by,
           checked_at)
         VALUES (@discId, @occasion, @pass, @ok, @detail, @problems, @checkedBy, @checkedAt)`,
      )
      .run({ ...check, ok: check.ok ? 1 : 0, problems: JSON.stringify(check.problems) });
  }

  handOver(handover: DiscHandoverRecord): void {
    this.sql
      .write(
        `INSERT INTO disc_handovers (disc_id, to_whom, location, reason, handed_by, handed_at)
         VALUES (@discId, @toWhom, @location, @reason, @handedBy, @handedAt)`,
      )
      .run(handover);
    this.sql
      .write('UPDATE discs SET location = coalesce(?, location) WHERE id = ?')
      .run(handover.location, handover.discId);
  }
}
