-- Forwarding to the unit's central storage (D-24H: the unit's dedicated storage; D-NO-TAMPER:
-- the central copy is proven, not assumed).

-- Where clips go: an S3-compatible object store or a folder the OS mounts (SMB/NFS). A removed
-- target keeps its row (the outbox and the audit log name it); it is no longer listed or used.
CREATE TABLE forward_targets (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL COLLATE NOCASE,
  kind                TEXT NOT NULL CHECK (kind IN ('s3', 'folder')),
  endpoint            TEXT,
  bucket              TEXT,
  region              TEXT,
  path_style          INTEGER NOT NULL DEFAULT 0 CHECK (path_style IN (0, 1)),
  folder_path         TEXT,
  -- every object key starts with it: '' or ending in '/'
  prefix              TEXT NOT NULL,
  -- the access key id and secret, sealed with the station's secret key (never shown back)
  secret_sealed       BLOB,
  concurrency         INTEGER NOT NULL DEFAULT 2 CHECK (concurrency BETWEEN 1 AND 16),
  part_size           INTEGER NOT NULL CHECK (part_size >= 5242880),
  -- the weekly timetable of bandwidth limits (JSON, see contract/forward.ts)
  schedule            TEXT NOT NULL,
  -- the share of verified objects read back whole after the metadata check, 0..100
  read_back_percent   INTEGER NOT NULL DEFAULT 5 CHECK (read_back_percent BETWEEN 0 AND 100),
  -- whether the server takes x-amz-checksum-sha256 on a part: probed once (null: not yet)
  part_checksums      INTEGER CHECK (part_checksums IN (0, 1)),
  enabled             INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  -- a failure retrying cannot fix (credentials, bucket, access, clock): the server's words
  stopped_code        TEXT,
  stopped_reason      TEXT,
  stopped_at          TEXT,
  -- clips with a larger id have no outbox row for this target yet
  queued_through      INTEGER NOT NULL DEFAULT 0,
  added_by            TEXT NOT NULL,
  added_at            TEXT NOT NULL,
  removed_at          TEXT
) STRICT;

CREATE UNIQUE INDEX forward_targets_by_name ON forward_targets (name) WHERE removed_at IS NULL;

-- One row per (clip, target): the durable outbox. `uploading` keeps the multipart upload's id so a
-- station killed at any moment resumes the same upload at its next missing part.
CREATE TABLE forward_outbox (
  id               INTEGER PRIMARY KEY,
  target_id        INTEGER NOT NULL REFERENCES forward_targets (id),
  clip_id          INTEGER NOT NULL REFERENCES clips (id),
  -- the clip's own facts, copied: the queue is ordered and counted without reading clips
  custody_at       TEXT NOT NULL,
  size             INTEGER NOT NULL,
  -- what goes first (D-LONGTERM, then case footage, then the rest): 0, 1, 2; kept by the
  -- triggers below as labels change
  priority         INTEGER NOT NULL DEFAULT 2 CHECK (priority IN (0, 1, 2)),
  state            TEXT NOT NULL CHECK (state IN ('queued', 'uploading', 'uploaded', 'verified', 'failed')),
  object_key       TEXT NOT NULL,
  upload_id        TEXT,
  -- the part size this upload was started with (a resume keeps it whatever the target says now)
  part_size        INTEGER,
  bytes_sent       INTEGER NOT NULL DEFAULT 0,
  etag             TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_try_at      TEXT,
  failure_code     TEXT,
  failure          TEXT,
  queued_at        TEXT NOT NULL,
  uploaded_at      TEXT,
  verified_at      TEXT,
  -- when the object was last read back whole and hashed
  read_back_at     TEXT,
  -- the label document: the audit sequence of the version last sent, and whether a newer is due
  labels_sent_seq  INTEGER,
  labels_due       INTEGER NOT NULL DEFAULT 1 CHECK (labels_due IN (0, 1)),
  UNIQUE (target_id, clip_id)
) STRICT;

-- Counted per state with their bytes from the index alone.
CREATE INDEX forward_outbox_by_state ON forward_outbox (target_id, state, size);
-- What is due, in the order it goes; and the oldest custody still waiting: index ranges over the
-- rows not yet verified, however many millions are.
CREATE INDEX forward_outbox_due ON forward_outbox (target_id, priority, custody_at, id)
  WHERE state <> 'verified';
CREATE INDEX forward_outbox_waiting ON forward_outbox (target_id, custody_at)
  WHERE state <> 'verified';
CREATE INDEX forward_outbox_labels_due ON forward_outbox (target_id, labels_due) WHERE labels_due = 1;
CREATE INDEX forward_outbox_by_clip ON forward_outbox (clip_id);
-- Whether an upload found open on a target is one of this station's clips (the strays it aborts).
CREATE INDEX forward_outbox_by_key ON forward_outbox (target_id, object_key);

-- Each finished part of an upload: its number, size and MD5 (the server's ETag for it), so the
-- object's multipart ETag can be recomputed from our own bytes.
CREATE TABLE forward_parts (
  outbox_id    INTEGER NOT NULL REFERENCES forward_outbox (id),
  part_number  INTEGER NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
  size         INTEGER NOT NULL,
  md5          TEXT NOT NULL,
  etag         TEXT NOT NULL,
  PRIMARY KEY (outbox_id, part_number)
) STRICT, WITHOUT ROWID;

-- A label change makes the clip's label document due again on every target, and may move the
-- clip up or down the queue (marked long-term, filed under a case).
CREATE TRIGGER clip_labels_forward_insert AFTER INSERT ON clip_labels BEGIN
  UPDATE forward_outbox SET labels_due = 1,
    priority = CASE WHEN NEW.long_term_reason IS NOT NULL THEN 0
      WHEN NEW.case_number IS NOT NULL THEN 1 ELSE 2 END
  WHERE clip_id = NEW.clip_id;
END;
CREATE TRIGGER clip_labels_forward_update AFTER UPDATE ON clip_labels BEGIN
  UPDATE forward_outbox SET labels_due = 1,
    priority = CASE WHEN NEW.long_term_reason IS NOT NULL THEN 0
      WHEN NEW.case_number IS NOT NULL THEN 1 ELSE 2 END
  WHERE clip_id = NEW.clip_id;
END;

-- The audit log sent as segments, each ending at a signed checkpoint, with the checkpoint log as
-- it stood: the central side holds what it needs to see the station's chain cut or rewritten.
CREATE TABLE forward_audit_segments (
  target_id            INTEGER NOT NULL REFERENCES forward_targets (id),
  from_seq             INTEGER NOT NULL,
  through_seq          INTEGER NOT NULL,
  object_key           TEXT NOT NULL,
  size                 INTEGER NOT NULL,
  sha256               TEXT NOT NULL,
  checkpoints_size     INTEGER NOT NULL,
  checkpoints_sha256   TEXT NOT NULL,
  sent_at              TEXT NOT NULL,
  PRIMARY KEY (target_id, through_seq)
) STRICT;
