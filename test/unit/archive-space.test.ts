// The archive disk's outlook on Home (D-NO-TAMPER: records must not be lost for want of storage;
// D-24H: a full disk leaves footage on the recorders): how full, how urgent, how many days left.
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_INTAKE_DAYS,
  ARCHIVE_SPACE_CRITICAL_PERCENT,
  ARCHIVE_SPACE_WARNING_PERCENT,
  archiveSpaceOutlook,
} from '../../src-main/domain';

const GB = 1_000_000_000;
const disk = (totalBytes: number, freeBytes: number, archivedBytes = 0, days = 14) => ({
  totalBytes,
  freeBytes,
  archivedBytes,
  days,
});

describe('archiveSpaceOutlook', () => {
  it('takes the intake over the last 14 days and warns at 80 % and 95 % used', () => {
    expect(ARCHIVE_INTAKE_DAYS).toBe(14);
    expect(ARCHIVE_SPACE_WARNING_PERCENT).toBe(80);
    expect(ARCHIVE_SPACE_CRITICAL_PERCENT).toBe(95);
  });

  it('counts as used what the station can no longer write, to one decimal', () => {
    expect(archiveSpaceOutlook(disk(1000 * GB, 750 * GB)).usedPercent).toBe(25);
    expect(archiveSpaceOutlook(disk(3 * GB, 2 * GB)).usedPercent).toBe(33.3);
    expect(archiveSpaceOutlook(disk(1000 * GB, 1000 * GB)).usedPercent).toBe(0);
    expect(archiveSpaceOutlook(disk(1000 * GB, 0)).usedPercent).toBe(100);
  });

  it('is ok below 80 %, a warning from 80 %, critical from 95 %', () => {
    const level = (usedPercent: number) =>
      archiveSpaceOutlook(disk(1000 * GB, (1000 - usedPercent * 10) * GB)).level;
    expect(level(0)).toBe('ok');
    expect(level(79.9)).toBe('ok');
    expect(level(80)).toBe('warning');
    expect(level(94.9)).toBe('warning');
    expect(level(95)).toBe('critical');
    expect(level(100)).toBe('critical');
  });

  it('says how many whole days the free space lasts at the recent rate', () => {
    // 140 GB over 14 days: 10 GB a day; 255 GB free lasts 25 whole days.
    const outlook = archiveSpaceOutlook(disk(1000 * GB, 255 * GB, 140 * GB));
    expect(outlook.bytesPerDay).toBe(10 * GB);
    expect(outlook.daysLeft).toBe(25);
    expect(archiveSpaceOutlook(disk(1000 * GB, 5 * GB, 140 * GB)).daysLeft).toBe(0);
    expect(archiveSpaceOutlook(disk(1000 * GB, 0, 140 * GB)).daysLeft).toBe(0);
  });

  it('gives no day count when nothing was archived in the period (no recent intake)', () => {
    const outlook = archiveSpaceOutlook(disk(1000 * GB, 500 * GB, 0));
    expect(outlook.bytesPerDay).toBe(0);
    expect(outlook.daysLeft).toBeNull();
    expect(archiveSpaceOutlook(disk(1000 * GB, 500 * GB, 10 * GB, 0)).daysLeft).toBeNull();
  });

  it('treats a disk that reports no size as full, and never more free than its size', () => {
    expect(archiveSpaceOutlook(disk(0, 0)).level).toBe('critical');
    expect(archiveSpaceOutlook(disk(0, 0)).usedPercent).toBe(100);
    expect(archiveSpaceOutlook(disk(10 * GB, 20 * GB)).usedPercent).toBe(0);
    expect(archiveSpaceOutlook(disk(10 * GB, -5)).usedPercent).toBe(100);
  });
});
