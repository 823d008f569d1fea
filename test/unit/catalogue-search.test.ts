// The clips browser's search (ClipSearch) on a real migrated catalogue file: each filter narrows
// the result, paging and sorting, full text in Chinese (trigram, and the short-word fallback),
// D-RETAIN due dates that agree with the domain, D-CONFIDENTIAL, and the query plans that keep
// a search of a million clips an index range.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipSearch } from '../../src-main/catalogue/clip-search';
import { type ClipSearchFilters, type RetentionParams } from '../../src-main/catalogue/clip-search';
import { type NewClip } from '../../src-main/catalogue/clips';
import {
  CENTRAL_TARGETS_SQL,
  COMPLIANCE_CLIPS_SQL,
  LATE_CENTRAL_SQL,
} from '../../src-main/catalogue/compliance';
import { type LabelInput } from '../../src-main/catalogue/labels';
import type { EnforcementKind } from '../../src-main/contract';
import { isRetentionDue, retentionOf } from '../../src-main/domain';
import { seedUser } from '../support/core-station';

const AT = '2026-03-01T08:00:00.000Z';
const RETENTION: RetentionParams = { now: AT, dailyYears: 2, caseFileYears: 30 };

let dir: string;
let catalogue: Catalogue;
let db: Database.Database;
let cases: Catalogue['cases'];
let search: ClipSearch;
let serial = 0;

function addClip(
  over: Partial<NewClip> & { officerBadge: string; recorderSerial: string },
): number {
  serial += 1;
  const n = serial;
  return catalogue.write((tx) =>
    tx.clips.insertVerified({
      dockingId: 1,
      originalPath: `DCIM/C${n}.MP4`,
      originalSize: 100 + n,
      originalMtime: AT,
      kind: 'video',
      sha256: n.toString(16).padStart(64, '0'),
      sm3: null,
      archivePath: `archive/C${n}.MP4`,
      sequence: n,
      recordedStart: `2026-01-01T00:00:00.000Z`,
      recordedStartSource: 'container',
      recordedEnd: null,
      recordedEndSource: null,
      durationMs: 60_000,
      width: 1920,
      height: 1080,
      codec: 'h264',
      custodyAt: '2026-02-01T00:00:00.000Z',
      clockOffsetMs: null,
      clockOffsetSource: null,
      ...over,
    }),
  ).id;
}

function label(clipId: number, over: Partial<LabelInput> = {}, labelled = true): void {
  catalogue.write((tx) =>
    tx.labels.save(
      clipId,
      {
        caseNumber: null,
        matter: '日常巡查',
        kind: 'inspection',
        stage: 'investigation',
        place: '某街道',
        parties: [],
        partyIds: [],
        officersPresent: [],
        confidentiality: 'none',
        notes: null,
        longTerm: null,
        ...over,
      },
      labelled,
      'J0123',
      AT,
    ),
  );
}

function newCase(number: string, kind: EnforcementKind, closedAt: string | null = null): void {
  catalogue.write((tx) =>
    tx.cases.create(
      {
        number,
        kind,
        title: `案件 ${number}`,
        openedAt: '2020-01-01T00:00:00.000Z',
        handlingOfficer: null,
        emergency: false,
      },
      'C0001',
      AT,
    ),
  );
  if (closedAt !== null) catalogue.write((tx) => tx.cases.close(number, closedAt, closedAt));
}

const base: ClipSearchFilters = { sort: 'recorded', order: 'asc', limit: 100, offset: 0 };
const find = (over: Partial<ClipSearchFilters>, retention = RETENTION) =>
  search.search({ ...base, ...over }, retention);
