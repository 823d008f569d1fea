// D-NO-TAMPER, D-24H, D-WHO-RECORDS: an insider drops the clips table's guards and rewrites what
// the sweep used not to compare: when custody began and when the clip was recorded (a late clip
// made to look on time), the late-custody flag itself, and whose clip it is. The audit chain
// records each at archiving (and the officer at each confirmation and re-attribution): the
// sweep names every rewrite, and an untouched station still passes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../src-main/catalogue/clips';
import { dropClipTriggers } from '../support/core-station';
import type { IngestEngine } from '../../src-main/ingest/engine';
import {
  closeIngestBench,
  loadProfile,
  openIngestBench,
  sweepStation,
  type TestStation,
  type TestVolume,
} from '../support/ingest-station';

const profile = loadProfile('generic-dcim');
const DAY_MS = 24 * 3_600_000;

let station: TestStation;
let volume: TestVolume;
let engine: IngestEngine;

beforeEach(async () => {
  ({ station, volume, engine } = await openIngestBench());
});
afterEach(() => closeIngestBench({ station, volume, engine }));

async function ingest(): Promise<{ dockingId: number; clips: ClipRecord[] }> {
  const result = await engine.ingest({ mountpoint: volume.root, recorderSerial: 'CAM01', profile })
    .done;
  expect(result.status).toBe('complete');
  return { dockingId: result.docking.id, clips: result.clips.map((c) => c.clip) };
}

/** The insider's first step with the sqlite3 shell: the clips table's guards are gone. */
function rewrite(sql: string, ...params: unknown[]): void {
  dropClipTriggers(station.db);
  station.db.prepare(sql).run(...params);
}

const sweep = () => sweepStation(station);

describe('the sweep holds times, late custody and the officer to the audit chain', () => {
  it('custody and recording times rewritten (a late clip made to look on time) are named', async () => {
    volume.add({ path: 'DCIM/100MEDIA/A.MP4', size: 4000 });
    const { clips } = await ingest();
    const clip = clips[0]!;
    expect((await sweep()).ok).toBe(true);

    rewrite(
      'UPDATE clips SET custody_at = ?, recorded_start = ? WHERE id = ?',
      '2020-01-02T00:00:00.000Z',
      '2019-12-31T00:00:00.000Z',
      clip.id,
    );
    const report = await sweep();
    expect(report.ok).toBe(false);
    const named = report.problems.filter((p) => p.clipId === clip.id);
    expect(named.map((p) => p.code)).toEqual(['rewritten']);
    expect(named[0]!.details).toMatchObject({
      chainCustodyAt: clip.custodyAt,
      catalogueCustodyAt: '2020-01-02T00:00:00.000Z',
      chainRecordedStart: clip.recordedStart,
      catalogueRecordedStart: '2019-12-31T00:00:00.000Z',
    });
    expect(named[0]!.details.differs).toEqual(['custodyAt', 'recordedStart']);
  });

  it('D-24H: a late clip whose late-custody flag is cleared, and an on-time clip flagged late, are named', async () => {
    const threeDaysAgo = new Date(Math.floor((Date.now() - 3 * DAY_MS) / 1000) * 1000);
    volume.add({ path: 'DCIM/100MEDIA/OLD.MP4', size: 4000, mtime: threeDaysAgo });
    volume.add({ path: 'DCIM/100MEDIA/NEW.MP4', size: 4000 });
    const { clips } = await ingest();
    const late = clips.find((c) => c.originalPath.endsWith('OLD.MP4'))!;
    const onTime = clips.find((c) => c.originalPath.endsWith('NEW.MP4'))!;
    const flag = (id: number) =>
      (
        station.db.prepare('SELECT late_custody AS l FROM clips WHERE id = ?').get(id) as {
          l: number;
        }
      ).l;
    expect([flag(late.id), flag(onTime.id)]).toEqual([1, 0]);
    // The flags as the docking found them agree with the chain's times.
    expect((await sweep()).ok).toBe(true);

    rewrite('UPDATE clips SET late_custody = 0 WHERE id = ?', late.id);
    rewrite('UPDATE clips SET late_custody = 1 WHERE id = ?', onTime.id);
    const report = await sweep();
    expect(report.ok).toBe(false);
    const byClip = (id: number) => report.problems.filter((p) => p.clipId === id);
    expect(byClip(late.id).map((p) => p.code)).toEqual(['rewritten']);
    expect(byClip(late.id)[0]!.details).toMatchObject({
      differs: ['lateCustody'],
      chainLateCustody: true,
      catalogueLateCustody: false,
    });
    expect(byClip(onTime.id)[0]!.details).toMatchObject({
      differs: ['lateCustody'],
      chainLateCustody: false,
      catalogueLateCustody: true,
    });
  });

  it('D-WHO-RECORDS: the officer confirmed at the dock is what the chain says; a clip moved to another officer is named', async () => {
    volume.add({ path: 'DCIM/100MEDIA/A.MP4', size: 4000 });
    volume.add({ path: 'DCIM/100MEDIA/B.MP4', size: 4000 });
    const { dockingId, clips } = await ingest();
    engine.identifyOfficer(dockingId, 'P100', 'badge-pin', 'P100');
    const officers = station.db
      .prepare('SELECT officer_badge AS o FROM clips ORDER BY id')
      .all() as { o: string | null }[];
    expect(officers.map((r) => r.o)).toEqual(['P100', 'P100']);
    expect((await sweep()).ok).toBe(true);

    const moved = clips[1]!;
    rewrite("UPDATE clips SET officer_badge = 'P200' WHERE id = ?", moved.id);
    const report = await sweep();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.code, p.clipId])).toEqual([['rewritten', moved.id]]);
    expect(report.problems[0]!.details).toMatchObject({
      differs: ['officerBadge'],
      chainOfficerBadge: 'P100',
      catalogueOfficerBadge: 'P200',
    });
    expect(report.problems[0]!.message).toContain('officerBadge');
  });
});
