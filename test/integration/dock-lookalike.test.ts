// D-WHO-RECORDS at the dock, as an attacker tries it: a volume labelled with a registered
// recorder's serial is docked to have its files taken into that officer's custody (planted
// footage). A registration is bound to the device its first docking showed (USB ids and serial,
// file system UUID, capacity); a volume that contradicts it is held, nothing on it read, until a
// custodian confirms or refuses it. Devices are reported as the watcher reports them (facts and
// all); test/devices/dock-lookalike.test.ts docks real block devices.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DockedVolume as VolumeView, Lookalike, Recorder } from '../../src-main/contract';
import type { UsbInfo } from '../../src-main/devices';
import { DockHarness, PEOPLE, until, volumeOf } from '../support/dock-harness';

/** The recorder as a USB device: it reports its own serial (which then names it). */
const cameraUsb = (serial: string): UsbInfo => ({
  vendorId: 0x2a3c,
  productId: 0x1001,
  serial,
  port: '1-1',
});
const CAPACITY = 64 * 2 ** 30;

let h: DockHarness;

beforeEach(async () => {
  h = await DockHarness.open();
});

afterEach(async () => {
  await h.close();
});

function dockingsOf(serial: string): number {
  return (
    h.station.catalogue.db
      .prepare<[string], { n: number }>(
        'SELECT count(*) AS n FROM dockings WHERE recorder_serial = ?',
      )
      .get(serial)?.n ?? 0
  );
}

/** The volume's card once the station has decided about it (docking started, or held). */
function decided(mountpoint: string): Promise<VolumeView> {
  return until(() =>
    h
      .lastVolumes()
      .find(
        (v) =>
          v.mountpoint === mountpoint &&
          (v.state !== 'recorder' || v.dockingId !== null) &&
          v.state !== 'unregistered',
      ),
  );
}

/** The genuine recorder docks first: ingested, and its registration bound to its device. */
async function genuineDocking(serial: string) {
  await h.register(serial);
  const genuine = volumeOf(h.recorderFolder(), serial, {
    usb: cameraUsb(serial),
    size: CAPACITY,
    fsUuid: '1A2B-3C4D',
    device: '/dev/sdb',
  });
  h.plugs.dock(genuine);
  const docking = await h.finished(serial);
  expect(docking).toMatchObject({ phase: 'complete', clipsDone: 1 });
  h.plugs.undock(genuine);
  await h.station.dock.require().service.settled();
  return docking;
}

/**
 * A USB stick that reports no USB serial, labelled `serial`, with a "clip" planted on it, docked
 * at /dev/sdc; its folder.
 */
function dockPlantedStick(serial: string, fsUuid: string) {
  const planted = h.recorderFolder({ 'DCIM/100MEDIA/PLANTED.MP4': 4096 });
  h.plugs.dock(
    volumeOf(planted, serial, {
      usb: { vendorId: 0x0951, productId: 0x1666, port: '1-2' },
      size: 16 * 2 ** 30,
      fsUuid,
      device: '/dev/sdc',
    }),
  );
  return planted;
}

