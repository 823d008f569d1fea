// The integrity sweep (rule D-NO-TAMPER): every archived original re-hashed from the disk
// against the catalogue; each mismatch, missing file, bad sidecar or stranger named and audited.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src-main/custody/integrity';
import type { IngestEngine, IngestResult } from '../../src-main/ingest';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
  testVolume,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

let station: TestStation;
let volume: TestVolume;
let engine: IngestEngine;
let result: IngestResult;

beforeEach(async () => {
  station = testStation();
  registerRecorder(station.catalogue, 'CAM01');
  volume = testVolume();
  for (const name of ['A', 'B', 'C', 'D']) volume.add({ path: `DCIM/${name}.MP4`, size: 20_000 });
  engine = await openTestEngine(station);
  result = await engine.ingest({
    mountpoint: volume.root,
    recorderSerial: 'CAM01',
    profile: loadProfile(),
  }).done;
  await engine.close();
});
afterEach(() => {
  station.remove();
  volume.remove();
});

const archived = (name: string) =>
  result.clips.find((c) => c.originalPath === `DCIM/${name}.MP4`)!.clip;
const abs = (rel: string) => join(station.dataDir, ...rel.split('/'));

describe('verifyArchive', () => {
  it('an untouched archive passes, read back past the cache', async () => {
    const report = await verifyArchive({
      catalogue: station.catalogue,
      dataDir: station.dataDir,
      audit: station.audit,
    });
    expect(report).toMatchObject({ ok: true, clipsChecked: 4, bytesChecked: 80_000, problems: [] });
    expect(report.readBack).toEqual({ direct: 4, cached: 0 });
    const entry = station.audit.list({ limit: 1 }).entries[0]!;
    expect(entry).toMatchObject({ action: 'integrity.checked', details: { ok: true } });
  });

  it('names each altered, missing or stray file and each bad sidecar', async () => {
    const a = archived('A');
    chmodSync(abs(a.archivePath), 0o644);
    writeFileSync(abs(a.archivePath), Buffer.alloc(20_000, 7)); // same size, other bytes
    const b = archived('B');
    rmSync(abs(b.archivePath), { force: true });
    const c = archived('C');
    rmSync(abs(c.archivePath + '.evidock.json'), { force: true });
    const stray = c.archivePath.replace(/[^/]+$/, 'INSERTED.MP4');
    writeFileSync(abs(stray), 'footage nobody catalogued');

    const report = await verifyArchive({
      catalogue: station.catalogue,
      dataDir: station.dataDir,
      audit: station.audit,
    });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.code, p.archivePath]).sort()).toEqual(
      [
        ['mismatch', a.archivePath],
        ['missing', b.archivePath],
        ['sidecar-missing', c.archivePath + '.evidock.json'],
        ['uncatalogued', stray],
      ].sort(),
    );
    const mismatch = report.problems.find((p) => p.code === 'mismatch')!;
    expect(mismatch.details).toMatchObject({ expectedSha256: a.sha256 });
    expect(mismatch.message).toContain(`clip ${a.id}`);
    const audited = station.audit.list({ limit: 10, action: 'integrity.problem' });
    expect(audited.total).toBe(4);
  });
});
