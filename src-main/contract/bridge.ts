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

/**
 * Where the station delivers footage and files over HTTP, each on a short-lived ticket: in
 * browser mode from its own server, in the desktop app from a loopback server of its own.
 */
export const DELIVERY_PATHS = {
  /** An archived original, played with Range requests. */
  playback: '/playback/',
  /** A clip's thumbnail. */
  thumbnail: '/thumbnail/',
  /** An exported report, downloaded once. */
  export: '/export/',
} as const;
export type DeliveryKind = keyof typeof DELIVERY_PATHS;

/** The desktop station's loopback delivery server, as the shell is told it: nothing else. */
export const DELIVERY_ORIGIN_PATTERN = /^http:\/\/127\.0\.0\.1:\d{1,5}$/;

/** The browser-mode WebSocket endpoint path on the station's HTTP server. */
export const WEBSOCKET_PATH = '/rpc' as const;
