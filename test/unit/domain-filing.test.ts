// The rules for filing footage as code: D-LABEL and D-CONTENT (when a clip counts as labelled),
// D-CONFIDENTIAL (who sees and plays it), D-AV-REQUIRED and D-NOT-SUITABLE (a case's acts),
// D-ARCHIVE, D-LATE-START, case-number formats, D-RETAIN and D-LONGTERM (retention).
import { describe, expect, it } from 'vitest';
import type { ClipLabel, ProductionFacts } from '../../src-main/domain';
import {
  actsMissingFootage,
  archiveByDate,
  caseNumberFormatProblem,
  caseNumberProblem,
  DEFAULT_CASE_NUMBER_FORMAT,
  isLateApproval,
  isPastArchiveBy,
  isRetentionDue,
  labelCompleteness,
  lateApprovalDeadline,
  mayPlay,
  mayView,
  retentionOf,
} from '../../src-main/domain';

const FACTS: ProductionFacts = {
  productionMethod: 'body-camera',
  productionTime: '2026-11-22T01:00:00.000Z',
  producer: 'J0123',
};

function label(overrides: Partial<ClipLabel> = {}): ClipLabel {
  return {
    caseNumber: '金普民宗罚〔2026〕12号',
    matter: null,
    kind: 'penalty',
    stage: 'investigation',
    place: '金普新区某市场',
    parties: ['张三'],
    officersPresent: ['J0123', 'J0456'],
    confidentiality: 'none',
    notes: null,
    ...overrides,
  };
}

describe('D-LABEL: case number, production method, time and producer before a clip counts', () => {
  it('a clip with a case number and the station’s production facts is labelled', () => {
    expect(labelCompleteness(label(), FACTS)).toEqual({ labelled: true, missing: [] });
  });

  it('daily enforcement without a case is labelled by its matter instead', () => {
    const daily = label({ caseNumber: null, matter: '节前市场巡查' });
    expect(labelCompleteness(daily, FACTS).labelled).toBe(true);
    const nothing = label({ caseNumber: null, matter: '  ' });
    expect(labelCompleteness(nothing, FACTS)).toEqual({ labelled: false, missing: ['case'] });
  });

  it('an unlabelled clip misses its case; unknown production facts are missing too', () => {
    const unknown = { productionMethod: null, productionTime: null, producer: '' };
    expect(labelCompleteness(null, unknown).missing).toEqual([
      'case',
      'productionMethod',
      'productionTime',
      'producer',
    ]);
  });

  it('D-CONTENT: the unit’s required fields count as well, and only those', () => {
    const sparse = label({ place: null, parties: [], stage: null });
    expect(labelCompleteness(sparse, FACTS).labelled).toBe(true);
    expect(labelCompleteness(sparse, FACTS, ['place', 'parties', 'kind'])).toEqual({
      labelled: false,
      missing: ['place', 'parties'],
    });
  });
});

describe('D-CONFIDENTIAL and D-NO-LEAK: who sees and who plays a clip', () => {
  const officer = { badge: 'J0123', role: 'officer' as const };
  const other = { badge: 'J0456', role: 'officer' as const };
  const custodian = { badge: 'C0001', role: 'custodian' as const };
  const supervisor = { badge: 'S0001', role: 'supervisor' as const };
  const admin = { badge: 'A0001', role: 'admin' as const };
  const clip = (confidentiality: ClipLabel['confidentiality']) => ({
    officerBadge: 'j0123',
    confidentiality,
  });

  it('officers see their own clips only; custodians and supervisors see ordinary ones', () => {
    expect(mayView(officer, clip('none'))).toBe(true);
    expect(mayView(other, clip('none'))).toBe(false);
    expect(mayView(custodian, clip('none'))).toBe(true);
    expect(mayView(supervisor, clip('none'))).toBe(true);
    expect(mayView(admin, clip('none'))).toBe(false);
  });

  it('confidential clips: the recording officer and custodians; supervisors through reports only', () => {
    for (const level of ['privacy', 'commercial', 'state'] as const) {
      expect(mayView(officer, clip(level)), level).toBe(true);
      expect(mayView(custodian, clip(level)), level).toBe(true);
      expect(mayView(supervisor, clip(level)), level).toBe(false);
      expect(mayView(supervisor, clip(level), true), level).toBe(true);
      expect(mayView(other, clip(level)), level).toBe(false);
    }
  });

  it('a state-secret clip is played by custodians only, not even by the officer who recorded it', () => {
    expect(mayPlay(officer, clip('state'))).toBe(false);
    expect(mayPlay(custodian, clip('state'))).toBe(true);
    expect(mayPlay(officer, clip('privacy'))).toBe(true);
    expect(mayPlay(supervisor, clip('privacy'))).toBe(false);
  });
});

