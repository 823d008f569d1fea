import type { ForwardSchedule, OutboxState, TargetKind } from '../contract';

/**
 * The forwarding tables' rows as SQLite holds them, and as the station reads them: targets, the
 * outbox with its clips' facts, the parts of uploads, the audit segments sent.
 */

/** A central-storage target as the catalogue keeps it, its secret still sealed. */
export interface TargetRecord {
  id: number;
  name: string;
  kind: TargetKind;
  endpoint: string | null;
  bucket: string | null;
  region: string | null;
  pathStyle: boolean;
  folderPath: string | null;
  prefix: string;
  secretSealed: Buffer | null;
  concurrency: number;
  partSize: number;
  schedule: ForwardSchedule;
  readBackPercent: number;
  partChecksums: boolean | null;
  enabled: boolean;
  stopped: { code: string; reason: string; at: string } | null;
  queuedThrough: number;
  addedBy: string;
  addedAt: string;
  removedAt: string | null;
}

export interface TargetRow {
  id: number;
  name: string;
  kind: TargetKind;
  endpoint: string | null;
  bucket: string | null;
  region: string | null;
  path_style: number;
  folder_path: string | null;
  prefix: string;
  secret_sealed: Buffer | null;
  concurrency: number;
  part_size: number;
  schedule: string;
  read_back_percent: number;
  part_checksums: number | null;
  enabled: number;
  stopped_code: string | null;
  stopped_reason: string | null;
  stopped_at: string | null;
  queued_through: number;
  added_by: string;
  added_at: string;
  removed_at: string | null;
}

export function targetFrom(row: TargetRow): TargetRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    endpoint: row.endpoint,
    bucket: row.bucket,
    region: row.region,
    pathStyle: row.path_style === 1,
    folderPath: row.folder_path,
    prefix: row.prefix,
    secretSealed: row.secret_sealed,
    concurrency: row.concurrency,
    partSize: row.part_size,
    schedule: JSON.parse(row.schedule) as ForwardSchedule,
    readBackPercent: row.read_back_percent,
    partChecksums: row.part_checksums === null ? null : row.part_checksums === 1,
    enabled: row.enabled === 1,
    stopped:
      row.stopped_code === null
        ? null
        : { code: row.stopped_code, reason: row.stopped_reason ?? '', at: row.stopped_at ?? '' },
    queuedThrough: row.queued_through,
    addedBy: row.added_by,
    addedAt: row.added_at,
    removedAt: row.removed_at,
  };
}

/** One clip's way to one target, with the clip's facts the upload needs. */
export interface OutboxItem {
  id: number;
  targetId: number;
  clipId: number;
  state: OutboxState;
  objectKey: string;
  uploadId: string | null;
  partSize: number | null;
  bytesSent: number;
  etag: string | null;
  attempts: number;
  nextTryAt: string | null;
  failureCode: string | null;
  failure: string | null;
  queuedAt: string;
  uploadedAt: string | null;
  verifiedAt: string | null;
  readBackAt: string | null;
  labelsSentSeq: number | null;
  labelsDue: boolean;
  /** The clip: where its original is in the archive, and what it was proven to be. */
  archivePath: string;
  size: number;
  sha256: string;
  sm3: string | null;
  custodyAt: string;
}

export interface OutboxRow {
  id: number;
  target_id: number;
  clip_id: number;
  state: OutboxState;
  object_key: string;
  upload_id: string | null;
  part_size: number | null;
  bytes_sent: number;
  etag: string | null;
  attempts: number;
  next_try_at: string | null;
  failure_code: string | null;
  failure: string | null;
  queued_at: string;
  uploaded_at: string | null;
  verified_at: string | null;
  read_back_at: string | null;
  labels_sent_seq: number | null;
  labels_due: number;
  custody_at: string;
  size: number;
  priority: number;
  archive_path: string;
  sha256: string;
  sm3: string | null;
}

export function itemFrom(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    targetId: row.target_id,
    clipId: row.clip_id,
    state: row.state,
    objectKey: row.object_key,
    uploadId: row.upload_id,
    partSize: row.part_size,
    bytesSent: row.bytes_sent,
    etag: row.etag,
    attempts: row.attempts,
    nextTryAt: row.next_try_at,
    failureCode: row.failure_code,
    failure: row.failure,
    queuedAt: row.queued_at,
    uploadedAt: row.uploaded_at,
    verifiedAt: row.verified_at,
    readBackAt: row.read_back_at,
    labelsSentSeq: row.labels_sent_seq,
    labelsDue: row.labels_due === 1,
    archivePath: row.archive_path,
    size: row.size,
    sha256: row.sha256,
    sm3: row.sm3,
    custodyAt: row.custody_at,
  };
}

/** A finished part of a multipart upload. */
export interface PartRecord {
  partNumber: number;
  size: number;
  /** Hex MD5 of the part's bytes. */
  md5: string;
  /** The server's ETag for it, quotes removed. */
  etag: string;
}

export interface StateCount {
  state: OutboxState;
  clips: number;
  bytes: number;
}

export interface AuditSegmentRecord {
  fromSeq: number;
  throughSeq: number;
  objectKey: string;
  size: number;
  sha256: string;
  sentAt: string;
}

/** What adding a target records: its settings, before the catalogue gives it an id and state. */
export type NewTarget = Pick<
  TargetRecord,
  | 'name'
  | 'kind'
  | 'endpoint'
  | 'bucket'
  | 'region'
  | 'pathStyle'
  | 'folderPath'
  | 'prefix'
  | 'secretSealed'
  | 'concurrency'
  | 'partSize'
  | 'schedule'
  | 'readBackPercent'
  | 'addedBy'
  | 'addedAt'
>;
