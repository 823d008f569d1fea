/**
 * The archive disk's room (D-NO-TAMPER: failing to store records so that they are lost is
 * forbidden; D-24H: footage that cannot be archived stays on the recorders). A full disk stops
 * every docking, so custodians and supervisors are told before it comes: at 80 % used a warning,
 * at 95 % critical, and how many days are left at the rate footage has been arriving.
 */

export type ArchiveSpaceLevel = 'ok' | 'warning' | 'critical';

/** Used share of the disk at which custodians are warned, and at which it is critical. */
export const ARCHIVE_SPACE_WARNING_PERCENT = 80;
export const ARCHIVE_SPACE_CRITICAL_PERCENT = 95;

/** The days of intake the rate is taken over. */
export const ARCHIVE_INTAKE_DAYS = 14;

export interface ArchiveSpaceFacts {
  /** The disk's size in bytes. */
  totalBytes: number;
  /** Bytes the station may still write there (what the OS gives an unprivileged writer). */
  freeBytes: number;
  /** Bytes archived over the last `days` days. */
  archivedBytes: number;
  days: number;
}

export interface ArchiveSpaceOutlook {
  /** Share of the disk the station can no longer write, 0–100 (one decimal). */
  usedPercent: number;
  level: ArchiveSpaceLevel;
  /** Bytes archived a day, on average over the period. */
  bytesPerDay: number;
  /** Whole days until the free space is gone at that rate; null when nothing arrived. */
  daysLeft: number | null;
}

/** How full the archive disk is, and for how long it will still take footage. */
export function archiveSpaceOutlook(facts: ArchiveSpaceFacts): ArchiveSpaceOutlook {
  const total = Math.max(0, facts.totalBytes);
  const free = Math.min(Math.max(0, facts.freeBytes), total);
  // A disk that reports no size has no room either.
  const usedPercent = total === 0 ? 100 : Math.round(((total - free) / total) * 1000) / 10;
  const level: ArchiveSpaceLevel =
    usedPercent >= ARCHIVE_SPACE_CRITICAL_PERCENT
      ? 'critical'
      : usedPercent >= ARCHIVE_SPACE_WARNING_PERCENT
        ? 'warning'
        : 'ok';
  const bytesPerDay = facts.days > 0 ? Math.max(0, facts.archivedBytes) / facts.days : 0;
  const daysLeft = bytesPerDay > 0 ? Math.floor(free / bytesPerDay) : null;
  return { usedPercent, level, bytesPerDay, daysLeft };
}
