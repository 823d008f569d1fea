/**
 * The one thing the Electron preload exposes to the renderer, as `window.evidock`.
 * It carries serialized wire messages (see wire.ts) over a MessagePort to the station;
 * the renderer never sees ipcRenderer or the port itself.
 */
export interface EvidockBridge {
  /** Sends one serialized RequestMessage to the station. */
  send(message: string): void;
  /** Receives serialized StationMessages; returns an unsubscribe function. */
  onMessage(listener: (message: string) => void): () => void;
}

export const BRIDGE_GLOBAL = 'evidock' as const;

/** The browser-mode WebSocket endpoint path on the station's HTTP server. */
export const WEBSOCKET_PATH = '/rpc' as const;
