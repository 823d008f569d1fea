// Whose dockings each session sees (D-NO-LEAK): an officer sees their own, and that a bay is in
// use without whose; custodians and supervisors see every docking; an admin, who sees no footage,
// sees busy bays. The attack: a second officer keeps the Dock screen open over the real WebSocket
// while a colleague's recorder is docked and ingested.
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockedVolume as VolumeView, Docking } from '../../src-main/contract';
import type { DeviceWatcherEvents, DockedVolume } from '../../src-main/devices';
import { startStationDock } from '../../src-main/station/services';
import { openFilingStation, PASSWORD, type FilingStation } from '../support/filing-station';
import { ingestWorkerScript } from '../support/ingest-build';
import { testVolume, type TestVolume } from '../support/ingest-station';
import { SocketClient } from '../support/socket-client';

/** Reports devices as the DeviceWatcher does; the test plugs and unplugs. */
class Plugs extends EventEmitter<DeviceWatcherEvents> {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

const SERIAL = 'CAMLI01';

let filing: FilingStation;
let folder: TestVolume;
const sockets = new Map<string, SocketClient>();

function dockingEvents(client: SocketClient): Docking[] {
  return client.events
    .filter((e) => e.name === 'dock.docking')
    .map((e) => (e.payload as { docking: Docking }).docking);
}

function volumeEvents(client: SocketClient): VolumeView[][] {
  return client.events
    .filter((e) => e.name === 'dock.volumes')
    .map((e) => (e.payload as { volumes: VolumeView[] }).volumes);
}

async function status(
  client: SocketClient,
): Promise<{ volumes: VolumeView[]; dockings: Docking[] }> {
  const result = await client.call('dock.status', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { volumes: VolumeView[]; dockings: Docking[] };
}

async function until<T>(probe: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Everything a session could read that names the docking's officer or recorder. */
const WHOSE = ['J0123', '李明', SERIAL];

beforeAll(async () => {
  filing = await openFilingStation();
  const plugs = new Plugs();
  await startStationDock(filing.station, {
    watcher: plugs,
    ingest: { workerScript: ingestWorkerScript(), makeThumbnail: async () => false },
    log: () => {},
  });
  await filing.ok('C0001', 'recorders.register', {
    serial: SERIAL,
    profileId: 'generic-dcim',
    officerBadge: 'J0123',
  });
  for (const badge of ['J0123', 'J0456', 'C0001', 'S0001', 'ADM-1']) {
    const client = await SocketClient.open(filing.server.url, filing.origin);
    await client.login(badge, PASSWORD);
    sockets.set(badge, client);
  }
  folder = testVolume([
    { path: 'DCIM/100MEDIA/CLIP0001.MP4', size: 4096 },
    { path: 'DCIM/100MEDIA/CLIP0002.MP4', size: 8192 },
  ]);
  const volume: DockedVolume = {
    device: '/dev/test-camli01',
    mountpoint: folder.root,
    label: SERIAL,
    size: null,
    isUSB: null,
  };
  plugs.emit('volume-attached', volume);
  // The custodian's Dock screen shows it to the end.
  await until(() =>
    dockingEvents(sockets.get('C0001')!).find((d) => d.phase === 'complete' && d.safeToUndock),
  );
  await new Promise((r) => setTimeout(r, 200));
}, 60_000);

afterAll(async () => {
  for (const client of sockets.values()) client.close();
  await filing?.close();
  folder?.remove();
});

describe('a docking, as each session sees it', () => {
  it('its officer sees it whole, pushed and asked', async () => {
    const own = sockets.get('J0123')!;
    expect(dockingEvents(own).at(-1)).toMatchObject({
      recorderSerial: SERIAL,
      officerBadge: 'J0123',
      safeToUndock: true,
    });
    const asked = await status(own);
    expect(asked.dockings).toEqual([
      expect.objectContaining({ recorderSerial: SERIAL, officerBadge: 'J0123' }),
    ]);
    expect(asked.volumes).toEqual([
      expect.objectContaining({
        state: 'recorder',
        serial: SERIAL,
        dockingId: asked.dockings[0]!.id,
      }),
    ]);
  });

  it('another officer is told that a bay is busy, never whose, neither pushed nor asked', async () => {
    const other = sockets.get('J0456')!;
    expect(dockingEvents(other)).toEqual([]);
    const asked = await status(other);
    expect(asked.dockings).toEqual([]);
    expect(asked.volumes).toEqual([
      expect.objectContaining({
        state: 'busy',
        serial: null,
        label: null,
        usb: null,
        profileId: null,
        // Not even which docking: its id would let them ask to confirm it (D-WHO-RECORDS).
        dockingId: null,
      }),
    ]);
    const pushed = volumeEvents(other).at(-1);
    expect(pushed).toEqual([
      expect.objectContaining({ state: 'busy', serial: null, label: null, dockingId: null }),
    ]);
    const seen = JSON.stringify({ events: other.events, asked });
    for (const word of WHOSE) expect(seen).not.toContain(word);
  });

  it('an admin, who sees no footage, sees busy bays only', async () => {
    const admin = sockets.get('ADM-1')!;
    expect(dockingEvents(admin)).toEqual([]);
    const asked = await status(admin);
    expect(asked.dockings).toEqual([]);
    expect(asked.volumes).toEqual([
      expect.objectContaining({ state: 'busy', serial: null, dockingId: null }),
    ]);
    const seen = JSON.stringify({
      events: admin.events.filter((e) => e.name.startsWith('dock.')),
      asked,
    });
    for (const word of WHOSE) expect(seen).not.toContain(word);
  });

  it('custodians and supervisors see every docking (D-CUSTODIAN, D-SUPERVISION)', async () => {
    for (const badge of ['C0001', 'S0001']) {
      const client = sockets.get(badge)!;
      expect(dockingEvents(client).at(-1), badge).toMatchObject({
        recorderSerial: SERIAL,
        officerBadge: 'J0123',
      });
      const asked = await status(client);
      expect(
        asked.dockings.map((d) => d.recorderSerial),
        badge,
      ).toEqual([SERIAL]);
      expect(asked.volumes, badge).toEqual([
        expect.objectContaining({ state: 'recorder', serial: SERIAL }),
      ]);
    }
  });
});