describe('case numbers follow the unit’s format', () => {
  it('the default format takes numbers as units write them, and explains a refusal', () => {
    expect(caseNumberFormatProblem(DEFAULT_CASE_NUMBER_FORMAT)).toBeNull();
    expect(caseNumberProblem(' 金普民宗罚〔2026〕12号 ', DEFAULT_CASE_NUMBER_FORMAT)).toBeNull();
    expect(caseNumberProblem('抚文旅罚〔2025〕301号', DEFAULT_CASE_NUMBER_FORMAT)).toBeNull();
    expect(caseNumberProblem('2026-12', DEFAULT_CASE_NUMBER_FORMAT)).toBe(
      '2026-12 is not a case number of this unit; write it like 金普民宗罚〔2026〕12号',
    );
    expect(caseNumberProblem('', DEFAULT_CASE_NUMBER_FORMAT)).toBe('a case number is required');
  });

  it('a unit’s own format is checked before it is used', () => {
    const unit = { pattern: '^金普民宗罚〔\\d{4}〕\\d{1,5}号$', example: '金普民宗罚〔2026〕12号' };
    expect(caseNumberFormatProblem(unit)).toBeNull();
    expect(caseNumberProblem('抚文旅罚〔2025〕301号', unit)).toMatch(/write it like/);
    expect(caseNumberFormatProblem({ pattern: '^(', example: 'x' })).toMatch(/not a valid/);
    expect(caseNumberFormatProblem({ pattern: '^A\\d+$', example: 'B1' })).toMatch(
      /does not match/,
    );
  });
});

describe('D-LATE-START: an emergency case approved afterwards, within 24 hours', () => {
  const opened = '2026-11-22T02:00:00.000Z';
  it('is due 24 hours after it was opened (2 days where the unit says so)', () => {
    expect(lateApprovalDeadline(opened)).toBe('2026-11-23T02:00:00.000Z');
    expect(lateApprovalDeadline(opened, 48)).toBe('2026-11-24T02:00:00.000Z');
  });
  it('is late when approved after that, or not approved by then', () => {
    expect(isLateApproval(opened, '2026-11-23T01:59:59.000Z', '2026-12-01T00:00:00Z')).toBe(false);
    expect(isLateApproval(opened, '2026-11-23T02:00:01.000Z', '2026-12-01T00:00:00Z')).toBe(true);
    expect(isLateApproval(opened, null, '2026-11-22T20:00:00Z')).toBe(false);
    expect(isLateApproval(opened, null, '2026-11-23T03:00:00Z')).toBe(true);
  });
});

