import { BRIDGE_GLOBAL, type EvidockBridge, WEBSOCKET_PATH } from '../../src-main/contract';
import { StationClient, type TokenStore } from './client';
import { BridgeTransport, WebSocketTransport, type Transport } from './transport';

const TOKEN_KEY = 'evidock.session';

/** The session token survives a reload of this tab, not the closing of the window. */
export function sessionStorageTokenStore(): TokenStore {
  let memory: string | null = null;
  return {
    get: () => {
      try {
        return window.sessionStorage.getItem(TOKEN_KEY);
      } catch {
        return memory;
      }
    },
    set: (token) => {
      memory = token;
      try {
        if (token === null) window.sessionStorage.removeItem(TOKEN_KEY);
        else window.sessionStorage.setItem(TOKEN_KEY, token);
      } catch {
        // Storage unavailable: the token then lives only as long as the page.
      }
    },
  };
}

export function websocketUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${WEBSOCKET_PATH}`;
}

/** Electron's preload bridge when present, otherwise the station's WebSocket (browser mode). */
export function createTransport(): Transport {
  const bridge = (window as unknown as Record<string, EvidockBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge !== undefined) return new BridgeTransport(bridge);
  return new WebSocketTransport({ url: websocketUrl(window.location) });
}

export function createStationClient(): StationClient {
  return new StationClient(createTransport(), { tokens: sessionStorageTokenStore() });
}
