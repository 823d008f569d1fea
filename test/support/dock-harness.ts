// A whole station in this process for dock tests: real SQLite, real files, real copy workers,
// every call through the station's one door (the RPC dispatcher) with real sessions. Devices are
// reported by a stand-in for the watcher (the watcher itself is tested with real hot-plugged
// block devices in test/devices).
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { Docking, DockedVolume as VolumeView, Role, RpcResult } from '../../src-main/contract';
import type { DeviceWatcherEvents, DockedVolume, UsbInfo } from '../../src-main/devices';
import {
  closeStation,
  openStation,
  startStationDock,
  stopStationDock,
  type Station,
} from '../../src-main/station/services';
import { startBrowserMode, type BrowserModeServer } from '../../src-main/station/http-server';
import { seedUser } from './core-station';
import { ingestWorkerScript } from './ingest-build';
import { testVolume, type TestVolume } from './ingest-station';
import { SocketClient } from './socket-client';
import { tempDir } from './temp';

export const PASSWORD = 'correct horse 1';
export const PEOPLE = {
  admin: 'ADM-1',
  custodian: 'CUS-1',
  officer: 'OFF-1',
  other: 'OFF-2',
  supervisor: 'SUP-1',
} as const;
export type Person = keyof typeof PEOPLE;
const ROLES: Record<Person, Role> = {
  admin: 'admin',
  custodian: 'custodian',
  officer: 'officer',
  other: 'officer',
  supervisor: 'supervisor',
};

/** Reports devices as the DeviceWatcher does; the test plugs and unplugs. */
export class Plugs extends EventEmitter<DeviceWatcherEvents> {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  dock(volume: DockedVolume): void {
    this.emit('volume-attached', volume);
  }
  undock(volume: DockedVolume): void {
    this.emit('volume-detached', volume);
  }
}

/** A folder as a docked volume, with the facts a watcher would have read of its device. */
export function volumeOf(
  folder: TestVolume,
  label: string | null,
  facts: { usb?: UsbInfo; size?: number; fsUuid?: string; device?: string } = {},
): DockedVolume {
  return {
    device: facts.device ?? `/dev/test-${label ?? 'nolabel'}`,
    mountpoint: folder.root,
    label,
    size: facts.size ?? null,
    isUSB: facts.usb ? true : null,
    ...(facts.usb ? { usb: facts.usb } : {}),
    ...(facts.fsUuid === undefined ? {} : { fsUuid: facts.fsUuid }),
  };
}

