import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { ARCHIVE_FOLDER } from '../archive';
import type { Catalogue } from '../catalogue/catalogue';
import type { ArchiveStorage } from '../contract';
import { ARCHIVE_INTAKE_DAYS, archiveSpaceOutlook } from '../domain';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ArchiveSpaceDeps {
  dataDir: string;
  catalogue: Catalogue;
  now: () => Date;
}

/**
 * The archive disk's room and how long it lasts at the recent intake (D-NO-TAMPER, D-24H): the
 * file system the archive folder is on, as the OS reports it, and the bytes taken into custody
 * over the last 14 days.
 */
export class ArchiveSpace {
  constructor(private readonly deps: ArchiveSpaceDeps) {}

  async measure(): Promise<ArchiveStorage> {
    const { dataDir, catalogue, now } = this.deps;
    const disk = await statfsOfArchive(dataDir);
    const at = now();
    const since = new Date(at.getTime() - ARCHIVE_INTAKE_DAYS * DAY_MS).toISOString();
    const archivedBytes = catalogue.clips.archivedBytesSince(since);
    const totalBytes = disk.blocks * disk.bsize;
    // What an unprivileged writer may still use: blocks reserved for root are not the station's.
    const freeBytes = disk.bavail * disk.bsize;
    const outlook = archiveSpaceOutlook({
      totalBytes,
      freeBytes,
      archivedBytes,
      days: ARCHIVE_INTAKE_DAYS,
    });
    return {
      totalBytes,
      freeBytes,
      usedPercent: outlook.usedPercent,
      level: outlook.level,
      intakeDays: ARCHIVE_INTAKE_DAYS,
      archivedBytes,
      bytesPerDay: outlook.bytesPerDay,
      daysLeft: outlook.daysLeft,
      measuredAt: at.toISOString(),
    };
  }
}

/**
 * The archive folder's file system; before the first clip there is no archive folder yet, and
 * the data dir it will be made in is asked instead.
 */
async function statfsOfArchive(
  dataDir: string,
): Promise<{ blocks: number; bavail: number; bsize: number }> {
  let info;
  try {
    info = await statfs(join(dataDir, ARCHIVE_FOLDER));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    info = await statfs(dataDir);
  }
  return { blocks: Number(info.blocks), bavail: Number(info.bavail), bsize: Number(info.bsize) };
}
