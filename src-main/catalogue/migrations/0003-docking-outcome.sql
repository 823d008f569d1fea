-- How a docking ended, as the officer was told it: "safe to undock", or the reason it is not.
-- Kept on the row so the Dock screen tells the same after a station restart.
ALTER TABLE dockings ADD COLUMN safe_to_undock INTEGER NOT NULL DEFAULT 0 CHECK (safe_to_undock IN (0, 1));
ALTER TABLE dockings ADD COLUMN error_code TEXT;
ALTER TABLE dockings ADD COLUMN error_message TEXT;

-- When the officer at the dock was confirmed (badge + PIN, IC card); null while only assigned.
ALTER TABLE dockings ADD COLUMN identified_at TEXT;

-- The Dock screen lists the recent dockings of every recorder.
CREATE INDEX dockings_by_start ON dockings (started_at);
