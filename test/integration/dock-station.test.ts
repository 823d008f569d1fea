// The dock through the station's one door (the RPC dispatcher), with real SQLite, real files and
// real copy workers. Devices are reported by a stand-in for the watcher (the watcher itself is
// tested with real hot-plugged block devices in test/devices); amba-bulk recorders answer from a
// script of the protocol.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Docking, DockedVolume as VolumeView, RpcResult } from '../../src-main/contract';
import type { DockedVolume, UsbInfo } from '../../src-main/devices';
import { stopStationDock, type Station } from '../../src-main/station/services';
import {
  DockHarness,
  PASSWORD,
  PEOPLE,
  type Person,
  type Plugs,
  until as waitFor,
  volumeOf as volumeWith,
} from '../support/dock-harness';
import { ScriptedRecorder } from '../support/dock-scripted-usb';
import type { TestVolume } from '../support/ingest-station';

const AMBA_PASSWORD = '13572468';

function volumeOf(folder: TestVolume, label: string | null, usb?: UsbInfo): DockedVolume {
  return volumeWith(folder, label, usb === undefined ? {} : { usb });
}

let h: DockHarness;
let station: Station;
let plugs: Plugs;

function call(method: string, params: unknown, as?: Person): Promise<RpcResult> {
  return h.call(method, params, as);
}

function ok<T>(method: string, params: unknown, as?: Person): Promise<T> {
  return h.ok<T>(method, params, as);
}

const until = waitFor;

function lastDocking(serial: string): Docking | undefined {
  return h.lastDocking(serial);
}

const finished = (serial: string) => () => {
  const d = lastDocking(serial);
  return d && ['complete', 'interrupted', 'failed'].includes(d.phase) ? d : undefined;
};

function lastVolumes(): VolumeView[] {
  return h.lastVolumes();
}

function audited(action: string): { subject: string; details: Record<string, unknown> }[] {
  return h.audited(action).map(({ subject, details }) => ({ subject, details }));
}

async function register(
  serial: string,
  profileId = 'generic-dcim',
  officerBadge: string | null = PEOPLE.officer,
) {
  await h.register(serial, officerBadge, profileId);
}

/** The same data dir, opened again with another clock; everyone logs in again. */
async function reopenStation(now: () => Date): Promise<void> {
  await h.reopen(now);
  station = h.station;
}

async function openDock(extra: Parameters<DockHarness['openDock']>[0] = {}) {
  await h.openDock(extra);
  plugs = h.plugs;
}

beforeEach(async () => {
  h = await DockHarness.open();
  station = h.station;
  plugs = h.plugs;
});

afterEach(async () => {
  await h.close();
});

function recorderVolume(files: Record<string, number> = { 'DCIM/100MEDIA/CLIP0001.MP4': 2048 }) {
  return h.recorderFolder(files);
}

describe('docking a registered recorder', () => {
  it('is identified, ingested and declared safe to undock; the officer is the assigned one', async () => {
    await register('CAM01');
    const folder = recorderVolume({
      'DCIM/100MEDIA/CLIP0001.MP4': 4096,
      'DCIM/100MEDIA/CLIP0002.MP4': 8192,
    });
    plugs.dock(volumeOf(folder, 'CAM01'));
    const done = await until(finished('CAM01'));
    expect(done).toMatchObject({
      phase: 'complete',
      safeToUndock: true,
      clipsDone: 2,
      officerBadge: PEOPLE.officer,
      identifiedBy: 'assigned',
      profileId: 'generic-dcim',
    });
    const status = await ok<{ volumes: VolumeView[]; dockings: Docking[] }>(
      'dock.status',
      {},
      'officer',
    );
    expect(status.volumes).toEqual([
      expect.objectContaining({ state: 'recorder', serial: 'CAM01', dockingId: done.id }),
    ]);
    expect(status.dockings[0]).toMatchObject({ id: done.id, safeToUndock: true });
    const clips = await ok<{ total: number }>('clips.list', { dockingId: done.id }, 'custodian');
    expect(clips.total).toBe(2);
  });

  it('undocked before it is done: interrupted, and the officer is told to dock it again', async () => {
    await register('CAM02');
    const folder = recorderVolume({ 'DCIM/BIG.MP4': 64 << 20 });
    const volume = volumeOf(folder, 'CAM02');
    plugs.dock(volume);
    // Per clip too: the file in flight, its phase and bytes, while the copy runs.
    const copying = await until(() => {
      const d = lastDocking('CAM02');
      return d?.clipsInFlight.find((c) => c.bytes > 0) ? d : undefined;
    });
    expect(copying.clipsInFlight[0]).toMatchObject({
      originalPath: 'DCIM/BIG.MP4',
      total: 64 << 20,
    });
    expect(['copying', 'verifying']).toContain(copying.clipsInFlight[0]!.phase);
    plugs.undock(volume);
    const done = await until(finished('CAM02'));
    expect(done.phase).toBe('interrupted');
    expect(done.safeToUndock).toBe(false);
    expect(done.error).toMatch(/dock it again to resume/);
    expect(lastVolumes()).toEqual([]);
  });
});

