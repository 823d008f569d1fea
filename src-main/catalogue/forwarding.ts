import type { ForwardSchedule } from '../contract';
import {
  itemFrom,
  targetFrom,
  type AuditSegmentRecord,
  type NewTarget,
  type OutboxItem,
  type OutboxRow,
  type PartRecord,
  type StateCount,
  type TargetRecord,
  type TargetRow,
} from './forwarding-rows';
import type { Sql } from './sql';

export type {
  AuditSegmentRecord,
  NewTarget,
  OutboxItem,
  PartRecord,
  StateCount,
  TargetRecord,
} from './forwarding-rows';

/** Outbox rows with their clip's facts; `index` names the outbox index a query walks in order. */
function selectItems(index?: string): string {
  return `SELECT o.*, c.archive_path, c.sha256, c.sm3
    FROM forward_outbox o ${index === undefined ? '' : `INDEXED BY ${index}`}
    JOIN clips c ON c.id = o.clip_id`;
}
const SELECT_ITEM = selectItems();

/**
 * The queue's hot statements, named for the query-plan test: what is due walks the due index in
 * order and stops at its limit; the oldest waiting custody is one probe; the counts read the
 * target's outbox rows alone, never the clips.
 */
export const DUE_SQL = `${selectItems('forward_outbox_due')}
  WHERE o.target_id = ? AND o.state <> 'verified'
    AND (o.state <> 'failed' OR o.next_try_at IS NOT NULL)
    AND (o.next_try_at IS NULL OR o.next_try_at <= ?)
    AND o.id NOT IN (SELECT value FROM json_each(?))
  ORDER BY o.priority, o.custody_at, o.id
  LIMIT ?`;
export const OLDEST_WAITING_SQL = `SELECT min(custody_at) AS at
  FROM forward_outbox INDEXED BY forward_outbox_waiting
  WHERE target_id = ? AND state <> 'verified'`;
export const COUNTS_SQL = `SELECT state, count(*) AS clips, coalesce(sum(size), 0) AS bytes
  FROM forward_outbox INDEXED BY forward_outbox_by_state WHERE target_id = ? GROUP BY state`;

/** The forwarding tables: targets, the outbox, the parts of uploads, audit segments sent. */
export class ForwardingReads {
  constructor(protected readonly sql: Sql) {}

  /** Every target not removed, in the order they were added. */
  targets(): TargetRecord[] {
    return this.sql
      .read<[], TargetRow>('SELECT * FROM forward_targets WHERE removed_at IS NULL ORDER BY id')
      .all()
      .map(targetFrom);
  }

  target(name: string): TargetRecord | undefined {
    const row = this.sql
      .read<[string], TargetRow>(
        'SELECT * FROM forward_targets WHERE name = ? AND removed_at IS NULL',
      )
      .get(name);
    return row && targetFrom(row);
  }

  targetById(id: number): TargetRecord | undefined {
    const row = this.sql
      .read<[number], TargetRow>('SELECT * FROM forward_targets WHERE id = ?')
      .get(id);
    return row && targetFrom(row);
  }

  item(id: number): OutboxItem | undefined {
    const row = this.sql.read<[number], OutboxRow>(`${SELECT_ITEM} WHERE o.id = ?`).get(id);
    return row && itemFrom(row);
  }

  /**
   * What is due on a target now, most urgent first: long-term footage (D-LONGTERM), then case
   * footage, then the oldest custody (D-24H counts from custody). Failed items wait for their
   * next try; one whose failure retrying cannot fix has none.
   */
  due(targetId: number, now: string, limit: number, skip: readonly number[] = []): OutboxItem[] {
    return this.sql
      .read<[number, string, string, number], OutboxRow>(DUE_SQL)
      .all(targetId, now, JSON.stringify(skip), limit)
      .map(itemFrom);
  }

  /**
   * When the next failed item on a target is to be tried again (null: none waits for a time);
   * only items tried fewer than `maxAttempts` times count, when it is given.
   */
  nextTry(targetId: number, maxAttempts = Number.MAX_SAFE_INTEGER): string | null {
    return (
      this.sql
        .read<[number, number], { at: string | null }>(
          `SELECT min(next_try_at) AS at FROM forward_outbox
           WHERE target_id = ? AND state <> 'verified' AND next_try_at IS NOT NULL
             AND attempts < ?`,
        )
        .get(targetId, maxAttempts)?.at ?? null
    );
  }

  parts(outboxId: number): PartRecord[] {
    return this.sql
      .read<[number], PartRecord>(
        `SELECT part_number AS partNumber, size, md5, etag FROM forward_parts
         WHERE outbox_id = ? ORDER BY part_number`,
      )
      .all(outboxId);
  }