describe('D-ARCHIVE: filed and archived within 30 days of the close (60 in some units)', () => {
  it('sets the archive-by date from the close, with the unit’s day count', () => {
    expect(archiveByDate('2026-11-01T08:00:00.000Z')).toBe('2026-12-01T08:00:00.000Z');
    expect(archiveByDate('2026-11-01T08:00:00.000Z', 60)).toBe('2026-12-31T08:00:00.000Z');
    expect(archiveByDate(null)).toBeNull();
  });
  it('a closed case not archived by then is past its date; an archived or open one is not', () => {
    const now = '2026-12-02T00:00:00.000Z';
    expect(isPastArchiveBy('2026-11-01T08:00:00.000Z', null, now)).toBe(true);
    expect(isPastArchiveBy('2026-11-01T08:00:00.000Z', '2026-11-20T00:00:00Z', now)).toBe(false);
    expect(isPastArchiveBy('2026-11-10T08:00:00.000Z', null, now)).toBe(false);
    expect(isPastArchiveBy(null, null, now)).toBe(false);
  });
});

describe('D-AV-REQUIRED and D-NOT-SUITABLE: every procedural act has footage or a reason', () => {
  it('lists the acts with neither, and takes a reason only with words of explanation', () => {
    expect(
      actsMissingFootage([
        { act: 'site-inspection', clipIds: [1, 2], notRecorded: null },
        { act: 'sampling', clipIds: [], notRecorded: null },
        {
          act: 'seizure',
          clipIds: [],
          notRecorded: { reason: 'explosion-risk', text: '加油站内，无防爆设备' },
        },
        { act: 'hearing', clipIds: [], notRecorded: { reason: 'other', text: ' ' } },
      ]),
    ).toEqual(['sampling', 'hearing']);
  });
});

describe('D-RETAIN and D-LONGTERM: retention class and when a clip becomes due', () => {
  const recordedAt = '2026-02-28T10:00:00.000Z';
  it('daily enforcement footage is kept at least 2 years from the recording', () => {
    const daily = retentionOf({ recordedAt, caseNumber: null, longTerm: null }, null);
    expect(daily).toEqual({ retentionClass: 'daily', dueAt: '2028-02-28T10:00:00.000Z' });
    expect(isRetentionDue(daily, '2028-02-28T09:59:59.000Z')).toBe(false);
    expect(isRetentionDue(daily, '2028-02-28T10:00:00.000Z')).toBe(true);
  });

  it('evidence in penalty and coercion cases lives with the case file, from the close', () => {
    const clip = { recordedAt, caseNumber: '金普民宗罚〔2026〕12号', longTerm: null };
    const closed = { closedAt: '2026-06-30T00:00:00.000Z', kind: 'penalty' as const };
    expect(retentionOf(clip, closed)).toEqual({
      retentionClass: 'evidence',
      dueAt: '2056-06-30T00:00:00.000Z',
    });
    expect(retentionOf(clip, closed, { dailyYears: 2, caseFileYears: 10 }).dueAt).toBe(
      '2036-06-30T00:00:00.000Z',
    );
    expect(retentionOf(clip, { ...closed, kind: 'inspection' }).retentionClass).toBe('daily');
  });

  it('a clip in an open case never becomes due, whatever its class', () => {
    const clip = { recordedAt: '2000-01-01T00:00:00Z', caseNumber: 'X', longTerm: null };
    for (const kind of ['penalty', 'inspection'] as const) {
      const open = retentionOf(clip, { closedAt: null, kind });
      expect(open.dueAt, kind).toBeNull();
      expect(isRetentionDue(open, '2100-01-01T00:00:00Z'), kind).toBe(false);
    }
  });

  it('D-LONGTERM: disputed or obstructed enforcement, incidents and the like are never due', () => {
    for (const reason of ['dispute', 'obstruction', 'incident', 'other'] as const) {
      expect(retentionOf({ recordedAt, caseNumber: null, longTerm: reason }, null)).toEqual({
        retentionClass: 'long-term',
        dueAt: null,
      });
    }
  });

  it('an unknown recording time is never due: deletion needs a proven date', () => {
    const unknown = retentionOf({ recordedAt: null, caseNumber: null, longTerm: null }, null);
    expect(unknown.dueAt).toBeNull();
    expect(isRetentionDue(unknown, '2100-01-01T00:00:00Z')).toBe(false);
  });
});
