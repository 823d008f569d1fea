-- A recorder registration bound to the facts its first docking saw, so a look-alike volume is
-- held for a custodian (D-WHO-RECORDS).

-- The facts of the device a registration was first docked as: the USB device's vendor, product
-- and serial where the recorder hangs off USB, its file system's UUID and its capacity in bytes.
-- A fact null here was not seen yet and is bound when a docking first sees it. Registrations from
-- before this migration have no row: they are bound at their next docking, as a new registration
-- is at its first. Registering a recorder again drops its row.
CREATE TABLE recorder_bindings (
  serial          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE REFERENCES recorders (serial),
  usb_vendor_id   INTEGER,
  usb_product_id  INTEGER,
  usb_serial      TEXT,
  fs_uuid         TEXT,
  capacity        INTEGER CHECK (capacity IS NULL OR capacity > 0),
  bound_at        TEXT NOT NULL,
  -- 'station' for the docking that first saw the facts, else the custodian who confirmed them.
  bound_by        TEXT NOT NULL
) STRICT;

-- A volume that names a registered recorder but whose facts differ from its binding: held, never
-- read, until a custodian confirms it (the binding takes its facts, then it is ingested) or
-- refuses it. Kept after the decision as the record of what was docked and who decided.
CREATE TABLE recorder_lookalikes (
  id               INTEGER PRIMARY KEY,
  recorder_serial  TEXT NOT NULL REFERENCES recorders (serial),
  seen_at          TEXT NOT NULL,
  device           TEXT NOT NULL,
  mountpoint       TEXT NOT NULL,
  -- JSON: the facts this volume showed, the binding's, and the names of those that differ.
  seen             TEXT NOT NULL,
  bound            TEXT NOT NULL,
  differs          TEXT NOT NULL,
  decision         TEXT CHECK (decision IN ('confirmed', 'refused')),
  decided_by       TEXT,
  decided_at       TEXT,
  reason           TEXT,
  -- The docking a confirmed look-alike was ingested as, once it was.
  docking_id       INTEGER REFERENCES dockings (id),
  CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL))
) STRICT;

CREATE INDEX recorder_lookalikes_held ON recorder_lookalikes (recorder_serial) WHERE decision IS NULL;