describe('D-NO-LEAK: what is not a registered recorder is not read', () => {
  it('a look-alike nobody registered is shown for a custodian, and ingested once registered', async () => {
    const folder = recorderVolume();
    plugs.dock(volumeOf(folder, 'CAM09'));
    const shown = await until(() => lastVolumes().find((v) => v.serial === 'CAM09'));
    expect(shown).toMatchObject({
      state: 'unregistered',
      profileId: 'generic-dcim',
      dockingId: null,
    });
    expect(existsSync(join(station.dataDir, 'staging', 'CAM09'))).toBe(false);
    expect(audited('recorder.unregistered.docked')).toEqual([
      expect.objectContaining({ subject: 'recorder:CAM09' }),
    ]);

    await register('CAM09');
    const done = await until(finished('CAM09'));
    expect(done.safeToUndock).toBe(true);
  });

  it('a volume whose serial cannot be read is registered from its card, by its mountpoint', async () => {
    const folder = recorderVolume();
    plugs.dock(volumeOf(folder, null));
    const shown = await until(() => lastVolumes().find((v) => v.mountpoint === folder.root));
    expect(shown).toMatchObject({ state: 'unregistered', serial: null });
    expect(shown.problem).toMatch(/serial could not be read/);
    await ok(
      'recorders.register',
      { serial: 'CAM10', profileId: 'generic-dcim', officerBadge: null, mountpoint: folder.root },
      'custodian',
    );
    const done = await until(finished('CAM10'));
    expect(done.safeToUndock).toBe(true);
  });

  it('a stick that is no recorder is ignored, audited, and nothing on it is read', async () => {
    const folder = h.recorderFolder({ 'Documents/report.docx': 100 });
    plugs.dock(volumeOf(folder, 'KINGSTON'));
    await until(() => lastVolumes().find((v) => v.state === 'ignored'));
    expect(audited('volume.ignored')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ label: 'KINGSTON' }) }),
    ]);
    expect(station.catalogue.clips.count()).toBe(0);
  });

  it('officers see only their own clips; another officer’s thumbnail does not exist for them', async () => {
    await register('CAM03', 'generic-dcim', PEOPLE.other);
    plugs.dock(volumeOf(recorderVolume(), 'CAM03'));
    const done = await until(finished('CAM03'));
    const mine = await ok<{ total: number }>('clips.list', { dockingId: done.id }, 'officer');
    const theirs = await ok<{ total: number; clips: { id: number }[] }>(
      'clips.list',
      { dockingId: done.id },
      'other',
    );
    expect(mine.total).toBe(0);
    expect(theirs.total).toBe(1);
    const thumb = await call('clips.thumbnail', { id: theirs.clips[0]!.id }, 'officer');
    expect(thumb).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await ok<{ total: number }>('clips.list', {}, 'supervisor')).total).toBe(1);
  });
});

