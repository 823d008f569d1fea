// Rule D-CONTINUOUS as code: the traces of intermittent, cut, re-recorded or inserted footage a
// docking can see in one recorder's clips.
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../src-main/contract';
import {
  CONTINUITY_CODES,
  continuityFindings,
  type ContinuityClip,
  type ContinuityOptions,
} from '../../src-main/domain';

const OPTIONS: ContinuityOptions = {
  now: '2026-11-22T12:00:00Z',
  gapThresholdSeconds: 60,
  overlapToleranceSeconds: 2,
};

/** A clip of `minutes` length starting at 05:MM:SS (UTC) on the day of the tests. */
function clip(
  sequence: number | null,
  start: string | null,
  minutes: number | null = 5,
  extra: Partial<ContinuityClip> = {},
): ContinuityClip {
  const startMs = start === null ? null : Date.parse(`2026-11-22T${start}Z`);
  return {
    path: `DCIM/${String(sequence ?? 'x').padStart(4, '0')}.mp4`,
    sequence,
    recordedStart: startMs === null ? null : new Date(startMs).toISOString(),
    recordedEnd:
      startMs === null || minutes === null
        ? null
        : new Date(startMs + minutes * 60_000).toISOString(),
    ...extra,
  };
}

const codes = (clips: ContinuityClip[], options = OPTIONS) =>
  continuityFindings(clips, options).map((f) => [f.code, f.path]);