const ids = (over: Partial<ClipSearchFilters>, retention = RETENTION) =>
  find(over, retention).clipIds;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evidock-search-'));
  catalogue = Catalogue.open(join(dir, 'catalogue.sqlite')).catalogue;
  db = catalogue.db;
  serial = 0;
  seedUser(catalogue, { badge: 'J0123', name: '李明', role: 'officer', password: 'password1' });
  seedUser(catalogue, { badge: 'J0456', name: '王强', role: 'officer', password: 'password1' });
  catalogue.write((tx) =>
    tx.recorders.register(
      { serial: 'CAM01', profileId: 'generic-dcim', officerBadge: 'J0123' },
      'C0001',
      AT,
    ),
  );
  catalogue.write((tx) =>
    tx.recorders.register(
      { serial: 'CAM02', profileId: 'generic-dcim', officerBadge: 'J0456' },
      'C0001',
      AT,
    ),
  );
  const d = { identifiedBy: 'assigned' as const, mountpoint: '/m' };
  catalogue.write((tx) =>
    tx.dockings.start({ ...d, recorderSerial: 'CAM01', officerBadge: 'J0123' }, AT),
  );
  catalogue.write((tx) =>
    tx.dockings.start({ ...d, recorderSerial: 'CAM02', officerBadge: 'J0456' }, AT),
  );
  cases = catalogue.cases;
  search = catalogue.search;
});

