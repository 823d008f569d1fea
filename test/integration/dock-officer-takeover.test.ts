// D-WHO-RECORDS at the dock, as an attacker tries it: a second session over the station's real
// WebSocket tries to take another officer's docking (and with it every clip of it) by confirming it
// with a badge and PIN of its own, an officer's it learnt, or with a role that records nothing.
// Only the officer who recorded confirms, as themselves, a docking nobody confirmed yet; after
// that only a custodian re-attributes it, with a reason, on record.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Docking } from '../../src-main/contract';
import { stopStationDock } from '../../src-main/station/services';
import { DockHarness, PASSWORD, PEOPLE, type Person, volumeOf } from '../support/dock-harness';

const PINS: Record<Person, string> = {
  officer: '246813',
  other: '135792',
  admin: '864209',
  supervisor: '975310',
  custodian: '642097',
};

let h: DockHarness;

beforeEach(async () => {
  h = await DockHarness.open();
});

afterEach(async () => {
  await h.close();
});

async function setPin(who: Person): Promise<void> {
  await h.ok('auth.setPin', { currentPassword: PASSWORD, pin: PINS[who] }, who);
}

/** A recorder issued to the victim (OFF-1), docked and ingested; still docked unless undocked. */
async function victimsDocking(serial: string) {
  await h.register(serial, PEOPLE.officer);
  const volume = volumeOf(h.recorderFolder(), serial);
  h.plugs.dock(volume);
  const docking = await h.finished(serial);
  expect(docking).toMatchObject({ officerBadge: PEOPLE.officer, identifiedBy: 'assigned' });
  return { docking, volume };
}

/** `as` calls dock.identify from a session of their own over the station's real WebSocket. */
async function identify(as: Person, dockingId: number, badge: string, pin: string) {
  const session = await h.socket(as);
  return session.call('dock.identify', { dockingId, badge, pin });
}

function currentDocking(id: number): Docking {
  const found = h.station.dock.require().service.docking(id);
  if (found === undefined) throw new Error(`no docking ${id}`);
  return found;
}

/** Refusals of the dock recorded under the session that tried (not the badge it typed). */
function refusalsBy(badge: string) {
  return h.audited('docking.officer.refused').filter((e) => e.actor === badge);
}

describe('D-WHO-RECORDS: nobody takes over another officer’s docking', () => {
  it('another officer cannot confirm as the victim, nor claim the docking once it is undocked', async () => {
    await setPin('officer');
    await setPin('other');
    const { docking, volume } = await victimsDocking('TKO01');
    h.plugs.undock(volume);
    await h.station.dock.require().service.settled();

    // The victim's badge and PIN (shoulder-surfed) from the attacker's own session.
    const asVictim = await identify('other', docking.id, PEOPLE.officer, PINS.officer);
    expect(asVictim).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Their own badge and PIN, hours later, from their desk: nobody is at the dock with it.
    const asSelf = await identify('other', docking.id, PEOPLE.other, PINS.other);
    expect(asSelf).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    expect(currentDocking(docking.id)).toMatchObject({
      officerBadge: PEOPLE.officer,
      identifiedBy: 'assigned',
    });
    expect(await h.clipsSeenBy('officer', docking.id)).toBe(1);
    expect(await h.clipsSeenBy('other', docking.id)).toBe(0);
    expect(h.audited('docking.officer.identified')).toEqual([]);
    expect(refusalsBy(PEOPLE.other).map((e) => e.details['reason'])).toEqual([
      'not-self',
      'not-at-dock',
    ]);
  });

  it('a confirmed docking stays its officer’s: another officer’s own badge and PIN do not move it', async () => {
    await setPin('officer');
    await setPin('other');
    const { docking } = await victimsDocking('TKO02');
    await h.ok(
      'dock.identify',
      { dockingId: docking.id, badge: PEOPLE.officer, pin: PINS.officer },
      'officer',
    );

    const taken = await identify('other', docking.id, PEOPLE.other, PINS.other);
    expect(taken).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    expect(currentDocking(docking.id)).toMatchObject({
      officerBadge: PEOPLE.officer,
      identifiedBy: 'badge-pin',
    });
    expect(await h.clipsSeenBy('officer', docking.id)).toBe(1);
    expect(await h.clipsSeenBy('other', docking.id)).toBe(0);
    // One confirmation, by the victim's own session; the attempt is on record under the attacker.
    expect(h.audited('docking.officer.identified').map((e) => e.actor)).toEqual([PEOPLE.officer]);
    expect(refusalsBy(PEOPLE.other)).toEqual([
      expect.objectContaining({
        subject: `docking:${docking.id}`,
        details: expect.objectContaining({ reason: 'confirmed' }),
      }),
    ]);
  });

  it('admins and supervisors identify nobody: not with a PIN of their own, not with an officer’s', async () => {
    for (const who of ['officer', 'admin', 'supervisor'] as const) await setPin(who);
    const { docking } = await victimsDocking('TKO03');

    for (const who of ['admin', 'supervisor'] as const) {
      const own = await identify(who, docking.id, PEOPLE[who], PINS[who]);
      expect(own, who).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const officers = await identify(who, docking.id, PEOPLE.officer, PINS.officer);
      expect(officers, who).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }

    expect(currentDocking(docking.id)).toMatchObject({
      officerBadge: PEOPLE.officer,
      identifiedBy: 'assigned',
    });
    expect(await h.clipsSeenBy('officer', docking.id)).toBe(1);
    expect(h.audited('docking.officer.identified')).toEqual([]);
    // The supervisor typed the officer's badge: the refusal names the supervisor, who acted.
    expect(refusalsBy(PEOPLE.supervisor).length).toBeGreaterThan(0);
  });

  it('two confirmations of one docking at once: exactly one wins, and the clips follow it', async () => {
    await setPin('officer');
    await setPin('other');
    const { docking } = await victimsDocking('TKO04');

    const [mine, theirs] = await Promise.all([
      identify('officer', docking.id, PEOPLE.officer, PINS.officer),
      identify('other', docking.id, PEOPLE.other, PINS.other),
    ]);

    const results = [mine, theirs];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'CONFLICT' }) }),
    ]);
    const winner: Person = mine.ok ? 'officer' : 'other';
    const loser: Person = mine.ok ? 'other' : 'officer';
    expect(h.audited('docking.officer.identified').map((e) => e.actor)).toEqual([PEOPLE[winner]]);
    expect(currentDocking(docking.id).officerBadge).toBe(PEOPLE[winner]);
    expect(await h.clipsSeenBy(winner, docking.id)).toBe(1);
    expect(await h.clipsSeenBy(loser, docking.id)).toBe(0);
  });

  it('a custodian’s IC card at the reader confirms nobody', async () => {
    await stopStationDock(h.station);
    const reader = Object.assign(new EventEmitter(), { close: () => undefined });
    await h.ok('users.setCard', { badge: PEOPLE.custodian, cardNumber: '0012345678' }, 'admin');
    await h.ok(
      'policy.set',
      { key: 'cardReader', value: { vendorId: 0xffff, productId: 0x0035 } },
      'custodian',
    );
    await h.openDock({ openReader: async () => reader as never });
    const { docking } = await victimsDocking('TKO05');
    // "0012345678" + Enter as a keyboard-wedge reader types it: press, release, per key.
    for (const usage of ['27', '27', '1e', '1f', '20', '21', '22', '23', '24', '25', '28']) {
      reader.emit('data', Buffer.from(`0000${usage}0000000000`, 'hex'));
      reader.emit('data', Buffer.alloc(8));
    }
    const refused = await new Promise<ReturnType<DockHarness['audited']>>((resolve) => {
      const poll = setInterval(() => {
        const seen = refusalsBy(PEOPLE.custodian);
        if (seen.length > 0 || h.audited('docking.officer.identified').length > 0) {
          clearInterval(poll);
          resolve(seen);
        }
      }, 20);
    });
    expect(refused).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ reason: 'not-an-officer' }) }),
    ]);
    expect(currentDocking(docking.id)).toMatchObject({
      officerBadge: PEOPLE.officer,
      identifiedBy: 'assigned',
    });
  });
});

