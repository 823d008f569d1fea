import { describe, expect, it } from 'vitest';
import {
  BridgeTransport,
  WebSocketTransport,
  type ConnectionState,
  type SocketLike,
} from '../../src-renderer/api/transport';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;

  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const delays: number[] = [];
  let pendingTimer: (() => void) | null = null;
  const transport = new WebSocketTransport({
    url: 'ws://127.0.0.1:1/rpc',
    backoff: [100, 200, 400],
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimer: (fn, ms) => {
      delays.push(ms);
      pendingTimer = fn;
      return 1;
    },
    clearTimer: () => {
      pendingTimer = null;
    },
  });
  const states: ConnectionState[] = [];
  transport.onState((state) => states.push(state));
  const fireTimer = () => {
    const fn = pendingTimer;
    pendingTimer = null;
    fn?.();
  };
  const socket = (i: number) => {
    const s = sockets[i];
    if (s === undefined) throw new Error(`no socket ${i}`);
    return s;
  };
  return { transport, sockets, socket, delays, states, fireTimer };
}

describe('WebSocketTransport', () => {
  it('queues messages while connecting and sends them in order once open', () => {
    const { transport, socket, states } = harness();
    expect(transport.state).toBe('connecting');
    transport.send('a');
    transport.send('b');
    expect(socket(0).sent).toEqual([]);
    socket(0).open();
    expect(socket(0).sent).toEqual(['a', 'b']);
    transport.send('c');
    expect(socket(0).sent).toEqual(['a', 'b', 'c']);
    expect(states).toEqual(['open']);
  });

  it('passes text frames to listeners', () => {
    const { transport, socket } = harness();
    const got: string[] = [];
    transport.onMessage((m) => got.push(m));
    socket(0).open();
    socket(0).onmessage?.({ data: '{"type":"event"}' });
    socket(0).onmessage?.({ data: new Uint8Array(1) });
    expect(got).toEqual(['{"type":"event"}']);
  });

  it('reconnects with growing backoff and resets it after a success', () => {
    const { transport, sockets, socket, delays, fireTimer, states } = harness();
    socket(0).drop();
    expect(transport.state).toBe('closed');
    fireTimer();
    socket(1).drop();
    fireTimer();
    socket(2).drop();
    fireTimer();
    socket(3).drop();
    expect(delays).toEqual([100, 200, 400, 400]);
    fireTimer();
    transport.send('queued while down');
    socket(4).open();
    expect(socket(4).sent).toEqual(['queued while down']);
    socket(4).drop();
    expect(delays[delays.length - 1]).toBe(100);
    expect(sockets).toHaveLength(5);
    expect(states.slice(0, 3)).toEqual(['closed', 'connecting', 'closed']);
  });

  it('stops reconnecting once closed by its owner', () => {
    const { transport, sockets, socket, fireTimer } = harness();
    socket(0).open();
    transport.close();
    expect(socket(0).closed).toBe(true);
    socket(0).drop();
    fireTimer();
    expect(sockets).toHaveLength(1);
    expect(transport.state).toBe('closed');
  });
});

describe('BridgeTransport', () => {
  it('hands messages to the preload bridge and back, always open', () => {
    const sent: string[] = [];
    let listener: ((m: string) => void) | null = null;
    const transport = new BridgeTransport({
      send: (m) => sent.push(m),
      onMessage: (l) => {
        listener = l;
        return () => {
          listener = null;
        };
      },
    });
    const got: string[] = [];
    transport.onMessage((m) => got.push(m));
    transport.send('req');
    (listener as ((m: string) => void) | null)?.('res');
    expect(sent).toEqual(['req']);
    expect(got).toEqual(['res']);
    expect(transport.state).toBe('open');
    transport.close();
    expect(listener).toBeNull();
  });
});
