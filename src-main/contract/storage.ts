import { z } from 'zod';
import { empty, method } from './method-spec';

/**
 * The archive disk's room, for custodians and supervisors on Home (D-NO-TAMPER: records must not
 * be lost for want of storage; D-24H: a full disk leaves footage on the recorders). The same
 * people read the archive's integrity sweep, so the same permission opens it.
 */

export const ARCHIVE_SPACE_LEVELS = ['ok', 'warning', 'critical'] as const;

export const archiveStorageSchema = z.object({
  /** The archive disk's size, in bytes. */
  totalBytes: z.number().int().nonnegative(),
  /** Bytes the station may still write there. */
  freeBytes: z.number().int().nonnegative(),
  /** Share of the disk the station can no longer write, 0–100. */
  usedPercent: z.number().min(0).max(100),
  /** `warning` from 80 % used, `critical` from 95 %. */
  level: z.enum(ARCHIVE_SPACE_LEVELS),
  /** The days the intake rate is taken over (the last 14). */
  intakeDays: z.number().int().positive(),
  /** Bytes archived over those days, and per day on average. */
  archivedBytes: z.number().int().nonnegative(),
  bytesPerDay: z.number().nonnegative(),
  /** Days until the disk is full at that rate; null when nothing was archived in the period. */
  daysLeft: z.number().int().nonnegative().nullable(),
  measuredAt: z.string(),
});
export type ArchiveStorage = z.infer<typeof archiveStorageSchema>;

export const STORAGE_METHODS = {
  'station.storage': method('integrity.read', empty, archiveStorageSchema, false),
} as const;
