// A station for ingest tests: a real data dir with a real SQLite catalogue and audit log, a
// temp folder standing in for a docked recorder's volume, and an engine whose copies run in
// real worker threads (the bundled worker). Nothing here replaces a module under test.
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import { AuditLog } from '../../src-main/custody/audit-log';
import { verifyArchive, type IntegrityReport } from '../../src-main/custody/integrity';
import { recorderProfileSchema, type RecorderProfile } from '../../src-main/devices/profile';
import { IngestEngine, type IngestEngineOptions } from '../../src-main/ingest';
import { fileTimeFacts } from '../../src-main/ingest/media';
import { REPO_ROOT } from './cli';
import { ingestWorkerScript } from './ingest-build';
import { tempDir } from './temp';

export interface TestStation {
  dataDir: string;
  catalogue: Catalogue;
  /** The catalogue's connection, for looking at it as the sqlite shell would. */
  db: Database.Database;
  audit: AuditLog;
  /** Closes the catalogue (as a stopping station does); `reopen` opens it again. */
  close: () => void;
  reopen: () => void;
  remove: () => void;
}

export function testStation(dataDir?: string): TestStation {
  const temp = dataDir === undefined ? tempDir('evidock-ingest-data-') : null;
  const dir = dataDir ?? temp!.path;
  const open = () => {
    const { catalogue } = Catalogue.open(join(dir, CATALOGUE_FILE));
    return { catalogue, db: catalogue.db, audit: new AuditLog(catalogue) };
  };
  const station: TestStation = {
    dataDir: dir,
    ...open(),
    close: () => {
      if (station.catalogue.isOpen) station.catalogue.close();
    },
    reopen: () => Object.assign(station, open()),
    remove: () => {
      station.close();
      temp?.remove();
    },
  };
  return station;
}

export function loadProfile(id = 'generic-dcim'): RecorderProfile {
  const json = JSON.parse(
    readFileSync(join(REPO_ROOT, 'resources', 'recorders', `${id}.json`), 'utf8'),
  ) as unknown;
  return recorderProfileSchema.parse(json);
}

export function registerRecorder(
  catalogue: Catalogue,
  serial: string,
  profileId = 'generic-dcim',
): void {
  catalogue.write((tx) =>
    tx.recorders.register(
      { serial, profileId, officerBadge: null },
      'custodian',
      new Date().toISOString(),
    ),
  );
}

export interface VolumeFile {
  /** Relative to the volume root, `/`-separated. */
  path: string;
  bytes?: Buffer;
  /** Random bytes of this size when `bytes` is not given. */
  size?: number;
  mtime?: Date;
}

export interface TestVolume {
  root: string;
  abs: (relPath: string) => string;
  add: (file: VolumeFile) => Buffer;
  remove: () => void;
}

/** An hour ago, in whole seconds: recorded recently enough to be on time (D-24H). */
export const RECENTLY = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);

/** A folder laid out like a recorder's volume (DCIM/…), with known bytes and times. */
export function testVolume(files: VolumeFile[] = []): TestVolume {
  const temp = tempDir('evidock-ingest-volume-');
  const abs = (relPath: string) => join(temp.path, ...relPath.split('/'));
  const add = (file: VolumeFile) => {
    const bytes = file.bytes ?? randomBytes(file.size ?? 1024);
    const path = abs(file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    const mtime = file.mtime ?? RECENTLY;
    utimesSync(path, mtime, mtime);
    return bytes;
  };
  for (const file of files) add(file);
  return { root: temp.path, abs, add, remove: temp.remove };
}

/** An engine on the station's data dir: worker threads, file-time facts, no thumbnails. */
export function openTestEngine(
  station: TestStation,
  options: Partial<IngestEngineOptions> = {},
): Promise<IngestEngine> {
  return IngestEngine.open({
    catalogue: station.catalogue,
    audit: station.audit,
    dataDir: station.dataDir,
    workerScript: ingestWorkerScript(),
    readMediaFacts: fileTimeFacts,
    makeThumbnail: async () => false,
    ...options,
  });
}

/** What most ingest tests start from: recorder CAM01 registered, an empty volume, an engine. */
export interface IngestBench {
  station: TestStation;
  volume: TestVolume;
  engine: IngestEngine;
}

/** The integrity sweep over the station's archive, catalogue and audit chain. */
export function sweepStation(station: TestStation): Promise<IntegrityReport> {
  return verifyArchive({
    catalogue: station.catalogue,
    dataDir: station.dataDir,
    audit: station.audit,
  });
}

/** A fresh station with recorder CAM01 registered, an empty volume, and an engine on the station. */
export async function openIngestBench(): Promise<IngestBench> {
  const station = testStation();
  registerRecorder(station.catalogue, 'CAM01');
  const volume = testVolume();
  return { station, volume, engine: await openTestEngine(station) };
}

/** Closes the engine (again, if a test closed it) and removes the data dir and the volume. */
export async function closeIngestBench({ station, volume, engine }: IngestBench): Promise<void> {
  await engine.close();
  station.remove();
  volume.remove();
}
