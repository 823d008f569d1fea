// A case's opening and closing are times people type. Retention runs from the close (D-RETAIN:
// evidence is kept as long as the case file, counted from the close), so a close backdated past
// the case's own footage makes footage recorded today "retention due". Entered times are bounded
// by what the station knows, checked in the transaction that writes them, and audited under the
// session's user. Real station process, real WebSocket RPC, requests raced as a client races them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-main/contract';
import type { SocketClient } from '../support/socket-client';
import {
  ok,
  refused,
  seedClip,
  seededStation,
  type SeededStation,
} from '../support/seeded-station';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

let station: SeededStation;
let officer: SocketClient;
let custodian: SocketClient;
/** Clips of P100 recorded today, an hour ago, docked half an hour ago. */
const today: number[] = [];
let number = 100;

/** A new case of P100's, opened ten days ago. */
async function openCase(): Promise<string> {
  number += 1;
  const caseNumber = `金普民宗罚〔2026〕${number}号`;
  await ok(officer, 'cases.create', {
    number: caseNumber,
    kind: 'penalty',
    title: '某饭店油烟',
    openedAt: ago(10 * DAY),
  });
  return caseNumber;
}

beforeAll(async () => {
  station = await seededStation(
    [
      { badge: 'P100', role: 'officer' },
      { badge: 'C001', role: 'custodian' },
    ],
    (tx) => {
      for (let i = 0; i < 4; i += 1) {
        today.push(
          seedClip(tx, {
            officer: 'P100',
            serial: 'CAM01',
            recordedStart: ago(HOUR - i * 60_000),
            custodyAt: ago(HOUR / 2),
          }),
        );
      }
    },
  );
  officer = await station.as('P100');
  custodian = await station.as('C001');
});
afterAll(() => station.stop());

describe('closing a case', () => {
  it('before the footage filed under it was recorded is refused (footage of today stays out of retention)', async () => {
    const kase = await openCase();
    await ok(officer, 'clips.label', {
      target: { clipIds: [today[0]!] },
      set: { caseNumber: kase },
    });

    const error = await refused(officer, 'cases.close', { number: kase, closedAt: ago(5 * DAY) });
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/before footage filed under it was recorded/);
    expect(error.details).toMatchObject({
      field: 'closedAt',
      reason: 'before-footage',
      clipId: today[0],
    });
    const { case: still } = await ok(officer, 'cases.get', { number: kase });
    expect(still).toMatchObject({ status: 'open', closedAt: null });
    const due = await ok(custodian, 'clips.search', { caseNumber: kase, retentionDue: true });
    expect(due.total).toBe(0);
  });

  it('after its footage is allowed, and audited with before and after under the session’s user', async () => {
    const kase = await openCase();
    await ok(officer, 'clips.label', {
      target: { clipIds: [today[1]!] },
      set: { caseNumber: kase },
    });
    const closedAt = ago(10 * 60_000);
    const { case: closed } = await ok(officer, 'cases.close', { number: kase, closedAt });
    expect(closed).toMatchObject({ status: 'closed', closedAt });

    const { history } = await ok(custodian, 'cases.get', { number: kase });
    const entry = history.find((e: AuditEntry) => e.action === 'case.closed')!;
    expect(entry.actor).toBe('P100');
    expect(entry.details).toMatchObject({
      before: { status: 'open', closedAt: null },
      after: { status: 'closed', closedAt },
      enteredTime: true,
    });
  });

  it('in the future, or before the case opened, is refused', async () => {
    const kase = await openCase();
    for (const [closedAt, reason] of [
      [new Date(Date.now() + DAY).toISOString(), 'future'],
      [ago(11 * DAY), 'before-opening'],
    ] as const) {
      const error = await refused(officer, 'cases.close', { number: kase, closedAt });
      expect(error).toMatchObject({ code: 'BAD_REQUEST', details: { field: 'closedAt', reason } });
    }
  });
});

describe('opening a case', () => {
  it('in the future is refused', async () => {
    const error = await refused(officer, 'cases.create', {
      number: '金普民宗罚〔2026〕901号',
      kind: 'penalty',
      title: '某案',
      openedAt: new Date(Date.now() + 2 * DAY).toISOString(),
    });
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      details: { field: 'openedAt', reason: 'future' },
    });
  });

  it('further back than the unit keeps case files is refused (D-RETAIN)', async () => {
    const error = await refused(officer, 'cases.create', {
      number: '金普民宗罚〔2026〕902号',
      kind: 'penalty',
      title: '某案',
      openedAt: '1990-01-01T00:00:00Z',
    });
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      details: { field: 'openedAt', reason: 'before-retention' },
    });
    expect(error.message).toMatch(/30 years/);
    const { total } = await ok(officer, 'cases.list', { text: '902' });
    expect(total).toBe(0);
  });
});

describe('footage recorded after a case closed', () => {
  it('is not filed into that case', async () => {
    const kase = await openCase();
    await ok(officer, 'cases.close', { number: kase, closedAt: ago(2 * DAY) });
    const error = await refused(officer, 'clips.label', {
      target: { clipIds: [today[2]!] },
      set: { caseNumber: kase },
    });
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/recorded .* after case .* closed/);
    const { case: closed } = await ok(officer, 'cases.get', { number: kase });
    expect(closed.clips).toBe(0);
  });
});

describe('a backdated close and a filing sent at the same moment', () => {
  it.each([['close first'], ['filing first']])(
    'never leave a case closed before its own footage (%s)',
    async (order) => {
      const kase = await openCase();
      const clipId = today[3]!;
      const close = () => officer.call('cases.close', { number: kase, closedAt: ago(5 * DAY) });
      const file = () =>
        officer.call('clips.label', { target: { clipIds: [clipId] }, set: { caseNumber: kase } });
      const [first, second] = order === 'close first' ? [close(), file()] : [file(), close()];
      const results = await Promise.all([first, second]);

      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const { case: after } = await ok(custodian, 'cases.get', { number: kase });
      const filed = await ok(custodian, 'clips.search', { caseNumber: kase });
      // Either the close stands with no footage, or the footage is filed and the case is open.
      if (after.status === 'closed') expect(filed.total).toBe(0);
      else expect(filed.clips.map((c) => c.id)).toEqual([clipId]);
      // Put back for the other order.
      if (filed.total > 0) {
        await ok(custodian, 'clips.label', {
          target: { clipIds: [clipId] },
          set: { caseNumber: null, matter: '日常巡查' },
        });
      }
    },
  );
});
