// What a crash leaves behind, settled at the next start: partials resumed or discarded (never
// counted); proven copies of a docking the crash cut short placed through their manifests (see
// ingest-crash); anything else in the archive without a catalogue row moved aside to quarantine/
// (never deleted, never catalogued from its sidecar: D-NO-TAMPER), each audited.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../../src-main/ingest/engine';
import { IngestBusyError } from '../../src-main/ingest/lock';
import {
  closeIngestBench,
  loadProfile,
  openIngestBench,
  openTestEngine,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

const profile = loadProfile('generic-dcim');
let station: TestStation;
let volume: TestVolume;
let engine: IngestEngine;

beforeEach(async () => {
  ({ station, volume, engine } = await openIngestBench());
});
afterEach(() => closeIngestBench({ station, volume, engine }));

async function ingestAll() {
  return engine.ingest({ mountpoint: volume.root, recorderSerial: 'CAM01', profile }).done;
}

async function restart(): Promise<IngestEngine['recovery']> {
  await engine.close();
  engine = await openTestEngine(station);
  return engine.recovery;
}

/**
 * A clip's row as a crash before its catalogue commit leaves it: not there. The catalogue refuses
 * to delete a clip (D-NO-TAMPER), so the test takes that guard away first.
 */
function loseCatalogueRow(id: number): void {
  station.db.exec('DROP TRIGGER IF EXISTS clips_refuse_delete');
  station.db.prepare('DELETE FROM clips WHERE id = ?').run(id);
}

function count(sql: string): number {
  return (station.db.prepare(sql).get() as { n: number }).n;
}

describe('recovery at start', () => {
  it('an archived original whose catalogue row was removed by hand is moved aside, not catalogued again from its sidecar', async () => {
    volume.add({ path: 'DCIM/A.MP4', size: 5000 });
    volume.add({ path: 'DCIM/B.MP4', size: 6000 });
    const result = await ingestAll();
    const lost = result.clips[0]!.clip;
    // No crash leaves this (the row commits before the staging manifest goes): only a hand does.
    loseCatalogueRow(lost.id);

    const recovery = await restart();
    expect(recovery.quarantined.map((q) => q.archivePath).sort()).toEqual(
      [lost.archivePath, lost.archivePath + '.evidock.json'].sort(),
    );
    for (const q of recovery.quarantined) {
      expect(existsSync(join(station.dataDir, q.archivePath))).toBe(false);
      expect(readFileSync(join(station.dataDir, q.movedTo)).length).toBeGreaterThan(0);
    }
    expect(
      station.db.prepare('SELECT id FROM clips WHERE archive_path = ?').get(lost.archivePath),
    ).toBeUndefined();

    expect((await restart()).quarantined).toEqual([]);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'clip.recovered'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'archive.quarantined'")).toBe(
      2,
    );
    expect(count('SELECT count(*) AS n FROM clips')).toBe(1);
  });

  it('archive files that cannot be proven are moved aside to quarantine, never deleted', async () => {
    volume.add({ path: 'DCIM/A.MP4', size: 5000 });
    const result = await ingestAll();
    const folder = join(
      station.dataDir,
      ...result.clips[0]!.clip.archivePath.split('/').slice(0, -1),
    );
    writeFileSync(join(folder, 'STRAY.MP4'), 'no sidecar');
    // A sidecar that promises other bytes.
    const clip = result.clips[0]!.clip;
    loseCatalogueRow(clip.id);
    const archived = join(station.dataDir, clip.archivePath);
    chmodSync(archived, 0o644);
    writeFileSync(archived, 'tampered');

    const recovery = await restart();
    const stray = clip.archivePath.replace(/[^/]+$/, 'STRAY.MP4');
    const unaccounted =
      'in the archive without a catalogue row, and no placement of a docking a crash cut short accounts for it: not catalogued (D-NO-TAMPER)';
    expect(recovery.quarantined.map((q) => [q.archivePath, q.reason]).sort()).toEqual(
      [
        [clip.archivePath, unaccounted],
        [clip.archivePath + '.evidock.json', `the sidecar of ${clip.archivePath}`],
        [stray, unaccounted],
      ].sort(),
    );
    for (const q of recovery.quarantined) {
      expect(existsSync(join(station.dataDir, q.archivePath))).toBe(false);
      expect(existsSync(join(station.dataDir, q.movedTo))).toBe(true);
    }
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'archive.quarantined'")).toBe(
      3,
    );
  });

  it('partials: kept for resume while their copy was running, discarded without a manifest', async () => {
    const staging = join(station.dataDir, 'staging', 'CAM01');
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'orphan.partial'), 'half a clip');
    writeFileSync(join(staging, 'running.partial'), 'half a clip');
    writeFileSync(
      join(staging, 'running.json'),
      JSON.stringify({
        format: 'evidock-staging/1',
        key: 'running',
        recorderSerial: 'CAM01',
        dockingId: 1,
        originalPath: 'DCIM/X.MP4',
        originalName: 'X.MP4',
        originalSize: 100,
        originalMtime: new Date().toISOString(),
        mtimeMs: Date.now(),
        createdAt: new Date().toISOString(),
        state: 'copying',
      }),
    );
    const recovery = await restart();
    expect(recovery.keptForResume).toBe(1);
    expect(recovery.discarded).toEqual([
      { originalPath: null, reason: 'a partial copy without a readable manifest' },
    ]);
    expect(existsSync(join(staging, 'orphan.partial'))).toBe(false);
    expect(existsSync(join(staging, 'running.partial'))).toBe(true);
    expect(count('SELECT count(*) AS n FROM clips')).toBe(0);
  });

  it('a docking left ingesting by a crash ends interrupted, audited', async () => {
    station.db
      .prepare(
        `INSERT INTO dockings (recorder_serial, mountpoint, started_at, status)
         VALUES ('CAM01', '/media/CAM01', '2026-11-21T08:00:00Z', 'ingesting')`,
      )
      .run();
    const recovery = await restart();
    expect(recovery.interruptedDockings).toHaveLength(1);
    expect(count("SELECT count(*) AS n FROM dockings WHERE status = 'interrupted'")).toBe(1);
  });

  it('one ingesting process per data dir', async () => {
    await expect(openTestEngine(station)).rejects.toBeInstanceOf(IngestBusyError);
  });
});
