import { describe, expect, it } from 'vitest';
import type { RequestMessage, StationMessage } from '../../src-main/contract';
import { StationClient, memoryTokenStore } from '../../src-renderer/api/client';
import { websocketUrl } from '../../src-renderer/api/connect';
import { StationError } from '../../src-renderer/api/errors';
import type { ConnectionState, Transport } from '../../src-renderer/api/transport';

/** A transport the test drives by hand: it records what the client sends. */
class FakeTransport implements Transport {
  sent: RequestMessage[] = [];
  state: ConnectionState;
  private messageListeners = new Set<(message: string) => void>();
  private stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(state: ConnectionState = 'open') {
    this.state = state;
  }
  send(message: string): void {
    this.sent.push(JSON.parse(message) as RequestMessage);
  }
  onMessage(listener: (message: string) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }
  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
  close(): void {}

  deliver(message: StationMessage | string): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    for (const listener of this.messageListeners) listener(text);
  }
  setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
  last(): RequestMessage {
    const request = this.sent[this.sent.length - 1];
    if (request === undefined) throw new Error('nothing sent');
    return request;
  }
}

/** Timers the test fires by hand. */
function manualTimers() {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    setTimer: (fn: () => void) => {
      const id = next++;
      timers.set(id, fn);
      return id;
    },
    clearTimer: (handle: unknown) => {
      timers.delete(handle as number);
    },
    fireAll: () => {
      for (const [id, fn] of [...timers]) {
        timers.delete(id);
        fn();
      }
    },
    get count() {
      return timers.size;
    },
  };
}

const USER = {
  badge: 'A0001',
  name: '张建国',
  role: 'admin' as const,
  disabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  lockedUntil: null,
};

function setup(options: { token?: string | null; state?: ConnectionState } = {}) {
  const transport = new FakeTransport(options.state ?? 'open');
  const timers = manualTimers();
  const client = new StationClient(transport, {
    tokens: memoryTokenStore(options.token ?? null),
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
  });
  return { transport, timers, client };
}

