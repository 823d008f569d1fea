// D-WHO-RECORDS at the dock, as an attacker tries it: a second session over the station's real
// WebSocket tries to take another officer's docking (and with it every clip of it) by confirming it
// with a badge and PIN of its own, an officer's it learnt, or with a role that records nothing.
// A recorder issued to an officer is confirmed at the dock by that officer only, as themselves; a
// pool recorder (issued to nobody) by whichever officer recorded on it, while it is docked and
// nobody has confirmed it; anything else (a borrowed recorder) only a custodian re-attributes,
// with a reason, on record. Whoever asks about a docking that is not theirs to confirm hears one
// refusal, whatever the reason; the audit keeps the real one.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DockedVolume as VolumeView, Docking, RpcResult } from '../../src-main/contract';
import { stopStationDock } from '../../src-main/station/services';
import {
  DockHarness,
  PASSWORD,
  PEOPLE,
  type Person,
  until,
  volumeOf,
} from '../support/dock-harness';

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

/** A pool recorder (issued to nobody), docked and ingested; still docked unless undocked. */
async function poolDocking(serial: string) {
  await h.register(serial, null);
  const volume = volumeOf(h.recorderFolder(), serial);
  h.plugs.dock(volume);
  const docking = await h.finished(serial);
  expect(docking).toMatchObject({ officerBadge: null, identifiedBy: null });
  return { docking, volume };
}

/** `as` calls dock.identify from a session of their own over the station's real WebSocket. */
async function identify(as: Person, dockingId: number, badge: string, pin: string) {
  const session = await h.socket(as);
  return session.call('dock.identify', { dockingId, badge, pin });
}

/** What `as` is told of the dock over their own session. */
async function dockStatusOf(as: Person): Promise<{ volumes: VolumeView[]; dockings: Docking[] }> {
  const session = await h.socket(as);
  const result = await session.call('dock.status', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { volumes: VolumeView[]; dockings: Docking[] };
}

/**
 * D-NO-LEAK: the one refusal for a docking that is not the caller's to confirm. Nothing in it
 * says whether the docking exists, whose it is, whether it is docked or confirmed.
 */
function notYours(result: RpcResult): { code: string; message: string; details: unknown } {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('confirmed');
  expect(result.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'not-yours' } });
  const { code, message, details } = result.error as {
    code: string;
    message: string;
    details: unknown;
  };
  return { code, message, details };
}

function currentDocking(id: number): Docking {
  const found = h.station.dock.require().service.docking(id);
  if (found === undefined) throw new Error(`no docking ${id}`);
  return found;
}

/** The docking is still the victim's, as `identifiedBy` made it: their clips, none of the other's. */
async function expectStillTheVictims(
  dockingId: number,
  identifiedBy: Docking['identifiedBy'],
): Promise<void> {
  expect(currentDocking(dockingId)).toMatchObject({ officerBadge: PEOPLE.officer, identifiedBy });
  expect(await h.clipsSeenBy('officer', dockingId)).toBe(1);
  expect(await h.clipsSeenBy('other', dockingId)).toBe(0);
}

/**
 * A card reader stand-in for `person`'s card: the tap it returns types "0012345678" + Enter, as a
 * keyboard-wedge reader does (press, release, per key).
 */
