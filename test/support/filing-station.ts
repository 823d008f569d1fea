// A station with people and footage, for tests of what each session may see and play: the
// station's own services in this process (real SQLite file, real audit chain), its browser-mode
// HTTP server on a free loopback port, and clips whose bytes are real files in its archive.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NewClip } from '../../src-main/catalogue/clips';
import type {
  MethodInput,
  MethodName,
  MethodOutput,
  Role,
  RpcResult,
} from '../../src-main/contract';
import { startBrowserMode, type BrowserModeServer } from '../../src-main/station/http-server';
import {
  closeStation,
  openStation,
  stopStationDock,
  type Station,
} from '../../src-main/station/services';
import { seedUser } from './core-station';
import { tempDir } from './temp';

export const PASSWORD = 'correct horse 1';

export const PEOPLE: readonly { badge: string; name: string; role: Role }[] = [
  { badge: 'ADM-1', name: '管理员', role: 'admin' },
  { badge: 'J0123', name: '李明', role: 'officer' },
  { badge: 'J0456', name: '赵强', role: 'officer' },
  { badge: 'C0001', name: '王保管', role: 'custodian' },
  { badge: 'S0001', name: '孙督察', role: 'supervisor' },
];

export interface FilingStation {
  station: Station;
  server: BrowserModeServer;
  dataDir: string;
  /** The page origin of browser mode (what a page served by the station sends as Origin). */
  origin: string;
  /** Session tokens by badge (each person logged in once by the dispatcher). */
  tokens: Map<string, string>;
  /** Calls the station's one door as `badge`; throws on a refusal. */
  ok<M extends MethodName>(
    badge: string,
    method: M,
    params: MethodInput<M>,
  ): Promise<MethodOutput<M>>;
  call<M extends MethodName>(badge: string, method: M, params: MethodInput<M>): Promise<RpcResult>;
  /** Moves the station's clock on (it also moves a millisecond at every read). */
  advance(ms: number): void;
  /** Puts a verified clip of `officer` into the catalogue and its bytes into the archive. */
  addClip(officer: string, bytes: Buffer): number;
  close(): Promise<void>;
}

let clipNumber = 0;

export async function openFilingStation(): Promise<FilingStation> {
  const dir = tempDir('evidock-filing-');
  let now = Date.parse('2026-11-22T10:00:00.000Z');
  const station = openStation({ dataDir: dir.path, now: () => new Date(now++), log: () => {} });
  const tokens = new Map<string, string>();
  const call = <M extends MethodName>(badge: string, method: M, params: MethodInput<M>) =>
    station.dispatcher.dispatch({ method, params, session: tokens.get(badge) });
  const ok = async <M extends MethodName>(badge: string, method: M, params: MethodInput<M>) => {
    const result = await call(badge, method, params);
    if (!result.ok) {
      throw new Error(`${badge} ${method}: ${result.error.code} ${result.error.message}`);
    }
    return result.value as MethodOutput<M>;
  };
  const admin = PEOPLE[0]!;
  const setup = await station.dispatcher.dispatch({
    method: 'setup.createAdmin',
    params: { badge: admin.badge, name: admin.name, password: PASSWORD },
  });
  if (!setup.ok) throw new Error(setup.error.message);
  tokens.set(admin.badge, (setup.value as { token: string }).token);
  for (const person of PEOPLE.slice(1)) {
    // Straight into the users table: how accounts are granted is not what these tests are about.
    seedUser(station.catalogue, { ...person, password: PASSWORD });
    const login = await station.dispatcher.dispatch({
      method: 'auth.login',
      params: { badge: person.badge, password: PASSWORD },
    });
    if (!login.ok) throw new Error(login.error.message);
    tokens.set(person.badge, (login.value as { token: string }).token);
  }

  const dockingOf = new Map<string, number>();
  const addClip = (officer: string, bytes: Buffer): number =>
    station.catalogue.write((tx) => {
      const serial = `CAM-${officer}`;
      // Docked two days after recording: late custody (D-24H), so an exception can be recorded.
      const at = '2026-11-22T09:00:00.000Z';
      let docking = dockingOf.get(officer);
      if (docking === undefined) {
        tx.recorders.register(
          { serial, profileId: 'generic-dcim', officerBadge: officer },
          'C0001',
          at,
        );
        docking = tx.dockings.start(
          {
            recorderSerial: serial,
            officerBadge: officer,
            identifiedBy: 'badge-pin',
            mountpoint: '/m',
          },
          at,
        ).id;
        tx.dockings.finish(docking, { status: 'complete', safeToUndock: true, error: null }, at);
        dockingOf.set(officer, docking);
      }
      clipNumber += 1;
      const archivePath = `archive/2026/11/20/${serial}/C${clipNumber}.MP4`;
      mkdirSync(dirname(join(dir.path, archivePath)), { recursive: true });
      writeFileSync(join(dir.path, archivePath), bytes);
      const start = new Date(Date.parse('2026-11-20T01:00:00.000Z') + clipNumber * 600_000);
      const end = new Date(start.getTime() + 60_000).toISOString();
      const clip: NewClip = {
        recorderSerial: serial,
        dockingId: docking,
        originalPath: `DCIM/C${clipNumber}.MP4`,
        originalSize: bytes.length,
        originalMtime: end,
        kind: 'video',
        sha256: clipNumber.toString(16).padStart(64, '0'),
        sm3: null,
        archivePath,
        officerBadge: officer,
        sequence: clipNumber,
        recordedStart: start.toISOString(),
        recordedStartSource: 'container',
        recordedEnd: end,
        recordedEndSource: 'container',
        durationMs: 60_000,
        width: 1920,
        height: 1080,
        codec: 'h264',
        custodyAt: at,
        clockOffsetMs: null,
        clockOffsetSource: null,
      };
      const id = tx.clips.insertVerified(clip).id;
      tx.dockings.addFinding(
        docking,
        { code: 'late-custody', message: 'late (D-24H)', clipId: id, path: clip.originalPath },
        at,
      );
      return id;
    });

  const renderer = join(dir.path, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>evidock</title>');
  const server = await startBrowserMode(station, {
    host: '127.0.0.1',
    port: 0,
    rendererDir: renderer,
  });
  return {
    station,
    server,
    dataDir: dir.path,
    origin: `http://127.0.0.1:${server.port}`,
    tokens,
    ok,
    call,
    advance: (ms) => {
      now += ms;
    },
    addClip,
    close: async () => {
      await server.close();
      await stopStationDock(station);
      closeStation(station);
      dir.remove();
    },
  };
}