  /** Per state, how many clips and bytes a target holds. */
  counts(targetId: number): StateCount[] {
    return this.sql.read<[number], StateCount>(COUNTS_SQL).all(targetId);
  }

  /** The custody time of the oldest clip not yet verified on a target. */
  oldestWaiting(targetId: number): string | null {
    return (
      this.sql.read<[number], { at: string | null }>(OLDEST_WAITING_SQL).get(targetId)?.at ?? null
    );
  }

  /** Clips with no outbox row for a target yet (none once the target has caught up). */
  unqueued(target: Pick<TargetRecord, 'queuedThrough'>): {
    clips: number;
    bytes: number;
    oldest: string | null;
  } {
    return this.sql
      .read<[number], { clips: number; bytes: number; oldest: string | null }>(
        `SELECT count(*) AS clips, coalesce(sum(original_size), 0) AS bytes,
           min(custody_at) AS oldest FROM clips WHERE id > ?`,
      )
      .get(target.queuedThrough)!;
  }

  /** Verified items of a target, by id, a page at a time (for re-proving remote copies). */
  verified(targetId: number, afterId: number, limit: number): OutboxItem[] {
    return this.sql
      .read<[number, number, number], OutboxRow>(
        `${SELECT_ITEM} WHERE o.target_id = ? AND o.state = 'verified' AND o.id > ?
         ORDER BY o.id LIMIT ?`,
      )
      .all(targetId, afterId, limit)
      .map(itemFrom);
  }

  /** Items of a target whose label document is due, verified ones first by id. */
  labelsDue(targetId: number, limit: number): OutboxItem[] {
    return this.sql
      .read<[number, number], OutboxRow>(
        `${SELECT_ITEM} WHERE o.target_id = ? AND o.labels_due = 1 AND o.state = 'verified'
         ORDER BY o.id LIMIT ?`,
      )
      .all(targetId, limit)
      .map(itemFrom);
  }

  /** Each target's way for one clip. */
  forClip(clipId: number): OutboxItem[] {
    return this.sql
      .read<[number], OutboxRow>(`${SELECT_ITEM} WHERE o.clip_id = ? ORDER BY o.target_id`)
      .all(clipId)
      .map(itemFrom);
  }

  /** Whether `key` is the object key of one of this station's clips on a target. */
  isOwnKey(targetId: number, key: string): boolean {
    return (
      this.sql
        .read<[number, string], { found: number }>(
          'SELECT EXISTS (SELECT 1 FROM forward_outbox WHERE target_id = ? AND object_key = ?) AS found',
        )
        .get(targetId, key)!.found === 1
    );
  }

  /** The upload ids the outbox still means to finish on a target. */
  openUploads(targetId: number): Set<string> {
    return new Set(
      this.sql
        .read<[number], { upload_id: string }>(
          `SELECT upload_id FROM forward_outbox
           WHERE target_id = ? AND upload_id IS NOT NULL AND state <> 'verified'`,
        )
        .all(targetId)
        .map((r) => r.upload_id),
    );
  }

  lastAuditSegment(targetId: number): AuditSegmentRecord | undefined {
    return this.sql
      .read<[number], AuditSegmentRecord>(
        `SELECT from_seq AS fromSeq, through_seq AS throughSeq, object_key AS objectKey, size,
           sha256, sent_at AS sentAt
         FROM forward_audit_segments WHERE target_id = ? ORDER BY through_seq DESC LIMIT 1`,
      )
      .get(targetId);
  }

  /**
   * The latest audit sequence of what a clip's label document says: its last label change, or
   * its archiving when it was never labelled (the document then carries its facts alone).
   */
  labelVersion(clipId: number): number {
    return (
      this.sql
        .read<[string], { seq: number | null }>(
          `SELECT max(seq) AS seq FROM audit_log WHERE subject = ?
             AND action IN ('clip.archived', 'clip.recovered', 'clip.labelled')`,
        )
        .get(`clip:${clipId}`)?.seq ?? 0
    );
  }

  /**
   * The failed items of a target, at most `limit`: first those that wait for a custodian (no
   * next try: retrying by itself cannot help), then by the clip's custody, oldest first (D-24H).
   */
  failures(targetId: number, limit: number): OutboxItem[] {
    return this.sql
      .read<[number, number], OutboxRow>(
        `${SELECT_ITEM} WHERE o.target_id = ? AND o.state = 'failed'
         ORDER BY o.next_try_at IS NOT NULL, c.custody_at, o.id LIMIT ?`,
      )
      .all(targetId, limit)
      .map(itemFrom);
  }
}

