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

/** The desktop app's pages (app://evidock), the one origin its loopback delivery server answers. */
export const DESKTOP_PAGE_ORIGIN = 'app://evidock';

/**
 * Footage and files leave only to the page that asked (D-NO-LEAK): it sends its session token in
 * this header when it claims a playback's one viewing and when it fetches a thumbnail or an
 * export; a program that only copied the address has no session.
 */
export const VIEWING_SESSION_HEADER = 'x-evidock-session';

/**
 * In the desktop app, the shell adds the delivery server's key in this header to its own window's
 * playback requests, in the network layer: the page never sees it, a program elsewhere on the
 * machine does not have it.
 */
export const SHELL_KEY_HEADER = 'x-evidock-shell';

/** The form of that key, as the shell accepts it from the station: 43 base64url characters. */
export const SHELL_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The browser-mode WebSocket endpoint path on the station's HTTP server. */
export const WEBSOCKET_PATH = '/rpc' as const;
