import WebSocket from 'ws';
import type { RpcResult, StationMessage } from '../../src-main/contract';

/** A browser-mode client over the station's RPC WebSocket, keeping every pushed event. */
export class SocketClient {
  private nextId = 1;
  private readonly pending = new Map<number, (result: RpcResult) => void>();
  readonly events: { name: string; payload: unknown }[] = [];
  session: string | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as StationMessage;
      if (message.type === 'response') this.pending.get(message.id)?.(message.result);
      else this.events.push({ name: message.name, payload: message.payload });
    });
  }

  static open(url: string, origin: string | undefined): Promise<SocketClient> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + 'rpc', origin ? { origin } : {});
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new SocketClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  call(method: string, params: unknown = {}): Promise<RpcResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'request', id, method, params, session: this.session }));
    });
  }

  async login(badge: string, password: string): Promise<void> {
    const result = await this.call('auth.login', { badge, password });
    if (!result.ok) throw new Error(result.error.message);
    this.session = (result.value as { token: string }).token;
  }

  close(): void {
    this.ws.close();
  }
}