/** The forwarding tables, written inside a catalogue transaction. */
export class ForwardingRepository extends ForwardingReads {
  addTarget(target: NewTarget): TargetRecord {
    const { lastInsertRowid } = this.sql
      .write(
        `INSERT INTO forward_targets (name, kind, endpoint, bucket, region, path_style, folder_path,
           prefix, secret_sealed, concurrency, part_size, schedule, read_back_percent, added_by,
           added_at)
         VALUES (@name, @kind, @endpoint, @bucket, @region, @pathStyle, @folderPath, @prefix,
           @secretSealed, @concurrency, @partSize, @schedule, @readBackPercent, @addedBy, @addedAt)`,
      )
      .run({
        ...target,
        pathStyle: target.pathStyle ? 1 : 0,
        schedule: JSON.stringify(target.schedule),
      });
    return this.targetById(Number(lastInsertRowid))!;
  }

  /** Turns a target on or off; turning it on clears a stop (the custodian says it is mended). */
  setEnabled(id: number, enabled: boolean): void {
    this.sql
      .write(
        `UPDATE forward_targets SET enabled = ?,
           stopped_code = CASE WHEN ? THEN NULL ELSE stopped_code END,
           stopped_reason = CASE WHEN ? THEN NULL ELSE stopped_reason END,
           stopped_at = CASE WHEN ? THEN NULL ELSE stopped_at END
         WHERE id = ?`,
      )
      .run(enabled ? 1 : 0, enabled ? 1 : 0, enabled ? 1 : 0, enabled ? 1 : 0, id);
  }

  setSchedule(
    id: number,
    change: { schedule?: ForwardSchedule; concurrency?: number; readBackPercent?: number },
  ): void {
    const current = this.targetById(id)!;
    this.sql
      .write(
        `UPDATE forward_targets SET schedule = ?, concurrency = ?, read_back_percent = ?
         WHERE id = ?`,
      )
      .run(
        JSON.stringify(change.schedule ?? current.schedule),
        change.concurrency ?? current.concurrency,
        change.readBackPercent ?? current.readBackPercent,
        id,
      );
  }

  setSecret(id: number, sealed: Buffer): void {
    this.sql.write('UPDATE forward_targets SET secret_sealed = ? WHERE id = ?').run(sealed, id);
  }

  /** A failure retrying cannot fix: the target stops with the server's words until mended. */
  stop(id: number, code: string, reason: string, at: string): void {
    this.sql
      .write(
        'UPDATE forward_targets SET stopped_code = ?, stopped_reason = ?, stopped_at = ? WHERE id = ?',
      )
      .run(code, reason, at, id);
  }

  setPartChecksums(id: number, accepted: boolean): void {
    this.sql
      .write('UPDATE forward_targets SET part_checksums = ? WHERE id = ?')
      .run(accepted ? 1 : 0, id);
  }

  remove(id: number, at: string): void {
    this.sql
      .write('UPDATE forward_targets SET removed_at = ?, enabled = 0 WHERE id = ?')
      .run(at, id);
  }

  /**
   * Gives every clip archived since the last call an outbox row on the target, keyed by its
   * archive path under the target's prefix. Answers how many were queued.
   */
  queueNewClips(target: Pick<TargetRecord, 'id' | 'prefix' | 'queuedThrough'>, at: string): number {
    const last = this.sql.read<[], { id: number | null }>('SELECT max(id) AS id FROM clips').get()!
      .id;
    if (last === null || last <= target.queuedThrough) return 0;
    const { changes } = this.sql
      .write(
        `INSERT OR IGNORE INTO forward_outbox (target_id, clip_id, custody_at, size, priority,
           state, object_key, queued_at)
         SELECT @target, c.id, c.custody_at, c.original_size,
           CASE WHEN l.long_term_reason IS NOT NULL THEN 0
             WHEN l.case_number IS NOT NULL THEN 1 ELSE 2 END,
           'queued', @prefix || c.archive_path, @at
         FROM clips c LEFT JOIN clip_labels l ON l.clip_id = c.id
         WHERE c.id > @from AND c.id <= @to`,
      )
      .run({ target: target.id, prefix: target.prefix, at, from: target.queuedThrough, to: last });
    this.sql
      .write('UPDATE forward_targets SET queued_through = ? WHERE id = ?')
      .run(last, target.id);
    return changes;
  }

  /** A multipart upload begun (or begun again): its id and part size; earlier parts forgotten. */
  startUpload(id: number, uploadId: string | null, partSize: number): void {
    this.sql.write('DELETE FROM forward_parts WHERE outbox_id = ?').run(id);
    this.sql
      .write(
        `UPDATE forward_outbox SET state = 'uploading', upload_id = ?, part_size = ?,
           bytes_sent = 0, etag = NULL, failure_code = NULL, failure = NULL
         WHERE id = ?`,
      )
      .run(uploadId, partSize, id);
  }

