-- The disc register (D-LONGTERM: footage of disputed, obstructed and emergency enforcement kept
-- long-term on disc; D-NO-TAMPER: every disc proven when burned and again on its schedule).

-- A set of discs planned together: which clips, on which medium, how many discs and copies. A set
-- is planned and staged whole before its first disc is burned.
CREATE TABLE disc_sets (
  id            INTEGER PRIMARY KEY,
  -- what the set is called on its discs and labels ('S20261207-001')
  tag           TEXT NOT NULL UNIQUE,
  -- how the clips were chosen: 'case', 'clips' or 'long-term-pending', with its value (JSON)
  selection     TEXT NOT NULL,
  -- the one case every clip of the set belongs to, else null
  case_number   TEXT,
  medium        TEXT NOT NULL,
  medium_bytes  INTEGER NOT NULL CHECK (medium_bytes > 0),
  discs         INTEGER NOT NULL CHECK (discs >= 1),
  copies        INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 9),
  par2_percent  INTEGER NOT NULL CHECK (par2_percent BETWEEN 1 AND 100),
  planned_by    TEXT NOT NULL,
  planned_at    TEXT NOT NULL,
  -- when every disc of the set (every copy) was staged: burning starts after
  staged_at     TEXT
) STRICT;

-- Which disc of its set each clip is on, and where on it. Written with the set, never changed.
CREATE TABLE disc_set_clips (
  set_id   INTEGER NOT NULL REFERENCES disc_sets (id),
  n        INTEGER NOT NULL CHECK (n >= 1),
  clip_id  INTEGER NOT NULL REFERENCES clips (id),
  path     TEXT NOT NULL,
  PRIMARY KEY (set_id, clip_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX disc_set_clips_by_clip ON disc_set_clips (clip_id, set_id, n);

-- Each burn of a disc (n of the set, copy k): burning, then verified or failed; a burn whose
-- process died is interrupted. A failed or interrupted burn keeps its row: the disc is burned anew.
CREATE TABLE discs (
  id               INTEGER PRIMARY KEY,
  set_id           INTEGER NOT NULL REFERENCES disc_sets (id),
  n                INTEGER NOT NULL CHECK (n >= 1),
  copy             INTEGER NOT NULL CHECK (copy BETWEEN 1 AND 9),
  volume_id        TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('burning', 'verified', 'failed', 'interrupted')),
  drive            TEXT NOT NULL,
  drive_model      TEXT,
  drive_firmware   TEXT,
  speed            TEXT,
  -- the SHA-256 of the signed MANIFEST.json on the disc, and of the whole image read back
  manifest_sha256  TEXT NOT NULL,
  image_sha256     TEXT,
  image_bytes      INTEGER,
  burned_by        TEXT NOT NULL,
  started_at       TEXT NOT NULL,
  finished_at      TEXT,
  -- why it failed or was interrupted, in words
  problem          TEXT,
  -- where the disc is kept now (changed by a handover)
  location         TEXT,
  -- when it is read back again (unit policy: every 4 years by default)
  next_check_due   TEXT,
  last_checked_at  TEXT
) STRICT;
-- At most one burn of a disc under way or proven at a time: two custodians cannot burn the same
-- disc at once, and a disc is burned anew only once its last burn failed or was interrupted.
CREATE UNIQUE INDEX discs_one_live ON discs (set_id, n, copy) WHERE state IN ('burning', 'verified');
CREATE INDEX discs_by_volume ON discs (volume_id);
CREATE INDEX discs_due ON discs (next_check_due) WHERE state = 'verified';
CREATE INDEX discs_by_set ON discs (set_id, n, copy);

-- Every check of a disc, pass by pass: when it was burned and each re-check. Append only.
CREATE TABLE disc_checks (
  id          INTEGER PRIMARY KEY,
  disc_id     INTEGER NOT NULL REFERENCES discs (id),
  occasion    TEXT NOT NULL CHECK (occasion IN ('burn', 'recheck')),
  pass        TEXT NOT NULL CHECK (pass IN ('blocks', 'md5', 'files', 'signatures')),
  ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
  detail      TEXT NOT NULL,
  -- the unreadable ranges or the files that differ (JSON array of strings)
  problems    TEXT NOT NULL,
  checked_by  TEXT NOT NULL,
  checked_at  TEXT NOT NULL
) STRICT;
CREATE INDEX disc_checks_by_disc ON disc_checks (disc_id, id);

-- Who a disc was handed to, when, why, and where it is kept since. Append only.
CREATE TABLE disc_handovers (
  id          INTEGER PRIMARY KEY,
  disc_id     INTEGER NOT NULL REFERENCES discs (id),
  to_whom     TEXT NOT NULL,
  location    TEXT,
  reason      TEXT NOT NULL,
  handed_by   TEXT NOT NULL,
  handed_at   TEXT NOT NULL
) STRICT;
CREATE INDEX disc_handovers_by_disc ON disc_handovers (disc_id, id);

-- The register's history is evidence too (D-NO-TAMPER): nothing of it is rewritten or deleted.
CREATE TRIGGER disc_checks_append_only_update BEFORE UPDATE ON disc_checks BEGIN
  SELECT RAISE(ABORT, 'disc checks are append-only');
END;
CREATE TRIGGER disc_checks_append_only_delete BEFORE DELETE ON disc_checks BEGIN
  SELECT RAISE(ABORT, 'disc checks are append-only');
END;
CREATE TRIGGER disc_handovers_append_only_update BEFORE UPDATE ON disc_handovers BEGIN
  SELECT RAISE(ABORT, 'disc handovers are append-only');
END;
CREATE TRIGGER disc_handovers_append_only_delete BEFORE DELETE ON disc_handovers BEGIN
  SELECT RAISE(ABORT, 'disc handovers are append-only');
END;
CREATE TRIGGER disc_set_clips_fixed_update BEFORE UPDATE ON disc_set_clips BEGIN
  SELECT RAISE(ABORT, 'a disc set keeps the clips it was planned with');
END;
CREATE TRIGGER disc_set_clips_fixed_delete BEFORE DELETE ON disc_set_clips BEGIN
  SELECT RAISE(ABORT, 'a disc set keeps the clips it was planned with');
END;
CREATE TRIGGER discs_kept BEFORE DELETE ON discs BEGIN
  SELECT RAISE(ABORT, 'a burned disc stays in the register');
END;
-- What a burn is never changes: which disc of which set, its volume id, the drive, who burned it,
-- when, the manifest it carries; its image hash is written once, when the burn ends.
CREATE TRIGGER discs_facts_fixed BEFORE UPDATE ON discs
  WHEN NEW.set_id IS NOT OLD.set_id OR NEW.n IS NOT OLD.n OR NEW.copy IS NOT OLD.copy
    OR NEW.volume_id IS NOT OLD.volume_id OR NEW.drive IS NOT OLD.drive
    OR NEW.manifest_sha256 IS NOT OLD.manifest_sha256 OR NEW.burned_by IS NOT OLD.burned_by
    OR NEW.started_at IS NOT OLD.started_at
    OR (OLD.image_sha256 IS NOT NULL AND NEW.image_sha256 IS NOT OLD.image_sha256)
    OR (OLD.image_bytes IS NOT NULL AND NEW.image_bytes IS NOT OLD.image_bytes)
    OR (OLD.finished_at IS NOT NULL AND NEW.finished_at IS NOT OLD.finished_at)
BEGIN
  SELECT RAISE(ABORT, 'what a burn was is kept as it was recorded');
END;
-- A set keeps what it was planned as; only the moment it was staged is written later.
CREATE TRIGGER disc_sets_fixed BEFORE UPDATE ON disc_sets
  WHEN NEW.tag IS NOT OLD.tag OR NEW.selection IS NOT OLD.selection
    OR NEW.case_number IS NOT OLD.case_number OR NEW.medium IS NOT OLD.medium
    OR NEW.medium_bytes IS NOT OLD.medium_bytes OR NEW.discs IS NOT OLD.discs
    OR NEW.copies IS NOT OLD.copies OR NEW.par2_percent IS NOT OLD.par2_percent
    OR NEW.planned_by IS NOT OLD.planned_by OR NEW.planned_at IS NOT OLD.planned_at
BEGIN
  SELECT RAISE(ABORT, 'a disc set keeps what it was planned as');
END;
CREATE TRIGGER disc_sets_kept BEFORE DELETE ON disc_sets BEGIN
  SELECT RAISE(ABORT, 'a disc set stays in the register');
END;
-- A burn ends once: a verified disc may fail a later re-check, nothing else goes back (a failed
-- disc re-checked stays failed: it is burned anew).
CREATE TRIGGER discs_state_moves BEFORE UPDATE OF state ON discs
  WHEN NOT (
    (OLD.state = 'burning' AND NEW.state IN ('verified', 'failed', 'interrupted'))
    OR (OLD.state = 'verified' AND NEW.state IN ('verified', 'failed'))
    OR (OLD.state = NEW.state AND OLD.state IN ('failed', 'interrupted'))
  )
BEGIN
  SELECT RAISE(ABORT, 'a disc''s state moves only from burning to its outcome, or from verified to failed');
END;
