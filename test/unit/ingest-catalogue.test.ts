// The catalogue's repositories for docking and ingest, on a real migrated SQLite catalogue.
import type Database from 'better-sqlite3';
import type { Catalogue } from '../../src-main/catalogue/catalogue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewClip } from '../../src-main/catalogue/clips';
import { DEFAULT_UNIT_POLICY } from '../../src-main/domain';
import { memoryCatalogue, seedUser } from '../support/core-station';

let catalogue: Catalogue;
let db: Database.Database;
beforeEach(() => {
  catalogue = memoryCatalogue();
  db = catalogue.db;
});
afterEach(() => db.close());

const AT = '2026-11-21T08:00:00.000Z';

function clip(over: Partial<NewClip> = {}): NewClip {
  return {
    recorderSerial: 'CAM01',
    dockingId: 1,
    originalPath: 'DCIM/A.MP4',
    originalSize: 100,
    originalMtime: AT,
    kind: 'video',
    sha256: 'a'.repeat(64),
    sm3: null,
    archivePath: 'archive/2026/11/21/CAM01/A.MP4',
    officerBadge: null,
    sequence: 1,
    recordedStart: '2026-11-21T07:00:00.000Z',
    recordedStartSource: 'container',
    recordedEnd: AT,
    recordedEndSource: 'container',
    durationMs: 3_600_000,
    width: 1920,
    height: 1080,
    codec: 'h264',
    custodyAt: AT,
    clockOffsetMs: 1500,
    clockOffsetSource: 'driver',
    ...over,
  };
}

describe('recorders', () => {
  it('registers, names the assigned officer, retires, and re-registers', () => {
    seedUser(catalogue, { badge: 'A1234', name: '王警官', role: 'officer', password: 'password1' });
    const recorders = catalogue.recorders;
    const cam = catalogue.write((tx) =>
      tx.recorders.register(
        { serial: 'CAM01', profileId: 'generic-dcim', officerBadge: 'A1234' },
        'C1',
        AT,
      ),
    );
    expect(cam).toMatchObject({ serial: 'CAM01', officerName: '王警官', retiredAt: null });
    expect(recorders.get('cam01')?.serial).toBe('CAM01'); // serials compare case-insensitively
    catalogue.write((tx) => tx.recorders.retire('CAM01', AT));
    expect(recorders.getActive('CAM01')).toBeUndefined();
    expect(recorders.list()).toEqual([]);
    expect(recorders.list({ includeRetired: true })).toHaveLength(1);
    catalogue.write((tx) =>
      tx.recorders.register(
        { serial: 'CAM01', profileId: 'dsj-standard', officerBadge: null },
        'C1',
        AT,
      ),
    );
    expect(recorders.getActive('CAM01')).toMatchObject({
      profileId: 'dsj-standard',
      officerBadge: null,
    });
  });
});

describe('dockings and findings', () => {
  it('start, plan, clock offset, findings, finish', () => {
    catalogue.write((tx) =>
      tx.recorders.register(
        { serial: 'CAM01', profileId: 'generic-dcim', officerBadge: null },
        'C1',
        AT,
      ),
    );
    const dockings = catalogue.dockings;
    const d = catalogue.write((tx) =>
      tx.dockings.start(
        {
          recorderSerial: 'CAM01',
          officerBadge: null,
          identifiedBy: 'cli',
          mountpoint: '/media/CAM01',
        },
        AT,
      ),
    );
    expect(d).toMatchObject({ status: 'ingesting', clipsPlanned: 0, finishedAt: null });
    catalogue.write((tx) => tx.dockings.setPlanned(d.id, 3, 3000));
    catalogue.write((tx) => tx.dockings.setClockOffset(d.id, -2000, 'estimate'));
    catalogue.write((tx) =>
      tx.dockings.addFinding(
        d.id,
        { code: 'symlink', message: 'not followed', path: 'DCIM/x', details: { a: 1 } },
        AT,
      ),
    );
    expect(dockings.listUnfinished().map((x) => x.id)).toEqual([d.id]);
    catalogue.write((tx) =>
      tx.dockings.finish(d.id, { status: 'complete', safeToUndock: true, error: null }, AT),
    );
    expect(dockings.get(d.id)).toMatchObject({
      status: 'complete',
      safeToUndock: true,
      error: null,
      clipsPlanned: 3,
      bytesPlanned: 3000,
      clockOffsetMs: -2000,
      clockOffsetSource: 'estimate',
      finishedAt: AT,
    });
    expect(dockings.findings(d.id)).toEqual([
      expect.objectContaining({ code: 'symlink', path: 'DCIM/x', details: { a: 1 }, clipId: null }),
    ]);
    expect(dockings.listByRecorder('CAM01')).toHaveLength(1);
  });
});