  /** A part the server acknowledged (or found already there, with our bytes' MD5). */
  recordPart(id: number, part: PartRecord): void {
    this.sql
      .write(
        `INSERT OR REPLACE INTO forward_parts (outbox_id, part_number, size, md5, etag)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(id, part.partNumber, part.size, part.md5, part.etag);
    this.sql
      .write(
        `UPDATE forward_outbox SET bytes_sent =
           (SELECT coalesce(sum(size), 0) FROM forward_parts WHERE outbox_id = ?) WHERE id = ?`,
      )
      .run(id, id);
  }

  /** The object is whole on the server (completed, or written and renamed on a share). */
  markUploaded(id: number, etag: string, bytes: number, at: string): void {
    this.sql
      .write(
        `UPDATE forward_outbox SET state = 'uploaded', etag = ?, bytes_sent = ?, upload_id = NULL,
           uploaded_at = ?, failure_code = NULL, failure = NULL, next_try_at = NULL
         WHERE id = ?`,
      )
      .run(etag, bytes, at, id);
  }

  markVerified(id: number, at: string, readBack: boolean): void {
    this.sql
      .write(
        `UPDATE forward_outbox SET state = 'verified', verified_at = ?,
           read_back_at = CASE WHEN ? THEN ? ELSE read_back_at END,
           failure_code = NULL, failure = NULL, next_try_at = NULL, upload_id = NULL
         WHERE id = ?`,
      )
      .run(at, readBack ? 1 : 0, at, id);
  }

  markReadBack(id: number, at: string): void {
    this.sql.write('UPDATE forward_outbox SET read_back_at = ? WHERE id = ?').run(at, id);
  }

  /**
   * A failed attempt. `nextTryAt` null: retrying cannot help (the clip's own bytes are not the
   * ones proven at ingest, say); it waits for a custodian. `keepUpload`: the multipart upload
   * stays open to resume; otherwise it was aborted and the item starts over.
   */
  markFailed(
    id: number,
    failure: { code: string; message: string; nextTryAt: string | null; keepUpload: boolean },
  ): void {
    if (!failure.keepUpload)
      this.sql.write('DELETE FROM forward_parts WHERE outbox_id = ?').run(id);
    this.sql
      .write(
        `UPDATE forward_outbox SET state = 'failed', attempts = attempts + 1, failure_code = ?,
           failure = ?, next_try_at = ?,
           upload_id = CASE WHEN ? THEN upload_id ELSE NULL END,
           bytes_sent = CASE WHEN ? THEN bytes_sent ELSE 0 END
         WHERE id = ?`,
      )
      .run(
        failure.code,
        failure.message,
        failure.nextTryAt,
        failure.keepUpload ? 1 : 0,
        failure.keepUpload ? 1 : 0,
        id,
      );
  }

  /** A verified copy found missing or different: it is sent again. */
  requeue(id: number): void {
    this.sql.write('DELETE FROM forward_parts WHERE outbox_id = ?').run(id);
    this.sql
      .write(
        `UPDATE forward_outbox SET state = 'queued', upload_id = NULL, part_size = NULL,
           bytes_sent = 0, etag = NULL, verified_at = NULL, next_try_at = NULL, labels_due = 1
         WHERE id = ?`,
      )
      .run(id);
  }

  /** A custodian's retry: every failed item of the target (or one) is due now. */
  retryFailed(targetId: number, outboxId?: number): number {
    const { changes } = this.sql
      .write(
        `UPDATE forward_outbox SET next_try_at = NULL, state = CASE WHEN upload_id IS NULL
             THEN 'queued' ELSE 'uploading' END
         WHERE target_id = ? AND state = 'failed' AND (? IS NULL OR id = ?)`,
      )
      .run(targetId, outboxId ?? null, outboxId ?? null);
    return changes;
  }

  labelsSent(id: number, seq: number, stillDue: boolean): void {
    this.sql
      .write('UPDATE forward_outbox SET labels_sent_seq = ?, labels_due = ? WHERE id = ?')
      .run(seq, stillDue ? 1 : 0, id);
  }

  recordAuditSegment(
    targetId: number,
    segment: AuditSegmentRecord & { checkpointsSize: number; checkpointsSha256: string },
  ): void {
    this.sql
      .write(
        `INSERT INTO forward_audit_segments (target_id, from_seq, through_seq, object_key, size,
           sha256, checkpoints_size, checkpoints_sha256, sent_at)
         VALUES (@targetId, @fromSeq, @throughSeq, @objectKey, @size, @sha256, @checkpointsSize,
           @checkpointsSha256, @sentAt)`,
      )
      .run({ targetId, ...segment });
  }
}
