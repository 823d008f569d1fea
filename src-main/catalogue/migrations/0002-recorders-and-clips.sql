-- Unit policy and configuration, one JSON value per key (see src-main/catalogue/settings.ts).
CREATE TABLE unit_settings (
  key    TEXT NOT NULL PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;

-- Officer identification at the dock: a short PIN (scrypt hash) or an IC card read by a HID reader.
ALTER TABLE users ADD COLUMN pin_hash TEXT;
ALTER TABLE users ADD COLUMN card_number TEXT;
CREATE UNIQUE INDEX users_by_card ON users (card_number) WHERE card_number IS NOT NULL;

-- Registered recorders (rules D-CUSTODIAN, D-NO-LEAK): only these are ingested automatically.
CREATE TABLE recorders (
  serial          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
  profile_id      TEXT NOT NULL,
  officer_badge   TEXT REFERENCES users (badge),
  registered_by   TEXT NOT NULL,
  registered_at   TEXT NOT NULL,
  retired_at      TEXT
) STRICT;

-- One docking of one recorder: from detection to "safe to undock".
CREATE TABLE dockings (
  id                   INTEGER PRIMARY KEY,
  recorder_serial      TEXT NOT NULL REFERENCES recorders (serial),
  officer_badge        TEXT,
  -- how the officer was identified at the dock: assigned | badge-pin | card | cli
  identified_by        TEXT,
  mountpoint           TEXT NOT NULL,
  started_at           TEXT NOT NULL,
  finished_at          TEXT,
  status               TEXT NOT NULL CHECK (status IN ('ingesting', 'complete', 'interrupted', 'failed')),
  -- recorder clock minus station clock, and whether read from the driver or estimated
  clock_offset_ms      INTEGER,
  clock_offset_source  TEXT CHECK (clock_offset_source IN ('driver', 'estimate')),
  clock_set_at         TEXT,
  clips_planned        INTEGER NOT NULL DEFAULT 0,
  bytes_planned        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX dockings_by_recorder ON dockings (recorder_serial, started_at);

-- A clip is catalogued only once its archived copy is proven bit-for-bit (never a partial).
CREATE TABLE clips (
  id                     INTEGER PRIMARY KEY,
  recorder_serial        TEXT NOT NULL REFERENCES recorders (serial),
  docking_id             INTEGER NOT NULL REFERENCES dockings (id),
  original_path          TEXT NOT NULL,
  original_size          INTEGER NOT NULL,
  original_mtime         TEXT NOT NULL,
  kind                   TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'photo')),
  sha256                 TEXT NOT NULL,
  sm3                    TEXT,
  archive_path           TEXT NOT NULL UNIQUE,
  status                 TEXT NOT NULL CHECK (status IN ('verified')),
  officer_badge          TEXT,
  sequence               INTEGER,
  recorded_start         TEXT,
  recorded_start_source  TEXT CHECK (recorded_start_source IN ('container', 'file-name', 'file-time')),
  recorded_end           TEXT,
  recorded_end_source    TEXT CHECK (recorded_end_source IN ('container', 'file-name', 'file-time')),
  duration_ms            INTEGER,
  width                  INTEGER,
  height                 INTEGER,
  codec                  TEXT,
  custody_at             TEXT NOT NULL,
  clock_offset_ms        INTEGER,
  clock_offset_source    TEXT CHECK (clock_offset_source IN ('driver', 'estimate')),
  thumbnail_path         TEXT,
  cleared_at             TEXT
) STRICT;

CREATE UNIQUE INDEX clips_by_sha256 ON clips (sha256);
CREATE UNIQUE INDEX clips_by_original ON clips (recorder_serial, original_path, original_size, original_mtime);
CREATE INDEX clips_by_recorder_time ON clips (recorder_serial, recorded_start);
CREATE INDEX clips_by_docking ON clips (docking_id);

-- The same bytes seen again (another recorder, a renamed file): recorded, not stored twice.
CREATE TABLE clip_sightings (
  id              INTEGER PRIMARY KEY,
  clip_id         INTEGER NOT NULL REFERENCES clips (id),
  docking_id      INTEGER NOT NULL REFERENCES dockings (id),
  original_path   TEXT NOT NULL,
  original_size   INTEGER NOT NULL,
  original_mtime  TEXT NOT NULL,
  seen_at         TEXT NOT NULL
) STRICT;

CREATE INDEX clip_sightings_by_docking ON clip_sightings (docking_id);

-- What a docking found (rules D-24H, D-CONTINUOUS, bad input): never silent.
CREATE TABLE docking_findings (
  id             INTEGER PRIMARY KEY,
  docking_id     INTEGER NOT NULL REFERENCES dockings (id),
  code           TEXT NOT NULL,
  message        TEXT NOT NULL,
  clip_id        INTEGER REFERENCES clips (id),
  original_path  TEXT,
  details        TEXT NOT NULL DEFAULT '{}',
  found_at       TEXT NOT NULL
) STRICT;

CREATE INDEX docking_findings_by_docking ON docking_findings (docking_id);