afterEach(() => {
  catalogue.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ClipSearch filters', () => {
  // Eight clips with one property each that sets them apart.
  let c: Record<string, number>;
  beforeEach(() => {
    newCase('金普民宗罚〔2026〕12号', 'penalty');
    newCase('金普民宗检〔2026〕3号', 'inspection');
    const mine = { officerBadge: 'J0123', recorderSerial: 'CAM01', dockingId: 1 };
    const theirs = { officerBadge: 'J0456', recorderSerial: 'CAM02', dockingId: 2 };
    c = {
      evidence: addClip({ ...mine, recordedStart: '2026-01-05T08:00:00.000Z' }),
      unlabelled: addClip({ ...mine, recordedStart: '2026-01-05T09:00:00.000Z' }),
      excused: addClip({ ...mine, recordedStart: '2026-01-06T08:00:00.000Z' }),
      untimed: addClip({ ...mine, recordedStart: null, custodyAt: '2026-01-07T00:00:00.000Z' }),
      other: addClip({ ...theirs, recordedStart: '2026-01-05T10:00:00.000Z' }),
      // ingested with the badge in lower case: the officer filter still finds it
      lower: addClip({
        ...theirs,
        officerBadge: 'j0456',
        recordedStart: '2026-01-08T10:00:00.000Z',
      }),
      stillLate: addClip({ ...theirs, recordedStart: '2026-01-09T10:00:00.000Z' }),
      late: addClip({ ...mine, recordedStart: '2026-01-10T10:00:00.000Z' }),
    };
    label(c.evidence!, {
      caseNumber: '金普民宗罚〔2026〕12号',
      kind: 'penalty',
      stage: 'investigation',
      matter: null,
      place: '金普新区某农贸市场',
      parties: ['张三'],
      notes: '商户无证经营，已责令整改',
    });
    label(c.excused!, {
      matter: '夜间噪声投诉',
      place: '某小区',
      stage: 'execution',
      confidentiality: 'privacy',
    });
    label(c.other!, { caseNumber: '金普民宗检〔2026〕3号', kind: 'inspection', place: '某工地' });
    label(c.lower!, { matter: '占道经营', place: '解放路18号' });
    label(c.stillLate!, { matter: '占道经营', place: '解放路20号' }, false);
    label(c.late!, { matter: '日常巡查', place: '某街道', confidentiality: 'state' });
    for (const id of [c.unlabelled!, c.excused!, c.stillLate!, c.late!])
      catalogue.write((tx) => tx.labels.setLateCustody(id, true));
    const exception = {
      kind: 'off-site' as const,
      returnedAt: AT,
      note: null,
      recordedBy: 'J0123',
      recordedAt: AT,
    };
    catalogue.write((tx) =>
      tx.labels.saveCustodyException({ ...exception, clipId: c.excused!, stillLate: false }),
    );
    catalogue.write((tx) =>
      tx.labels.saveCustodyException({ ...exception, clipId: c.stillLate!, stillLate: true }),
    );
    catalogue.write((tx) =>
      tx.dockings.addFinding(1, { code: 'timeline-gap', message: 'gap', clipId: c.untimed! }, AT),
    );
  });

  it('with no filter: every clip, by recording time, the one without a time last', () => {
    expect(find({})).toEqual({
      total: 8,
      clipIds: [
        c.evidence,
        c.unlabelled,
        c.other,
        c.excused,
        c.lower,
        c.stillLate,
        c.late,
        c.untimed,
      ],
    });
    expect(ids({ order: 'desc' })).toEqual([
      c.late,
      c.stillLate,
      c.lower,
      c.excused,
      c.other,
      c.unlabelled,
      c.evidence,
      c.untimed,
    ]);
  });

  it('officer, case-insensitively and whatever case the clip was ingested with', () => {
    expect(ids({ officerBadge: 'J0123' })).toEqual([
      c.evidence,
      c.unlabelled,
      c.excused,
      c.late,
      c.untimed,
    ]);
    expect(ids({ officerBadge: 'j0456' })).toEqual([c.other, c.lower, c.stillLate]);
    expect(ids({ officerBadge: 'J0456' })).toEqual([c.other, c.lower, c.stillLate]);
    expect(ids({ officerBadge: 'J9999' })).toEqual([]);
  });

  it('recorder and docking', () => {
    expect(ids({ recorderSerial: 'cam02' })).toEqual([c.other, c.lower, c.stillLate]);
    expect(ids({ dockingId: 1 })).toEqual([c.evidence, c.unlabelled, c.excused, c.late, c.untimed]);
    expect(ids({ dockingId: 2, recorderSerial: 'CAM01' })).toEqual([]);
  });

  it('period [from, to): recording time, or custody time for a clip without one', () => {
    expect(ids({ from: '2026-01-05T09:00:00.000Z', to: '2026-01-08T10:00:00.000Z' })).toEqual([
      c.unlabelled,
      c.other,
      c.excused,
      c.untimed,
    ]);
    expect(ids({ from: '2026-01-08T10:00:00.000Z' })).toEqual([c.lower, c.stillLate, c.late]);
    expect(ids({ to: '2026-01-05T09:00:00.000Z', sort: 'custody' })).toEqual([c.evidence]);
    expect(
      ids({ from: '2026-01-07T00:00:00.000Z', to: '2026-01-07T00:00:01.000Z', sort: 'custody' }),
    ).toEqual([c.untimed]);
    // an instant with an offset is the same instant
    expect(ids({ from: '2026-01-08T18:00:00+08:00' })).toEqual([c.lower, c.stillLate, c.late]);
  });

  it('case number (trimmed), kind, stage and place from the label', () => {
    expect(ids({ caseNumber: ' 金普民宗罚〔2026〕12号 ' })).toEqual([c.evidence]);
    expect(ids({ caseNumber: '金普民宗罚〔2026〕1号' })).toEqual([]);
    expect(ids({ kind: 'inspection' })).toEqual([c.other, c.excused, c.lower, c.stillLate, c.late]);
    expect(ids({ kind: 'penalty' })).toEqual([c.evidence]);
    expect(ids({ stage: 'execution' })).toEqual([c.excused]);
    expect(ids({ place: '解放路' })).toEqual([c.lower, c.stillLate]);
    expect(ids({ place: '解放路2' })).toEqual([c.stillLate]);
    // LIKE's own characters are text
    expect(ids({ place: '%' })).toEqual([]);
  });

  it('labelled, late custody (an exception that clears it counts; one that does not, not)', () => {
    expect(ids({ labelled: true })).toEqual([c.evidence, c.other, c.excused, c.lower, c.late]);
    expect(ids({ labelled: false })).toEqual([c.unlabelled, c.stillLate, c.untimed]);
    expect(ids({ lateCustody: true })).toEqual([c.unlabelled, c.stillLate, c.late]);
    expect(ids({ lateCustody: false })).toEqual([
      c.evidence,
      c.other,
      c.excused,
      c.lower,
      c.untimed,
    ]);
  });

  it('findings', () => {
    expect(ids({ hasFindings: true })).toEqual([c.untimed]);
    expect(find({ hasFindings: false }).total).toBe(7);
  });

  it('full text in Chinese: three characters or more through the index, shorter by LIKE', () => {
    expect(ids({ text: '无证经营' })).toEqual([c.evidence]);
    expect(ids({ text: '农贸市场' })).toEqual([c.evidence]);
    expect(ids({ text: '占道经营' })).toEqual([c.lower, c.stillLate]);
    expect(ids({ text: '噪声投诉' })).toEqual([c.excused]);
    // parties, and a word too short for a trigram
    expect(ids({ text: '张三' })).toEqual([c.evidence]);
    expect(ids({ text: '经营' })).toEqual([c.evidence, c.lower, c.stillLate]);
    // words are ANDed, long and short together
    expect(ids({ text: '占道经营 18' })).toEqual([c.lower]);
    expect(ids({ text: '无证经营 李四' })).toEqual([]);
    // query syntax is text
    expect(ids({ text: '"无证 OR' })).toEqual([]);
    // counted and paged in one statement; a page past the end still has the total
    expect(find({ text: '占道经营', offset: 1, limit: 1 })).toEqual({
      total: 2,
      clipIds: [c.stillLate],
    });
    expect(find({ text: '占道经营', offset: 5 })).toEqual({ total: 2, clipIds: [] });
    // sorted as every search is: no recording time last, or by custody
    label(c.untimed!, { matter: '占道经营' }, false);
    expect(ids({ text: '占道经营' })).toEqual([c.lower, c.stillLate, c.untimed]);
    expect(ids({ text: '占道经营', order: 'desc' })).toEqual([c.stillLate, c.lower, c.untimed]);
    expect(ids({ text: '占道经营', sort: 'custody' })).toEqual([c.untimed, c.lower, c.stillLate]);
    expect(ids({ text: '经营', from: '2026-01-07T00:00:00.000Z' })).toEqual([
      c.lower,
      c.stillLate,
      c.untimed,
    ]);
  });

  it('a word in thousands of labels: the same pages and totals, walked off the time index', () => {
    // Past 5,000 matches the page comes from walking the time index and probing the matches.
    catalogue.write(() => {
      for (let i = 0; i < 5200; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        const id = addClip({
          officerBadge: i % 2 === 0 ? 'J0123' : 'J0456',
          recorderSerial: 'CAM01',
          recordedStart:
            i % 1000 === 0 ? null : `2025-12-${day}T${String(i % 24).padStart(2, '0')}:00:00.000Z`,
          custodyAt: `2026-02-${day}T00:00:00.000Z`,
        });
        label(id, { matter: '夜市占道经营整治' });
      }
    });
    const everyMatch = db
      .prepare(
        `SELECT c.id, c.recorded_start AS t, c.custody_at AS k, c.officer_badge AS b FROM clips c
         JOIN clip_labels l ON l.clip_id = c.id WHERE l.matter LIKE '%占道经营%'`,
      )
      .all() as { id: number; t: string | null; k: string; b: string }[];
    const byTime = (dir: 1 | -1) =>
      [...everyMatch].sort((a, b) =>
        a.t === null || b.t === null
          ? a.t === b.t
            ? dir * (a.id - b.id)
            : a.t === null
              ? 1
              : -1
          : a.t === b.t
            ? dir * (a.id - b.id)
            : dir * (a.t < b.t ? -1 : 1),
      );
    const desc = byTime(-1).map((r) => r.id);
    expect(find({ text: '占道经营', order: 'desc', limit: 50 })).toEqual({
      total: everyMatch.length,
      clipIds: desc.slice(0, 50),
    });
    const asc = byTime(1).map((r) => r.id);
    expect(find({ text: '占道经营', order: 'asc', limit: 40, offset: 5190 })).toEqual({
      total: everyMatch.length,
      clipIds: asc.slice(5190, 5230),
    });
    const mine = everyMatch.filter((r) => r.b === 'J0123').length;
    expect(find({ text: '占道经营', officerBadge: 'J0123', limit: 1 }).total).toBe(mine);
    const custody = [...everyMatch]
      .sort((a, b) => (a.k === b.k ? a.id - b.id : a.k < b.k ? -1 : 1))
      .map((r) => r.id);
    expect(find({ text: '占道经营', sort: 'custody', limit: 30, offset: 100 })).toEqual({
      total: everyMatch.length,
      clipIds: custody.slice(100, 130),
    });
    // Filters on the label are counted over the labels; on the clip, over the clips.
    const secret = everyMatch.slice(0, 7).map((r) => r.id);
    for (const id of secret) label(id, { matter: '夜市占道经营整治', confidentiality: 'privacy' });
    const open = find({ text: '占道经营', onlyUnconfidential: true, limit: 10 });
    expect(open.total).toBe(everyMatch.length - secret.length);
    expect(open.clipIds.some((id) => secret.includes(id))).toBe(false);
    label(secret[0]!, { matter: '夜市占道经营整治', kind: 'penalty' }, false);
    expect(find({ text: '占道经营', kind: 'penalty' })).toMatchObject({
      total: 1,
      clipIds: [secret[0]],
    });
    expect(find({ text: '占道经营', labelled: false }).total).toBe(1);
    const plan = search.plan({ ...base, text: '占道经营', order: 'desc' }, RETENTION, true);
    const page = plan.statements.find((st) => st.role === 'page-timed')!;
    const detail = (
      db
        .prepare(`EXPLAIN QUERY PLAN ${page.sql}`)
        .all({ ...page.params, limit: 50, offset: 0 }) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(detail).toMatch(/USING (COVERING )?INDEX clips_by_recorded/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it('a two-character word is found through the index wherever it stands; one character by LIKE', () => {
    const a = addClip({ officerBadge: 'J0123', recorderSerial: 'CAM01' });
    const b = addClip({ officerBadge: 'J0123', recorderSerial: 'CAM01' });
    const d = addClip({ officerBadge: 'J0123', recorderSerial: 'CAM01' });
    label(a, { matter: '夜间巡查', place: '东门', parties: ['王芳'], notes: '车牌含AB字样' });
    label(b, { matter: '噪声扰民投诉王芳', place: '西区', parties: [] });
    label(d, { matter: '芳草地巡查', place: '某街道', parties: [] });
    // a whole field of two characters, a name at the end of a field, in the parties, in the middle
    expect(ids({ text: '东门' })).toEqual([a]);
    expect(ids({ text: '王芳' })).toEqual([a, b]);
    expect(ids({ text: '巡查' })).toEqual(expect.arrayContaining([a, d]));
    expect(ids({ text: 'ab' })).toEqual([a]);
    expect(ids({ text: '芳草 巡查' })).toEqual([d]);
    expect(ids({ text: '北门' })).toEqual([]);
    // one character: LIKE
    expect(ids({ text: '芳' })).toEqual(expect.arrayContaining([a, b, d]));
    const plan = search.plan({ ...base, text: '王芳' }, RETENTION);
    expect(plan.statements[0]!.sql).toContain('MATCH @fts');
    expect(plan.statements[0]!.sql).not.toContain('LIKE');
  });

  it('D-CONFIDENTIAL: a supervisor sees clips without a label or labelled none', () => {
    expect(ids({ onlyUnconfidential: true })).toEqual([
      c.evidence,
      c.unlabelled,
      c.other,
      c.lower,
      c.stillLate,
      c.untimed,
    ]);
  });

  it('filters combine with AND', () => {
    expect(ids({ officerBadge: 'J0123', labelled: false, lateCustody: true })).toEqual([
      c.unlabelled,
    ]);
    expect(
      ids({ officerBadge: 'J0456', text: '占道经营', labelled: true, onlyUnconfidential: true }),
    ).toEqual([c.lower]);
  });

  it('pages: total, limit and offset across the clips with and without a time', () => {
    const all = ids({});
    for (const order of ['asc', 'desc'] as const) {
      const every = ids({ order });
      const pages: number[] = [];
      for (let offset = 0; offset < 8; offset += 3) {
        const page = find({ order, limit: 3, offset });
        expect(page.total).toBe(8);
        pages.push(...page.clipIds);
      }
      expect(pages).toEqual(every);
    }
    expect(find({ offset: 7, limit: 5 })).toEqual({ total: 8, clipIds: [all[7]] });
    expect(find({ offset: 20 })).toEqual({ total: 8, clipIds: [] });
  });

  it('sorts by custody time, ties broken by id', () => {
    expect(ids({ sort: 'custody', order: 'asc' })).toEqual([
      c.untimed,
      c.evidence,
      c.unlabelled,
      c.excused,
      c.other,
      c.lower,
      c.stillLate,
      c.late,
    ]);
    expect(ids({ sort: 'custody', order: 'desc' })).toEqual([
      c.late,
      c.stillLate,
      c.lower,
      c.other,
      c.excused,
      c.unlabelled,
      c.evidence,
      c.untimed,
    ]);
  });
});

describe('ClipSearch retention (D-RETAIN, D-LONGTERM) agrees with the domain', () => {
  it('for daily, evidence, long-term, open-case and leap-day clips', () => {
    newCase('P〔2020〕1号', 'penalty', '2021-01-10T00:00:00.000Z');
    newCase('P〔2020〕2号', 'coercion', '2025-06-01T00:00:00.000Z');
    newCase('P〔2020〕3号', 'penalty');
    newCase('L〔2020〕4号', 'licensing', '2021-01-10T00:00:00.000Z');
    const mine = { officerBadge: 'J0123', recorderSerial: 'CAM01' };
    const setups: { start: string | null; label?: Partial<LabelInput> }[] = [
      { start: '2023-03-01T07:59:59.999Z' },
      { start: '2024-02-29T08:00:00.000Z' },
      { start: '2024-02-29T07:00:00.000Z' },
      { start: '2024-02-28T08:00:00.000Z' },
      { start: '2025-01-01T00:00:00.000Z' },
      { start: null },
      { start: '2019-05-01T00:00:00.000Z', label: { longTerm: { reason: 'dispute', text: null } } },
      { start: '2019-05-01T00:00:00.000Z', label: { caseNumber: 'P〔2020〕1号' } },
      { start: '2019-05-01T00:00:00.000Z', label: { caseNumber: 'P〔2020〕2号' } },
      { start: '2019-05-01T00:00:00.000Z', label: { caseNumber: 'P〔2020〕3号' } },
      { start: '2019-05-01T00:00:00.000Z', label: { caseNumber: 'L〔2020〕4号' } },
      { start: '2025-05-01T00:00:00.000Z', label: { caseNumber: 'L〔2020〕4号' } },
      { start: null, label: { caseNumber: 'P〔2020〕1号' } },
      { start: '2019-05-01T00:00:00.000Z', label: { matter: '日常' } },
    ];
    const made = setups.map((s) => {
      const id = addClip({ ...mine, recordedStart: s.start });
      if (s.label) label(id, s.label);
      return { id, ...s };
    });
    for (const retention of [
      RETENTION,
      { now: '2026-02-28T08:00:00.000Z', dailyYears: 2, caseFileYears: 5 },
      { now: '2027-01-10T00:00:00.000Z', dailyYears: 3, caseFileYears: 1 },
    ]) {
      const expected = made
        .filter((m) => {
          const caseNumber = m.label?.caseNumber ?? null;
          const kase = caseNumber === null ? null : cases.get(caseNumber)!;
          const r = retentionOf(
            { recordedAt: m.start, caseNumber, longTerm: m.label?.longTerm?.reason ?? null },
            kase && { closedAt: kase.closedAt, kind: kase.kind },
            retention,
          );
          return isRetentionDue(r, retention.now);
        })
        .map((m) => m.id);
      const due = ids({ retentionDue: true, sort: 'custody' }, retention);
      expect(due).toEqual(expected);
      expect(ids({ retentionDue: false, sort: 'custody' }, retention)).toEqual(
        made.map((m) => m.id).filter((id) => !expected.includes(id)),
      );
    }
    // The leap day: due on 1 March two years on, at the same time of day.
    const leap = made[1]!.id;
    expect(
      ids({ retentionDue: true }, { ...RETENTION, now: '2026-03-01T07:59:59.999Z' }),
    ).not.toContain(leap);
    expect(
      ids({ retentionDue: true }, { ...RETENTION, now: '2026-03-01T08:00:00.000Z' }),
    ).toContain(leap);
  });
});

describe('query plans of the search and the report', () => {
  const plan = (filters: Partial<ClipSearchFilters>, role: string) => {
    const statement = search
      .plan({ ...base, ...filters }, RETENTION)
      .statements.find((s) => s.role === role)!;
    return (
      db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all({
        ...statement.params,
        ...(role.startsWith('page') ? { limit: 50, offset: 0 } : {}),
      }) as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' | ');
  };
  beforeEach(() => {
    addClip({ officerBadge: 'J0123', recorderSerial: 'CAM01' });
  });

  it("an officer's unlabelled clips, oldest first: one range of clips_by_officer_label, no sort", () => {
    const filters = { officerBadge: 'J0123', labelled: false, order: 'asc' as const };
    for (const role of ['page-timed', 'count-timed', 'count-untimed']) {
      expect(plan(filters, role)).toMatch(
        /SEARCH c USING (COVERING )?INDEX clips_by_officer_label/,
      );
    }
    expect(plan(filters, 'page-timed')).not.toMatch(/TEMP B-TREE/);
  });

  it("a case's clips come from clip_labels_by_case", () => {
    expect(plan({ caseNumber: 'X〔2026〕1号' }, 'page-timed')).toMatch(
      /SEARCH l USING (COVERING )?INDEX clip_labels_by_case/,
    );
  });

  it("a recorder's month is a range of clips_by_recorder_time, in order", () => {
    const month = {
      recorderSerial: 'CAM01',
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    };
    expect(plan(month, 'page-timed')).toMatch(
      /SEARCH c USING (COVERING )?INDEX clips_by_recorder_time \(recorder_serial=\? AND recorded_start>\? AND recorded_start<\?\)/,
    );
    expect(plan({ ...month, order: 'desc' }, 'page-timed')).not.toMatch(/TEMP B-TREE/);
  });

  it('full text is the FTS index', () => {
    expect(plan({ text: '无证经营' }, 'page-counted')).toMatch(/VIRTUAL TABLE INDEX/);
  });

  it('the whole unit by time, newest first, is clips_by_recorded without a sort', () => {
    const detail = plan({ order: 'desc' }, 'page-timed');
    expect(detail).toMatch(/USING (COVERING )?INDEX clips_by_recorded/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it('findings are probed through docking_findings_by_clip', () => {
    expect(plan({ officerBadge: 'J0123', hasFindings: true }, 'page-timed')).toMatch(
      /USING (COVERING )?INDEX docking_findings_by_clip/,
    );
  });

  it("the report's main query reads the period's range of clips, never a scan of them", () => {
    const detail = (
      db.prepare(`EXPLAIN QUERY PLAN ${COMPLIANCE_CLIPS_SQL}`).all({
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-02-01T00:00:00.000Z',
        day1: AT,
        day7: AT,
        day30: AT,
      }) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(detail).toMatch(
      /SEARCH clips USING (COVERING )?INDEX clips_by_recorded \(recorded_start>\? AND recorded_start<\?\)/,
    );
    expect(detail).not.toMatch(/SCAN clips/);
  });

  it("the report's D-24H central-storage count reads the period's custody range and each clip's own outbox rows", () => {
    const explain = () =>
      (
        db.prepare(`EXPLAIN QUERY PLAN ${LATE_CENTRAL_SQL}`).all({
          from: '2026-01-01T00:00:00.000Z',
          until: '2026-02-01T00:00:00.000Z',
        }) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join(' | ');
    const expectClipByClip = (detail: string) => {
      expect(detail).toMatch(
        /SEARCH c USING (COVERING )?INDEX clips_by_custody \(custody_at>\? AND custody_at<\?\)/,
      );
      expect(detail).toMatch(
        /SEARCH o USING (COVERING )?INDEX forward_outbox_by_clip \(clip_id=\?\)/,
      );
      expect(detail).toMatch(/SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      // Never a scan of the clips, of the outbox (per clip), or of the targets per outbox row.
      expect(detail).not.toMatch(/SCAN (c|o|t|clips|forward_outbox|forward_targets)\b/);
    };
    expectClipByClip(explain());

    // With statistics that make the outbox look like a few targets of many rows each, the plan
    // stays the same: the outbox is still read clip by clip, never by target.
    for (let i = 0; i < 40; i++) addClip({ officerBadge: 'J0123', recorderSerial: 'CAM01' });
    db.exec(`
      INSERT INTO forward_targets (name, kind, folder_path, prefix, part_size, schedule, added_by, added_at)
      VALUES ('a', 'folder', '/a', '', 5242880, '{}', 'C0001', '${AT}'),
             ('b', 'folder', '/b', '', 5242880, '{}', 'C0001', '${AT}');
      INSERT INTO forward_outbox (target_id, clip_id, custody_at, size, state, object_key,
        queued_at, verified_at)
      SELECT t.id, c.id, c.custody_at, c.original_size, 'verified', c.archive_path, '${AT}', '${AT}'
      FROM forward_targets t, clips c;
      ANALYZE;`);
    expectClipByClip(explain());

    // The targets of the period: a handful of rows, read whole.
    const targets = (
      db.prepare(`EXPLAIN QUERY PLAN ${CENTRAL_TARGETS_SQL}`).all({
        from: AT,
        centralUntil: AT,
      }) as { detail: string }[]
    ).map((r) => r.detail);
    expect(targets).toEqual(['SCAN forward_targets']);
  });
});
