// The rules behind a case's entered times and the unit's case-number pattern, as pure functions:
// what bounds an opening and a closing, which fact of a clip counts, which patterns are refused.
import { describe, expect, it } from 'vitest';
import {
  caseNumberFormatProblem,
  caseNumberPatternRisk,
  caseNumberProblem,
  closingProblem,
  DEFAULT_CASE_NUMBER_FORMAT,
  filedAfterCloseProblem,
  footageTimeOf,
  openingProblem,
} from '../../src-main/domain';

const NOW = '2026-11-22T10:00:00.000Z';

describe('footageTimeOf', () => {
  it('is the recording start, else its end, never later than custody', () => {
    const clip = { id: 1, custodyAt: '2026-11-22T09:00:00.000Z' };
    expect(
      footageTimeOf({ ...clip, recordedStart: '2026-11-22T08:00:00.000Z', recordedEnd: null }),
    ).toBe('2026-11-22T08:00:00.000Z');
    expect(
      footageTimeOf({ ...clip, recordedStart: null, recordedEnd: '2026-11-22T08:30:00.000Z' }),
    ).toBe('2026-11-22T08:30:00.000Z');
    // A recorder whose clock ran a day fast: the station had the footage before that.
    expect(
      footageTimeOf({ ...clip, recordedStart: '2026-11-23T08:00:00.000Z', recordedEnd: null }),
    ).toBe(clip.custodyAt);
    expect(footageTimeOf({ ...clip, recordedStart: null, recordedEnd: null })).toBe(clip.custodyAt);
  });
});

describe('openingProblem', () => {
  it('allows the past within the case-file years and a clock’s few minutes ahead', () => {
    expect(openingProblem('2026-11-01T00:00:00.000Z', NOW, 30)).toBeNull();
    expect(openingProblem('2026-11-22T10:04:00.000Z', NOW, 30)).toBeNull();
    expect(openingProblem('1996-11-22T10:00:00.000Z', NOW, 30)).toBeNull();
  });

  it('refuses the future and what is older than the unit keeps case files', () => {
    expect(openingProblem('2026-11-23T00:00:00.000Z', NOW, 30)).toMatchObject({
      reason: 'future',
    });
    expect(openingProblem('1996-11-22T09:59:59.999Z', NOW, 30)).toMatchObject({
      reason: 'before-retention',
      bound: '1996-11-22T10:00:00.000Z',
    });
  });
});

describe('closingProblem', () => {
  const facts = {
    now: NOW,
    openedAt: '2026-11-01T00:00:00.000Z',
    lastFootage: { clipId: 7, at: '2026-11-20T08:00:00.000Z' },
  };

  it('allows a close between the last footage and now', () => {
    expect(closingProblem('2026-11-20T08:00:00.000Z', facts)).toBeNull();
    expect(closingProblem(NOW, facts)).toBeNull();
    expect(closingProblem('2026-11-02T00:00:00.000Z', { ...facts, lastFootage: null })).toBeNull();
  });

  it('refuses the future, a close before the opening, a close before its footage', () => {
    expect(closingProblem('2026-11-23T00:00:00.000Z', facts)).toMatchObject({ reason: 'future' });
    expect(closingProblem('2026-10-31T00:00:00.000Z', facts)).toMatchObject({
      reason: 'before-opening',
    });
    expect(closingProblem('2026-11-20T07:59:59.999Z', facts)).toMatchObject({
      reason: 'before-footage',
      clipId: 7,
      bound: '2026-11-20T08:00:00.000Z',
    });
  });
});

describe('filedAfterCloseProblem', () => {
  const clip = {
    id: 3,
    recordedStart: '2026-11-21T08:00:00.000Z',
    recordedEnd: null,
    custodyAt: '2026-11-21T12:00:00.000Z',
  };

  it('lets footage into an open case, or into a closed one it was recorded before', () => {
    expect(filedAfterCloseProblem({ number: 'X', closedAt: null }, clip)).toBeNull();
    expect(filedAfterCloseProblem({ number: 'X', closedAt: clip.recordedStart }, clip)).toBeNull();
  });

  it('keeps footage recorded after the close out', () => {
    expect(
      filedAfterCloseProblem({ number: 'X', closedAt: '2026-11-20T00:00:00.000Z' }, clip),
    ).toMatch(/Clip 3 was recorded .* after case X closed/);
  });
});

describe('case-number patterns', () => {
  it('the default and a unit’s own narrow pattern match each number in one way only', () => {
    expect(caseNumberPatternRisk(DEFAULT_CASE_NUMBER_FORMAT.pattern)).toBeNull();
    expect(caseNumberPatternRisk('^金普民宗罚〔\\d{4}〕\\d{1,5}号$')).toBeNull();
  });

  it('a nested repetition is refused, naming it, before its example is matched', () => {
    expect(caseNumberPatternRisk('^(a+)+$')).toMatchObject({ fragment: '(a+)+' });
    expect(caseNumberFormatProblem({ pattern: '^(a+)+$', example: `${'a'.repeat(40)}!` })).toMatch(
      /more than one way at \(a\+\)\+/,
    );
  });

  it('a case number longer than any is refused without matching it', () => {
    const format = { pattern: '^(a+)+$', example: 'aaa' };
    expect(caseNumberProblem('a'.repeat(65), format)).toMatch(/at most 64 characters/);
  });
});