describe('StationClient', () => {
  it('sends a wire request with the session token and resolves with the value', async () => {
    const { transport, client, timers } = setup({ token: 'tok-1' });
    const pending = client.call('users.list', {});
    const request = transport.last();
    expect(request).toEqual({
      type: 'request',
      id: request.id,
      method: 'users.list',
      params: {},
      session: 'tok-1',
    });
    transport.deliver({
      type: 'response',
      id: request.id,
      result: { ok: true, value: { users: [USER] } },
    });
    await expect(pending).resolves.toEqual({ users: [USER] });
    expect(timers.count).toBe(0);
  });

  it('sends no session field when nobody is logged in', () => {
    const { transport, client } = setup();
    void client.call('station.info', {});
    expect('session' in transport.last()).toBe(false);
  });

  it('matches answers to requests by id, in any order', async () => {
    const { transport, client } = setup({ token: 't' });
    const first = client.call('users.list', {});
    const firstId = transport.last().id;
    const second = client.call('audit.verify', {});
    const secondId = transport.last().id;
    expect(secondId).not.toBe(firstId);
    const verification = {
      ok: true,
      entries: 3,
      headSeq: 3,
      firstBadSeq: null,
      problem: null,
      checkedAt: '2026-01-01T00:00:00.000Z',
    };
    transport.deliver({
      type: 'response',
      id: secondId,
      result: { ok: true, value: verification },
    });
    transport.deliver({
      type: 'response',
      id: firstId,
      result: { ok: true, value: { users: [] } },
    });
    await expect(second).resolves.toEqual(verification);
    await expect(first).resolves.toEqual({ users: [] });
  });

  it('rejects with the stable code and details of a station error', async () => {
    const { transport, client } = setup();
    const pending = client.call('auth.login', { badge: 'A0001', password: 'x' });
    transport.deliver({
      type: 'response',
      id: transport.last().id,
      result: {
        ok: false,
        error: {
          code: 'ACCOUNT_LOCKED',
          message: 'locked',
          details: { lockedUntil: '2030-01-01T00:00:00.000Z' },
        },
      },
    });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StationError);
    expect((error as StationError).code).toBe('ACCOUNT_LOCKED');
    expect((error as StationError).details).toEqual({ lockedUntil: '2030-01-01T00:00:00.000Z' });
  });

  it('maps an unknown error code to INTERNAL rather than trusting it', async () => {
    const { transport, client } = setup();
    const pending = client.call('station.info', {});
    transport.deliver(
      JSON.stringify({
        type: 'response',
        id: transport.last().id,
        result: { ok: false, error: { code: 'NO_SUCH_CODE', message: 'x' } },
      }),
    );
    await expect(pending).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('reports a lost session once for a call under the current token', async () => {
    const { transport, client } = setup({ token: 'old' });
    const lost: string[] = [];
    client.onSessionLost((code) => lost.push(code));
    const pending = client.call('users.list', {});
    transport.deliver({
      type: 'response',
      id: transport.last().id,
      result: { ok: false, error: { code: 'SESSION_EXPIRED', message: 'expired' } },
    });
    await expect(pending).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(lost).toEqual(['SESSION_EXPIRED']);
  });

  it('reports a disabled account as the end of its session', async () => {
    const { transport, client } = setup({ token: 'tok' });
    const lost: string[] = [];
    client.onSessionLost((code) => lost.push(code));
    const pending = client.call('users.list', {});
    transport.deliver({
      type: 'response',
      id: transport.last().id,
      result: { ok: false, error: { code: 'ACCOUNT_DISABLED', message: 'disabled' } },
    });
    await expect(pending).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect(lost).toEqual(['ACCOUNT_DISABLED']);
  });

  it('ignores a lost-session answer for a token that was already replaced', async () => {
    const { transport, client } = setup({ token: 'old' });
    const lost: string[] = [];
    client.onSessionLost((code) => lost.push(code));
    const pending = client.call('auth.logout', {});
    client.setToken('new');
    transport.deliver({
      type: 'response',
      id: transport.last().id,
      result: { ok: false, error: { code: 'UNAUTHENTICATED', message: 'no' } },
    });
    await expect(pending).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(lost).toEqual([]);
  });

  it('does not treat a failed login as a lost session', async () => {
    const { transport, client } = setup();
    const lost: string[] = [];
    client.onSessionLost((code) => lost.push(code));
    const pending = client.call('auth.login', { badge: 'A0001', password: 'x' });
    transport.deliver({
      type: 'response',
      id: transport.last().id,
      result: { ok: false, error: { code: 'UNAUTHENTICATED', message: 'no' } },
    });
    await expect(pending).rejects.toBeInstanceOf(StationError);
    expect(lost).toEqual([]);
  });

  it('delivers events to their listeners until they unsubscribe', () => {
    const { transport, client } = setup();
    const seen: string[] = [];
    const off = client.on('users.changed', ({ badge }) => seen.push(badge));
    transport.deliver({ type: 'event', name: 'users.changed', payload: { badge: 'J0123' } });
    transport.deliver({ type: 'event', name: 'audit.appended', payload: { entry: {} } });
    off();
    transport.deliver({ type: 'event', name: 'users.changed', payload: { badge: 'J0124' } });
    expect(seen).toEqual(['J0123']);
  });

  it('ignores messages that are not JSON or answer nothing pending', () => {
    const { transport, client } = setup();
    const pending = client.call('station.info', {});
    transport.deliver('not json');
    transport.deliver({ type: 'response', id: 9999, result: { ok: true, value: {} } });
    transport.deliver({
      type: 'response',
      id: transport.last().id,
      result: { ok: true, value: 1 },
    });
    return expect(pending).resolves.toBe(1);
  });

  it('fails a call with TIMEOUT when the station never answers', async () => {
    const { client, timers } = setup();
    const pending = client.call('station.info', {});
    timers.fireAll();
    await expect(pending).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('fails calls that were on a socket that closed, keeps those still queued', async () => {
    const { transport, client } = setup({ state: 'open' });
    const onWire = client.call('station.info', {});
    transport.setState('closed');
    await expect(onWire).rejects.toMatchObject({ code: 'DISCONNECTED' });

    transport.setState('connecting');
    const queued = client.call('station.info', {});
    transport.setState('open');
    transport.deliver({
      type: 'response',
      id: transport.last().id,
      result: { ok: true, value: 'ok' },
    });
    await expect(queued).resolves.toBe('ok');
  });

  it('counts reconnections, not the first connection', () => {
    const { transport, client } = setup({ state: 'connecting' });
    transport.setState('open');
    expect(client.reconnectCount).toBe(0);
    transport.setState('closed');
    transport.setState('connecting');
    transport.setState('open');
    expect(client.reconnectCount).toBe(1);
  });

  it('records when it last called under a session', () => {
    const transport = new FakeTransport();
    let now = 1000;
    const client = new StationClient(transport, { tokens: memoryTokenStore(), now: () => now });
    void client.call('station.info', {}).catch(() => undefined);
    expect(client.lastSessionCallAt).toBe(0);
    client.setToken('t');
    now = 5000;
    void client.call('auth.whoami', {}).catch(() => undefined);
    expect(client.lastSessionCallAt).toBe(5000);
    client.close();
  });
});

describe('websocketUrl', () => {
  it('follows the page: ws for http, wss for https, same host, the contract path', () => {
    expect(websocketUrl({ protocol: 'http:', host: '127.0.0.1:47810' })).toBe(
      'ws://127.0.0.1:47810/rpc',
    );
    expect(websocketUrl({ protocol: 'https:', host: 'station.local' })).toBe(
      'wss://station.local/rpc',
    );
  });
});

describe('taking a request back', () => {
  it('rejects CANCELLED at once, tells the station, and ignores a late answer', async () => {
    const transport = new FakeTransport();
    const client = new StationClient(transport, { tokens: memoryTokenStore('tok') });
    const controller = new AbortController();
    const call = client.call('clips.search', {}, { signal: controller.signal });
    const id = transport.last().id;
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(transport.sent.at(-1)).toEqual({ type: 'cancel', id });
    // The station's answer arriving afterwards changes nothing.
    transport.deliver({
      type: 'response',
      id,
      result: { ok: false, error: { code: 'CANCELLED', message: 'cancelled' } },
    });
    expect(transport.sent).toHaveLength(2);
  });

  it('a signal aborted before the call sends nothing', async () => {
    const transport = new FakeTransport();
    const client = new StationClient(transport);
    const controller = new AbortController();
    controller.abort();
    await expect(
      client.call('station.info', {}, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(StationError);
    expect(transport.sent).toEqual([]);
  });

  it('aborting after the answer came changes nothing', async () => {
    const transport = new FakeTransport();
    const client = new StationClient(transport);
    const controller = new AbortController();
    const call = client.call('station.info', {}, { signal: controller.signal });
    const { id } = transport.last();
    const value = {
      product: 'evidock',
      version: '1',
      setupRequired: false,
      idleTimeoutSeconds: 300,
    };
    transport.deliver({ type: 'response', id, result: { ok: true, value } });
    await expect(call).resolves.toEqual(value);
    controller.abort();
    expect(transport.sent).toHaveLength(1);
  });
});
