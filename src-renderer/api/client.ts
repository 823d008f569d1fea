import type {
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
  RequestMessage,
  StationMessage,
} from '../../src-main/contract';
import { StationError, endsSession, toStationError } from './errors';
import type { ConnectionState, Transport } from './transport';

/** Where the session token lives between calls (sessionStorage in the page, memory in tests). */
export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

export function memoryTokenStore(initial: string | null = null): TokenStore {
  let token = initial;
  return {
    get: () => token,
    set: (value) => {
      token = value;
    },
  };
}

export interface StationClientOptions {
  tokens?: TokenStore;
  /** A call with no answer after this long fails with TIMEOUT. */
  timeoutMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Pending {
  method: string;
  token: string | null;
  resolve: (value: unknown) => void;
  reject: (error: StationError) => void;
  timer: unknown;
  /** True once the request may have reached the station (socket was open). */
  onWire: boolean;
}

type EventListener = (payload: unknown) => void;

/**
 * The typed station client: one request/response matcher over any Transport.
 * It attaches the current session token to every call and reports a lost session once per token.
 */
export class StationClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Map<string, Set<EventListener>>();
  private readonly sessionLostListeners = new Set<(code: StationError['code']) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly tokens: TokenStore;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private lastCall = 0;
  private everOpen: boolean;
  private reconnects = 0;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly transport: Transport,
    options: StationClientOptions = {},
  ) {
    this.tokens = options.tokens ?? memoryTokenStore();
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.everOpen = transport.state === 'open';
    this.unsubscribe.push(transport.onMessage((message) => this.receive(message)));
    this.unsubscribe.push(transport.onState((state) => this.stateChanged(state)));
  }

  /** The token calls are made under, or null when nobody is logged in. */
  get token(): string | null {
    return this.tokens.get();
  }

  setToken(token: string | null): void {
    this.tokens.set(token);
  }

  get connectionState(): ConnectionState {
    return this.transport.state;
  }

  /** How many times the connection came back after being lost. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  /** Time (ms) of the last call made under a session: the station counts these as activity. */
  get lastSessionCallAt(): number {
    return this.lastCall;
  }

  /**
   * Calls a station method. Aborting `signal` takes the request back: the station is told to
   * stop it (CANCELLED), and the call rejects at once with CANCELLED. `timeoutMs` replaces the
   * client's wait for a call whose answer comes only when long work is done (a disc burn).
   */
  call<M extends MethodName>(
    method: M,
    params: MethodInput<M>,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<MethodOutput<M>> {
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(new StationError('CANCELLED', `${method}: cancelled`));
    }
    const id = this.nextId++;
    const token = this.tokens.get();
    const request: RequestMessage = { type: 'request', id, method, params };
    if (token !== null) {
      request.session = token;
      this.lastCall = this.now();
    }
    return new Promise<MethodOutput<M>>((resolve, reject) => {
      const timer = this.setTimer(() => {
        if (this.pending.delete(id)) {
          reject(new StationError('TIMEOUT', `${method}: no answer from the station`));
        }
      }, options.timeoutMs ?? this.timeoutMs);
      this.pending.set(id, {
        method,
        token,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
        onWire: this.transport.state === 'open',
      });
      try {
        this.transport.send(JSON.stringify(request));
      } catch (cause) {
        this.settle(id);
        reject(new StationError('DISCONNECTED', `${method}: ${String(cause)}`));
        return;
      }
      signal?.addEventListener(
        'abort',
        () => {
          if (this.settle(id) === undefined) return;
          reject(new StationError('CANCELLED', `${method}: cancelled`));
          try {
            this.transport.send(JSON.stringify({ type: 'cancel', id }));
          } catch {
            // The connection is gone: the station drops the request with it.
          }
        },
        { once: true },
      );
    });
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.eventListeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.eventListeners.set(name, set);
    }
    const wrapped = listener as EventListener;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  /**
   * Called when a call made under the current token fails because the session is gone
   * (SESSION_EXPIRED, UNAUTHENTICATED, or ACCOUNT_DISABLED).
   */
  onSessionLost(listener: (code: StationError['code']) => void): () => void {
    this.sessionLostListeners.add(listener);
    return () => this.sessionLostListeners.delete(listener);
  }

  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    for (const id of [...this.pending.keys()]) {
      this.settle(id)?.reject(new StationError('DISCONNECTED', 'client closed'));
    }
    this.transport.close();
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (entry === undefined) return undefined;
    this.pending.delete(id);
    this.clearTimer(entry.timer);
    return entry;
  }

  private receive(text: string): void {
    let message: StationMessage;
    try {
      message = JSON.parse(text) as StationMessage;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'response') {
      const entry = this.settle(message.id);
      if (entry === undefined) return;
      const result = message.result as unknown;
      if (typeof result !== 'object' || result === null || !('ok' in result)) {
        entry.reject(new StationError('BAD_RESPONSE', `${entry.method}: malformed response`));
        return;
      }
      if (message.result.ok) {
        entry.resolve(message.result.value);
        return;
      }
      const error = toStationError(message.result.error);
      if (endsSession(error.code) && entry.token !== null && entry.token === this.tokens.get()) {
        for (const listener of this.sessionLostListeners) listener(error.code);
      }
      entry.reject(error);
    } else if (message.type === 'event') {
      const set = this.eventListeners.get(message.name);
      if (set === undefined) return;
      for (const listener of [...set]) listener(message.payload);
    }
  }

  private stateChanged(state: ConnectionState): void {
    if (state === 'open') {
      if (this.everOpen) this.reconnects += 1;
      this.everOpen = true;
      for (const entry of this.pending.values()) entry.onWire = true;
    } else if (state === 'closed') {
      // Requests that reached a socket that then closed will never be answered.
      for (const [id, entry] of [...this.pending]) {
        if (!entry.onWire) continue;
        this.settle(id);
        entry.reject(new StationError('DISCONNECTED', `${entry.method}: connection lost`));
      }
    }
    for (const listener of this.stateListeners) listener(state);
  }
}
