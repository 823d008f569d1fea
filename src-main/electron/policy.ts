// The desktop shell's security decisions as plain functions, so they can be tested without the
// Electron runtime. main.ts only wires them to Electron's hooks; nothing here imports electron.
import path from 'node:path';
import {
  DELIVERY_ORIGIN_PATTERN,
  DELIVERY_PATHS,
  SHELL_KEY_HEADER,
  SHELL_KEY_PATTERN,
} from '../contract/bridge';

/** The renderer is served from this privileged custom scheme, never from file:// or the network. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'evidock';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Everything the window's renderer may do. The preload path is added by main.ts, which knows
 * where it was installed; the rest is fixed so a typo cannot quietly loosen it.
 */
export const WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const);

/**
 * antd styles itself with CSS-in-JS, which inserts <style> elements at run time: that is the only
 * reason for 'unsafe-inline', and it is confined to style-src. Scripts come only from the app's
 * own files, with no eval.
 */
const CSP_DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  // Thumbnails, clips and exported reports come from the station's loopback delivery server; the
  // request filter admits only its exact origin and paths (isAllowedRequest).
  ['img-src', "'self' data: blob: http://127.0.0.1:*"],
  ['font-src', "'self' data:"],
  ['media-src', "'self' blob: http://127.0.0.1:*"],
  ['connect-src', "'self' http://127.0.0.1:*"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['child-src', "'none'"],
  ['frame-ancestors', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

export function contentSecurityPolicy(): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}

type HeaderMap = Record<string, string | string[]>;

/**
 * Response headers with our CSP in place of whatever the response carried (matched without
 * regard to case, so a second, looser policy cannot ride along under another spelling).
 */
export function withSecurityHeaders(headers: HeaderMap | undefined): Record<string, string[]> {
  const replaced = new Set(['content-security-policy', 'x-content-type-options']);
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (replaced.has(name.toLowerCase())) continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [contentSecurityPolicy()];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}

/** Parses a URL, or null: hostile inputs must never throw past a policy check. */
function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  try {
    return new URL(url);
  } catch {
    // Not a URL: refused by every caller.
    return null;
  }
}

/** True only for our own origin: exact scheme and host, no credentials, no port. */
function isAppUrl(url: URL | null): boolean {
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** The window only ever shows the app itself; any other target is refused, not opened. */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppUrl(parse(url));
}

/**
 * Whether an IPC message came from a frame showing our own app. A frame that was navigated
 * elsewhere (or a subframe with foreign content) must not reach the main process.
 */
export function isTrustedSender(frameUrl: unknown): boolean {
  return isAppUrl(parse(frameUrl));
}

/**
 * Requests the renderer's session may make at all. "No remote content" is enforced here, at the
 * network layer, not only by CSP: http(s), ws(s), file and every other scheme are cancelled.
 * devtools: is allowed only when the caller says developer tools are enabled.
 */
export function isAllowedRequest(
  url: unknown,
  options: { devTools: boolean; deliveryOrigin?: string | null },
): boolean {
  const parsed = parse(url);
  if (parsed === null) return false;
  if (isAppUrl(parsed)) return true;
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  if (isDeliveryUrl(parsed, options.deliveryOrigin ?? null)) return true;
  return options.devTools && parsed.protocol === 'devtools:';
}

/**
 * The station's own delivery of footage and files (tickets on its loopback server): exactly the
 * origin the station reported, no credentials, and only the delivery paths.
 */
function isDeliveryUrl(url: URL, origin: string | null): boolean {
  return (
    origin !== null &&
    DELIVERY_ORIGIN_PATTERN.test(origin) &&
    url.origin === origin &&
    url.username === '' &&
    url.password === '' &&
    Object.values(DELIVERY_PATHS).some((path) => url.pathname.startsWith(path))
  );
}

/** The station's loopback delivery server, as it told the shell: where, and its playback key. */
export interface DeliveryServer {
  origin: string;
  key: string;
}

/**
 * The headers a request of the window is sent with. A playback serves one viewing, and a
 * thumbnail or an export is fetched once, to the app's own window (D-NO-LEAK): the station's key
 * is added here, in the network layer, to the window's requests for the delivery server's
 * delivery routes only, so the page never sees it and a program that copied an address does not
 * have it. A header of that name the page set itself is dropped from every request.
 */
export function withDeliveryKey(
  url: unknown,
  headers: Readonly<Record<string, string>>,
  server: DeliveryServer | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== SHELL_KEY_HEADER) out[name] = value;
  }
  const parsed = parse(url);
  if (
    server !== null &&
    SHELL_KEY_PATTERN.test(server.key) &&
    parsed !== null &&
    isDeliveryUrl(parsed, server.origin)
  ) {
    out[SHELL_KEY_HEADER] = server.key;
  }
  return out;
}

/** Window-open requests (links with target=_blank, window.open) are always refused. */
export function windowOpenHandler(): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * Permissions the app's own page may use: writing (not reading) the clipboard, for copying case
 * numbers and hashes, and full screen, for reviewing a clip. Everything else (camera,
 * microphone, geolocation, notifications, HID/USB/serial, openExternal, …) is denied: devices
 * belong to the station process, never to the page.
 */
const GRANTABLE_PERMISSIONS: ReadonlySet<string> = new Set([
  'clipboard-sanitized-write',
  'fullscreen',
]);

export function permissionDecision(permission: string, requestingUrl: unknown): boolean {
  return GRANTABLE_PERMISSIONS.has(permission) && isAppUrl(parse(requestingUrl));
}

/**
 * Maps an app:// request to a file under rendererRoot, or null when it must be refused: another
 * scheme or host, a dot segment (plain or percent-encoded), a backslash, a NUL, or any path that
 * would resolve outside the root. Chromium already normalises standard-scheme URLs, so these
 * checks run on the raw text too: a request that needed normalising is not one we made.
 */
export function resolveAppAsset(requestUrl: unknown, rendererRoot: string): string | null {
  if (typeof requestUrl !== 'string') return null;
  if (!isAppUrl(parse(requestUrl))) return null;

  const prefix = `${APP_ORIGIN}/`;
  if (!requestUrl.startsWith(prefix)) return null;
  const rawPath = requestUrl.slice(prefix.length).split(/[?#]/, 1)[0] ?? '';

  const segments: string[] = [];
  for (const rawSegment of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      // A malformed escape is not a request we made: refused.
      return null;
    }
    if (segment === '.' || segment === '..') return null;
    if (/[\\/\0:]/.test(segment)) return null;
    if (segment === '') continue;
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');

  const root = path.resolve(rendererRoot);
  const resolved = path.resolve(root, ...segments);
  const relative = path.relative(root, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return resolved;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** With nosniff set, a wrong type breaks the page, so unknown files are served as opaque bytes. */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}