describe('D-CONTINUOUS: continuityFindings', () => {
  it('a continuous run of clips gives no findings', () => {
    const clips = [clip(1, '05:00:00'), clip(2, '05:05:00'), clip(3, '05:10:01')];
    expect(continuityFindings(clips, OPTIONS)).toEqual([]);
  });

  it('no clips, no findings', () => {
    expect(continuityFindings([], OPTIONS)).toEqual([]);
  });

  it('a missing sequence number is a sequence gap naming what is missing', () => {
    const findings = continuityFindings(
      [clip(1, '05:00:00'), clip(2, '05:05:00'), clip(5, '05:10:00')],
      OPTIONS,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'sequence-gap',
      path: 'DCIM/0005.mp4',
      details: { sequence: 5, previousSequence: 2, missing: 2, firstMissing: 3, lastMissing: 4 },
    });
    expect(findings[0]?.message).toMatch(/2 clip\(s\) missing \(3–4\)/);
  });

  it('finds the gap across dockings from the previous docking’s last clip', () => {
    const previous = clip(40, '01:00:00', 5, { earlierDocking: true, path: 'DCIM/0040.mp4' });
    const findings = continuityFindings([clip(43, '05:00:00'), previous], OPTIONS);
    expect(findings.map((f) => f.code)).toEqual(['sequence-gap']);
    expect(findings[0]).toMatchObject({
      path: 'DCIM/0043.mp4',
      details: { previousPath: 'DCIM/0040.mp4', acrossDockings: true, missing: 2 },
    });
    expect(findings[0]?.message).toMatch(/since the previous docking/);
  });

  it('the previous docking’s clip followed by the next number is fine, and it is never reported on again', () => {
    const previous = clip(40, '01:00:00', 5, {
      earlierDocking: true,
      // Far in the future: it was reported when it was docked.
      recordedEnd: '2030-01-01T00:00:00Z',
    });
    expect(codes([previous, clip(41, '05:00:00')])).toEqual([
      // Starting before the previous clip "ended" is still an overlap for the new clip.
      ['timeline-overlap', 'DCIM/0041.mp4'],
    ]);
    expect(
      codes([clip(40, '01:00:00', 5, { earlierDocking: true }), clip(41, '05:00:00')]),
    ).toEqual([]);
  });

  it('a counter that starts again is a sequence reset, within a docking and across dockings', () => {
    expect(codes([clip(9998, '05:00:00'), clip(9999, '05:05:00'), clip(1, '05:10:00')])).toEqual([
      ['sequence-reset', 'DCIM/0001.mp4'],
    ]);
    const previous = clip(120, '01:00:00', 5, { earlierDocking: true });
    const findings = continuityFindings([clip(1, '05:00:00'), clip(2, '05:05:00'), previous], {
      ...OPTIONS,
    });
    expect(findings.map((f) => f.code)).toEqual(['sequence-reset']);
    expect(findings[0]?.details).toMatchObject({ acrossDockings: true, previousSequence: 120 });
  });

  it('a repeated sequence number is reported', () => {
    const findings = continuityFindings(
      [clip(7, '05:00:00'), clip(7, '05:05:00', 5, { path: 'DCIM/0007b.mp4' })],
      OPTIONS,
    );
    expect(findings.map((f) => [f.code, f.path])).toEqual([['sequence-reset', 'DCIM/0007b.mp4']]);
    expect(findings[0]?.message).toMatch(/repeats/);
  });

  it('a hole in the timeline longer than the threshold is a timeline gap; exactly the threshold is not', () => {
    expect(codes([clip(1, '05:00:00'), clip(2, '05:06:00')])).toEqual([]);
    const findings = continuityFindings([clip(1, '05:00:00'), clip(2, '05:06:01')], OPTIONS);
    expect(findings.map((f) => f.code)).toEqual(['timeline-gap']);
    expect(findings[0]?.details).toMatchObject({
      gapSeconds: 61,
      previousEnd: '2026-11-22T05:05:00.000Z',
      start: '2026-11-22T05:06:01.000Z',
    });
  });

  it('the threshold is configurable', () => {
    const clips = [clip(1, '05:00:00'), clip(2, '05:10:00')];
    expect(codes(clips, { ...OPTIONS, gapThresholdSeconds: 600 })).toEqual([]);
    expect(codes(clips, { ...OPTIONS, gapThresholdSeconds: 299 })).toEqual([
      ['timeline-gap', 'DCIM/0002.mp4'],
    ]);
  });

  it('no timeline gap is claimed across dockings: the recorder sat in the dock', () => {
    const previous = clip(40, '01:00:00', 5, { earlierDocking: true });
    expect(codes([previous, clip(41, '09:00:00')])).toEqual([]);
  });

  it('a clip that starts before the previous one ended is an overlap (beyond the tolerance)', () => {
    // 2 s of overlap is how some recorders split files; 3 s is not.
    expect(codes([clip(1, '05:00:00'), clip(2, '05:04:58')])).toEqual([]);
    const findings = continuityFindings([clip(1, '05:00:00'), clip(2, '05:04:57')], OPTIONS);
    expect(findings.map((f) => f.code)).toEqual(['timeline-overlap']);
    expect(findings[0]).toMatchObject({
      path: 'DCIM/0002.mp4',
      details: { overlapSeconds: 3, previousPath: 'DCIM/0001.mp4' },
    });
  });

  it('a short clip inside a long one overlaps the long one, and so does the clip after it', () => {
    const long = clip(1, '05:00:00', 30);
    const inserted = clip(2, '05:10:00', 1);
    const next = clip(3, '05:20:00', 5);
    const findings = continuityFindings([long, inserted, next], OPTIONS);
    expect(findings.map((f) => [f.code, f.path, f.details.previousPath])).toEqual([
      ['timeline-overlap', 'DCIM/0002.mp4', 'DCIM/0001.mp4'],
      ['timeline-overlap', 'DCIM/0003.mp4', 'DCIM/0001.mp4'],
    ]);
  });

  it('a clip with a time in the future is reported; within the tolerance it is not', () => {
    const ahead = clip(2, '11:58:00', 3); // ends 12:01:00, 60 s after now: the tolerance
    expect(codes([clip(1, '11:50:00', 8), ahead])).toEqual([]);
    const far = clip(3, '12:30:00', 1);
    const findings = continuityFindings([clip(1, '11:50:00', 8), ahead, far], OPTIONS);
    expect(findings.map((f) => f.code)).toEqual(['timeline-gap', 'future-time']);
    expect(findings[1]).toMatchObject({ path: 'DCIM/0003.mp4', details: { aheadSeconds: 1860 } });
    expect(
      codes([clip(1, '11:50:00', 8), ahead], { ...OPTIONS, futureToleranceSeconds: 0 }),
    ).toEqual([['future-time', 'DCIM/0002.mp4']]);
  });

  it('unknown times: no timeline claims, and a clip without time does not read as missing', () => {
    const clips = [
      clip(5, '05:00:00'),
      clip(6, null),
      clip(7, '05:05:00'),
      clip(8, '05:20:00', null), // start known, end unknown: the hole after it cannot be measured
      clip(9, '06:00:00'),
    ];
    expect(codes(clips)).toEqual([['timeline-gap', 'DCIM/0008.mp4']]);
  });

  it('a clip without time still counts toward sequence gaps', () => {
    expect(codes([clip(1, '05:00:00'), clip(4, null), clip(5, '05:05:00')])).toEqual([
      ['sequence-gap', 'DCIM/0004.mp4'],
    ]);
  });

  it('clips without a sequence number take part in the timeline only', () => {
    const a = { ...clip(null, '05:00:00'), path: 'a.mp4' };
    const b = { ...clip(null, '05:03:00'), path: 'b.mp4' };
    expect(codes([a, b])).toEqual([['timeline-overlap', 'b.mp4']]);
  });

  it('series are compared separately: a photo during a video is no overlap, photo numbers have their own gaps', () => {
    const video = { ...clip(1, '05:00:00', 10), series: 'video' };
    const photo1 = { ...clip(1, '05:02:00', 0), series: 'photo', path: 'PHOTO/0001.jpg' };
    const photo3 = { ...clip(3, '05:30:00', 0), series: 'photo', path: 'PHOTO/0003.jpg' };
    expect(codes([video, photo3, photo1])).toEqual([['sequence-gap', 'PHOTO/0003.jpg']]);
  });

  it('photos (start = end) leave no timeline gaps between them', () => {
    const photos = [clip(1, '05:00:00', 0), clip(2, '07:00:00', 0)];
    expect(codes(photos)).toEqual([]);
  });

  it('the order of findings does not depend on the order of the clips', () => {
    const clips = [
      { ...clip(1, '05:00:00'), series: 'video' },
      { ...clip(3, '05:03:00'), series: 'video' },
      { ...clip(9, '05:30:00'), series: 'video' },
      { ...clip(2, '13:00:00', 0), series: 'audio' },
      { ...clip(5, '13:10:00', 1), series: 'audio' },
    ];
    const forward = continuityFindings(clips, OPTIONS);
    const backward = continuityFindings([...clips].reverse(), OPTIONS);
    expect(backward).toEqual(forward);
    // By series (audio before video), then recording order, then code.
    expect(forward.map((f) => [f.path, f.code])).toEqual([
      ['DCIM/0002.mp4', 'future-time'],
      ['DCIM/0005.mp4', 'sequence-gap'],
      ['DCIM/0005.mp4', 'future-time'],
      ['DCIM/0003.mp4', 'sequence-gap'],
      ['DCIM/0003.mp4', 'timeline-overlap'],
      ['DCIM/0009.mp4', 'sequence-gap'],
      ['DCIM/0009.mp4', 'timeline-gap'],
    ]);
  });

  it('every finding carries an English message and JSON-ready details', () => {
    const findings = continuityFindings(
      [clip(1, '05:00:00'), clip(3, '05:02:00'), clip(9, '20:00:00')],
      OPTIONS,
    );
    for (const finding of findings) {
      expect(finding.message).toMatch(/^[\x20-\x7e–]+$/);
      expect(JSON.parse(JSON.stringify(finding.details))).toEqual(finding.details);
    }
  });
});

describe('D-CONTINUOUS findings on the Dock screen', () => {
  it('are all finding codes of the contract, so the UI explains each one', () => {
    expect(FINDING_CODES).toEqual(expect.arrayContaining([...CONTINUITY_CODES]));
  });
});