export async function until<T>(probe: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface AuditRowSeen {
  actor: string;
  subject: string;
  details: Record<string, unknown>;
}

/** A station with the five people logged in, its dock fed by `plugs`. */
export class DockHarness {
  station!: Station;
  plugs!: Plugs;
  readonly events: { name: string; payload: unknown }[] = [];
  readonly tokens = new Map<Person, string>();
  private dir = tempDir('evidock-dock-harness-');
  private readonly folders: TestVolume[] = [];
  private server: BrowserModeServer | undefined;
  private readonly sockets: SocketClient[] = [];

  static async open(): Promise<DockHarness> {
    const harness = new DockHarness();
    // The people are there before the station starts, as on a station in service (how accounts
    // are made and granted is tested elsewhere); their hashes are real scrypt at a low cost.
    const { catalogue } = Catalogue.open(join(harness.dir.path, CATALOGUE_FILE));
    try {
      for (const who of Object.keys(PEOPLE) as Person[]) {
        seedUser(catalogue, {
          badge: PEOPLE[who],
          name: who,
          role: ROLES[who],
          password: PASSWORD,
        });
      }
    } finally {
      catalogue.close();
    }
    harness.station = openStation({ dataDir: harness.dir.path });
    harness.subscribe();
    await harness.logIn();
    await harness.openDock();
    return harness;
  }

  /** The same data dir, opened again with another clock; everyone logs in again. */
  async reopen(now: () => Date): Promise<void> {
    await stopStationDock(this.station);
    closeStation(this.station);
    this.station = openStation({ dataDir: this.dir.path, now });
    this.subscribe();
    await this.logIn();
  }

  private subscribe(): void {
    this.station.hub.subscribe({
      // A supervisor's session receives every event the station pushes.
      viewer: () => ({ badge: 'OBSERVER', role: 'supervisor' }),
      deliver: (name, payload) => this.events.push({ name, payload }),
    });
  }

  private async logIn(): Promise<void> {
    for (const who of Object.keys(PEOPLE) as Person[]) {
      const session = await this.ok<{ token: string }>('auth.login', {
        badge: PEOPLE[who],
        password: PASSWORD,
      });
      this.tokens.set(who, session.token);
    }
  }

  async openDock(extra: Partial<Parameters<typeof startStationDock>[1]> = {}): Promise<void> {
    this.plugs = new Plugs();
    await startStationDock(this.station, {
      watcher: this.plugs,
      ingest: { workerScript: ingestWorkerScript(), makeThumbnail: async () => false },
      log: () => {},
      ...extra,
    });
  }

  /**
   * A session of `who` over the station's real WebSocket (browser mode on loopback), as the UI
   * of another workstation session would call.
   */
  async socket(who: Person): Promise<SocketClient> {
    if (this.server === undefined) {
      const renderer = join(this.dir.path, 'renderer-stand-in');
      mkdirSync(renderer, { recursive: true });
      writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>evidock</title>');
      this.server = await startBrowserMode(this.station, {
        host: '127.0.0.1',
        port: 0,
        rendererDir: renderer,
      });
    }
    const client = await SocketClient.open(this.server.url, `http://127.0.0.1:${this.server.port}`);
    this.sockets.push(client);
    await client.login(PEOPLE[who], PASSWORD);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.sockets.splice(0)) client.close();
    await this.server?.close();
    this.server = undefined;
    await stopStationDock(this.station);
    closeStation(this.station);
    for (const folder of this.folders.splice(0)) folder.remove();
    this.dir.remove();
  }

  call(method: string, params: unknown, as?: Person): Promise<RpcResult> {
    return this.station.dispatcher.dispatch({
      method,
      params,
      session: as === undefined ? undefined : this.tokens.get(as),
    });
  }

  async ok<T>(method: string, params: unknown, as?: Person): Promise<T> {
    const result = await this.call(method, params, as);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }

  /** A folder laid out like a recorder's volume. */
  recorderFolder(files: Record<string, number> = { 'DCIM/100MEDIA/CLIP0001.MP4': 2048 }) {
    const folder = testVolume(Object.entries(files).map(([path, size]) => ({ path, size })));
    this.folders.push(folder);
    return folder;
  }

  async register(
    serial: string,
    officerBadge: string | null = PEOPLE.officer,
    profileId = 'generic-dcim',
  ): Promise<void> {
    await this.ok('recorders.register', { serial, profileId, officerBadge }, 'custodian');
  }

  lastDocking(serial: string): Docking | undefined {
    for (let i = this.events.length - 1; i >= 0; i -= 1) {
      const e = this.events[i]!;
      if (e.name !== 'dock.docking') continue;
      const docking = (e.payload as { docking: Docking }).docking;
      if (docking.recorderSerial === serial) return docking;
    }
    return undefined;
  }

  /** The docking of `serial` once it has ended. */
  finished(serial: string): Promise<Docking> {
    return until(() => {
      const d = this.lastDocking(serial);
      return d && ['complete', 'interrupted', 'failed'].includes(d.phase) ? d : undefined;
    });
  }

  lastVolumes(): VolumeView[] {
    for (let i = this.events.length - 1; i >= 0; i -= 1) {
      if (this.events[i]!.name === 'dock.volumes') {
        return (this.events[i]!.payload as { volumes: VolumeView[] }).volumes;
      }
    }
    return [];
  }

  /** The audit entries of one action, read past the station's code. */
  audited(action: string): AuditRowSeen[] {
    return this.station.catalogue.db
      .prepare<[string], { actor: string; subject: string; details: string }>(
        'SELECT actor, subject, details FROM audit_log WHERE action = ? ORDER BY seq',
      )
      .all(action)
      .map((row) => ({
        actor: row.actor,
        subject: row.subject,
        details: JSON.parse(row.details) as Record<string, unknown>,
      }));
  }

  /** How many clips of a docking `who` may list. */
  async clipsSeenBy(who: Person, dockingId: number): Promise<number> {
    return (await this.ok<{ total: number }>('clips.list', { dockingId }, who)).total;
  }
}
