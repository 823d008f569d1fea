// The catalogue's tables for filing footage (migration 0004): labels with their full-text index,
// cases and their procedural acts, D-24H exceptions, deferrals; on a real migrated SQLite file in
// memory, with the query plans the clips browser relies on.
import type Database from 'better-sqlite3';
import type { Catalogue } from '../../src-main/catalogue/catalogue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewClip } from '../../src-main/catalogue/clips';
import { type LabelInput } from '../../src-main/catalogue/labels';
import { memoryCatalogue, seedUser } from '../support/core-station';

const AT = '2026-11-21T08:00:00.000Z';
let catalogue: Catalogue;
let db: Database.Database;
let labels: Catalogue['labels'];
let cases: Catalogue['cases'];

function addClip(n: number, officerBadge = 'J0123'): number {
  const clip: NewClip = {
    recorderSerial: 'CAM01',
    dockingId: 1,
    originalPath: `DCIM/C${n}.MP4`,
    originalSize: 100 + n,
    originalMtime: AT,
    kind: 'video',
    sha256: n.toString(16).padStart(64, '0'),
    sm3: null,
    archivePath: `archive/2026/11/21/CAM01/C${n}.MP4`,
    officerBadge,
    sequence: n,
    recordedStart: `2026-11-21T0${n % 10}:00:00.000Z`,
    recordedStartSource: 'container',
    recordedEnd: AT,
    recordedEndSource: 'container',
    durationMs: 60_000,
    width: 1920,
    height: 1080,
    codec: 'h264',
    custodyAt: AT,
    clockOffsetMs: null,
    clockOffsetSource: null,
  };
  return catalogue.write((tx) => tx.clips.insertVerified(clip)).id;
}

function label(over: Partial<LabelInput> = {}): LabelInput {
  return {
    caseNumber: null,
    matter: '节前农贸市场巡查',
    kind: 'inspection',
    stage: 'investigation',
    place: '金普新区某农贸市场',
    parties: ['张三'],
    partyIds: [],
    officersPresent: ['J0123'],
    confidentiality: 'none',
    notes: '商户无证经营，已责令整改',
    longTerm: null,
    ...over,
  };
}

beforeEach(() => {
  catalogue = memoryCatalogue();
  db = catalogue.db;
  seedUser(catalogue, { badge: 'J0123', name: '李明', role: 'officer', password: 'password1' });
  catalogue.write((tx) =>
    tx.recorders.register(
      { serial: 'CAM01', profileId: 'generic-dcim', officerBadge: 'J0123' },
      'C0001',
      AT,
    ),
  );
  catalogue.write((tx) =>
    tx.dockings.start(
      {
        recorderSerial: 'CAM01',
        officerBadge: 'J0123',
        identifiedBy: 'assigned',
        mountpoint: '/m',
      },
      AT,
    ),
  );
  labels = catalogue.labels;
  cases = catalogue.cases;
});
afterEach(() => db.close());

describe('labels', () => {
  it('a label is saved, read back, replaced, and marks whether the clip counts as labelled', () => {
    const id = addClip(1);
    catalogue.write((tx) => tx.labels.save(id, label(), true, 'J0123', AT));
    expect(labels.get(id)).toMatchObject({
      clipId: id,
      matter: '节前农贸市场巡查',
      parties: ['张三'],
      confidentiality: 'none',
      updatedBy: 'J0123',
    });
    expect(db.prepare('SELECT labelled FROM clips WHERE id = ?').get(id)).toEqual({ labelled: 1 });
    catalogue.write((tx) =>
      tx.labels.save(id, label({ matter: null, place: null }), false, 'C0001', AT),
    );
    expect(labels.get(id)?.updatedBy).toBe('C0001');
    expect(db.prepare('SELECT labelled FROM clips WHERE id = ?').get(id)).toEqual({ labelled: 0 });
  });

  it('full text finds any three characters of matter, place, notes or parties, as labels change', () => {
    const a = addClip(1);
    const b = addClip(2);
    catalogue.write((tx) => tx.labels.save(a, label(), true, 'J0123', AT));
    catalogue.write((tx) =>
      tx.labels.save(
        b,
        label({ matter: '夜间噪声投诉', place: '某小区', notes: null, parties: ['王五'] }),
        true,
        'J0123',
        AT,
      ),
    );
    const search = (text: string) =>
      db
        .prepare<[string], { rowid: number }>(
          'SELECT rowid FROM clip_label_text WHERE clip_label_text MATCH ? ORDER BY rowid',
        )
        .all(`"${text}"`)
        .map((r) => r.rowid);
    expect(search('农贸市')).toEqual([a]);
    expect(search('无证经营')).toEqual([a]);
    expect(search('噪声投')).toEqual([b]);
    catalogue.write((tx) => tx.labels.save(a, label({ notes: '已处罚' }), true, 'J0123', AT));
    expect(search('无证经营')).toEqual([]);
    // A rebuild from the index's content indexes what the triggers do: each field with the
    // separator after it, so a field's last two characters still begin a trigram.
    const fieldEnd = () =>
      db
        .prepare('SELECT rowid FROM clip_label_text WHERE clip_label_text MATCH ?')
        .pluck()
        .all('"市场\u001f"');
    expect(fieldEnd()).toContain(a);
    db.exec("INSERT INTO clip_label_text (clip_label_text) VALUES ('rebuild')");
    expect(fieldEnd()).toContain(a);
    expect(search('已处罚')).toEqual([a]);
  });

  it('D-24H exceptions and deferrals are kept', () => {
    const id = addClip(1);
    catalogue.write((tx) =>
      tx.labels.saveCustodyException({
        clipId: id,
        kind: 'off-site',
        returnedAt: '2026-11-21T06:00:00.000Z',
        note: '异地执法',
        stillLate: false,
        recordedBy: 'J0123',
        recordedAt: AT,
      }),
    );
    expect(labels.custodyException(id)).toMatchObject({
      kind: 'off-site',
      note: '异地执法',
      stillLate: false,
    });
    catalogue.write((tx) => tx.labels.setLateCustody(id, true));
    expect(db.prepare('SELECT late_custody FROM clips WHERE id = ?').get(id)).toEqual({
      late_custody: 1,
    });
    expect(
      catalogue.write((tx) =>
        tx.labels.addDeferral(
          { officerBadge: 'J0123', dockingId: 1, clips: 3, reason: '夜班结束，明日补录' },
          AT,
        ),
      ),
    ).toBe(1);
  });
});

