import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { resolveInside } from '../archive';
import { DELIVERY_PATHS, type DeliveryAddress, type DeliveryKind } from '../contract';
import type { Viewer } from '../domain';

/**
 * D-NO-LEAK: footage and files leave the station only through it, to a logged-in session, on a
 * short-lived unguessable ticket (an <img>, a <video> or a download cannot send the session
 * itself). A ticket stops working when its session ends, is bound to the one thing it was
 * issued for, and asks again at every request whether its holder may still have it.
 */

/** Long enough to start a clip and seek in it; every new play is a new ticket and a new audit. */
const TICKET_MS = 10 * 60 * 1000;

const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.mkv': 'video/x-matroska',
  '.ts': 'video/mp2t',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.aac': 'audio/aac',
  '.amr': 'audio/amr',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

export function mediaTypeOf(path: string): string {
  return MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Who holds a session: its token and the user behind it. */
export interface Holder {
  token: string;
  user: Viewer;
}

/** What one ticket delivers. */
interface DeliveryItem {
  kind: DeliveryKind;
  /** A file in the data dir (data-dir-relative), or bytes made for this delivery. */
  source: { file: string } | { bytes: Buffer };
  mime: string;
  /** Asked at every request: a clip made confidential meanwhile stops being delivered. */
  allowed: (holder: Holder) => boolean;
  /** A download's file name. */
  fileName?: string;
  /** Delivered once, then the ticket is gone (an export). */
  once?: boolean;
}

interface Ticket extends DeliveryItem {
  token: string;
  expiresAt: number;
}

const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-site',
};

export class Delivery {
  private readonly tickets = new Map<string, Ticket>();
  /** Set in the desktop app, where the renderer is not served by the station. */
  private origin = '';

  constructor(
    private readonly dataDir: string,
    /** The live session behind a token, without restarting its idle clock. */
    private readonly holderOf: (token: string) => Holder | undefined,
    private readonly now: () => Date,
  ) {}

  issue(holder: Holder, item: DeliveryItem): DeliveryAddress {
    this.sweep();
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = this.now().getTime() + TICKET_MS;
    this.tickets.set(ticket, { ...item, token: holder.token, expiresAt });
    return {
      url: `${this.origin}${DELIVERY_PATHS[item.kind]}${ticket}`,
      mime: item.mime,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  private sweep(): void {
    const at = this.now().getTime();
    for (const [key, ticket] of this.tickets) {
      if (ticket.expiresAt <= at || !this.holderOf(ticket.token)) this.tickets.delete(key);
    }
  }

  /** Answers a delivery request; false when the path is not a delivery path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://station').pathname;
    if (kindOf(path) === undefined) return false;
    void this.serve(path, req, res).catch(() => {
      // The file went away or the client hung up: nothing was delivered, nothing to say.
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    return true;
  }

  /**
   * The ticket a delivery path names, if it may be delivered now. A refused ticket is dropped, not
   * asked again; a once-only ticket is spent here, before its bytes go out, so that a second
   * request cannot get them while the first is still being answered.
   */
  private admit(path: string): Ticket | undefined {
    const kind = kindOf(path);
    if (kind === undefined) return undefined;
    const key = path.slice(DELIVERY_PATHS[kind].length);
    const ticket = this.tickets.get(key);
    const holder = ticket && this.holderOf(ticket.token);
    if (
      !ticket ||
      !holder ||
      ticket.kind !== kind ||
      ticket.expiresAt <= this.now().getTime() ||
      !ticket.allowed(holder)
    ) {
      if (ticket) this.tickets.delete(key);
      return undefined;
    }
    if (ticket.once) this.tickets.delete(key);
    return ticket;
  }

  private async serve(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, BASE_HEADERS).end();
      return;
    }
    const ticket = this.admit(path);
    if (!ticket) {
      res.writeHead(403, { ...BASE_HEADERS, 'Content-Type': 'text/plain' }).end('Expired\n');
      return;
    }
    const headers = {
      ...BASE_HEADERS,
      'Content-Type': ticket.mime,
      ...(ticket.fileName === undefined
        ? {}
        : {
            'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(ticket.fileName)}`,
          }),
    };
    if ('bytes' in ticket.source) {
      res.writeHead(200, { ...headers, 'Content-Length': String(ticket.source.bytes.length) });
      res.end(req.method === 'HEAD' ? undefined : ticket.source.bytes);
      return;
    }
    const file = resolveInside(this.dataDir, ticket.source.file);
    const { size } = await stat(file);
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...BASE_HEADERS, 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    const [start, end] = range ?? [0, size - 1];
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Accept-Ranges': 'bytes',
      'Content-Length': String(size === 0 ? 0 : end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    createReadStream(file, { start, end })
      .on('error', () => res.destroy())
      .pipe(res);
  }

  /**
   * What a ticket delivers, taken in this process (the command line, which has no HTTP server):
   * the same checks as a request over HTTP.
   */
  async take(url: string): Promise<Buffer> {
    const ticket = this.admit(new URL(url, 'http://station').pathname);
    if (!ticket) throw new Error('the delivery has expired');
    if ('bytes' in ticket.source) return ticket.source.bytes;
    return readFile(resolveInside(this.dataDir, ticket.source.file));
  }

  /**
   * The desktop app loads its pages from app://, not from the station: footage and files are
   * delivered from a loopback-only server of the station's own, which answers only requests
   * addressed to it (a page elsewhere that rebinds a name to 127.0.0.1 gets nothing).
   */
  async listenOnLoopback(): Promise<{ origin: string; close: () => Promise<void> }> {
    let port = 0;
    const server = createServer((req, res) => {
      const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
      if (!hosts.has(req.headers.host ?? '')) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request\n');
        return;
      }
      if (!this.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    this.origin = `http://127.0.0.1:${port}`;
    return {
      origin: this.origin,
      close: () =>
        new Promise<void>((resolve) => {
          this.origin = '';
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }
}

function kindOf(path: string): DeliveryKind | undefined {
  return (Object.keys(DELIVERY_PATHS) as DeliveryKind[]).find((k) =>
    path.startsWith(DELIVERY_PATHS[k]),
  );
}

/** One `bytes=a-b` range (what media elements ask for); several ranges get the whole file. */
function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  let start: number;
  let end: number;
  if (from === '') {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}
