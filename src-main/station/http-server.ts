import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { WEBSOCKET_PATH } from '../contract';
import { openConnection } from './connection';
import { allowedHostHeaders, allowedOrigins, assertLoopbackHost } from './loopback';
import type { Station } from './services';

export interface BrowserModeOptions {
  host: string;
  port: number;
  /** The built renderer (Vite's output). */
  rendererDir: string;
}

export interface BrowserModeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

/** Requests are small; anything bigger is not from our UI. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

function securityHeaders(port: number): Record<string, string> {
  // Chromium rejects an IPv6 literal as a CSP source; 'self' covers that origin anyway.
  const sockets = [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`].join(' ');
  return {
    // antd injects its styles at run time, hence 'unsafe-inline' for styles only.
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; ` +
      `img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ${sockets}; ` +
      `object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

/**
 * Browser mode: serves the built renderer and the RPC over a WebSocket, on loopback only.
 * The Host and Origin headers are checked so that no other web page can drive the station.
 */
export async function startBrowserMode(
  services: Station,
  options: BrowserModeOptions,
): Promise<BrowserModeServer> {
  assertLoopbackHost(options.host);
  let port = options.port;
  const hostOk = (req: IncomingMessage): boolean =>
    allowedHostHeaders(port).has(req.headers.host ?? '');

  const server = createServer((req, res) => {
    if (!hostOk(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request\n');
      return;
    }
    if (services.delivery.handle(req, res, { pageOrigins: allowedOrigins(port) })) return;
    serveStatic(options.rendererDir, req, res, securityHeaders(port)).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://station').pathname;
    if (
      path !== WEBSOCKET_PATH ||
      !hostOk(req) ||
      !allowedOrigins(port).has(req.headers.origin ?? '')
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attach(services, ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host === '::1' ? '[::1]' : options.host;

  return {
    url: `http://${hostForUrl}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.close(1001, 'station stopping');
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function attach(services: Station, ws: WebSocket): void {
  const connection = openConnection(services, (text) => {
    if (ws.readyState === ws.OPEN) ws.send(text);
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'text messages only');
      return;
    }
    void connection.receive(data.toString());
  });
  ws.on('close', () => connection.close());
  ws.on('error', () => connection.close());
}

async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', ...headers }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://station').pathname);
  } catch {
    // A malformed address is answered 400; there is nothing to serve for it.
    res.writeHead(400, headers).end();
    return;
  }
  const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  if (relative.startsWith('..') || relative.includes('\0') || !file.startsWith(root + sep)) {
    res.writeHead(404, headers).end();
    return;
  }
  // A file the UI does not have is answered 404 (or 503 for an unbuilt UI) below.
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    const missingUi = relative === 'index.html';
    res
      .writeHead(missingUi ? 503 : 404, { 'Content-Type': 'text/plain; charset=utf-8', ...headers })
      .end(missingUi ? 'The evidock UI is not built: run `npm run build`.\n' : 'Not found\n');
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