describe('D-WHO-RECORDS, D-CUSTODIAN: a custodian re-attributes a confirmed docking', () => {
  it('to the officer who recorded, with a reason, audited under the custodian, as a finding', async () => {
    await setPin('other');
    const { docking } = await victimsDocking('TKO06');
    // The colleague confirmed it at the dock as theirs (a borrowed recorder, or a mistake).
    await h.ok(
      'dock.identify',
      { dockingId: docking.id, badge: PEOPLE.other, pin: PINS.other },
      'other',
    );
    expect(await h.clipsSeenBy('other', docking.id)).toBe(1);

    const reason = '记录仪实为李警官当班使用，王警官误确认';
    const byOfficer = await h.call(
      'dock.reattribute',
      { dockingId: docking.id, badge: PEOPLE.officer, reason },
      'officer',
    );
    expect(byOfficer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const noReason = await h.call(
      'dock.reattribute',
      { dockingId: docking.id, badge: PEOPLE.officer, reason: '' },
      'custodian',
    );
    expect(noReason).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const toSupervisor = await h.call(
      'dock.reattribute',
      { dockingId: docking.id, badge: PEOPLE.supervisor, reason },
      'custodian',
    );
    expect(toSupervisor).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    const { docking: after } = await h.ok<{ docking: Docking }>(
      'dock.reattribute',
      { dockingId: docking.id, badge: PEOPLE.officer, reason },
      'custodian',
    );
    expect(after).toMatchObject({ officerBadge: PEOPLE.officer, identifiedBy: 'reattributed' });
    expect(after.findings).toContainEqual(
      expect.objectContaining({
        code: 'docking-reattributed',
        details: expect.objectContaining({
          from: PEOPLE.other,
          to: PEOPLE.officer,
          by: PEOPLE.custodian,
          reason,
        }),
      }),
    );
    expect(await h.clipsSeenBy('officer', docking.id)).toBe(1);
    expect(await h.clipsSeenBy('other', docking.id)).toBe(0);
    expect(h.audited('docking.reattributed')).toEqual([
      {
        actor: PEOPLE.custodian,
        subject: `docking:${docking.id}`,
        details: expect.objectContaining({
          reason,
          before: { officerBadge: PEOPLE.other, identifiedBy: 'badge-pin' },
          after: { officerBadge: PEOPLE.officer, identifiedBy: 'reattributed' },
          clipsReattributed: 1,
        }),
      },
    ]);

    // Re-attributed is settled: the colleague cannot take it back at the dock.
    const back = await identify('other', docking.id, PEOPLE.other, PINS.other);
    expect(back).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
