// The integrity sweep (rule D-NO-TAMPER): every archived original re-hashed from the disk
// against the catalogue; each mismatch, missing file, bad sidecar or stranger named and audited.
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../src-main/contract';
import { CLIP_REMOVED_ACTION } from '../../src-main/custody/chain-record';
import { dropAuditTriggers, dropClipTriggers } from '../support/core-station';
import type { IngestEngine, IngestResult } from '../../src-main/ingest';
import {
  closeIngestBench,
  loadProfile,
  openIngestBench,
  sweepStation,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

let station: TestStation;
let volume: TestVolume;
let engine: IngestEngine;
let result: IngestResult;

beforeEach(async () => {
  ({ station, volume, engine } = await openIngestBench());
  for (const name of ['A', 'B', 'C', 'D']) volume.add({ path: `DCIM/${name}.MP4`, size: 20_000 });
  result = await engine.ingest({
    mountpoint: volume.root,
    recorderSerial: 'CAM01',
    profile: loadProfile(),
  }).done;
  await engine.close();
});
afterEach(() => closeIngestBench({ station, volume, engine }));

const archived = (name: string) =>
  result.clips.find((c) => c.originalPath === `DCIM/${name}.MP4`)!.clip;
const abs = (rel: string) => join(station.dataDir, ...rel.split('/'));

describe('verifyArchive', () => {
  it('an untouched archive passes, read back past the cache', async () => {
    const report = await sweepStation(station);
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

    const report = await sweepStation(station);
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

describe('verifyArchive against the audit chain (D-NO-TAMPER)', () => {
  /** The clips table's guards, as an insider with the sqlite3 shell removes them. */
  const dropClipGuards = () => {
    dropClipTriggers(station.db);
    station.db.pragma('foreign_keys = OFF');
  };
  const removeClip = (id: number) => station.db.prepare('DELETE FROM clips WHERE id = ?').run(id);
  /** A removal entry in the chain: no flow writes one yet, so the test appends it by hand. */
  const recordRemoval = (
    clip: { id: number; sha256: string; archivePath: string },
    approval: Record<string, string>,
  ) =>
    station.catalogue.write((tx) =>
      station.audit.append(tx, {
        actor: 'C001',
        action: CLIP_REMOVED_ACTION as AuditAction,
        subject: `clip:${clip.id}`,
        details: { sha256: clip.sha256, archivePath: clip.archivePath, approval },
      }),
    );
  const sweep = () => sweepStation(station);

  it('names a row inserted behind the chain, with its file and sidecar copied in', async () => {
    const a = archived('A');
    dropClipGuards();
    const forgedPath = a.archivePath.replace(/[^/]+$/, 'PLANTED.MP4');
    const bytes = Buffer.alloc(a.originalSize, 3);
    const sha = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(abs(forgedPath), bytes);
    const sidecar = JSON.parse(readFileSync(abs(a.archivePath + '.evidock.json'), 'utf8'));
    sidecar.clip = { ...sidecar.clip, archivePath: forgedPath, sha256: sha };
    writeFileSync(abs(forgedPath + '.evidock.json'), JSON.stringify(sidecar));
    station.db
      .prepare(
        `INSERT INTO clips (recorder_serial, docking_id, original_path, original_size,
           original_mtime, kind, sha256, archive_path, status, custody_at)
         SELECT recorder_serial, docking_id, 'DCIM/PLANTED.MP4', original_size, original_mtime,
           kind, ?, ?, status, custody_at FROM clips WHERE id = ?`,
      )
      .run(sha, forgedPath, a.id);

    const report = await sweep();
    expect(report.problems.map((p) => [p.code, p.archivePath])).toEqual([
      ['unchained', forgedPath],
    ]);
  });

  it('honours a removal only with the approval of three different people (D-APPROVAL)', async () => {
    const [b, c] = [archived('B'), archived('C')];
    dropClipGuards();
    for (const clip of [b, c]) {
      removeClip(clip.id);
      chmodSync(abs(clip.archivePath), 0o644);
      rmSync(abs(clip.archivePath));
      rmSync(abs(clip.archivePath + '.evidock.json'));
    }
    recordRemoval(b, { handler: 'P100', reviewer: 'C001', approver: 'H001' });
    recordRemoval(c, { handler: 'C001', reviewer: 'C001', approver: 'H001' });

    const report = await sweep();
    expect(report.chain).toMatchObject({ intact: true, clipsArchived: 4, clipsRemoved: 1 });
    expect(report.problems.map((p) => [p.code, p.clipId])).toEqual([['vanished', c.id]]);
    expect(report.problems[0]!.details).toMatchObject({
      fileInArchive: false,
      removalRefused: { reason: expect.stringContaining('D-APPROVAL') },
    });
  });

  it('holds a clip to its first archiving: an entry appended later cannot move it', async () => {
    const a = archived('A');
    const bytes = Buffer.alloc(a.originalSize, 9);
    const forged = createHash('sha256').update(bytes).digest('hex');
    chmodSync(abs(a.archivePath), 0o644);
    writeFileSync(abs(a.archivePath), bytes);
    dropClipGuards();
    station.db.prepare('UPDATE clips SET sha256 = ? WHERE id = ?').run(forged, a.id);
    // Well chained, hash and all: what an insider who knows the encoding can append.
    station.catalogue.write((tx) =>
      station.audit.append(tx, {
        actor: 'station',
        action: 'clip.archived',
        subject: `clip:${a.id}`,
        details: { sha256: forged, archivePath: a.archivePath, recorderSerial: 'CAM01' },
      }),
    );

    const report = await sweep();
    expect(report.problems.map((p) => [p.code, p.clipId]).sort()).toEqual(
      [
        ['chain-broken', a.id],
        ['rewritten', a.id],
        ['sidecar-mismatch', a.id],
      ].sort(),
    );
  });

  it('says when the chain itself is broken, and still holds the archive to what it records', async () => {
    const d = archived('D');
    dropClipGuards();
    removeClip(d.id);
    dropAuditTriggers(station.db);
    station.db.prepare("UPDATE audit_log SET actor = 'someone' WHERE seq = 1").run();

    const report = await sweep();
    expect(report.chain.intact).toBe(false);
    expect(report.problems.map((p) => [p.code, p.clipId]).sort()).toEqual(
      [
        ['chain-broken', null],
        ['uncatalogued', null],
        ['uncatalogued', null],
        ['vanished', d.id],
      ].sort(),
    );
  });
});
