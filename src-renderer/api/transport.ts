/**
 * How wire messages (contract/wire.ts) travel between this page and the station.
 * Electron: the preload's `window.evidock` bridge (a MessagePort underneath).
 * Browser mode: a WebSocket to the station that served this page, reconnecting with backoff.
 */

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Transport {
  /** Sends one serialized request; transports that are not connected yet queue it. */
  send(message: string): void;
  /** Receives serialized station messages; returns an unsubscribe function. */
  onMessage(listener: (message: string) => void): () => void;
  /** Connection state changes; the bridge is always `open`. Returns an unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void;
  readonly state: ConnectionState;
  close(): void;
}

/** Minimal shape of the DOM WebSocket this module relies on (lets tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

const SOCKET_OPEN = 1;

export interface WebSocketTransportOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Backoff delays in ms for consecutive failed attempts; the last one repeats. */
  backoff?: readonly number[];
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const DEFAULT_BACKOFF = [250, 500, 1000, 2000, 4000, 8000] as const;

export class WebSocketTransport implements Transport {
  private socket: SocketLike | null = null;
  private readonly queue: string[] = [];
  private readonly messageListeners = new Set<(message: string) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private attempt = 0;
  private timer: unknown = null;
  private closedByUser = false;
  private currentState: ConnectionState = 'connecting';
  private readonly createSocket: (url: string) => SocketLike;
  private readonly backoff: readonly number[];
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: WebSocketTransportOptions) {
    this.createSocket =
      options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.connect();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  send(message: string): void {
    if (this.socket !== null && this.socket.readyState === SOCKET_OPEN) {
      this.socket.send(message);
    } else {
      this.queue.push(message);
    }
  }

  onMessage(listener: (message: string) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closedByUser = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.socket?.close();
    this.socket = null;
    this.setState('closed');
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    this.timer = null;
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      const pending = this.queue.splice(0);
      for (const message of pending) socket.send(message);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      for (const listener of this.messageListeners) listener(event.data);
    };
    socket.onerror = () => {
      // A close event follows; reconnecting is handled there.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closedByUser) return;
      this.setState('closed');
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.closedByUser || this.timer !== null) return;
    const delay = this.backoff[Math.min(this.attempt, this.backoff.length - 1)] ?? 1000;
    this.attempt += 1;
    this.timer = this.setTimer(() => this.connect(), delay);
  }
}

/** The Electron preload bridge: always connected while the window lives. */
export interface BridgeLike {
  send(message: string): void;
  onMessage(listener: (message: string) => void): () => void;
}

export class BridgeTransport implements Transport {
  readonly state: ConnectionState = 'open';
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly bridge: BridgeLike) {}

  send(message: string): void {
    this.bridge.send(message);
  }

  onMessage(listener: (message: string) => void): () => void {
    const off = this.bridge.onMessage(listener);
    this.unsubscribers.push(off);
    return off;
  }

  onState(): () => void {
    return () => undefined;
  }

  close(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }
}