describe('D-WHO-RECORDS: a volume that only carries a registered serial is held', () => {
  it('a stick labelled with the serial is held, not read, until a custodian refuses it', async () => {
    await genuineDocking('LKA01');
    // A stick that reports no USB serial, labelled LKA01, with a "clip" planted for the officer.
    const planted = dockPlantedStick('LKA01', '9F9F-0001');
    const held = await decided(planted.root);
    expect(held).toMatchObject({ state: 'held', serial: 'LKA01', dockingId: null });
    expect(held.lookalike?.differs).toEqual([
      'usbVendorId',
      'usbProductId',
      'usbSerial',
      'fsUuid',
      'capacity',
    ]);
    expect(dockingsOf('LKA01')).toBe(1);
    expect(h.station.catalogue.clips.count()).toBe(1);
    expect(h.audited('recorder.lookalike.held')).toHaveLength(1);

    // Officers do not decide; a custodian sees it listed and refuses it.
    const byOfficer = await h.call(
      'recorders.refuseLookalike',
      { id: held.lookalike!.id, reason: 'not mine' },
      'officer',
    );
    expect(byOfficer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const { lookalikes } = await h.ok<{ lookalikes: Lookalike[] }>(
      'recorders.lookalikes',
      {},
      'custodian',
    );
    expect(lookalikes).toEqual([
      expect.objectContaining({
        id: held.lookalike!.id,
        docked: true,
        officerBadge: PEOPLE.officer,
      }),
    ]);
    const reason = '非本单位配发的存储设备';
    const { lookalike } = await h.ok<{ lookalike: Lookalike }>(
      'recorders.refuseLookalike',
      { id: held.lookalike!.id, reason },
      'custodian',
    );
    expect(lookalike).toMatchObject({ decision: 'refused', decidedBy: PEOPLE.custodian, reason });
    await until(() =>
      h.lastVolumes().find((v) => v.mountpoint === planted.root && v.state === 'refused'),
    );
    expect(h.audited('recorder.lookalike.refused')).toEqual([
      expect.objectContaining({
        actor: PEOPLE.custodian,
        details: expect.objectContaining({ reason }),
      }),
    ]);
    expect(dockingsOf('LKA01')).toBe(1);
    expect(h.station.catalogue.clips.count()).toBe(1);
    // The genuine recorder's first docking bound its registration to its device.
    expect(h.audited('recorder.bound')).toEqual([
      expect.objectContaining({
        subject: 'recorder:LKA01',
        details: expect.objectContaining({
          facts: {
            usbVendorId: 0x2a3c,
            usbProductId: 0x1001,
            usbSerial: 'LKA01',
            fsUuid: '1A2B-3C4D',
            capacity: CAPACITY,
          },
        }),
      }),
    ]);
  });

  it('a volume that hides a bound fact is held too', async () => {
    await genuineDocking('LKA02');
    const planted = h.recorderFolder({ 'DCIM/100MEDIA/PLANTED.MP4': 4096 });
    // The same USB ids, serial and capacity (a device made to report them), no UUID to compare.
    h.plugs.dock(
      volumeOf(planted, 'LKA02', { usb: cameraUsb('LKA02'), size: CAPACITY, device: '/dev/sdd' }),
    );
    const held = await decided(planted.root);
    expect(held).toMatchObject({ state: 'held', lookalike: { differs: ['fsUuid'] } });
    expect(dockingsOf('LKA02')).toBe(1);
  });

  it('a replaced memory card: held, confirmed by a custodian, ingested, and bound to the new card', async () => {
    const genuine = await genuineDocking('LKA03');
    const replaced = h.recorderFolder({ 'DCIM/100MEDIA/CLIP0002.MP4': 8192 });
    const volume = volumeOf(replaced, 'LKA03', {
      usb: cameraUsb('LKA03'),
      size: 128 * 2 ** 30,
      fsUuid: '5E5E-7777',
      device: '/dev/sdb',
    });
    h.plugs.dock(volume);
    const held = await decided(replaced.root);
    expect(held).toMatchObject({ state: 'held', lookalike: { differs: ['fsUuid', 'capacity'] } });

    const reason = '记录仪更换了存储卡（维修单 2026-118）';
    await h.ok('recorders.confirmLookalike', { id: held.lookalike!.id, reason }, 'custodian');
    const docking = await until(() => {
      const d = h.lastDocking('LKA03');
      return d && d.id !== genuine.id && d.phase === 'complete' ? d : undefined;
    });
    expect(docking.clipsDone).toBe(1);
    expect(docking.findings).toContainEqual(
      expect.objectContaining({
        code: 'recorder-facts-changed',
        details: expect.objectContaining({ confirmedBy: PEOPLE.custodian, reason }),
      }),
    );
    expect(h.audited('recorder.lookalike.confirmed')).toEqual([
      expect.objectContaining({
        actor: PEOPLE.custodian,
        details: expect.objectContaining({
          reason,
          before: expect.objectContaining({ fsUuid: '1A2B-3C4D' }),
          after: expect.objectContaining({ fsUuid: '5E5E-7777' }),
        }),
      }),
    ]);

    // Bound to the new card now: docked again, it is simply ingested.
    h.plugs.undock(volume);
    await h.station.dock.require().service.settled();
    h.plugs.dock(volume);
    const again = await decided(replaced.root);
    expect(again.state).toBe('recorder');
    expect(h.audited('recorder.lookalike.held')).toHaveLength(1);
  });

  it('a registration without bound facts (registered before bindings) is bound at its next docking', async () => {
    await h.register('LKA04');
    const before = await h.ok<{ recorders: Recorder[] }>('recorders.list', {}, 'custodian');
    expect(before.recorders.find((r) => r.serial === 'LKA04')?.boundAt).toBeNull();
    h.plugs.dock(
      volumeOf(h.recorderFolder(), 'LKA04', {
        usb: cameraUsb('LKA04'),
        size: CAPACITY,
        fsUuid: 'ABCD-0004',
      }),
    );
    await h.finished('LKA04');
    const after = await h.ok<{ recorders: Recorder[] }>('recorders.list', {}, 'custodian');
    expect(after.recorders.find((r) => r.serial === 'LKA04')?.boundAt).not.toBeNull();
  });
});

describe('D-NO-LEAK: what a held volume tells each session', () => {
  /** What a session was told of the dock: asked and pushed. */
  async function dockSeenBy(session: Awaited<ReturnType<DockHarness['socket']>>) {
    const asked = await session.call('dock.status', {});
    if (!asked.ok) throw new Error(asked.error.message);
    const { volumes } = asked.value as { volumes: VolumeView[] };
    const pushed = session.events.filter((e) => e.name === 'dock.volumes');
    return { volumes, text: JSON.stringify({ volumes, pushed }) };
  }

  /** Everything that would let someone make a stick pass as the recorder, or say whose it is. */
  const BOUND = ['1A2B-3C4D', String(CAPACITY), 'LKA05', PEOPLE.officer];

  it('only custodians and supervisors see it whole; nobody is sent the facts the recorder is bound to', async () => {
    await genuineDocking('LKA05');
    const sessions = {
      officer: await h.socket('officer'),
      other: await h.socket('other'),
      admin: await h.socket('admin'),
      supervisor: await h.socket('supervisor'),
      custodian: await h.socket('custodian'),
    };
    const probe = dockPlantedStick('LKA05', 'DEAD-BEEF');
    const held = await decided(probe.root);
    expect(held.state).toBe('held');
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Officers (the recorder's own too: anyone may have planted it) and admins: a held bay, no more.
    for (const who of ['officer', 'other', 'admin'] as const) {
      const seen = await dockSeenBy(sessions[who]);
      expect(seen.volumes, who).toEqual([
        expect.objectContaining({
          state: 'held',
          mountpoint: '',
          label: null,
          usb: null,
          serial: null,
          profileId: null,
          lookalike: null,
        }),
      ]);
      for (const word of [...BOUND, 'DEAD-BEEF']) {
        expect(seen.text, `${who}: ${word}`).not.toContain(word);
      }
    }
    // Custodians decide, supervisors read: whole, with whose recorder it claims to be, but the
    // bound facts only on the custodians' look-alike list.
    for (const who of ['custodian', 'supervisor'] as const) {
      const seen = await dockSeenBy(sessions[who]);
      expect(seen.volumes, who).toEqual([
        expect.objectContaining({
          state: 'held',
          serial: 'LKA05',
          lookalike: expect.objectContaining({
            officerBadge: PEOPLE.officer,
            differs: ['usbVendorId', 'usbProductId', 'usbSerial', 'fsUuid', 'capacity'],
            seen: expect.objectContaining({ fsUuid: 'DEAD-BEEF' }),
            bound: {
              usbVendorId: null,
              usbProductId: null,
              usbSerial: null,
              fsUuid: null,
              capacity: null,
            },
          }),
        }),
      ]);
      expect(seen.text, who).not.toContain('1A2B-3C4D');
      expect(seen.text, who).not.toContain(String(CAPACITY));
    }
    const listed = async (who: 'custodian' | 'supervisor' | 'admin') => {
      const result = await sessions[who].call('recorders.lookalikes', {});
      if (!result.ok) throw new Error(result.error.message);
      return (result.value as { lookalikes: Lookalike[] }).lookalikes;
    };
    expect((await listed('custodian'))[0]?.bound).toMatchObject({
      fsUuid: '1A2B-3C4D',
      capacity: CAPACITY,
    });
    for (const who of ['supervisor', 'admin'] as const) {
      const text = JSON.stringify(await listed(who));
      expect(text, who).not.toContain('1A2B-3C4D');
      expect(text, who).not.toContain(String(CAPACITY));
    }
    // Nor does the history tell them: the binding and the hold are audited with the facts.
    for (const who of ['supervisor', 'admin'] as const) {
      const result = await sessions[who].call('audit.list', { limit: 500 });
      if (!result.ok) throw new Error(result.error.message);
      const text = JSON.stringify(result.value);
      expect(text, who).toContain('recorder.bound');
      expect(text, who).not.toContain('1A2B-3C4D');
      expect(text, who).not.toContain(String(CAPACITY));
    }

    // Refused: the others still learn nothing of it, not who refused it nor why.
    const reason = '非本单位配发的存储设备';
    await h.ok(
      'recorders.refuseLookalike',
      { id: (await listed('custodian'))[0]!.id, reason },
      'custodian',
    );
    await until(() =>
      h.lastVolumes().find((v) => v.mountpoint === probe.root && v.state === 'refused'),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const who of ['officer', 'other', 'admin'] as const) {
      const seen = await dockSeenBy(sessions[who]);
      expect(seen.volumes, who).toEqual([
        expect.objectContaining({ state: 'refused', serial: null, lookalike: null }),
      ]);
      for (const word of [...BOUND, reason, PEOPLE.custodian]) {
        expect(seen.text, `${who}: ${word}`).not.toContain(word);
      }
    }
  });
});
