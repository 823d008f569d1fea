// The compliance report's figures (D-SUPERVISION) on a small hand-made catalogue file whose
// every figure is known: per officer and for the unit, late custody with and without an accepted
// exception (D-24H), unlabelled footage by age (D-LABEL), deferrals, continuity findings
// (D-CONTINUOUS), a case missing footage (D-AV-REQUIRED) and cases past archive-by (D-ARCHIVE).
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewClip } from '../../src-main/catalogue/clips';
import type { ComplianceQuery } from '../../src-main/catalogue/compliance';
import { complianceReportSchema, type EnforcementKind } from '../../src-main/contract';
import { seedUser } from '../support/core-station';

const AT = '2026-02-10T08:00:00.000Z';
const QUERY: ComplianceQuery = {
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-02-01T00:00:00.000Z',
  asOf: '2026-02-01T00:00:00.000Z',
  now: AT,
  archiveDays: 30,
};

let dir: string;
let catalogue: Catalogue;
let db: Database.Database;
let n = 0;

function addClip(
  officerBadge: string | null,
  recorderSerial: string,
  dockingId: number,
  recordedStart: string | null,
  minutes: number | null,
  custodyAt = '2026-01-20T12:00:00.000Z',
): number {
  n += 1;
  const clip: NewClip = {
    recorderSerial,
    dockingId,
    originalPath: `DCIM/C${n}.MP4`,
    originalSize: 100 + n,
    originalMtime: AT,
    kind: 'video',
    sha256: n.toString(16).padStart(64, '0'),
    sm3: null,
    archivePath: `archive/C${n}.MP4`,
    officerBadge,
    sequence: n,
    recordedStart,
    recordedStartSource: recordedStart === null ? null : 'container',
    recordedEnd: null,
    recordedEndSource: null,
    durationMs: minutes === null ? null : minutes * 60_000,
    width: 1920,
    height: 1080,
    codec: 'h264',
    custodyAt,
    clockOffsetMs: null,
    clockOffsetSource: null,
  };
  return catalogue.write((tx) => tx.clips.insertVerified(clip)).id;
}

function file(clipId: number): void {
  catalogue.write((tx) =>
    tx.labels.save(
      clipId,
      {
        caseNumber: null,
        matter: '日常巡查',
        kind: 'inspection',
        stage: null,
        place: null,
        parties: [],
        partyIds: [],
        officersPresent: [],
        confidentiality: 'none',
        notes: null,
        longTerm: null,
      },
      true,
      'J0123',
      AT,
    ),
  );
}

function late(clipId: number, exception?: { stillLate: boolean }): void {
  catalogue.write((tx) => tx.labels.setLateCustody(clipId, true));
  if (exception) {
    catalogue.write((tx) =>
      tx.labels.saveCustodyException({
        clipId,
        kind: 'continuous-duty',
        returnedAt: '2026-01-20T00:00:00.000Z',
        note: null,
        stillLate: exception.stillLate,
        recordedBy: 'J0123',
        recordedAt: AT,
      }),
    );
  }
}

function newCase(number: string, openedAt: string, kind: EnforcementKind = 'penalty'): void {
  catalogue.write((tx) =>
    tx.cases.create(
      { number, kind, title: `案件${number}`, openedAt, handlingOfficer: null, emergency: false },
      'C0001',
      AT,
    ),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evidock-compliance-'));
  catalogue = Catalogue.open(join(dir, 'catalogue.sqlite')).catalogue;
  db = catalogue.db;
  n = 0;
  seedUser(catalogue, { badge: 'J0123', name: '李明', role: 'officer', password: 'password1' });
  seedUser(catalogue, { badge: 'J0456', name: '王强', role: 'officer', password: 'password1' });
  seedUser(catalogue, { badge: 'J0789', name: '赵六', role: 'officer', password: 'password1' });
  for (const [serial, badge] of [
    ['CAM01', 'J0123'],
    ['CAM02', 'J0456'],
    ['CAM03', 'J0789'],
  ] as const) {
    catalogue.write((tx) =>
      tx.recorders.register(
        { serial, profileId: 'generic-dcim', officerBadge: badge },
        'C0001',
        AT,
      ),
    );
  }
});