describe('the officer at the dock', () => {
  it('confirms with their PIN, as themselves: the docking says so and stays theirs', async () => {
    await ok('auth.setPin', { currentPassword: PASSWORD, pin: '246813' }, 'officer');
    await register('CAM04');
    plugs.dock(volumeOf(recorderVolume(), 'CAM04'));
    const done = await until(finished('CAM04'));
    const wrong = await call('dock.identify', { dockingId: done.id, pin: '111111' }, 'officer');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    const { docking } = await ok<{ docking: Docking }>(
      'dock.identify',
      { dockingId: done.id, pin: '246813' },
      'officer',
    );
    expect(docking).toMatchObject({ identifiedBy: 'badge-pin', officerBadge: PEOPLE.officer });
    expect(docking.identifiedAt).not.toBeNull();
    expect(audited('docking.officer.identified')).toHaveLength(1);
    expect(audited('docking.officer.refused')).toHaveLength(1);
  });

  it('five wrong PINs lock the account, as five wrong passwords do', async () => {
    await ok('auth.setPin', { currentPassword: PASSWORD, pin: '246813' }, 'officer');
    await register('CAM05');
    plugs.dock(volumeOf(recorderVolume(), 'CAM05'));
    const done = await until(finished('CAM05'));
    const guess = (pin: string) => call('dock.identify', { dockingId: done.id, pin }, 'officer');
    for (const pin of ['000000', '000001', '000002', '000003']) {
      expect(await guess(pin)).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    }
    expect(await guess('000004')).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    // The lock ends the account's sessions too: the right PIN no longer gets through.
    expect(await guess('246813')).toMatchObject({ ok: false });
  });

  it('a pool recorder is confirmed by the officer at the dock; a borrowed one is not', async () => {
    await ok('auth.setPin', { currentPassword: PASSWORD, pin: '135792' }, 'other');
    // Issued to nobody: whoever recorded on it confirms it while it is docked (D-WHO-RECORDS).
    await register('CAM06', 'generic-dcim', null);
    plugs.dock(volumeOf(recorderVolume(), 'CAM06'));
    const done = await until(finished('CAM06'));
    const { docking } = await ok<{ docking: Docking }>(
      'dock.identify',
      { dockingId: done.id, badge: PEOPLE.other, pin: '135792' },
      'other',
    );
    expect(docking.officerBadge).toBe(PEOPLE.other);
    expect((await ok<{ total: number }>('clips.list', { dockingId: done.id }, 'other')).total).toBe(
      1,
    );
    // Issued to another officer: a borrower does not take it at the dock; a custodian moves it.
    await register('CAM08');
    plugs.dock(volumeOf(recorderVolume(), 'CAM08'));
    const borrowed = await until(finished('CAM08'));
    const taken = await call('dock.identify', { dockingId: borrowed.id, pin: '135792' }, 'other');
    expect(taken).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      (await ok<{ total: number }>('clips.list', { dockingId: borrowed.id }, 'officer')).total,
    ).toBe(1);
  });

  it('an IC card at the reader confirms the newest docking of its holder', async () => {
    await stopStationDock(station);
    const reader = new EventEmitter();
    const handle = Object.assign(reader, { close: () => undefined });
    await ok('users.setCard', { badge: PEOPLE.officer, cardNumber: '0012345678' }, 'admin');
    await ok(
      'policy.set',
      { key: 'cardReader', value: { vendorId: 0xffff, productId: 0x0035 } },
      'custodian',
    );
    await openDock({ openReader: async () => handle as never });
    await register('CAM07');
    plugs.dock(volumeOf(recorderVolume(), 'CAM07'));
    const done = await until(finished('CAM07'));
    // "0012345678" + Enter as a keyboard-wedge reader types it: press, release, per key.
    for (const usage of ['27', '27', '1e', '1f', '20', '21', '22', '23', '24', '25', '28']) {
      reader.emit('data', Buffer.from(`0000${usage}0000000000`, 'hex'));
      reader.emit('data', Buffer.alloc(8));
    }
    const confirmed = await until(() =>
      lastDocking('CAM07')?.identifiedBy === 'card' ? lastDocking('CAM07') : undefined,
    );
    expect(confirmed).toMatchObject({ id: done.id, officerBadge: PEOPLE.officer });
  });
  it('two card-reader changes at once leave one reader open, the one the policy names', async () => {
    await stopStationDock(station);
    const handles: { vendorId: number; closed: boolean }[] = [];
    await openDock({
      openReader: async (vendorId: number) => {
        const entry = { vendorId, closed: false };
        handles.push(entry);
        return Object.assign(new EventEmitter(), {
          close: () => {
            entry.closed = true;
          },
        }) as never;
      },
    });
    await Promise.all([
      ok(
        'policy.set',
        { key: 'cardReader', value: { vendorId: 0x1111, productId: 1 } },
        'custodian',
      ),
      ok(
        'policy.set',
        { key: 'cardReader', value: { vendorId: 0x2222, productId: 2 } },
        'custodian',
      ),
    ]);
    await until(() => (handles.some((h) => h.vendorId === 0x2222 && !h.closed) ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(handles.filter((h) => !h.closed).map((h) => h.vendorId)).toEqual([0x2222]);
  });
});

describe('recorder clocks', () => {
  it('a time-file recorder gets its clock written once every clip is proven, audited', async () => {
    await register('DSJ0001', 'dsj-standard');
    const folder = recorderVolume({ 'DCIM/DSJ0001_OFF-1_20261122083000_0001.MP4': 2048 });
    plugs.dock(volumeOf(folder, 'DSJ-CAM'));
    const done = await until(finished('DSJ0001'));
    expect(done.safeToUndock).toBe(true);
    expect(done.clockSetAt).not.toBeNull();
    expect(readFileSync(folder.abs('time.txt'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(audited('recorder.clock.set')).toEqual([
      expect.objectContaining({ subject: 'recorder:DSJ0001' }),
    ]);
  });

  it('an amba-bulk recorder: id read over USB, clock set, storage mode, then ingested', async () => {
    // 00:30:05 UTC is 08:30:05 in Beijing: the recorder is set in the unit's zone.
    await reopenStation(() => new Date('2026-11-22T00:30:05.000Z'));
    await ok('policy.set', { key: 'ambaPassword', value: AMBA_PASSWORD }, 'custodian');
    await register('AMB00017', 'ambarella-bulk');
    const scripted = new ScriptedRecorder([
      { expect: '@Ver;8;00000000;#', reply: ['Ver;OK;AMBA-V2;#'] },
      { expect: `@Gdv;8;${AMBA_PASSWORD};#`, reply: ['Gdv;OK;AMB00017;#'] },
      { expect: '@Sdt;8;20261122;#', reply: ['Sdt;OK;#'] },
      { expect: '@Stm;6;08300500;#', reply: ['Stm;OK;#'] },
      { expect: `@ATH;8;${AMBA_PASSWORD};#`, reply: ['ATH;OK;#'] },
    ]);
    await openDock({ openTransport: async () => scripted, timeZone: 'Asia/Shanghai' });
    const usb = { vendorId: 0x4255, productId: 0x0001, port: '1-1.2' };
    plugs.emit('usb-attached', usb);
    await until(() => scripted.closed);
    scripted.assertDone();
    // Storage mode: it leaves the bus and comes back as a volume on the same port.
    plugs.emit('usb-detached', usb);
    const folder = recorderVolume({ 'DCIM/20261122080000_0001.MP4': 4096 });
    plugs.dock(volumeOf(folder, null, { vendorId: 0x4255, productId: 0x0001, port: '1-1.2' }));
    const done = await until(finished('AMB00017'));
    expect(done).toMatchObject({
      safeToUndock: true,
      clipsDone: 1,
      profileId: 'ambarella-bulk',
      clockSetAt: '2026-11-22T00:30:05.000Z',
    });
    expect(audited('recorder.clock.set')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ over: 'usb' }) }),
    ]);
  });

  it('an amba-bulk recorder nobody registered is asked its id and nothing more', async () => {
    await ok('policy.set', { key: 'ambaPassword', value: AMBA_PASSWORD }, 'custodian');
    await stopStationDock(station);
    const scripted = new ScriptedRecorder([
      { expect: '@Ver;8;00000000;#', reply: ['Ver;OK;AMBA-V2;#'] },
      { expect: `@Gdv;8;${AMBA_PASSWORD};#`, reply: ['Gdv;OK;AMB00099;#'] },
    ]);
    await openDock({ openTransport: async () => scripted });
    plugs.emit('usb-attached', { vendorId: 0x4255, productId: 0x0001, port: '1-3' });
    const shown = await until(() => lastVolumes().find((v) => v.serial === 'AMB00099'));
    expect(shown).toMatchObject({ state: 'unregistered', profileId: 'ambarella-bulk' });
    await until(() => scripted.closed);
    scripted.assertDone();
  });

  it('without the unit password an amba-bulk recorder is not opened, and the card says why', async () => {
    await stopStationDock(station);
    let opened = false;
    await openDock({
      openTransport: async () => {
        opened = true;
        throw new Error('must not be opened');
      },
    });
    plugs.emit('usb-attached', { vendorId: 0x4255, productId: 0x0001, port: '1-4' });
    const shown = await until(() => lastVolumes().find((v) => v.device === 'usb:1-4'));
    expect(shown.problem).toMatch(/password .* is not configured/);
    expect(opened).toBe(false);
  });
});
