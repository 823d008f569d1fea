// What a recorder's file name says through its profile (issue 3, "Media facts"): the named groups
// serial, badge, start and sequence; the start in the recorder's local time.
import { describe, expect, it } from 'vitest';
import { recorderProfileSchema, type RecorderProfile } from '../../src-main/devices/profile';
import { fileNameFacts, parseStart } from '../../src-main/ingest/media/file-name';

const CST = 480;

function profile(pattern: string, startFormat?: string): RecorderProfile {
  return recorderProfileSchema.parse({
    id: 'test-names',
    name: { 'zh-CN': '测试', en: 'Test' },
    deviceKind: 'body-camera',
    driver: 'mass-storage',
    match: { markerFiles: ['DCIM'] },
    mediaFolders: ['DCIM'],
    mediaKinds: { video: ['mp4'] },
    fileName: { pattern, ...(startFormat === undefined ? {} : { startFormat }) },
  });
}

describe('parseStart', () => {
  it('reads YYYYMMDDHHmmss as local time at the given offset', () => {
    expect(parseStart('20261122130000', 'YYYYMMDDHHmmss', CST)).toBe(
      Date.parse('2026-11-22T05:00:00Z'),
    );
    // Just after midnight in Beijing is the previous day in UTC.
    expect(parseStart('20260101000500', 'YYYYMMDDHHmmss', CST)).toBe(
      Date.parse('2025-12-31T16:05:00Z'),
    );
  });

  it('formats with separators; literal characters must match', () => {
    expect(parseStart('2026-11-22_13.00.07', 'YYYY-MM-DD_HH.mm.ss', CST)).toBe(
      Date.parse('2026-11-22T05:00:07Z'),
    );
    expect(parseStart('2026-11-22x13.00.07', 'YYYY-MM-DD_HH.mm.ss', CST)).toBeNull();
  });

  it('a format without seconds or time starts at the full minute or midnight', () => {
    expect(parseStart('202611221300', 'YYYYMMDDHHmm', CST)).toBe(
      Date.parse('2026-11-22T05:00:00Z'),
    );
    expect(parseStart('20261122', 'YYYYMMDD', CST)).toBe(Date.parse('2026-11-21T16:00:00Z'));
  });

  it.each([
    ['20260230120000', 'no 30 February'],
    ['20261122250000', 'no hour 25'],
    ['20261122126000', 'no minute 60'],
    ['19991231235959', 'before 2000: an unset clock'],
    ['2026112213000', 'too short'],
    ['2026112213000x', 'not digits'],
  ])('%s is no time (%s)', (value) => {
    expect(parseStart(value, 'YYYYMMDDHHmmss', CST)).toBeNull();
  });

  it('a format without a date gives nothing', () => {
    expect(parseStart('130000', 'HHmmss', CST)).toBeNull();
  });
});

describe('fileNameFacts', () => {
  const standard = profile(
    '^(?<serial>[A-Z0-9]{4,20})_(?<badge>[A-Za-z0-9-]{2,32})_(?<start>\\d{14})_(?<sequence>\\d{4,6})\\.',
  );

  it('all four groups, from the base name of a path on the volume', () => {
    expect(
      fileNameFacts(standard, 'DCIM/2026/DSJ0001_A12345_20261122130000_000123.mp4', CST),
    ).toEqual({
      startMs: Date.parse('2026-11-22T05:00:00Z'),
      sequence: 123,
      badge: 'A12345',
      serial: 'DSJ0001',
    });
    expect(
      fileNameFacts(standard, 'DCIM\\DSJ0001_A12345_20261122130000_0001.mp4', CST).serial,
    ).toBe('DSJ0001');
  });

  it('a name that does not match, and a profile without a pattern, say nothing', () => {
    const nothing = { startMs: null, sequence: null, badge: null, serial: null };
    expect(fileNameFacts(standard, 'VID_0001.mp4', CST)).toEqual(nothing);
    const { fileName: _ignored, ...withoutPattern } = standard;
    expect(fileNameFacts(withoutPattern, 'DSJ0001_A12345_20261122130000_0001.mp4', CST)).toEqual(
      nothing,
    );
  });

  it('groups a pattern does not have stay null; the start format comes from the profile', () => {
    const ambarella = profile(
      '^(?<start>\\d{8}-\\d{6})_(?<sequence>\\d{4,6})\\.',
      'YYYYMMDD-HHmmss',
    );
    expect(fileNameFacts(ambarella, '20261122-130000_0042.MP4', CST)).toEqual({
      startMs: Date.parse('2026-11-22T05:00:00Z'),
      sequence: 42,
      badge: null,
      serial: null,
    });
  });
});
