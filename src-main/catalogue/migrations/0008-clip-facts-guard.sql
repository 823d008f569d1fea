-- A clip row is never deleted and its proven facts never change (D-NO-TAMPER).
-- The integrity sweep proves the archive against these facts: the bytes' hashes and size, where
-- the archive keeps them, which file of which recorder they were and when it was recorded. A row
-- that could be rewritten would prove whatever it was told. What the station legitimately changes
-- later stays changeable: the officer (confirmed at the dock, D-WHO-RECORDS), the thumbnail, when
-- the recorder's copy was cleared, whether the clip is labelled, late custody as found. No flow
-- removes a clip yet; the one that will (D-APPROVAL, at the end of D-RETAIN) replaces
-- clips_refuse_delete in its own migration. Dropping these triggers takes a raw connection to the
-- catalogue file: what the sweep then finds against the audit chain (custody/integrity.ts).
CREATE TRIGGER clips_refuse_delete BEFORE DELETE ON clips
BEGIN
  SELECT RAISE(ABORT, 'an archived clip is never deleted from the catalogue (rule D-NO-TAMPER)');
END;

CREATE TRIGGER clips_keep_proven_facts BEFORE UPDATE ON clips
WHEN new.id IS NOT old.id
  OR new.recorder_serial IS NOT old.recorder_serial
  OR new.docking_id IS NOT old.docking_id
  OR new.original_path IS NOT old.original_path
  OR new.original_size IS NOT old.original_size
  OR new.original_mtime IS NOT old.original_mtime
  OR new.kind IS NOT old.kind
  OR new.sha256 IS NOT old.sha256
  OR new.sm3 IS NOT old.sm3
  OR new.archive_path IS NOT old.archive_path
  OR new.status IS NOT old.status
  OR new.sequence IS NOT old.sequence
  OR new.recorded_start IS NOT old.recorded_start
  OR new.recorded_start_source IS NOT old.recorded_start_source
  OR new.recorded_end IS NOT old.recorded_end
  OR new.recorded_end_source IS NOT old.recorded_end_source
  OR new.duration_ms IS NOT old.duration_ms
  OR new.width IS NOT old.width
  OR new.height IS NOT old.height
  OR new.codec IS NOT old.codec
  OR new.custody_at IS NOT old.custody_at
  OR new.clock_offset_ms IS NOT old.clock_offset_ms
  OR new.clock_offset_source IS NOT old.clock_offset_source
BEGIN
  SELECT RAISE(ABORT, 'the proven facts of an archived clip never change (rule D-NO-TAMPER)');
END;

-- INSERT OR REPLACE deletes the row it collides with without firing a delete trigger: a new row
-- that would take an archived clip's id, archive path, bytes or original file is refused first.
CREATE TRIGGER clips_refuse_replace BEFORE INSERT ON clips
WHEN EXISTS (SELECT 1 FROM clips WHERE id = new.id)
  OR EXISTS (SELECT 1 FROM clips WHERE archive_path = new.archive_path)
  OR EXISTS (SELECT 1 FROM clips WHERE sha256 = new.sha256)
  OR EXISTS (SELECT 1 FROM clips WHERE recorder_serial = new.recorder_serial
    AND original_path = new.original_path AND original_size = new.original_size
    AND original_mtime = new.original_mtime)
BEGIN
  SELECT RAISE(ABORT, 'an archived clip is never replaced (rule D-NO-TAMPER)');
END;
