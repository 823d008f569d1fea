// The station's one door, over a real connection: a request the client takes back is answered
// CANCELLED and leaves nothing behind, and an answer outside the contract is an internal error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcResult, StationMessage } from '../../src-main/contract';
import { openConnection } from '../../src-main/station/connection';
import { Dispatcher } from '../../src-main/station/dispatcher';
import { createHandlers, type Handlers } from '../../src-main/station/handlers';
import { closeStation, openStation, type Station } from '../../src-main/station/services';
import { confirmWaitingRoles } from '../support/role-grants';
import { tempDir } from '../support/temp';

const PASSWORD = 'correct horse 1';
let dir: ReturnType<typeof tempDir>;
let station: Station;
let supervisor = '';
let adminToken = '';

beforeAll(async () => {
  dir = tempDir();
  station = openStation({ dataDir: dir.path });
  const admin = await station.dispatcher.dispatch({
    method: 'setup.createAdmin',
    params: { badge: 'A0001', name: 'Admin', password: PASSWORD },
  });
  const token = (admin as { value: { token: string } }).value.token;
  // A supervisor's role is confirmed by a custodian (D-CUSTODIAN): the station's first one.
  for (const [badge, name, role] of [
    ['C0001', '保管', 'custodian'],
    ['S0001', '监督', 'supervisor'],
  ] as const) {
    await station.dispatcher.dispatch({
      method: 'users.add',
      params: { badge, name, role, password: PASSWORD },
      session: token,
    });
  }
  const custodian = await station.dispatcher.dispatch({
    method: 'auth.login',
    params: { badge: 'C0001', password: PASSWORD },
  });
  await confirmWaitingRoles(
    (c) => station.dispatcher.dispatch(c),
    (custodian as { value: { token: string } }).value.token,
  );
  adminToken = token;
  const login = await station.dispatcher.dispatch({
    method: 'auth.login',
    params: { badge: 'S0001', password: PASSWORD },
  });
  supervisor = (login as { value: { token: string } }).value.token;
});
afterAll(() => {
  closeStation(station);
  dir.remove();
});

/** A client on the station's connection: what it sends and what comes back. */
function client() {
  const answers = new Map<number, (result: RpcResult) => void>();
  const connection = openConnection(station, (text) => {
    const message = JSON.parse(text) as StationMessage;
    if (message.type === 'response') answers.get(message.id)?.(message.result);
  });
  return {
    request(id: number, method: string, params: unknown, session = supervisor): Promise<RpcResult> {
      const answered = new Promise<RpcResult>((resolve) => answers.set(id, resolve));
      void connection.receive(JSON.stringify({ type: 'request', id, method, params, session }));
      return answered;
    },
    /** Every answer to `id`, in order (a second request under a live id is answered too). */
    answersTo(id: number, count: number): Promise<RpcResult[]> {
      const seen: RpcResult[] = [];
      return new Promise((resolve) =>
        answers.set(id, (result) => {
          seen.push(result);
          if (seen.length === count) resolve(seen);
        }),
      );
    },
    send(message: unknown): Promise<void> {
      return connection.receive(JSON.stringify(message));
    },
    cancel(id: number): Promise<void> {
      return connection.receive(JSON.stringify({ type: 'cancel', id }));
    },
    close: () => connection.close(),
  };
}

describe('cancellation', () => {
  it('an export taken back while it is made answers CANCELLED and leaves no export behind', async () => {
    const c = client();
    const exported = () => station.audit.list({ limit: 10, action: 'report.exported' }).total;
    const before = exported();
    const answer = c.request(1, 'report.export', {
      from: '2026-01-01',
      to: '2026-12-31',
      format: 'pdf',
    });
    await c.cancel(1);
    expect(await answer).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(exported()).toBe(before);
    c.close();
  });

  it('a cancel for a request already answered, or never made, changes nothing', async () => {
    const c = client();
    const answer = await c.request(2, 'report.export', {
      from: '2026-01-01',
      to: '2026-12-31',
      format: 'csv',
    });
    expect(answer.ok).toBe(true);
    await c.cancel(2);
    await c.cancel(99);
    expect(await c.request(3, 'auth.whoami', {})).toMatchObject({ ok: true });
    c.close();
  });
});

describe('a cancel never hides a change that was made', () => {
  it('a user added while the cancel was on its way is answered as added, not CANCELLED', async () => {
    const c = client();
    // The cancel arrives while the password is being hashed: the user is added regardless.
    const answer = c.request(
      10,
      'users.add',
      { badge: 'P0777', name: '取消', role: 'officer', password: PASSWORD },
      adminToken,
    );
    await c.cancel(10);
    const result = await answer;
    expect(result).toMatchObject({ ok: true });
    const again = await c.request(
      11,
      'users.add',
      { badge: 'P0777', name: '取消', role: 'officer', password: PASSWORD },
      adminToken,
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } });
    c.close();
  });

  it('a second request under an id still in flight is refused, and the first answered once', async () => {
    const c = client();
    const both = c.answersTo(20, 2);
    const request = {
      type: 'request',
      id: 20,
      method: 'report.export',
      params: { from: '2026-01-01', to: '2026-12-31', format: 'pdf' },
      session: supervisor,
    };
    await Promise.all([c.send(request), c.send({ ...request, params: { ...request.params } })]);
    const [first, second] = await both;
    expect(first).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(JSON.stringify(first)).toMatch(/still in flight/);
    expect(second).toMatchObject({ ok: true });
    c.close();
  });
});

describe('answers are checked against the contract', () => {
  it('an answer the contract does not describe is an internal error, logged, never sent', async () => {
    const logged: string[] = [];
    const handlers = {
      ...createHandlers(station),
      'station.info': () => ({ product: 'something-else', version: 1 }),
    } as unknown as Handlers;
    const door = new Dispatcher(station.auth, handlers, {
      checkOutputs: true,
      onInternalError: (error, method) => logged.push(`${method}: ${String(error)}`),
    });
    const result = await door.dispatch({ method: 'station.info' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('something-else');
    expect(logged[0]).toMatch(/station\.info answered outside its contract/);
  });

  it('the stations tests run check every answer', () => {
    expect(process.env.EVIDOCK_CHECK_OUTPUTS).toBe('1');
  });
});
