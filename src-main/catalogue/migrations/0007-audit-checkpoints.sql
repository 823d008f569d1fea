-- Signed checkpoints of the audit chain head (D-NO-TAMPER).
-- A checkpoint seals the chain at one entry: its sequence number and hash, when, why, and the
-- fingerprints of the two station keys (SM2 and Ed25519) that signed exactly these fields. The
-- same checkpoint is a line of <data-dir>/audit-checkpoints.log, outside the catalogue, so cutting
-- the newest entries or re-hashing the chain shows against a signature made before. AUTOINCREMENT
-- keeps sqlite_sequence at the highest checkpoint ever issued, like the audit log's.
CREATE TABLE audit_checkpoints (
  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
  head_seq             INTEGER NOT NULL,
  head_hash            TEXT NOT NULL,
  at                   TEXT NOT NULL,
  reason               TEXT NOT NULL,
  sm2_fingerprint      TEXT NOT NULL,
  ed25519_fingerprint  TEXT NOT NULL,
  sm2_signature        TEXT NOT NULL,
  ed25519_signature    TEXT NOT NULL
);

CREATE INDEX audit_checkpoints_by_head ON audit_checkpoints (head_seq);

CREATE TRIGGER audit_checkpoints_refuse_update BEFORE UPDATE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only (rule D-NO-TAMPER)');
END;

CREATE TRIGGER audit_checkpoints_refuse_delete BEFORE DELETE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only (rule D-NO-TAMPER)');
END;
