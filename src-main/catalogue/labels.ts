import { idList, type Sql } from './sql';
import type {
  Confidentiality,
  CustodyExceptionKind,
  EnforcementKind,
  LongTermReason,
  Stage,
} from '../contract';

/** A clip's label as it stands (its history is in the audit chain). */
export interface LabelRecord {
  clipId: number;
  caseNumber: string | null;
  matter: string | null;
  kind: EnforcementKind | null;
  stage: Stage | null;
  place: string | null;
  parties: string[];
  /** Personal data: shown only where the parties' identity is the point. */
  partyIds: string[];
  officersPresent: string[];
  confidentiality: Confidentiality;
  notes: string | null;
  longTerm: { reason: LongTermReason; text: string | null } | null;
  updatedBy: string;
  updatedAt: string;
}

export type LabelInput = Omit<LabelRecord, 'clipId' | 'updatedBy' | 'updatedAt'>;

interface LabelRow {
  clip_id: number;
  case_number: string | null;
  matter: string | null;
  kind: EnforcementKind | null;
  stage: Stage | null;
  place: string | null;
  parties: string;
  party_ids: string;
  officers_present: string;
  confidentiality: Confidentiality;
  notes: string | null;
  long_term_reason: LongTermReason | null;
  long_term_text: string | null;
  updated_by: string;
  updated_at: string;
}

