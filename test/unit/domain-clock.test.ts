// The recorder's clock against the station's (issue 3 "Clock"; it serves D-24H and D-CONTINUOUS):
// a measured offset, an estimate from file times, and moving a recorded time onto the station's clock.
import { describe, expect, it } from 'vitest';
import { applyClockOffset, clockOffset, estimateClockOffset } from '../../src-main/domain';

describe('Clock (D-24H, D-CONTINUOUS): clockOffset', () => {
  it('is recorder time minus station time, from the driver', () => {
    expect(
      clockOffset({ recorderTime: '2026-11-22T05:00:30Z', stationTime: '2026-11-22T05:00:00Z' }),
    ).toEqual({ offsetMs: 30_000, source: 'driver' });
    expect(
      clockOffset({ recorderTime: '2026-11-22T04:58:00Z', stationTime: '2026-11-22T05:00:00Z' }),
    ).toEqual({ offsetMs: -120_000, source: 'driver' });
  });

  it('a garbled recorder answer is no measurement', () => {
    expect(clockOffset({ recorderTime: '??', stationTime: '2026-11-22T05:00:00Z' })).toBeNull();
  });
});

describe('Clock (D-24H, D-CONTINUOUS): estimateClockOffset', () => {
  it('is the newest clip mtime minus the docking time, marked as an estimate', () => {
    expect(
      estimateClockOffset({
        newestClipMtime: '2026-11-22T05:03:00Z',
        dockedAt: '2026-11-22T05:00:00Z',
      }),
    ).toEqual({ offsetMs: 180_000, source: 'estimate' });
  });

  it('is null when there is no clip to go by', () => {
    expect(estimateClockOffset({ newestClipMtime: null, dockedAt: '2026-11-22T05:00:00Z' })).toBe(
      null,
    );
  });
});

describe('Clock (D-24H, D-CONTINUOUS): applyClockOffset', () => {
  it('a measured offset moves the time onto the station clock, both ways', () => {
    expect(applyClockOffset('2026-11-22T05:00:30Z', { offsetMs: 30_000, source: 'driver' })).toBe(
      '2026-11-22T05:00:00.000Z',
    );
    expect(applyClockOffset('2026-11-22T05:00:00Z', { offsetMs: -60_000, source: 'driver' })).toBe(
      '2026-11-22T05:01:00.000Z',
    );
  });

  it('a positive estimate (a fast clock, proven) is applied', () => {
    expect(
      applyClockOffset('2026-11-22T05:10:00Z', { offsetMs: 600_000, source: 'estimate' }),
    ).toBe('2026-11-22T05:00:00.000Z');
  });

  it('a negative estimate may be idle time and is not applied, so it cannot hide late custody', () => {
    // Recorded at 05:00, docked at 13:00 with the clock right: the estimate says −8 h.
    const estimate = estimateClockOffset({
      newestClipMtime: '2026-11-22T05:00:00Z',
      dockedAt: '2026-11-22T13:00:00Z',
    });
    expect(estimate?.offsetMs).toBe(-8 * 3600_000);
    expect(applyClockOffset('2026-11-22T05:00:00Z', estimate)).toBe('2026-11-22T05:00:00.000Z');
  });

  it('unknown stays unknown; no offset only normalises', () => {
    expect(applyClockOffset(null, { offsetMs: 1, source: 'driver' })).toBeNull();
    expect(applyClockOffset('bad', { offsetMs: 1, source: 'driver' })).toBeNull();
    expect(applyClockOffset('2026-11-22T13:00:00+08:00', null)).toBe('2026-11-22T05:00:00.000Z');
  });
});