async function readerFor(person: Person) {
  await stopStationDock(h.station);
  const reader = Object.assign(new EventEmitter(), { close: () => undefined });
  await h.ok('users.setCard', { badge: PEOPLE[person], cardNumber: '0012345678' }, 'admin');
  await h.ok(
    'policy.set',
    { key: 'cardReader', value: { vendorId: 0xffff, productId: 0x0035 } },
    'custodian',
  );
  await h.openDock({ openReader: async () => reader as never });
  return () => {
    for (const usage of ['27', '27', '1e', '1f', '20', '21', '22', '23', '24', '25', '28']) {
      reader.emit('data', Buffer.from(`0000${usage}0000000000`, 'hex'));
      reader.emit('data', Buffer.alloc(8));
    }
  };
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
    // Their own badge and PIN, hours later, from their desk: not theirs, said as for any other.
    const asSelf = await identify('other', docking.id, PEOPLE.other, PINS.other);
    notYours(asSelf);

    await expectStillTheVictims(docking.id, 'assigned');
    expect(h.audited('docking.officer.identified')).toEqual([]);
    expect(refusalsBy(PEOPLE.other).map((e) => e.details['reason'])).toEqual([
      'not-self',
      'another-officers',
    ]);
  });

  it('another officer cannot take a docking whose recorder is still docked, even after its officer pressed Done', async () => {
    await setPin('other');
    const { docking } = await victimsDocking('TKO07');
    // The victim is done (labels deferred) and walks away; the recorder charges in the dock.
    await h.ok(
      'dock.finish',
      { dockingId: docking.id, deferReason: '今天晚些时候再标注' },
      'officer',
    );

    // D-NO-LEAK: the bay is busy, and it does not say with which docking.
    const seen = await dockStatusOf('other');
    expect(seen.dockings).toEqual([]);
    expect(seen.volumes).toEqual([expect.objectContaining({ state: 'busy', dockingId: null })]);
    // The id guessed (they are sequential), with the attacker's own PIN: refused.
    notYours(await identify('other', docking.id, PEOPLE.other, PINS.other));

    await expectStillTheVictims(docking.id, 'assigned');
    expect(h.audited('docking.officer.identified')).toEqual([]);
    expect(refusalsBy(PEOPLE.other)).toEqual([
      expect.objectContaining({
        subject: `docking:${docking.id}`,
        details: expect.objectContaining({ reason: 'another-officers' }),
      }),
    ]);
  });

  it('one refusal for every docking that is not the caller’s, whatever the reason; the audit keeps it', async () => {
    await setPin('officer');
    await setPin('other');
    const docked = await victimsDocking('TKO08');
    const confirmed = await victimsDocking('TKO09');
    await h.ok('dock.identify', { dockingId: confirmed.docking.id, pin: PINS.officer }, 'officer');
    const pulled = await poolDocking('TKO10');
    h.plugs.undock(pulled.volume);
    await h.station.dock.require().service.settled();

    const answers = [];
    for (const id of [docked.docking.id, confirmed.docking.id, pulled.docking.id, 9999]) {
      answers.push(notYours(await identify('other', id, PEOPLE.other, PINS.other)));
    }
    // The same code, words and details for each: nothing to tell them apart by.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(JSON.stringify(answers[0])).not.toMatch(/TKO|OFF-1|9999/);

    expect(refusalsBy(PEOPLE.other).map((e) => [e.subject, e.details['reason']])).toEqual([
      [`docking:${docked.docking.id}`, 'another-officers'],
      [`docking:${confirmed.docking.id}`, 'another-officers'],
      [`docking:${pulled.docking.id}`, 'not-at-dock'],
      ['docking:9999', 'no-such-docking'],
    ]);
    // The officer the docking is issued to is still told what stops them, in their own words.
    const again = await identify('officer', confirmed.docking.id, PEOPLE.officer, PINS.officer);
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { reason: 'confirmed' } },
    });
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
    notYours(taken);

    await expectStillTheVictims(docking.id, 'badge-pin');
    // One confirmation, by the victim's own session; the attempt is on record under the attacker.
    expect(h.audited('docking.officer.identified').map((e) => e.actor)).toEqual([PEOPLE.officer]);
    expect(refusalsBy(PEOPLE.other)).toEqual([
      expect.objectContaining({
        subject: `docking:${docking.id}`,
        details: expect.objectContaining({ reason: 'another-officers' }),
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

  it('two officers confirm one pool recorder’s docking at once: exactly one wins, and the clips follow it', async () => {
    await setPin('officer');
    await setPin('other');
    const { docking } = await poolDocking('TKO04');

    const [mine, theirs] = await Promise.all([
      identify('officer', docking.id, PEOPLE.officer, PINS.officer),
      identify('other', docking.id, PEOPLE.other, PINS.other),
    ]);

    const results = [mine, theirs];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    notYours(results.find((r) => !r.ok)!);
    const winner: Person = mine.ok ? 'officer' : 'other';
    const loser: Person = mine.ok ? 'other' : 'officer';
    expect(h.audited('docking.officer.identified').map((e) => e.actor)).toEqual([PEOPLE[winner]]);
    expect(currentDocking(docking.id).officerBadge).toBe(PEOPLE[winner]);
    expect(await h.clipsSeenBy(winner, docking.id)).toBe(1);
    expect(await h.clipsSeenBy(loser, docking.id)).toBe(0);
  });

  it('a pool recorder is confirmed by the officer at the dock while docked, and is theirs alone after', async () => {
    await setPin('officer');
    await setPin('other');
    const { docking } = await poolDocking('TKO11');
    // Nobody's yet: every officer is offered it at the dock, by its docking and nothing of its
    // footage; nobody's docking is sent whole to an officer.
    for (const who of ['officer', 'other'] as const) {
      const seen = await dockStatusOf(who);
      expect(seen.dockings, who).toEqual([]);
      expect(seen.volumes, who).toEqual([
        expect.objectContaining({ state: 'unclaimed', dockingId: docking.id, usb: null }),
      ]);
    }
    const watching = await h.socket('other');
    const { docking: mine } = await h.ok<{ docking: Docking }>(
      'dock.identify',
      { dockingId: docking.id, pin: PINS.other },
      'other',
    );
    // Its screen is told at once: the bay is its recorder now, with its docking.
    await until(() => {
      const pushed = watching.events.filter((e) => e.name === 'dock.volumes').at(-1);
      const volumes = (pushed?.payload as { volumes: VolumeView[] } | undefined)?.volumes;
      return volumes?.[0]?.state === 'recorder' && volumes[0].dockingId === docking.id;
    }, 5000);
    expect(mine).toMatchObject({ officerBadge: PEOPLE.other, identifiedBy: 'badge-pin' });
    // No finding: a pool recorder is issued to nobody, so nobody else was passed over.
    expect(mine.findings.map((f) => f.code)).not.toContain('officer-not-assigned');
    expect(await h.clipsSeenBy('other', docking.id)).toBe(1);
    // Now theirs: the colleague sees a busy bay without its docking, and cannot take it.
    expect((await dockStatusOf('officer')).volumes).toEqual([
      expect.objectContaining({ state: 'busy', dockingId: null, serial: null }),
    ]);
    expect((await dockStatusOf('other')).volumes).toEqual([
      expect.objectContaining({ state: 'recorder', dockingId: docking.id }),
    ]);
    notYours(await identify('officer', docking.id, PEOPLE.officer, PINS.officer));
    expect(await h.clipsSeenBy('officer', docking.id)).toBe(0);

    // Pulled out unconfirmed, a pool recorder's docking is nobody's to confirm from a desk.
    const second = await poolDocking('TKO12');
    h.plugs.undock(second.volume);
    await h.station.dock.require().service.settled();
    notYours(await identify('officer', second.docking.id, PEOPLE.officer, PINS.officer));
    expect(currentDocking(second.docking.id)).toMatchObject({ officerBadge: null });
  });

  it('a custodian’s IC card at the reader confirms nobody', async () => {
    const tap = await readerFor('custodian');
    const { docking } = await victimsDocking('TKO05');
    tap();
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

describe('D-WHO-RECORDS: an IC card confirms its holder’s recorder, or a pool recorder, never another’s', () => {
  it('another officer’s card tapped while the victim’s recorder is docked confirms nothing', async () => {
    const tap = await readerFor('other');
    const { docking } = await victimsDocking('TKO13');
    tap();
    const refused = await until(() => refusalsBy(PEOPLE.other)[0], 5000);
    expect(refused).toMatchObject({
      subject: 'card',
      details: expect.objectContaining({ reason: 'none-of-theirs', how: 'card' }),
    });
    // Nothing in the refusal says which docking was there.
    expect(JSON.stringify(refused)).not.toContain('TKO13');
    expect(h.audited('docking.officer.identified')).toEqual([]);
    expect(currentDocking(docking.id)).toMatchObject({
      officerBadge: PEOPLE.officer,
      identifiedBy: 'assigned',
    });
    expect(await h.clipsSeenBy('other', docking.id)).toBe(0);
  });

  it('with a pool recorder docked beside the victim’s, the card confirms the pool recorder', async () => {
    const tap = await readerFor('other');
    // The pool recorder first: the victim's is the newest docking at the dock.
    const pool = await poolDocking('TKO15');
    const victims = await victimsDocking('TKO14');
    tap();
    const confirmed = await until(() => {
      const d = h.lastDocking('TKO15');
      return d?.identifiedBy === 'card' ? d : undefined;
    }, 5000);
    expect(confirmed).toMatchObject({ id: pool.docking.id, officerBadge: PEOPLE.other });
    expect(currentDocking(victims.docking.id)).toMatchObject({
      officerBadge: PEOPLE.officer,
      identifiedBy: 'assigned',
    });
    expect(h.audited('docking.officer.identified')).toEqual([
      expect.objectContaining({ actor: PEOPLE.other, subject: `docking:${pool.docking.id}` }),
    ]);
  });
});

describe('D-WHO-RECORDS, D-CUSTODIAN: a custodian re-attributes a confirmed docking', () => {
  it('to the officer who recorded, with a reason, audited under the custodian, as a finding', async () => {
    await setPin('other');
    const { docking } = await poolDocking('TKO06');
    // The colleague confirmed the pool recorder at the dock as theirs (a mistake).
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
    notYours(back);
  });

  it('a borrowed recorder is not confirmed at the dock by the borrower: a custodian moves it', async () => {
    await setPin('other');
    const { docking } = await victimsDocking('TKO16');
    notYours(await identify('other', docking.id, PEOPLE.other, PINS.other));
    const reason = '王警官借用李警官的记录仪执勤';
    const { docking: after } = await h.ok<{ docking: Docking }>(
      'dock.reattribute',
      { dockingId: docking.id, badge: PEOPLE.other, reason },
      'custodian',
    );
    expect(after).toMatchObject({ officerBadge: PEOPLE.other, identifiedBy: 'reattributed' });
    expect(await h.clipsSeenBy('other', docking.id)).toBe(1);
    expect(await h.clipsSeenBy('officer', docking.id)).toBe(0);
  });
});