function fromRow(row: LabelRow): LabelRecord {
  return {
    clipId: row.clip_id,
    caseNumber: row.case_number,
    matter: row.matter,
    kind: row.kind,
    stage: row.stage,
    place: row.place,
    parties: JSON.parse(row.parties) as string[],
    partyIds: JSON.parse(row.party_ids) as string[],
    officersPresent: JSON.parse(row.officers_present) as string[],
    confidentiality: row.confidentiality,
    notes: row.notes,
    longTerm:
      row.long_term_reason === null
        ? null
        : { reason: row.long_term_reason, text: row.long_term_text },
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

export interface CustodyExceptionRecord {
  clipId: number;
  kind: CustodyExceptionKind;
  returnedAt: string;
  note: string | null;
  /** Custody came more than 24 h after the return too: the clip stays late (D-24H). */
  stillLate: boolean;
  recordedBy: string;
  recordedAt: string;
}

/** The clip_labels, custody_exceptions and label_deferrals tables, and clips' filing flags. */
export class LabelReads {
  constructor(protected readonly sql: Sql) {}

  get(clipId: number): LabelRecord | undefined {
    const row = this.sql
      .read<[number], LabelRow>('SELECT * FROM clip_labels WHERE clip_id = ?')
      .get(clipId);
    return row && fromRow(row);
  }

  /** D-CONFIDENTIAL: how a clip is marked ('none' while it has no label). */
  confidentialityOf(clipId: number): Confidentiality {
    return this.get(clipId)?.confidentiality ?? 'none';
  }

  /** The labels of many clips at once (the clips browser's page). */
  forClips(clipIds: readonly number[]): Map<number, LabelRecord> {
    const found = new Map<number, LabelRecord>();
    if (clipIds.length === 0) return found;
    const rows = this.sql
      .read<[string], LabelRow>(
        `SELECT * FROM clip_labels WHERE clip_id IN (SELECT value FROM json_each(?))`,
      )
      .all(idList(clipIds));
    for (const row of rows) found.set(row.clip_id, fromRow(row));
    return found;
  }

  /**
   * Per clip: how many findings name it, and whether it is late in custody with no exception
   * that excuses it (D-24H).
   */
  flags(clipIds: readonly number[]): Map<number, { findings: number; lateCustody: boolean }> {
    const found = new Map<number, { findings: number; lateCustody: boolean }>();
    if (clipIds.length === 0) return found;
    const rows = this.sql
      .read<[string], { id: number; late: number; findings: number }>(
        `SELECT c.id,
           c.late_custody = 1 AND NOT EXISTS (SELECT 1 FROM custody_exceptions e
             WHERE e.clip_id = c.id AND e.still_late = 0) AS late,
           (SELECT count(*) FROM docking_findings f WHERE f.clip_id = c.id) AS findings
         FROM clips c WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(idList(clipIds));
    for (const row of rows) {
      found.set(row.id, { findings: row.findings, lateCustody: row.late === 1 });
    }
    return found;
  }

  /** Late in custody as found at docking (before any exception). */
  isLateAtDocking(clipId: number): boolean {
    const row = this.sql
      .read<[number], { late: number }>('SELECT late_custody AS late FROM clips WHERE id = ?')
      .get(clipId);
    return row?.late === 1;
  }

  /** An officer's clips not yet labelled, from every docking (the badge as users spells it). */
  countUnlabelled(officerBadge: string): number {
    return (
      this.sql
        .read<[string], { n: number }>(
          'SELECT count(*) AS n FROM clips WHERE officer_badge = ? AND labelled = 0',
        )
        .get(officerBadge) ?? { n: 0 }
    ).n;
  }

  /** The case the user filed clips under last (the label form offers it first). */
  lastCaseBy(badge: string): string | null {
    const row = this.sql
      .read<[string], { case_number: string }>(
        `SELECT case_number FROM clip_labels WHERE updated_by = ? AND case_number IS NOT NULL
         ORDER BY updated_at DESC LIMIT 1`,
      )
      .get(badge);
    return row?.case_number ?? null;
  }

  /**
   * Labels with what D-LABEL needs of their clip, in clip order from after `afterClipId` (a page
   * at a time, so that the caller may write between pages).
   */
  labelsWithClips(
    afterClipId: number,
    limit: number,
  ): {
    label: LabelRecord;
    clip: {
      recorderSerial: string;
      recordedStart: string | null;
      recordedEnd: string | null;
      officerBadge: string | null;
    };
    labelled: boolean;
  }[] {
    return this.sql
      .read<
        [number, number],
        LabelRow & {
          recorder_serial: string;
          recorded_start: string | null;
          recorded_end: string | null;
          officer_badge: string | null;
          labelled: number;
        }
      >(
        `SELECT l.*, c.recorder_serial, c.recorded_start, c.recorded_end, c.officer_badge,
           c.labelled
         FROM clip_labels l JOIN clips c ON c.id = l.clip_id
         WHERE l.clip_id > ? ORDER BY l.clip_id LIMIT ?`,
      )
      .all(afterClipId, limit)
      .map((row) => ({
        label: fromRow(row),
        clip: {
          recorderSerial: row.recorder_serial,
          recordedStart: row.recorded_start,
          recordedEnd: row.recorded_end,
          officerBadge: row.officer_badge,
        },
        labelled: row.labelled === 1,
      }));
  }

  custodyException(clipId: number): CustodyExceptionRecord | undefined {
    return this.custodyExceptions([clipId]).get(clipId);
  }

  /** The D-24H exceptions of many clips at once (the clips browser's page). */
  custodyExceptions(clipIds: readonly number[]): Map<number, CustodyExceptionRecord> {
    const found = new Map<number, CustodyExceptionRecord>();
    if (clipIds.length === 0) return found;
    const rows = this.sql
      .read<[string], Omit<CustodyExceptionRecord, 'stillLate'> & { stillLate: number }>(
        `SELECT clip_id AS clipId, kind, returned_at AS returnedAt, note, still_late AS stillLate,
           recorded_by AS recordedBy, recorded_at AS recordedAt
         FROM custody_exceptions WHERE clip_id IN (SELECT value FROM json_each(?))`,
      )
      .all(idList(clipIds));
    for (const row of rows) found.set(row.clipId, { ...row, stillLate: row.stillLate === 1 });
    return found;
  }
}

export class LabelRepository extends LabelReads {
  /** Writes a label and whether the clip now counts as labelled; the caller audits it. */
  save(clipId: number, label: LabelInput, labelled: boolean, by: string, at: string): void {
    this.sql
      .write(
        `INSERT INTO clip_labels (clip_id, case_number, matter, kind, stage, place, parties,
           party_ids, officers_present, confidentiality, notes, long_term_reason, long_term_text,
           updated_by, updated_at)
         VALUES (@clipId, @caseNumber, @matter, @kind, @stage, @place, @parties, @partyIds,
           @officersPresent, @confidentiality, @notes, @longTermReason, @longTermText, @by, @at)
         ON CONFLICT (clip_id) DO UPDATE SET case_number = excluded.case_number,
           matter = excluded.matter, kind = excluded.kind, stage = excluded.stage,
           place = excluded.place, parties = excluded.parties, party_ids = excluded.party_ids,
           officers_present = excluded.officers_present, confidentiality = excluded.confidentiality,
           notes = excluded.notes, long_term_reason = excluded.long_term_reason,
           long_term_text = excluded.long_term_text, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at`,
      )
      .run({
        clipId,
        caseNumber: label.caseNumber,
        matter: label.matter,
        kind: label.kind,
        stage: label.stage,
        place: label.place,
        parties: JSON.stringify(label.parties),
        partyIds: JSON.stringify(label.partyIds),
        officersPresent: JSON.stringify(label.officersPresent),
        confidentiality: label.confidentiality,
        notes: label.notes,
        longTermReason: label.longTerm?.reason ?? null,
        longTermText: label.longTerm?.text ?? null,
        by,
        at,
      });
    this.sql.write('UPDATE clips SET labelled = ? WHERE id = ?').run(labelled ? 1 : 0, clipId);
  }

  setLabelled(clipId: number, labelled: boolean): void {
    this.sql.write('UPDATE clips SET labelled = ? WHERE id = ?').run(labelled ? 1 : 0, clipId);
  }

  /** D-24H as decided at docking, or again once an exception is recorded. */
  setLateCustody(clipId: number, late: boolean): void {
    this.sql.write('UPDATE clips SET late_custody = ? WHERE id = ?').run(late ? 1 : 0, clipId);
  }

  /** Records (or replaces) a D-24H exception; the caller decides `stillLate` and audits. */
  saveCustodyException(record: CustodyExceptionRecord): void {
    this.sql
      .write(
        `INSERT INTO custody_exceptions (clip_id, kind, returned_at, note, still_late, recorded_by,
           recorded_at)
         VALUES (@clipId, @kind, @returnedAt, @note, @stillLate, @recordedBy, @recordedAt)
         ON CONFLICT (clip_id) DO UPDATE SET kind = excluded.kind,
           returned_at = excluded.returned_at, note = excluded.note,
           still_late = excluded.still_late,
           recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
      )
      .run({ ...record, stillLate: record.stillLate ? 1 : 0 });
  }

  /** An officer finished a docking with clips unlabelled, and said why. */
  addDeferral(
    deferral: { officerBadge: string; dockingId: number | null; clips: number; reason: string },
    at: string,
  ): number {
    return Number(
      this.sql
        .write(
          `INSERT INTO label_deferrals (officer_badge, docking_id, clips, reason, at)
           VALUES (@officerBadge, @dockingId, @clips, @reason, @at)`,
        )
        .run({ ...deferral, at }).lastInsertRowid,
    );
  }
}
