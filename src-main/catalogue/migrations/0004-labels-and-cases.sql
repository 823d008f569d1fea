-- Cases (rules D-KINDS, D-LATE-START, D-ARCHIVE): the number is the unit's own, in its format.
CREATE TABLE cases (
  number            TEXT NOT NULL PRIMARY KEY,
  kind              TEXT NOT NULL CHECK (kind IN ('licensing', 'penalty', 'coercion', 'inspection',
                      'levy', 'benefit', 'confirmation')),
  title             TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'archived')),
  opened_at         TEXT NOT NULL,
  closed_at         TEXT,
  -- D-ARCHIVE: closing sets the day the case must be archived by.
  archive_by        TEXT,
  archived_at       TEXT,
  handling_officer  TEXT REFERENCES users (badge),
  -- D-LATE-START: opened in an emergency, approved afterwards.
  emergency         INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
  approved_at       TEXT,
  created_by        TEXT NOT NULL,
  created_at        TEXT NOT NULL
) STRICT;

CREATE INDEX cases_by_status ON cases (status, archive_by);
CREATE INDEX cases_by_opened ON cases (opened_at);

-- D-AV-REQUIRED: the procedural acts of a case; each needs footage or a D-NOT-SUITABLE reason.
CREATE TABLE case_acts (
  id                   INTEGER PRIMARY KEY,
  case_number          TEXT NOT NULL REFERENCES cases (number),
  act                  TEXT NOT NULL CHECK (act IN ('site-inspection', 'sampling', 'hearing',
                         'seizure', 'service-leaving', 'service-notice', 'restoration',
                         'preservation', 'summary-dispute')),
  not_recorded_reason  TEXT CHECK (not_recorded_reason IN ('explosion-risk', 'secret-or-privacy', 'other')),
  not_recorded_text    TEXT,
  UNIQUE (case_number, act)
) STRICT;