describe('cases', () => {
  it('are created, closed with their archive-by date, approved late and archived', () => {
    const kase = catalogue.write((tx) =>
      tx.cases.create(
        {
          number: '金普民宗罚〔2026〕12号',
          kind: 'penalty',
          title: '某宗教场所违规经营案',
          openedAt: AT,
          handlingOfficer: 'J0123',
          emergency: true,
        },
        'J0123',
        AT,
      ),
    );
    expect(kase).toMatchObject({ status: 'open', emergency: true, approvedAt: null });
    catalogue.write((tx) => tx.cases.approve(kase.number, '2026-11-21T20:00:00.000Z'));
    catalogue.write((tx) =>
      tx.cases.close(kase.number, '2026-11-30T00:00:00.000Z', '2026-12-30T00:00:00.000Z'),
    );
    expect(cases.get(' 金普民宗罚〔2026〕12号 ')).toMatchObject({
      status: 'closed',
      approvedAt: '2026-11-21T20:00:00.000Z',
      archiveBy: '2026-12-30T00:00:00.000Z',
    });
    catalogue.write((tx) => tx.cases.markArchived(kase.number, '2026-12-10T00:00:00.000Z'));
    expect(cases.get(kase.number)?.status).toBe('archived');
  });

  it('keep their procedural acts with linked clips or a reason (D-AV-REQUIRED)', () => {
    catalogue.write((tx) =>
      tx.cases.create(
        {
          number: 'X〔2026〕1号',
          kind: 'coercion',
          title: 't',
          openedAt: AT,
          handlingOfficer: null,
          emergency: false,
        },
        'C0001',
        AT,
      ),
    );
    const clip = addClip(1);
    const seizure = catalogue.write((tx) => tx.cases.addAct('X〔2026〕1号', 'seizure'));
    expect(catalogue.write((tx) => tx.cases.addAct('X〔2026〕1号', 'seizure'))).toBe(seizure);
    catalogue.write((tx) => tx.cases.linkClip(seizure, clip));
    const hearing = catalogue.write((tx) => tx.cases.addAct('X〔2026〕1号', 'hearing'));
    catalogue.write((tx) =>
      tx.cases.setNotRecorded(hearing, { reason: 'secret-or-privacy', text: '涉及个人隐私' }),
    );
    expect(cases.acts('X〔2026〕1号')).toEqual([
      {
        id: seizure,
        caseNumber: 'X〔2026〕1号',
        act: 'seizure',
        clipIds: [clip],
        notRecorded: null,
      },
      {
        id: hearing,
        caseNumber: 'X〔2026〕1号',
        act: 'hearing',
        clipIds: [],
        notRecorded: { reason: 'secret-or-privacy', text: '涉及个人隐私' },
      },
    ]);
  });
});

describe('query plans the clips browser relies on', () => {
  const plan = (sql: string, ...params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');

  it("an officer's unlabelled clips, oldest first: one index range, no sort", () => {
    const detail = plan(
      'SELECT id FROM clips WHERE officer_badge = ? AND labelled = 0 ORDER BY recorded_start LIMIT 50',
      'J0123',
    );
    expect(detail).toMatch(/USING (COVERING )?INDEX clips_by_officer_label/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it("a case's clips come from the label index", () => {
    expect(plan('SELECT clip_id FROM clip_labels WHERE case_number = ?', 'X')).toMatch(
      /USING (COVERING )?INDEX clip_labels_by_case/,
    );
  });

  it("a recorder's clips in a time range use the recorder-time index", () => {
    expect(
      plan(
        'SELECT id FROM clips WHERE recorder_serial = ? AND recorded_start BETWEEN ? AND ? ORDER BY recorded_start',
        'CAM01',
        AT,
        AT,
      ),
    ).toMatch(/USING (COVERING )?INDEX clips_by_recorder_time/);
  });

  it('full text is the FTS index', () => {
    expect(
      plan('SELECT rowid FROM clip_label_text WHERE clip_label_text MATCH ?', '"农贸市"'),
    ).toMatch(/VIRTUAL TABLE INDEX/);
  });
});