afterEach(() => {
  catalogue.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('complianceFigures', () => {
  beforeEach(() => {
    const dock = (serial: string, badge: string, at: string) =>
      catalogue.write((tx) =>
        tx.dockings.start(
          {
            recorderSerial: serial,
            officerBadge: badge,
            identifiedBy: 'assigned',
            mountpoint: '/m',
          },
          at,
        ),
      ).id;
    const d1 = dock('CAM01', 'J0123', '2026-01-10T10:00:00.000Z');
    const d2 = dock('CAM01', 'J0123', '2026-01-20T10:00:00.000Z');
    const d3 = dock('CAM02', 'J0456', '2026-01-31T23:00:00.000Z');
    const d4 = dock('CAM03', 'J0789', '2025-12-31T23:59:59.999Z'); // before the period
    dock('CAM02', 'J0456', '2026-02-01T00:00:00.000Z'); // the period ends before it

    // J0123: five clips in the period, 93 minutes
    const a1 = addClip('J0123', 'CAM01', d1, '2026-01-10T08:00:00.000Z', 30);
    file(a1);
    late(a1, { stillLate: false }); // excused
    const a2 = addClip('J0123', 'CAM01', d1, '2026-01-10T09:00:00.000Z', 45); // 21.6 days
    late(a2); // no exception
    addClip('J0123', 'CAM01', d2, '2026-01-31T12:00:00.000Z', 15); // half a day
    const a4 = addClip('J0123', 'CAM01', d2, null, null, '2026-01-20T12:00:00.000Z'); // 11.5 days
    late(a4, { stillLate: true }); // an exception that does not clear it
    addClip('J0123', 'CAM01', d2, '2026-01-31T00:00:00.000Z', 3); // exactly one day
    addClip('J0123', 'CAM01', d2, '2025-12-31T23:00:00.000Z', 10); // before the period

    // J0456: four clips, one ingested with the badge in lower case, 186 minutes
    addClip('J0456', 'CAM02', d3, '2026-01-28T00:00:00.000Z', 60); // 4 days
    addClip('J0456', 'CAM02', d3, '2026-01-01T00:00:00.000Z', 90); // 31 days
    addClip('j0456', 'CAM02', d3, '2026-01-15T00:00:00.000Z', 6); // 17 days
    file(addClip('J0456', 'CAM02', d3, '2026-01-02T00:00:00.000Z', 30));
    addClip('J0456', 'CAM02', d3, '2026-02-01T00:00:00.000Z', 60); // the period ends before it

    // no officer known: the unit's figures only
    file(addClip(null, 'CAM03', d4, '2026-01-05T00:00:00.000Z', 12));

    const finding = (docking: number, code: string) =>
      catalogue.write((tx) => tx.dockings.addFinding(docking, { code, message: code }, AT));
    finding(d1, 'timeline-gap');
    finding(d1, 'sequence-gap');
    finding(d1, 'late-custody'); // D-24H, not continuity
    finding(d2, 'duplicate');
    finding(d3, 'timeline-overlap');
    finding(d4, 'sequence-gap'); // a docking before the period

    const defer = (badge: string, at: string) =>
      catalogue.write((tx) =>
        tx.labels.addDeferral(
          { officerBadge: badge, dockingId: null, clips: 2, reason: '夜班' },
          at,
        ),
      );
    defer('J0123', '2026-01-10T12:00:00.000Z');
    defer('J0123', '2026-02-01T00:00:00.000Z'); // after
    defer('J0456', '2026-01-31T23:59:59.999Z');
    defer('J0789', '2025-12-31T00:00:00.000Z'); // before
    defer('T0001', '2026-01-15T00:00:00.000Z'); // a badge the station has no user for

    // D-AV-REQUIRED
    newCase('金普民宗罚〔2026〕1号', '2026-01-05T00:00:00.000Z');
    catalogue.write((tx) =>
      tx.cases.linkClip(tx.cases.addAct('金普民宗罚〔2026〕1号', 'site-inspection'), a1),
    );
    const hearing = catalogue.write((tx) => tx.cases.addAct('金普民宗罚〔2026〕1号', 'hearing'));
    catalogue.write((tx) => tx.cases.setNotRecorded(hearing, { reason: 'other', text: '  ' })); // no words: still missing
    catalogue.write((tx) => tx.cases.addAct('金普民宗罚〔2026〕1号', 'seizure'));
    const sampling = catalogue.write((tx) => tx.cases.addAct('金普民宗罚〔2026〕1号', 'sampling'));
    catalogue.write((tx) =>
      tx.cases.setNotRecorded(sampling, { reason: 'secret-or-privacy', text: '涉及个人隐私' }),
    );
    newCase('金普民宗罚〔2026〕2号', '2026-02-05T00:00:00.000Z'); // opened after the period
    catalogue.write((tx) => tx.cases.addAct('金普民宗罚〔2026〕2号', 'seizure'));
    newCase('金普民宗罚〔2025〕9号', '2025-06-01T00:00:00.000Z'); // archived
    catalogue.write((tx) => tx.cases.addAct('金普民宗罚〔2025〕9号', 'seizure'));
    catalogue.write((tx) =>
      tx.cases.close(
        '金普民宗罚〔2025〕9号',
        '2025-07-01T00:00:00.000Z',
        '2025-07-31T00:00:00.000Z',
      ),
    );
    catalogue.write((tx) =>
      tx.cases.markArchived('金普民宗罚〔2025〕9号', '2025-07-20T00:00:00.000Z'),
    );
    newCase('金普民宗检〔2026〕3号', '2026-01-06T00:00:00.000Z', 'inspection'); // all filmed
    catalogue.write((tx) =>
      tx.cases.linkClip(tx.cases.addAct('金普民宗检〔2026〕3号', 'site-inspection'), a2),
    );

    // D-ARCHIVE
    newCase('P〔2025〕1号', '2025-11-01T00:00:00.000Z');
    catalogue.write((tx) =>
      tx.cases.close('P〔2025〕1号', '2025-12-01T00:00:00.000Z', '2025-12-31T00:00:00.000Z'),
    );
    newCase('P〔2025〕2号', '2026-01-01T00:00:00.000Z');
    catalogue.write((tx) =>
      tx.cases.close('P〔2025〕2号', '2026-01-15T00:00:00.000Z', '2026-02-14T00:00:00.000Z'),
    );
    newCase('P〔2025〕3号', '2025-10-01T00:00:00.000Z');
    catalogue.write((tx) =>
      tx.cases.close('P〔2025〕3号', '2025-11-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z'),
    );
    // closed before archive-by dates were kept: computed from the close
    db.prepare("UPDATE cases SET archive_by = NULL WHERE number = 'P〔2025〕3号'").run();
    newCase('P〔2025〕4号', '2025-09-01T00:00:00.000Z');
    catalogue.write((tx) =>
      tx.cases.close('P〔2025〕4号', '2025-10-01T00:00:00.000Z', '2025-10-31T00:00:00.000Z'),
    );
    catalogue.write((tx) => tx.cases.markArchived('P〔2025〕4号', '2025-10-20T00:00:00.000Z'));
  });

  it('per officer: every officer with activity in the period, by badge, with their names', () => {
    const figures = catalogue.compliance(QUERY);
    expect(figures.officers).toEqual([
      {
        badge: 'J0123',
        name: '李明',
        dockings: 2,
        clips: 5,
        hoursRecorded: 1.55,
        lateCustody: 3,
        lateCustodyExcepted: 1,
        lateCustodyUnexcepted: 2,
        unlabelled: 4,
        unlabelledOldestDays: 21.6,
        unlabelledByAge: { upTo1Day: 2, upTo7Days: 0, upTo30Days: 2, over30Days: 0 },
        deferrals: 1,
        continuityFindings: 2,
        lateCentralStorage: null,
      },
      {
        badge: 'J0456',
        name: '王强',
        dockings: 1,
        clips: 4,
        hoursRecorded: 3.1,
        lateCustody: 0,
        lateCustodyExcepted: 0,
        lateCustodyUnexcepted: 0,
        unlabelled: 3,
        unlabelledOldestDays: 31,
        unlabelledByAge: { upTo1Day: 0, upTo7Days: 1, upTo30Days: 1, over30Days: 1 },
        deferrals: 1,
        continuityFindings: 1,
        lateCentralStorage: null,
      },
      {
        badge: 'T0001',
        name: null,
        dockings: 0,
        clips: 0,
        hoursRecorded: 0,
        lateCustody: 0,
        lateCustodyExcepted: 0,
        lateCustodyUnexcepted: 0,
        unlabelled: 0,
        unlabelledOldestDays: null,
        unlabelledByAge: { upTo1Day: 0, upTo7Days: 0, upTo30Days: 0, over30Days: 0 },
        deferrals: 1,
        continuityFindings: 0,
        lateCentralStorage: null,
      },
    ]);
  });

  it("the unit's totals, cases missing footage and cases past archive-by", () => {
    const figures = catalogue.compliance(QUERY);
    expect(figures.unit).toEqual({
      officers: 3,
      // D-24H: the station has no central storage: nothing counted, the report says so.
      centralTargets: 0,
      lateCentralStorage: null,
      dockings: 3,
      clips: 10,
      hoursRecorded: 4.85,
      lateCustody: 3,
      lateCustodyExcepted: 1,
      lateCustodyUnexcepted: 2,
      unlabelled: 7,
      unlabelledOldestDays: 31,
      unlabelledByAge: { upTo1Day: 2, upTo7Days: 1, upTo30Days: 3, over30Days: 1 },
      deferrals: 3,
      continuityFindings: 3,
      casesMissingFootage: [
        {
          number: '金普民宗罚〔2026〕1号',
          title: '案件金普民宗罚〔2026〕1号',
          missing: ['hearing', 'seizure'],
        },
      ],
      casesPastArchiveBy: [
        {
          number: 'P〔2025〕3号',
          title: '案件P〔2025〕3号',
          archiveBy: '2025-12-01T00:00:00.000Z',
        },
        {
          number: 'P〔2025〕1号',
          title: '案件P〔2025〕1号',
          archiveBy: '2025-12-31T00:00:00.000Z',
        },
      ],
    });
    // what the contract carries
    expect(() =>
      complianceReportSchema.parse({
        ...figures,
        from: '2026-01-01',
        to: '2026-01-31',
        generatedAt: AT,
        generatedBy: 'S0001',
        // Added by the report service from the audit chain and the disc register, not by the
        // catalogue's figures.
        auditSeal: { keys: null, lastCheckpoint: null },
        integrity: { sweeps: 0, withProblems: 0, incomplete: 0, last: null },
        discs: { longTermNotOnDisc: 0, longTermNotOnDiscBytes: 0, dueForCheck: 0 },
      }),
    ).not.toThrow();
  });

  it('ages and deadlines are measured at asOf; a later one moves the buckets and the deadlines', () => {
    const later = catalogue.compliance({ ...QUERY, asOf: '2026-02-20T00:00:00.000Z' });
    const j0123 = later.officers.find((o) => o.badge === 'J0123')!;
    expect(j0123.unlabelledOldestDays).toBe(40.6);
    expect(j0123.unlabelledByAge).toEqual({
      upTo1Day: 0,
      upTo7Days: 0,
      upTo30Days: 2,
      over30Days: 2,
    });
    expect(later.unit.casesPastArchiveBy.map((c) => c.number)).toEqual([
      'P〔2025〕3号',
      'P〔2025〕1号',
      'P〔2025〕2号',
    ]);
  });

  it('an empty period has no officers and zero figures', () => {
    const empty = catalogue.compliance({
      ...QUERY,
      from: '2024-01-01T00:00:00.000Z',
      to: '2024-02-01T00:00:00.000Z',
      asOf: '2024-02-01T00:00:00.000Z',
    });
    expect(empty.officers).toEqual([]);
    expect(empty.unit).toMatchObject({ officers: 0, clips: 0, unlabelledOldestDays: null });
    // cases opened after the period's end are not counted as missing footage
    expect(empty.unit.casesMissingFootage).toEqual([]);
  });
});

describe('D-24H: clips not proven on central storage within 24 h of custody', () => {
  // The report of January, generated at noon on 1 February: a clip taken into custody after noon
  // on 31 January still has time.
  const JANUARY: ComplianceQuery = { ...QUERY, now: '2026-02-01T12:00:00.000Z' };
  let targets: Record<'kept' | 'removedInPeriod' | 'removedBefore' | 'addedAfter', number>;
  let clip: Record<string, number>;

  const addTarget = (name: string, addedAt: string) =>
    catalogue.write((tx) =>
      tx.forwarding.addTarget({
        name,
        kind: 'folder',
        endpoint: null,
        bucket: null,
        region: null,
        pathStyle: false,
        folderPath: `/mnt/${name}`,
        prefix: '',
        secretSealed: null,
        concurrency: 2,
        partSize: 8 * 1024 * 1024,
        schedule: { windows: [], otherwise: null },
        readBackPercent: 0,
        addedBy: 'C0001',
        addedAt,
      }),
    ).id;
  const outbox = (clipId: number, targetId: number) =>
    catalogue.forwarding.forClip(clipId).find((i) => i.targetId === targetId)!.id;
  const verify = (clipId: number, targetId: number, at: string) =>
    catalogue.write((tx) => tx.forwarding.markVerified(outbox(clipId, targetId), at, false));
  const lateOf = (figures: ReturnType<Catalogue['compliance']>) =>
    Object.fromEntries(figures.officers.map((o) => [o.badge, o.lateCentralStorage]));

  beforeEach(() => {
    const docking = catalogue.write((tx) =>
      tx.dockings.start(
        {
          recorderSerial: 'CAM01',
          officerBadge: 'J0123',
          identifiedBy: 'assigned',
          mountpoint: '/m',
        },
        '2026-01-10T10:00:00.000Z',
      ),
    ).id;
    const at = (
      badge: string | null,
      custodyAt: string,
      recordedStart: string | null = custodyAt,
    ) => addClip(badge, 'CAM01', docking, recordedStart, 5, custodyAt);
    clip = {
      onTime: at('J0123', '2026-01-10T10:00:00.000Z'),
      exactly24h: at('J0123', '2026-01-10T10:00:00.000Z'),
      oneMsLate: at('J0123', '2026-01-10T10:00:00.000Z'),
      never: at('J0123', '2026-01-10T10:00:00.000Z'),
      onRemovedTarget: at('J0456', '2026-01-12T00:00:00.000Z'),
      afterRemoval: at('J0456', '2026-01-14T00:00:00.000Z'),
      requeued: at('j0456', '2026-01-20T00:00:00.000Z'),
      stillInside24h: at('J0789', '2026-01-31T20:00:00.000Z'),
      recordedInDecember: at('J0789', '2026-01-02T00:00:00.000Z', '2025-12-30T00:00:00.000Z'),
      noOfficer: at(null, '2026-01-05T00:00:00.000Z'),
      custodyBefore: at('J0789', '2025-12-31T23:00:00.000Z'),
      custodyAfter: at('J0789', '2026-02-01T00:00:00.000Z'),
    };
    targets = {
      kept: addTarget('中心存储', '2025-12-01T00:00:00.000Z'),
      removedInPeriod: addTarget('旧存储', '2025-12-01T00:00:00.000Z'),
      removedBefore: addTarget('更早的存储', '2025-11-01T00:00:00.000Z'),
      addedAfter: addTarget('新存储', '2026-02-02T00:00:00.000Z'),
    };
    catalogue.write((tx) => {
      for (const id of Object.values(targets)) {
        tx.forwarding.queueNewClips(tx.forwarding.targetById(id)!, '2026-01-01T00:00:00.000Z');
      }
      tx.forwarding.remove(targets.removedBefore, '2025-12-20T00:00:00.000Z');
    });

    verify(clip.onTime!, targets.kept, '2026-01-11T09:00:00.000Z');
    verify(clip.exactly24h!, targets.kept, '2026-01-11T10:00:00.000Z');
    verify(clip.oneMsLate!, targets.kept, '2026-01-11T10:00:00.001Z');
    // On time on a target removed since; late on the other: the earliest proof decides.
    verify(clip.onRemovedTarget!, targets.removedInPeriod, '2026-01-12T06:00:00.000Z');
    verify(clip.onRemovedTarget!, targets.kept, '2026-01-20T00:00:00.000Z');
    catalogue.write((tx) =>
      tx.forwarding.remove(targets.removedInPeriod, '2026-01-15T00:00:00.000Z'),
    );
    // Within its 24 h, but proven on a target already removed: not the unit's storage any more.
    verify(clip.afterRemoval!, targets.removedInPeriod, '2026-01-15T01:00:00.000Z');
    // Proven in time, then found missing and queued again: judged by the proof it has now (none).
    verify(clip.requeued!, targets.kept, '2026-01-20T12:00:00.000Z');
    catalogue.write((tx) => tx.forwarding.requeue(outbox(clip.requeued!, targets.kept)));
    verify(clip.noOfficer!, targets.kept, '2026-01-07T00:00:00.000Z'); // two days late
    // Turned off since: it still holds what was proven on it.
    catalogue.write((tx) => tx.forwarding.setEnabled(targets.kept, false));
  });

  it('counts, per officer and for the unit, clips proven late or not at all once their 24 h are over', () => {
    const figures = catalogue.compliance(JANUARY);
    expect(lateOf(figures)).toEqual({
      J0123: 2, // one ms late, never
      J0456: 2, // proven on a removed target, proof lost (one ingested as j0456)
      J0789: 1, // recorded in December, taken into custody in January, never proven
    });
    expect(figures.unit).toMatchObject({ centralTargets: 2, lateCentralStorage: 6 });
    // The clip recorded in December is counted by its custody, not among January's recordings.
    expect(figures.officers.find((o) => o.badge === 'J0789')).toMatchObject({ clips: 1 });
  });

  it("is judged as of the report's generation: a clip inside its 24 h counts once they are over", () => {
    expect(
      catalogue.compliance({ ...JANUARY, now: '2026-02-01T20:00:00.000Z' }).unit,
    ).toMatchObject({
      lateCentralStorage: 6,
    });
    const later = catalogue.compliance({ ...JANUARY, now: '2026-02-01T20:00:00.001Z' });
    expect(later.unit.lateCentralStorage).toBe(7);
    expect(lateOf(later)['J0789']).toBe(2);
    // Proven in time after all: no longer counted, whenever the report is made.
    verify(clip.stillInside24h!, targets.kept, '2026-02-01T19:00:00.000Z');
    expect(
      catalogue.compliance({ ...JANUARY, now: '2026-03-01T00:00:00.000Z' }).unit,
    ).toMatchObject({
      lateCentralStorage: 6,
    });
  });

  it('a period whose 24 h are not over yet for any clip counts nothing', () => {
    const figures = catalogue.compliance({
      ...JANUARY,
      from: '2026-01-31T00:00:00.000Z',
      now: '2026-01-31T23:00:00.000Z',
      asOf: '2026-01-31T23:00:00.000Z',
    });
    // The target removed on 15 January is not one of this period's.
    expect(figures.unit).toMatchObject({ centralTargets: 1, lateCentralStorage: 0 });
  });

  it('without a target in the period: nothing counted, "no central storage configured"', () => {
    // Every target but the one removed before it is only added later.
    db.prepare(
      "UPDATE forward_targets SET added_at = '2026-02-02T00:00:00.000Z' WHERE removed_at IS NULL OR removed_at > '2026-01-01'",
    ).run();
    const figures = catalogue.compliance(JANUARY);
    expect(figures.unit).toMatchObject({ centralTargets: 0, lateCentralStorage: null });
    expect(figures.officers.every((o) => o.lateCentralStorage === null)).toBe(true);
    // A target added within the 24 h after the period could still hold its last clips in time.
    db.prepare(`UPDATE forward_targets SET added_at = '2026-02-01T23:59:59.999Z' WHERE id = ?`).run(
      targets.kept,
    );
    expect(catalogue.compliance(JANUARY).unit.centralTargets).toBe(1);
  });

  it('agrees with the rule written out clip by clip, for random proofs', () => {
    const DAY = 24 * 60 * 60 * 1000;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const docking = catalogue.write((tx) =>
      tx.dockings.start(
        {
          recorderSerial: 'CAM02',
          officerBadge: 'J0456',
          identifiedBy: 'assigned',
          mountpoint: '/m',
        },
        '2026-01-01T00:00:00.000Z',
      ),
    ).id;
    for (let i = 0; i < 200; i++) {
      const custody = Date.parse('2025-12-25T00:00:00.000Z') + Math.floor(random() * 45 * DAY);
      const id = addClip('J0456', 'CAM02', docking, null, null, new Date(custody).toISOString());
      catalogue.write((tx) =>
        tx.forwarding.queueNewClips(
          tx.forwarding.targetById(targets.kept)!,
          '2026-01-01T00:00:00.000Z',
        ),
      );
      if (random() < 0.7) {
        const after = Math.floor((random() < 0.5 ? 1 : 3) * random() * DAY);
        verify(id, targets.kept, new Date(custody + after).toISOString());
      }
    }
    const now = Date.parse(JANUARY.now);
    const rows = db
      .prepare(
        `SELECT c.custody_at AS custody, c.officer_badge AS badge,
           (SELECT min(o.verified_at) FROM forward_outbox o JOIN forward_targets t ON t.id = o.target_id
            WHERE o.clip_id = c.id AND o.state = 'verified'
              AND (t.removed_at IS NULL OR o.verified_at <= t.removed_at)) AS proven
         FROM clips c`,
      )
      .all() as { custody: string; badge: string | null; proven: string | null }[];
    const expected = rows.filter((r) => {
      const custody = Date.parse(r.custody);
      if (custody < Date.parse(JANUARY.from) || custody >= Date.parse(JANUARY.to)) return false;
      const deadline = custody + DAY;
      const proven = r.proven === null ? null : Date.parse(r.proven);
      return proven === null ? now > deadline : proven > deadline;
    });
    const figures = catalogue.compliance(JANUARY);
    expect(figures.unit.lateCentralStorage).toBe(expected.length);
    expect(lateOf(figures)['J0456']).toBe(
      expected.filter((r) => r.badge?.toUpperCase() === 'J0456').length,
    );
  });
});
