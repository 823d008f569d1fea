import { containsPattern } from './search-sql';
import type { Sql } from './sql';
import type { CaseStatus, EnforcementKind, NotSuitableReason, ProceduralAct } from '../contract';

/** An enforcement case (D-KINDS, D-LATE-START, D-ARCHIVE). */
export interface CaseRecord {
  number: string;
  kind: EnforcementKind;
  title: string;
  status: CaseStatus;
  openedAt: string;
  closedAt: string | null;
  archiveBy: string | null;
  archivedAt: string | null;
  handlingOfficer: string | null;
  emergency: boolean;
  approvedAt: string | null;
  createdBy: string;
  createdAt: string;
}

interface CaseRow {
  number: string;
  kind: EnforcementKind;
  title: string;
  status: CaseStatus;
  opened_at: string;
  closed_at: string | null;
  archive_by: string | null;
  archived_at: string | null;
  handling_officer: string | null;
  emergency: number;
  approved_at: string | null;
  created_by: string;
  created_at: string;
}

function fromRow(row: CaseRow): CaseRecord {
  return {
    number: row.number,
    kind: row.kind,
    title: row.title,
    status: row.status,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    archiveBy: row.archive_by,
    archivedAt: row.archived_at,
    handlingOfficer: row.handling_officer,
    emergency: row.emergency === 1,
    approvedAt: row.approved_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** A procedural act of a case (D-AV-REQUIRED) with the clips that record it. */
export interface CaseActRecord {
  id: number;
  caseNumber: string;
  act: ProceduralAct;
  clipIds: number[];
  notRecorded: { reason: NotSuitableReason; text: string } | null;
}

export type NewCase = Pick<
  CaseRecord,
  'number' | 'kind' | 'title' | 'openedAt' | 'handlingOfficer' | 'emergency'
>;

/** The cases, case_acts and case_act_clips tables. */
export class CaseReads {
  constructor(protected readonly sql: Sql) {}

  get(number: string): CaseRecord | undefined {
    const row = this.sql
      .read<[string], CaseRow>('SELECT * FROM cases WHERE number = ?')
      .get(number.trim());
    return row && fromRow(row);
  }

  /** Newest first; `officer` narrows to the cases an officer handles or has footage in. */
  recent(limit: number, officer?: string): CaseRecord[] {
    if (officer === undefined) {
      return this.sql
        .read<[number], CaseRow>('SELECT * FROM cases ORDER BY opened_at DESC LIMIT ?')
        .all(limit)
        .map(fromRow);
    }
    return this.sql
      .read<[string, string, number], CaseRow>(
        `SELECT * FROM cases WHERE handling_officer = ? COLLATE NOCASE OR number IN (
           SELECT l.case_number FROM clip_labels l JOIN clips c ON c.id = l.clip_id
           WHERE c.officer_badge = ? COLLATE NOCASE)
         ORDER BY opened_at DESC LIMIT ?`,
      )
      .all(officer, officer, limit)
      .map(fromRow);
  }

  /** The cases browser: by status and a part of the number or title; newest first. */
  list(query: {
    status?: CaseStatus | undefined;
    text?: string | undefined;
    officer?: string | undefined;
    limit: number;
    offset: number;
  }): { cases: CaseRecord[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit, offset: query.offset };
    if (query.status !== undefined) {
      where.push('status = @status');
      params.status = query.status;
    }
    if (query.text !== undefined) {
      where.push(`(number LIKE @text ESCAPE '\\' OR title LIKE @text ESCAPE '\\')`);
      params.text = containsPattern(query.text);
    }
    if (query.officer !== undefined) {
      where.push(`(handling_officer = @officer OR created_by = @officer OR number IN (
        SELECT l.case_number FROM clip_labels l JOIN clips c ON c.id = l.clip_id
        WHERE c.officer_badge = @officer AND l.case_number IS NOT NULL))`);
      params.officer = query.officer;
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (
      this.sql.read(`SELECT count(*) AS n FROM cases ${filter}`).get(params) as { n: number }
    ).n;
    const cases = this.sql
      .read<Record<string, unknown>, CaseRow>(
        `SELECT * FROM cases ${filter} ORDER BY opened_at DESC, number LIMIT @limit OFFSET @offset`,
      )
      .all(params)
      .map(fromRow);
    return { cases, total };
  }

  /** The officer handles the case, opened it, or filed footage under it. */
  involves(number: string, officer: string): boolean {
    return (
      this.sql
        .read(
          `SELECT 1 FROM cases WHERE number = @number AND (handling_officer = @officer
             OR created_by = @officer OR EXISTS (SELECT 1 FROM clip_labels l
               JOIN clips c ON c.id = l.clip_id
               WHERE l.case_number = @number AND c.officer_badge = @officer))`,
        )
        .get({ number, officer }) !== undefined
    );
  }

  /** How many clips are filed under the case. */
  clipCount(number: string): number {
    return (
      this.sql
        .read<[string], { n: number }>(
          'SELECT count(*) AS n FROM clip_labels WHERE case_number = ?',
        )
        .get(number) ?? { n: 0 }
    ).n;
  }

  /**
   * The footage filed under the case that was recorded last, and when: each clip's recording
   * start (else end), never later than its custody, as the domain's footageTimeOf says. Read
   * inside the write that closes the case, so a clip filed meanwhile is seen.
   */
  lastFootage(number: string): { clipId: number; at: string } | null {
    return (
      this.sql
        .read<[string], { clipId: number; at: string }>(
          `SELECT c.id AS clipId,
             min(coalesce(c.recorded_start, c.recorded_end, c.custody_at), c.custody_at) AS at
           FROM clip_labels l JOIN clips c ON c.id = l.clip_id
           WHERE l.case_number = ?
           ORDER BY at DESC, c.id DESC LIMIT 1`,
        )
        .get(number) ?? null
    );
  }

  acts(number: string): CaseActRecord[] {
    const acts = this.sql
      .read<
        [string],
        {
          id: number;
          case_number: string;
          act: ProceduralAct;
          not_recorded_reason: NotSuitableReason | null;
          not_recorded_text: string | null;
        }
      >('SELECT * FROM case_acts WHERE case_number = ? ORDER BY id')
      .all(number);
    const clips = this.sql.read<[number], { clip_id: number }>(
      'SELECT clip_id FROM case_act_clips WHERE act_id = ? ORDER BY clip_id',
    );
    return acts.map((row) => ({
      id: row.id,
      caseNumber: row.case_number,
      act: row.act,
      clipIds: clips.all(row.id).map((c) => c.clip_id),
      notRecorded:
        row.not_recorded_reason === null
          ? null
          : { reason: row.not_recorded_reason, text: row.not_recorded_text ?? '' },
    }));
  }
}

export class CaseRepository extends CaseReads {
  create(kase: NewCase, by: string, at: string): CaseRecord {
    this.sql
      .write(
        `INSERT INTO cases (number, kind, title, opened_at, handling_officer, emergency,
           created_by, created_at)
         VALUES (@number, @kind, @title, @openedAt, @handlingOfficer, @emergency, @by, @at)`,
      )
      .run({ ...kase, emergency: kase.emergency ? 1 : 0, by, at });
    return this.get(kase.number)!;
  }

  removeAct(actId: number): void {
    this.sql.write('DELETE FROM case_acts WHERE id = ?').run(actId);
  }

  /** D-ARCHIVE: closing sets the archive-by date; the caller audits it. */
  close(number: string, closedAt: string, archiveBy: string): void {
    this.sql
      .write(
        `UPDATE cases SET status = 'closed', closed_at = ?, archive_by = ?
         WHERE number = ? AND status = 'open'`,
      )
      .run(closedAt, archiveBy, number);
  }

  markArchived(number: string, at: string): void {
    this.sql
      .write(
        `UPDATE cases SET status = 'archived', archived_at = ? WHERE number = ? AND status = 'closed'`,
      )
      .run(at, number);
  }

  /** D-LATE-START: the emergency case's approval came. */
  approve(number: string, at: string): void {
    this.sql
      .write('UPDATE cases SET approved_at = ? WHERE number = ? AND approved_at IS NULL')
      .run(at, number);
  }

  /** Adds a procedural act to a case (or finds it), and answers its id. */
  addAct(number: string, act: ProceduralAct): number {
    this.sql
      .write('INSERT INTO case_acts (case_number, act) VALUES (?, ?) ON CONFLICT DO NOTHING')
      .run(number, act);
    return this.sql
      .read<[string, ProceduralAct], { id: number }>(
        'SELECT id FROM case_acts WHERE case_number = ? AND act = ?',
      )
      .get(number, act)!.id;
  }

  /** D-NOT-SUITABLE: why the act was not recorded, or null to take the reason back. */
  setNotRecorded(
    actId: number,
    notRecorded: { reason: NotSuitableReason; text: string } | null,
  ): void {
    this.sql
      .write('UPDATE case_acts SET not_recorded_reason = ?, not_recorded_text = ? WHERE id = ?')
      .run(notRecorded?.reason ?? null, notRecorded?.text ?? null, actId);
  }

  linkClip(actId: number, clipId: number): void {
    this.sql
      .write('INSERT INTO case_act_clips (act_id, clip_id) VALUES (?, ?) ON CONFLICT DO NOTHING')
      .run(actId, clipId);
  }

  /** Takes a clip off every act of a case; answers the acts it documented. */
  unlinkClipFromCase(number: string, clipId: number): ProceduralAct[] {
    const acts = this.sql
      .read<[string, number], { id: number; act: ProceduralAct }>(
        `SELECT a.id, a.act FROM case_acts a JOIN case_act_clips x ON x.act_id = a.id
         WHERE a.case_number = ? AND x.clip_id = ?`,
      )
      .all(number, clipId);
    for (const act of acts) this.unlinkClip(act.id, clipId);
    return acts.map((a) => a.act);
  }

  unlinkClip(actId: number, clipId: number): void {
    this.sql
      .write('DELETE FROM case_act_clips WHERE act_id = ? AND clip_id = ?')
      .run(actId, clipId);
  }
}