CREATE TABLE case_act_clips (
  act_id   INTEGER NOT NULL REFERENCES case_acts (id),
  clip_id  INTEGER NOT NULL REFERENCES clips (id),
  PRIMARY KEY (act_id, clip_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX case_act_clips_by_clip ON case_act_clips (clip_id);

-- A clip's label (D-LABEL, D-CONTENT, D-CONFIDENTIAL, D-LONGTERM). Its history is in the audit
-- chain (before/after of every change); this row is the label as it stands.
CREATE TABLE clip_labels (
  clip_id           INTEGER NOT NULL PRIMARY KEY REFERENCES clips (id),
  case_number       TEXT REFERENCES cases (number),
  -- daily enforcement without a case: what was done
  matter            TEXT,
  kind              TEXT CHECK (kind IN ('licensing', 'penalty', 'coercion', 'inspection', 'levy',
                      'benefit', 'confirmation')),
  stage             TEXT CHECK (stage IN ('initiation', 'investigation', 'decision', 'execution',
                      'archiving')),
  place             TEXT,
  -- JSON arrays: the parties' names; their ID numbers (personal data, kept apart); badges present
  parties           TEXT NOT NULL DEFAULT '[]',
  party_ids         TEXT NOT NULL DEFAULT '[]',
  officers_present  TEXT NOT NULL DEFAULT '[]',
  confidentiality   TEXT NOT NULL DEFAULT 'none' CHECK (confidentiality IN ('none', 'privacy',
                      'commercial', 'state')),
  notes             TEXT,
  long_term_reason  TEXT CHECK (long_term_reason IN ('dispute', 'obstruction', 'incident', 'other')),
  long_term_text    TEXT,
  updated_by        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;

CREATE INDEX clip_labels_by_case ON clip_labels (case_number);

-- Whether the clip counts as filed (D-LABEL holds, with the unit's required fields), kept on the
-- clip so an officer's unlabelled clips are one index range; and late custody (D-24H) as found at
-- docking, kept so a report over a million clips is a count (an exception does not change it:
-- custody_exceptions says whether the lateness is excused).
ALTER TABLE clips ADD COLUMN labelled INTEGER NOT NULL DEFAULT 0 CHECK (labelled IN (0, 1));
ALTER TABLE clips ADD COLUMN late_custody INTEGER NOT NULL DEFAULT 0 CHECK (late_custody IN (0, 1));

UPDATE clips SET late_custody = 1
  WHERE id IN (SELECT clip_id FROM docking_findings WHERE code = 'late-custody' AND clip_id IS NOT NULL);

CREATE INDEX clips_by_officer_label ON clips (officer_badge, labelled, recorded_start);
CREATE INDEX clips_by_officer_time ON clips (officer_badge, recorded_start);
-- The whole unit's clips in a period (the compliance report, the clips browser by time, newest
-- first) and by custody time: index ranges, never a scan and sort of every clip.
CREATE INDEX clips_by_recorded ON clips (recorded_start);
CREATE INDEX clips_by_custody ON clips (custody_at);
-- Whether a clip has findings (the clips browser's filter) is a probe, not a scan of findings.
CREATE INDEX docking_findings_by_clip ON docking_findings (clip_id);

-- D-24H: why custody came later than 24 h (continuous duty, off-site, remote area) and when the
-- officer was back at the unit; custody more than 24 h after that return stays late.
CREATE TABLE custody_exceptions (
  clip_id      INTEGER NOT NULL PRIMARY KEY REFERENCES clips (id),
  kind         TEXT NOT NULL CHECK (kind IN ('continuous-duty', 'off-site', 'remote-area')),
  returned_at  TEXT NOT NULL,
  note         TEXT,
  -- custody was still more than 24 h after the return: the exception does not clear the clip
  still_late   INTEGER NOT NULL CHECK (still_late IN (0, 1)),
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL
) STRICT;

-- The officer said they were done at the dock (with every clip labelled, or a deferral).
ALTER TABLE dockings ADD COLUMN officer_done_at TEXT;

-- An officer who finishes a docking with clips still unlabelled says why (counted in reports).
CREATE TABLE label_deferrals (
  id            INTEGER PRIMARY KEY,
  officer_badge TEXT NOT NULL,
  docking_id    INTEGER REFERENCES dockings (id),
  clips         INTEGER NOT NULL,
  reason        TEXT NOT NULL,
  at            TEXT NOT NULL
) STRICT;

CREATE INDEX label_deferrals_by_officer ON label_deferrals (officer_badge, at);
-- The compliance report counts a period's deferrals of every officer.
CREATE INDEX label_deferrals_by_at ON label_deferrals (at);

-- Full text over what an officer wrote (matter, place, notes, parties), for custodians and
-- supervisors. Trigram: Chinese has no spaces between words, so any three characters match.
-- Each field is indexed with a separator (char 31) after it, so that every two characters of a
-- field begin some trigram: a two-character word (a name: 王芳) is found through the index's
-- vocabulary (the trigrams that begin with it) instead of a scan of every label. The view is
-- the index's content, so that a rebuild or an integrity check sees what the triggers index.
CREATE VIEW clip_label_text_source AS
  SELECT clip_id, matter || char(31) AS matter, place || char(31) AS place,
    notes || char(31) AS notes, parties || char(31) AS parties
  FROM clip_labels;

CREATE VIRTUAL TABLE clip_label_text USING fts5 (
  matter, place, notes, parties,
  content = 'clip_label_text_source', content_rowid = 'clip_id', tokenize = 'trigram'
);

-- The index's trigrams, for two-character words (see above).
CREATE VIRTUAL TABLE clip_label_vocab USING fts5vocab (clip_label_text, 'row');

CREATE TRIGGER clip_labels_text_insert AFTER INSERT ON clip_labels BEGIN
  INSERT INTO clip_label_text (rowid, matter, place, notes, parties)
    VALUES (new.clip_id, new.matter || char(31), new.place || char(31), new.notes || char(31),
      new.parties || char(31));
END;

CREATE TRIGGER clip_labels_text_delete AFTER DELETE ON clip_labels BEGIN
  INSERT INTO clip_label_text (clip_label_text, rowid, matter, place, notes, parties)
    VALUES ('delete', old.clip_id, old.matter || char(31), old.place || char(31),
      old.notes || char(31), old.parties || char(31));
END;

CREATE TRIGGER clip_labels_text_update AFTER UPDATE ON clip_labels BEGIN
  INSERT INTO clip_label_text (clip_label_text, rowid, matter, place, notes, parties)
    VALUES ('delete', old.clip_id, old.matter || char(31), old.place || char(31),
      old.notes || char(31), old.parties || char(31));
  INSERT INTO clip_label_text (rowid, matter, place, notes, parties)
    VALUES (new.clip_id, new.matter || char(31), new.place || char(31), new.notes || char(31),
      new.parties || char(31));
END;

-- D-24H as found at docking: the late-custody finding flags its clip, whoever records it.
CREATE TRIGGER docking_findings_late_custody AFTER INSERT ON docking_findings
  WHEN new.code = 'late-custody' AND new.clip_id IS NOT NULL BEGIN
  UPDATE clips SET late_custody = 1 WHERE id = new.clip_id;
END;

-- A case's or a clip's history (its audit entries), newest first.
CREATE INDEX audit_log_by_subject ON audit_log (subject, seq);

-- An officer's clips are one exact index range: badges as the users table spells them.
UPDATE clips SET officer_badge = (SELECT u.badge FROM users u WHERE u.badge = clips.officer_badge)
  WHERE officer_badge IS NOT NULL
    AND EXISTS (SELECT 1 FROM users u WHERE u.badge = clips.officer_badge)
    AND officer_badge <> (SELECT u.badge FROM users u WHERE u.badge = clips.officer_badge) COLLATE BINARY;
