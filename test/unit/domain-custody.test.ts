// Rule D-24H as code: the deadline and the late-custody flag, at the edges the regulations draw.
import { describe, expect, it } from 'vitest';
import { custodyDeadline, isLateCustody } from '../../src-main/domain';

const END = '2026-11-22T05:00:00.000Z';

describe('D-24H: custodyDeadline', () => {
  it('is 24 hours after the recording ended', () => {
    expect(custodyDeadline(END)).toBe('2026-11-23T05:00:00.000Z');
  });

  it('with an exception, is 24 hours after the return to the unit', () => {
    const exception = { kind: 'off-site', returnedAt: '2026-11-25T18:30:00+08:00' } as const;
    expect(custodyDeadline(END, exception)).toBe('2026-11-26T10:30:00.000Z');
  });

  it('an exception never brings the deadline forward (return before the end of the recording)', () => {
    const exception = { kind: 'remote-area', returnedAt: '2026-11-21T00:00:00Z' } as const;
    expect(custodyDeadline(END, exception)).toBe('2026-11-23T05:00:00.000Z');
  });

  it('is unknown without an end time, but an exception still gives one from the return', () => {
    expect(custodyDeadline(null)).toBeNull();
    expect(custodyDeadline('not a time')).toBeNull();
    expect(
      custodyDeadline(null, { kind: 'continuous-duty', returnedAt: '2026-11-24T00:00:00Z' }),
    ).toBe('2026-11-25T00:00:00.000Z');
  });
});

describe('D-24H: isLateCustody', () => {
  it('exactly 24 hours after the end is on time; one millisecond more is late', () => {
    expect(isLateCustody({ recordedEnd: END, custodyAt: '2026-11-23T05:00:00.000Z' })).toBe(false);
    expect(isLateCustody({ recordedEnd: END, custodyAt: '2026-11-23T05:00:00.001Z' })).toBe(true);
  });

  it('custody within the day is on time', () => {
    expect(isLateCustody({ recordedEnd: END, custodyAt: '2026-11-22T09:00:00Z' })).toBe(false);
  });

  it('compares instants, whatever zone the times are written in', () => {
    // 13:00 CST is 05:00 UTC: the next day at 13:00:01 CST is one second late.
    expect(
      isLateCustody({
        recordedEnd: '2026-11-22T13:00:00+08:00',
        custodyAt: '2026-11-23T13:00:01+08:00',
      }),
    ).toBe(true);
  });

  it.each(['continuous-duty', 'off-site', 'remote-area'] as const)(
    'exception %s: late only more than 24 hours after the return',
    (kind) => {
      const exception = { kind, returnedAt: '2026-11-25T08:00:00Z' };
      const input = { recordedEnd: END, exception };
      expect(isLateCustody({ ...input, custodyAt: '2026-11-26T08:00:00Z' })).toBe(false);
      expect(isLateCustody({ ...input, custodyAt: '2026-11-26T08:00:01Z' })).toBe(true);
      // Three days after the recording, yet on time because of the exception.
      expect(isLateCustody({ ...input, custodyAt: '2026-11-25T20:00:00Z' })).toBe(false);
    },
  );

  it('a null exception is the normal rule', () => {
    expect(
      isLateCustody({ recordedEnd: END, custodyAt: '2026-11-24T00:00:00Z', exception: null }),
    ).toBe(true);
  });

  it('unknown times are never flagged late: lateness must be proven', () => {
    expect(isLateCustody({ recordedEnd: null, custodyAt: '2030-01-01T00:00:00Z' })).toBe(false);
    expect(isLateCustody({ recordedEnd: 'garbage', custodyAt: '2030-01-01T00:00:00Z' })).toBe(
      false,
    );
    expect(isLateCustody({ recordedEnd: END, custodyAt: 'garbage' })).toBe(false);
  });
});
