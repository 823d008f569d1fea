// D-NO-TAMPER: footage planted in the archive behind the station's back. An insider with write
// access to the data dir (not to the keys) copies a real clip's sidecar next to bytes of their
// own, edits it to match (hash, size, names, sequence), or leaves a staging manifest that claims a
// copy was proven, and waits for the next start: recovery must not catalogue any of it, the files
// go to quarantine/ (moved, never deleted, audited), and the integrity sweep names them. A clip an
// earlier recovery catalogued without any sign of its own ingest is named too.
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../src-main/catalogue/clips';
import type { IngestEngine } from '../../src-main/ingest/engine';
import { stagingKey } from '../../src-main/ingest/staging';
import {
  closeIngestBench,
  loadProfile,
  openIngestBench,
  openTestEngine,
  sweepStation,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

const profile = loadProfile('generic-dcim');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let station: TestStation;
let volume: TestVolume;
let engine: IngestEngine;
let archived: ClipRecord;

const abs = (rel: string) => join(station.dataDir, ...rel.split('/'));
const count = (sql: string) => (station.db.prepare(sql).get() as { n: number }).n;

beforeEach(async () => {
  ({ station, volume, engine } = await openIngestBench());
  volume.add({ path: 'DCIM/100MEDIA/A.MP4', size: 5000 });
  const result = await engine.ingest({
    mountpoint: volume.root,
    recorderSerial: 'CAM01',
    profile,
  }).done;
  expect(result.status).toBe('complete');
  archived = result.clips[0]!.clip;
  await engine.close();
});
afterEach(() => closeIngestBench({ station, volume, engine }));

interface SidecarJson {
  clip: Record<string, unknown> & { archivePath: string; sha256: string };
  custody: unknown[];
}

/** FORGED.MP4 beside A.MP4: random bytes, and A's sidecar edited to vouch for them. */
function plantBesideArchivedClip(): { archivePath: string; sha256: string } {
  const archivePath = archived.archivePath.replace(/[^/]+$/, 'FORGED.MP4');
  const bytes = randomBytes(7000);
  writeFileSync(abs(archivePath), bytes);
  const sidecarFile = abs(`${archivePath}.evidock.json`);
  copyFileSync(abs(`${archived.archivePath}.evidock.json`), sidecarFile);
  chmodSync(sidecarFile, 0o644);
  const sidecar = JSON.parse(readFileSync(sidecarFile, 'utf8')) as SidecarJson;
  Object.assign(sidecar.clip, {
    sha256: sha256(bytes),
    sm3: null,
    originalSize: bytes.length,
    originalPath: 'DCIM/100MEDIA/FORGED.MP4',
    originalName: 'FORGED.MP4',
    archivePath,
    sequence: 99,
  });
  writeFileSync(sidecarFile, JSON.stringify(sidecar, null, 2) + '\n');
  return { archivePath, sha256: sha256(bytes) };
}

/**
 * A staging manifest and partial that claim `bytes` were copied from `originalPath` on CAM01 and
 * proven, for the docking that archived A.MP4 (it finished long ago).
 */
function forgeProvenCopy(bytes: Buffer, originalPath: string, mtime: string): string {
  const forged = sha256(bytes);
  const key = stagingKey('CAM01', originalPath, bytes.length, mtime);
  const folder = abs('staging/CAM01');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${key}.partial`), bytes);
  const now = new Date().toISOString();
  const name = originalPath.split('/').at(-1)!;
  writeFileSync(
    join(folder, `${key}.json`),
    JSON.stringify({
      format: 'evidock-staging/1',
      key,
      recorderSerial: 'CAM01',
      dockingId: archived.dockingId,
      originalPath,
      originalName: name,
      originalSize: bytes.length,
      originalMtime: mtime,
      mtimeMs: Date.parse(mtime),
      kind: 'video',
      createdAt: now,
      state: 'verified',
      proof: {
        sha256: forged,
        sm3: null,
        readBack: { method: 'direct' },
        resumedFrom: 0,
        copiedAt: now,
        verifiedAt: now,
        copyMs: 1,
        verifyMs: 1,
      },
      clip: {
        recorderSerial: 'CAM01',
        dockingId: archived.dockingId,
        originalPath,
        originalSize: bytes.length,
        originalMtime: mtime,
        kind: 'video',
        sha256: forged,
        sm3: null,
        officerBadge: null,
        sequence: 98,
        recordedStart: mtime,
        recordedStartSource: 'file-time',
        recordedEnd: mtime,
        recordedEndSource: 'file-time',
        durationMs: null,
        width: null,
        height: null,
        codec: null,
        custodyAt: now,
        clockOffsetMs: null,
        clockOffsetSource: null,
      },
    }),
  );
  return key;
}

describe('D-NO-TAMPER: footage planted in the archive is never catalogued', () => {
  it('a forged clip with a matching sidecar is quarantined at the next start, not catalogued, and the sweep names it', async () => {
    const planted = plantBesideArchivedClip();

    engine = await openTestEngine(station);
    const recovery = engine.recovery;
    await engine.close();

    expect(count('SELECT count(*) AS n FROM clips')).toBe(1);
    expect(
      station.db.prepare('SELECT id FROM clips WHERE archive_path = ?').get(planted.archivePath),
    ).toBeUndefined();
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'clip.recovered'")).toBe(0);
    expect(recovery.quarantined.map((q) => q.archivePath).sort()).toEqual(
      [planted.archivePath, `${planted.archivePath}.evidock.json`].sort(),
    );
    for (const q of recovery.quarantined) {
      expect(existsSync(abs(q.archivePath))).toBe(false);
      expect(existsSync(abs(q.movedTo))).toBe(true);
    }
    // The real clip beside it is untouched.
    expect(existsSync(abs(archived.archivePath))).toBe(true);

    const report = await sweepStation(station);
    expect(report.ok).toBe(false);
    const named = report.problems.filter((p) => p.code === 'quarantined');
    expect(named.map((p) => p.archivePath).sort()).toEqual(
      [planted.archivePath, `${planted.archivePath}.evidock.json`].sort(),
    );
    expect(named[0]!.message).toContain('quarantine/');
    expect(report.problems.filter((p) => p.code !== 'quarantined')).toEqual([]);
  });

  it('a staging manifest claiming a proven copy for a docking that finished is not placed: quarantined and named', async () => {
    const bytes = randomBytes(6000);
    const forged = sha256(bytes);
    const originalPath = 'DCIM/100MEDIA/PLANT.MP4';
    const mtime = new Date(Date.now() - 3_600_000).toISOString();
    const key = forgeProvenCopy(bytes, originalPath, mtime);

    engine = await openTestEngine(station);
    const recovery = engine.recovery;
    await engine.close();

    expect(recovery.placed).toEqual([]);
    expect(count('SELECT count(*) AS n FROM clips')).toBe(1);
    expect(station.db.prepare('SELECT id FROM clips WHERE sha256 = ?').get(forged)).toBeUndefined();
    expect(recovery.quarantined.map((q) => q.archivePath).sort()).toEqual(
      [`staging/CAM01/${key}.json`, `staging/CAM01/${key}.partial`].sort(),
    );

    const report = await sweepStation(station);
    expect(report.problems.map((p) => p.code)).toEqual(['quarantined', 'quarantined']);
  });

  it('a clip an earlier recovery catalogued with no sign of its own ingest is named by the sweep', async () => {
    // What the station before this fix did to the planted clip: a row and `clip.recovered`.
    const planted = plantBesideArchivedClip();
    const sidecar = JSON.parse(
      readFileSync(abs(`${planted.archivePath}.evidock.json`), 'utf8'),
    ) as SidecarJson;
    const { originalName: _name, ...row } = sidecar.clip;
    const id = station.catalogue.write((tx) => {
      const inserted = tx.clips.insertVerified(
        row as unknown as Parameters<typeof tx.clips.insertVerified>[0],
      );
      station.audit.append(tx, {
        actor: 'station',
        action: 'clip.recovered',
        subject: `clip:${inserted.id}`,
        details: {
          archivePath: planted.archivePath,
          sha256: planted.sha256,
          recorderSerial: 'CAM01',
          dockingId: archived.dockingId,
          readBack: 'direct',
        },
      });
      return inserted.id;
    });

    const report = await sweepStation(station);
    expect(report.ok).toBe(false);
    const named = report.problems.filter((p) => p.clipId === id);
    expect(named.map((p) => p.code)).toEqual(['unproven']);
    expect(named[0]!.message).toContain(`docking #${archived.dockingId}`);
    expect(report.problems.filter((p) => p.clipId !== id)).toEqual([]);
  });
  it("a proven copy planted in staging while the station runs is not taken for the recorder's file: set aside, and the file is copied from the recorder", async () => {
    engine = await openTestEngine(station);
    const real = volume.add({ path: 'DCIM/100MEDIA/B.MP4', size: 6000 });
    const mtime = new Date(statSync(volume.abs('DCIM/100MEDIA/B.MP4')).mtimeMs).toISOString();
    const key = forgeProvenCopy(randomBytes(6000), 'DCIM/100MEDIA/B.MP4', mtime);

    const result = await engine.ingest({
      mountpoint: volume.root,
      recorderSerial: 'CAM01',
      profile,
    }).done;
    const b = result.clips.find((c) => c.originalPath === 'DCIM/100MEDIA/B.MP4')!;
    expect(b.clip.sha256).toBe(sha256(real));
    expect(readFileSync(abs(b.clip.archivePath)).equals(real)).toBe(true);
    const moved = station.db
      .prepare("SELECT subject FROM audit_log WHERE action = 'archive.quarantined' ORDER BY seq")
      .all() as { subject: string }[];
    expect(moved.map((m) => m.subject)).toEqual([
      `archive:staging/CAM01/${key}.json`,
      `archive:staging/CAM01/${key}.partial`,
    ]);
  });
});
