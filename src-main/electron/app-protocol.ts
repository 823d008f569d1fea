// Serves the built renderer (dist/renderer) on app://evidock/ instead of file://, so the page has
// a real origin that CSP 'self', the IPC sender check and navigation locks can all name.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, mimeTypeFor, resolveAppAsset, withSecurityHeaders } from './policy';

/** Must run before the app's ready event; Chromium reads scheme privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: relative URLs and an origin; secure: a secure context like https. Not
      // bypassCSP, not corsEnabled, not stream: the page needs nothing more.
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Call once the app is ready. */
export function serveRenderer(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405);
    const file = resolveAppAsset(request.url, rendererRoot);
    if (file === null) return respond(404);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // A file the app does not have is answered as such; nothing else is served.
      return respond(404);
    }
    return respond(200, request.method === 'HEAD' ? null : body, mimeTypeFor(file));
  });
}

function respond(status: number, body: Buffer | null = null, contentType = 'text/plain'): Response {
  const headers = new Headers();
  const security = withSecurityHeaders({
    'Content-Type': contentType,
    // The files change only with the app itself; revalidating keeps a reload after an update honest.
    'Cache-Control': 'no-cache',
  });
  for (const [name, values] of Object.entries(security)) {
    for (const value of values) headers.append(name, value);
  }
  return new Response(body === null ? null : new Uint8Array(body), { status, headers });
}