describe('clips and sightings', () => {
  beforeEach(() => {
    catalogue.write((tx) =>
      tx.recorders.register(
        { serial: 'CAM01', profileId: 'generic-dcim', officerBadge: null },
        'C1',
        AT,
      ),
    );
    catalogue.write((tx) =>
      tx.dockings.start(
        { recorderSerial: 'CAM01', officerBadge: null, identifiedBy: null, mountpoint: '/m' },
        AT,
      ),
    );
  });

  it('inserts a verified clip and finds it by original, by hash and by archive path', () => {
    const clips = catalogue.clips;
    const a = catalogue.write((tx) => tx.clips.insertVerified(clip()));
    expect(a).toMatchObject({
      status: 'verified',
      thumbnailPath: null,
      clearedAt: null,
      width: 1920,
    });
    expect(
      clips.findByOriginal('CAM01', {
        originalPath: 'DCIM/A.MP4',
        originalSize: 100,
        originalMtime: AT,
      })?.id,
    ).toBe(a.id);
    expect(
      clips.findByOriginal('CAM01', {
        originalPath: 'DCIM/A.MP4',
        originalSize: 101,
        originalMtime: AT,
      }),
    ).toBeUndefined();
    expect(clips.findBySha256('a'.repeat(64))?.id).toBe(a.id);
    expect(clips.findByArchivePath(a.archivePath)?.id).toBe(a.id);
    // The same bytes again: refused before the unique index, so that INSERT OR REPLACE cannot
    // take an archived clip's place either (D-NO-TAMPER).
    expect(() =>
      catalogue.write((tx) => tx.clips.insertVerified(clip({ archivePath: 'archive/x' }))),
    ).toThrow(/never replaced \(rule D-NO-TAMPER\)/);
    catalogue.write((tx) => tx.clips.markCleared(a.id, AT));
    catalogue.write((tx) => tx.clips.setThumbnail(a.id, 'thumbnails/aa/x.jpg'));
    expect(clips.get(a.id)).toMatchObject({ clearedAt: AT, thumbnailPath: 'thumbnails/aa/x.jpg' });
  });

  it('lists by recorder, docking and time; knows originals and sightings for the planner', () => {
    const clips = catalogue.clips;
    const a = catalogue.write((tx) => tx.clips.insertVerified(clip()));
    catalogue.write((tx) =>
      tx.clips.insertVerified(
        clip({
          originalPath: 'DCIM/B.MP4',
          sha256: 'b'.repeat(64),
          archivePath: 'archive/b',
          custodyAt: '2026-11-22T00:00:00.000Z',
        }),
      ),
    );
    catalogue.write((tx) =>
      tx.clips.addSighting(
        {
          clipId: a.id,
          dockingId: 1,
          originalPath: 'DCIM/C.MP4',
          originalSize: 100,
          originalMtime: AT,
        },
        AT,
      ),
    );
    expect(clips.list({ recorderSerial: 'CAM01' }).total).toBe(2);
    expect(
      clips.list({ since: '2026-11-21T20:00:00+08:00' }).clips.map((c) => c.originalPath),
    ).toEqual(['DCIM/B.MP4']);
    expect(clips.list({ limit: 1, offset: 1 }).clips).toHaveLength(1);
    const known = clips.knownOriginals('CAM01');
    expect([...known.values()].map((k) => k.sighting).sort()).toEqual([false, false, true]);
    expect(clips.sightingsByDocking(1)).toEqual([
      expect.objectContaining({
        clipId: a.id,
        recorderSerial: 'CAM01',
        originalPath: 'DCIM/C.MP4',
      }),
    ]);
    expect(clips.latestOfRecorder('CAM01', 'video', 99)?.originalPath).toBe('DCIM/B.MP4');
  });
});

describe('unit policy', () => {
  it('defaults, typed values, validation, fallback on a damaged value', () => {
    const settings = catalogue.settings;
    expect(settings.policy()).toEqual(DEFAULT_UNIT_POLICY);
    expect(DEFAULT_UNIT_POLICY).toMatchObject({
      clearAfterIngest: false,
      hashes: ['sha256'],
      copyConcurrencyPerDisk: 4,
      ambaPassword: null,
    });
    catalogue.write((tx) => tx.settings.set('hashes', ['sha256', 'sm3']));
    catalogue.write((tx) => tx.settings.set('ambaPassword', 'unit-secret'));
    expect(settings.get('hashes')).toEqual(['sha256', 'sm3']);
    expect(settings.publicPolicy()).toMatchObject({ ambaPasswordSet: true });
    expect(JSON.stringify(settings.publicPolicy())).not.toContain('unit-secret');
    expect(() => catalogue.write((tx) => tx.settings.set('copyConcurrencyPerDisk', 0))).toThrow();
    db.prepare(
      "INSERT INTO unit_settings (key, value) VALUES ('copyConcurrencyPerDisk', '\"lots\"')",
    ).run();
    expect(settings.get('copyConcurrencyPerDisk')).toBe(4);
    expect(settings.problems()).toEqual([
      { key: 'copyConcurrencyPerDisk', problem: expect.any(String) },
    ]);
    catalogue.write((tx) => tx.settings.reset('hashes'));
    expect(settings.get('hashes')).toEqual(['sha256']);
  });
});
