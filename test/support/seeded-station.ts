// A real `evidock station` process over a catalogue prepared beforehand (people, a recorder,
// clips, settings written straight into SQLite as an older version or an attacker with the file
// would), driven over its browser-mode WebSocket exactly as the UI drives it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Catalogue, type CatalogueWrite } from '../../src-main/catalogue/catalogue';
import type { NewClip } from '../../src-main/catalogue/clips';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { MethodInput, MethodName, MethodOutput, Role } from '../../src-main/contract';
import { seedUser } from './core-station';
import { SocketClient } from './socket-client';
import { startStationProcess, type StationProcess } from './station-process';
import { tempDir } from './temp';

export const SEEDED_PASSWORD = 'correct horse 1';

export interface SeededStation {
  dataDir: string;
  process: StationProcess;
  /** A logged-in WebSocket client per badge. */
  as(badge: string): Promise<SocketClient>;
  stop(): Promise<void>;
}

/** The answer's value, or an Error naming the refusal. */
export async function ok<M extends MethodName>(
  client: SocketClient,
  method: M,
  params: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await client.call(method, params);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

/** The refusal, or an Error when the call was allowed. */
export async function refused<M extends MethodName>(
  client: SocketClient,
  method: M,
  params: MethodInput<M>,
): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const result = await client.call(method, params);
  if (result.ok) throw new Error(`${method} was allowed`);
  return result.error;
}

/**
 * Writes the people (with a real, low-cost scrypt hash) and whatever `seed` adds, lets `raw`
 * change the file past the station's code, then starts the station.
 */
export async function seededStation(
  people: readonly { badge: string; role: Role }[],
  seed: (tx: CatalogueWrite) => void = () => {},
  raw: (db: Database.Database) => void = () => {},
): Promise<SeededStation> {
  const dir = tempDir('evidock-seeded-');
  const mounts = tempDir('evidock-mounts-');
  const { catalogue } = Catalogue.open(join(dir.path, CATALOGUE_FILE));
  try {
    const at = new Date().toISOString();
    for (const person of people) {
      const name = `${person.role} ${person.badge}`;
      seedUser(catalogue, { ...person, name, password: SEEDED_PASSWORD }, at);
    }
    catalogue.write(seed);
  } finally {
    catalogue.close();
  }
  const db = new Database(join(dir.path, CATALOGUE_FILE));
  try {
    raw(db);
  } finally {
    db.close();
  }
  const process = await startStationProcess(dir.path, ['--mount-root', mounts.path]);
  const origin = `http://127.0.0.1:${process.port}`;
  const clients: SocketClient[] = [];
  return {
    dataDir: dir.path,
    process,
    async as(badge) {
      const client = await SocketClient.open(process.url, origin);
      await client.login(badge, SEEDED_PASSWORD);
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      if (process.child.exitCode === null) await process.stop('SIGKILL');
      dir.remove();
      mounts.remove();
    },
  };
}

let sequence = 0;

/** A verified clip of `officer` on recorder `serial` (registered and docked here if need be). */
export function seedClip(
  tx: CatalogueWrite,
  clip: { officer: string; serial: string; recordedStart: string; custodyAt: string },
): number {
  if (!tx.recorders.get(clip.serial)) {
    tx.recorders.register(
      { serial: clip.serial, profileId: 'generic-dcim', officerBadge: clip.officer },
      clip.officer,
      clip.custodyAt,
    );
  }
  const docking = tx.dockings.start(
    {
      recorderSerial: clip.serial,
      officerBadge: clip.officer,
      identifiedBy: 'badge-pin',
      mountpoint: '/m',
    },
    clip.custodyAt,
  );
  tx.dockings.finish(
    docking.id,
    { status: 'complete', safeToUndock: true, error: null },
    clip.custodyAt,
  );
  sequence += 1;
  const end = new Date(Date.parse(clip.recordedStart) + 60_000).toISOString();
  const record: NewClip = {
    recorderSerial: clip.serial,
    dockingId: docking.id,
    originalPath: `DCIM/S${sequence}.MP4`,
    originalSize: 1000,
    originalMtime: end,
    kind: 'video',
    sha256: sequence.toString(16).padStart(64, '0'),
    sm3: null,
    archivePath: `archive/seeded/${clip.serial}/S${sequence}.MP4`,
    officerBadge: clip.officer,
    sequence,
    recordedStart: clip.recordedStart,
    recordedStartSource: 'container',
    recordedEnd: end,
    recordedEndSource: 'container',
    durationMs: 60_000,
    width: 1920,
    height: 1080,
    codec: 'h264',
    custodyAt: clip.custodyAt,
    clockOffsetMs: null,
    clockOffsetSource: null,
  };
  return tx.clips.insertVerified(record).id;
}
