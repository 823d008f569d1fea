import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { resolveInside } from '../archive';
import {
  DELIVERY_PATHS,
  DESKTOP_PAGE_ORIGIN,
  SHELL_KEY_HEADER,
  VIEWING_SESSION_HEADER,
  type DeliveryAddress,
  type DeliveryKind,
} from '../contract';
import type { Viewer } from '../domain';

/**
 * D-NO-LEAK: footage and files leave the station only through it, to a logged-in session, on a
 * short-lived unguessable ticket. A ticket stops working when its session ends, is bound to the
 * one thing it was issued for, and asks again at every request whether its holder may still have
 * it.
 *
 * A thumbnail's or an export's ticket is fetched once, by the page that asked for it: its request
 * sends the session the ticket was issued to (`VIEWING_SESSION_HEADER`; the page fetches it with
 * script, never as an <img> or a link), and in the desktop app the key the shell adds to its
 * window's requests too. The first such request spends the ticket. A program that copied the
 * address has neither, and is refused with the reason.
 *
 * A playback's ticket serves one viewing, to the page that asked for it: the page claims it once,
 * sending its session (`VIEWING_SESSION_HEADER`), and gets a secret only it holds: an HttpOnly,
 * SameSite=Strict cookie scoped to the ticket's path, which the player's range requests carry
 * (in the desktop app, whose pages are cross-origin, the key the shell adds to its window's
 * requests instead). A program that copied the address has neither. The viewing ends when the
 * player ends it, the session ends or the page's connection to the station closes.
 */

/** Long enough to fetch a thumbnail or an export, once; every new one is a new ticket. */
const TICKET_MS = 10 * 60 * 1000;
/** The player claims its ticket as soon as it has it; one nobody claimed by then is gone. */
const CLAIM_MS = 60 * 1000;
/** The cookie that binds a claimed viewing to the page that claimed it (browser mode). */
const VIEWING_COOKIE = 'evidock-viewing';

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
  /** Delivered once, then the ticket is gone: every thumbnail and export is (see `admit`). */
  once?: boolean;
}

/** One viewing of a playback (see the top of this file). */
interface Viewing {
  /** Aborted when the connection of the page that asked closes. */
  page: AbortSignal;
  /** The secret the claiming page holds; null until the page claims the ticket. */
  secret: string | null;
  /** Stops listening to `page`. */
  release: () => void;
}

interface Ticket extends DeliveryItem {
  token: string;
  expiresAt: number;
  viewing?: Viewing;
}

/** Where a delivery request came in: which pages are the station's own there, and how bound. */
export interface DeliverySite {
  /** What the station's own pages send as Origin on this server. */
  pageOrigins: ReadonlySet<string>;
  /**
   * The desktop app's loopback server: its pages (app://) are cross-origin to it, so a claimed
   * viewing is bound by the key the shell adds to its window's requests, not by a cookie, and
   * answers carry CORS headers for that one origin.
   */
  shellKey?: string;
}

const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Why a delivery request is refused, with its status: each says which rule stopped it. */
const REFUSALS = {
  gone: [403, 'This delivery has expired or ended: ask the station again.'],
  'no-session': [
    403,
    'Only the session that asked for this may fetch it, with its session sent along (D-NO-LEAK).',
  ],
  'foreign-page': [403, 'Only a page of this station may claim a playback (D-NO-LEAK).'],
  'other-session': [403, 'Only the session that asked for this playback may claim it (D-NO-LEAK).'],
  claimed: [409, 'This playback was already claimed: a ticket serves one viewing (D-NO-LEAK).'],
  'not-bound': [403, 'This playback is bound to the page that claimed it (D-NO-LEAK).'],
  method: [405, 'Not a method for this address.'],
} as const satisfies Record<string, readonly [number, string]>;
type Refusal = keyof typeof REFUSALS;

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

  /** A thumbnail or an export, for the session of `holder` (see the top of this file). */
  issue(holder: Holder, item: DeliveryItem): DeliveryAddress {
    if (item.kind === 'playback') throw new Error('a playback is issued as a viewing');
    return this.store(holder, item, TICKET_MS);
  }

  /**
   * A playback: one viewing, for the page whose connection `page` stands for. The page claims it
   * within CLAIM_MS; then it lives until the player ends it, the session ends or `page` aborts.
   */
  issueViewing(holder: Holder, item: DeliveryItem, page: AbortSignal): DeliveryAddress {
    if (item.kind !== 'playback') throw new Error('only a playback is a viewing');
    const viewing: Viewing = { page, secret: null, release: () => {} };
    const address = this.store(holder, item, CLAIM_MS, viewing);
    const key = address.url.slice(address.url.lastIndexOf('/') + 1);
    const end = () => this.end(key);
    // A page already gone gets an address that answers nothing.
    if (page.aborted) end();
    else {
      page.addEventListener('abort', end, { once: true });
      viewing.release = () => page.removeEventListener('abort', end);
    }
    return address;
  }

  private store(
    holder: Holder,
    item: DeliveryItem,
    ms: number,
    viewing?: Viewing,
  ): DeliveryAddress {
    this.sweep();
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = this.now().getTime() + ms;
    this.tickets.set(ticket, {
      ...item,
      token: holder.token,
      expiresAt,
      ...(viewing === undefined ? {} : { viewing }),
    });
    return {
      url: `${this.origin}${DELIVERY_PATHS[item.kind]}${ticket}`,
      mime: item.mime,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Drops a ticket; a viewing stops listening to its page. */
  private end(key: string): void {
    this.tickets.get(key)?.viewing?.release();
    this.tickets.delete(key);
  }

  private sweep(): void {
    const at = this.now().getTime();
    for (const [key, ticket] of this.tickets) {
      if (ticket.expiresAt <= at || !this.holderOf(ticket.token)) this.end(key);
    }
  }

  /** Answers a delivery request; false when the path is not a delivery path. */
  handle(req: IncomingMessage, res: ServerResponse, site: DeliverySite): boolean {
    const path = new URL(req.url ?? '/', 'http://station').pathname;
    const kind = kindOf(path);
    if (kind === undefined) return false;
    const work =
      kind === 'playback'
        ? this.serveViewing(path.slice(DELIVERY_PATHS.playback.length), req, res, site)
        : this.serve(path, req, res, site);
    void work.catch(() => {
      // The file went away or the client hung up: nothing was delivered, nothing to say.
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    return true;
  }

  /**
   * The thumbnail's or export's ticket a delivery path names, if it may be delivered now (see
   * `live`). It is spent here, before its bytes go out, so that a second request cannot get them
   * while the first is still being answered.
   */
  private admit(path: string): Ticket | undefined {
    const kind = kindOf(path);
    // A playback is served only to the page that claimed it (serveViewing), never taken here.
    if (kind === undefined || kind === 'playback') return undefined;
    const key = path.slice(DELIVERY_PATHS[kind].length);
    const ticket = this.live(key, kind);
    if (ticket) this.end(key);
    return ticket;
  }

  /**
   * The ticket a key names, if it may be delivered now: its session is live, it has not expired,
   * its holder may still have what it delivers. A refused ticket is dropped, not asked again.
   */
  private live(key: string, kind: DeliveryKind): Ticket | undefined {
    const ticket = this.tickets.get(key);
    const holder = ticket && this.holderOf(ticket.token);
    if (
      !ticket ||
      !holder ||
      ticket.kind !== kind ||
      ticket.expiresAt <= this.now().getTime() ||
      !ticket.allowed(holder)
    ) {
      if (ticket) this.end(key);
      return undefined;
    }
    return ticket;
  }

  /**
   * A thumbnail or an export (see the top of this file): to the session it was issued to, with
   * the shell's key in the desktop app, once. A request without them is refused and spends
   * nothing: a program that copied the address cannot take it from the page that asked.
   */
  private async serve(
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    site: DeliverySite,
  ): Promise<void> {
    if (req.method === 'OPTIONS') {
      preflight(req, res, site);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, site, req, 'method');
      return;
    }
    const kind = kindOf(path);
    const key = kind === undefined ? '' : path.slice(DELIVERY_PATHS[kind].length);
    const found = kind === undefined ? undefined : this.live(key, kind);
    if (!found) {
      refuse(res, site, req, 'gone');
      return;
    }
    if (!same(req.headers[VIEWING_SESSION_HEADER], found.token)) {
      refuse(res, site, req, 'no-session');
      return;
    }
    // In the desktop app the shell's key must come too: the window makes the request.
    if (site.shellKey !== undefined && !same(req.headers[SHELL_KEY_HEADER], site.shellKey)) {
      refuse(res, site, req, 'no-session');
      return;
    }
    const ticket = this.admit(path);
    if (!ticket) {
      refuse(res, site, req, 'gone');
      return;
    }
    await this.send(ticket, req, res, site);
  }

  /** A playback's claim, its range requests, and its end (see the top of this file). */
  private async serveViewing(
    key: string,
    req: IncomingMessage,
    res: ServerResponse,
    site: DeliverySite,
  ): Promise<void> {
    switch (req.method) {
      case 'OPTIONS':
        preflight(req, res, site);
        return;
      case 'POST':
        this.claim(key, req, res, site);
        return;
      case 'DELETE': {
        const ticket = this.tickets.get(key);
        if (!ticket?.viewing || !bound(ticket.viewing, req, site)) {
          refuse(res, site, req, ticket ? 'not-bound' : 'gone');
          return;
        }
        this.end(key);
        res.writeHead(204, { ...headersFor(site, req), ...clearCookie(key, site) }).end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        const ticket = this.live(key, 'playback');
        if (!ticket?.viewing) {
          refuse(res, site, req, 'gone');
          return;
        }
        if (!bound(ticket.viewing, req, site)) {
          refuse(res, site, req, 'not-bound');
          return;
        }
        await this.send(ticket, req, res, site);
        return;
      }
      default:
        refuse(res, site, req, 'method');
    }
  }

  /**
   * The page that asked claims its viewing: from a page of this station, with the session the
   * ticket was issued to, once. It gets the secret that binds the viewing to it.
   */
  private claim(key: string, req: IncomingMessage, res: ServerResponse, site: DeliverySite): void {
    const ticket = this.live(key, 'playback');
    if (!ticket?.viewing) return refuse(res, site, req, 'gone');
    if (!site.pageOrigins.has(req.headers.origin ?? '')) {
      return refuse(res, site, req, 'foreign-page');
    }
    const session = req.headers[VIEWING_SESSION_HEADER];
    if (typeof session !== 'string' || !same(session, ticket.token)) {
      return refuse(res, site, req, 'other-session');
    }
    // In the desktop app the shell's key must come with the claim too: the window makes it.
    if (site.shellKey !== undefined && !same(req.headers[SHELL_KEY_HEADER], site.shellKey)) {
      return refuse(res, site, req, 'not-bound');
    }
    if (ticket.viewing.secret !== null) return refuse(res, site, req, 'claimed');
    const secret = randomBytes(32).toString('base64url');
    ticket.viewing.secret = secret;
    // Claimed, it lasts as long as the viewing: until the player, the session or the page ends.
    ticket.expiresAt = Number.POSITIVE_INFINITY;
    res
      .writeHead(204, {
        ...headersFor(site, req),
        ...(site.shellKey === undefined
          ? {
              'Set-Cookie':
                `${VIEWING_COOKIE}=${secret}; Path=${DELIVERY_PATHS.playback}${key}; ` +
                'HttpOnly; SameSite=Strict',
            }
          : {}),
      })
      .end();
  }

  /** A ticket's bytes: a whole file, one range of it, or bytes made for this delivery. */
  private async send(
    ticket: Ticket,
    req: IncomingMessage,
    res: ServerResponse,
    site: DeliverySite,
  ): Promise<void> {
    const headers = {
      ...headersFor(site, req),
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
      res.writeHead(416, { ...headersFor(site, req), 'Content-Range': `bytes */${size}` }).end();
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
   * What a ticket delivers, taken in this process (the command line, which has no HTTP server,
   * holds the session itself): the same checks as a request over HTTP, spent the same way.
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
  async listenOnLoopback(): Promise<{ origin: string; key: string; close: () => Promise<void> }> {
    let port = 0;
    // Told to the shell only (which adds it to its window's playback requests), never to a page.
    const site: DeliverySite = {
      pageOrigins: new Set([DESKTOP_PAGE_ORIGIN]),
      shellKey: randomBytes(32).toString('base64url'),
    };
    const server = createServer((req, res) => {
      // The one name the shell admits requests to; anything else was not addressed to us.
      if (req.headers.host !== `127.0.0.1:${port}`) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request\n');
        return;
      }
      if (!this.handle(req, res, site)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    this.origin = `http://127.0.0.1:${port}`;
    return {
      origin: this.origin,
      key: site.shellKey!,
      close: () =>
        new Promise<void>((resolve) => {
          this.origin = '';
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }
}

/**
 * The headers every answer carries. A desktop page (app://) is cross-origin to the loopback
 * server: its fetches need CORS for that origin, and its <video> a resource policy that lets it
 * load; the ticket, the key and the Host check keep everyone else out. A browser-mode page is the
 * server's own origin, and only it may load what it answers.
 */
function headersFor(site: DeliverySite, req: IncomingMessage): Record<string, string> {
  if (site.shellKey === undefined) {
    return { ...BASE_HEADERS, 'Cross-Origin-Resource-Policy': 'same-origin' };
  }
  const origin = req.headers.origin;
  return {
    ...BASE_HEADERS,
    'Cross-Origin-Resource-Policy': 'cross-origin',
    Vary: 'Origin',
    ...(origin !== undefined && site.pageOrigins.has(origin)
      ? { 'Access-Control-Allow-Origin': origin }
      : {}),
  };
}

function refuse(res: ServerResponse, site: DeliverySite, req: IncomingMessage, why: Refusal): void {
  const [status, text] = REFUSALS[why];
  res
    .writeHead(status, {
      ...headersFor(site, req),
      'Content-Type': 'text/plain; charset=utf-8',
      ...(why === 'method' ? { Allow: 'GET, HEAD, POST, DELETE, OPTIONS' } : {}),
    })
    .end(`${text}\n`);
}

/**
 * The desktop page's CORS preflight: for a viewing's claim and end, and for a thumbnail's or an
 * export's fetch (each sends the session header).
 */
function preflight(req: IncomingMessage, res: ServerResponse, site: DeliverySite): void {
  if (site.shellKey === undefined || !site.pageOrigins.has(req.headers.origin ?? '')) {
    refuse(res, site, req, 'foreign-page');
    return;
  }
  res
    .writeHead(204, {
      ...headersFor(site, req),
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE',
      'Access-Control-Allow-Headers': `${VIEWING_SESSION_HEADER}, ${SHELL_KEY_HEADER}, range`,
      'Access-Control-Max-Age': '60',
    })
    .end();
}

/** Whether a request comes from the page that claimed the viewing (see `DeliverySite`). */
function bound(viewing: Viewing, req: IncomingMessage, site: DeliverySite): boolean {
  if (viewing.secret === null) return false;
  if (site.shellKey !== undefined) return same(req.headers[SHELL_KEY_HEADER], site.shellKey);
  const secret = viewing.secret;
  return cookiesNamed(req.headers.cookie, VIEWING_COOKIE).some((value) => same(value, secret));
}

/** Browser mode: the answer that ends a viewing also takes its cookie back. */
function clearCookie(key: string, site: DeliverySite): Record<string, string> {
  if (site.shellKey !== undefined) return {};
  return {
    'Set-Cookie': `${VIEWING_COOKIE}=; Path=${DELIVERY_PATHS.playback}${key}; Max-Age=0; HttpOnly; SameSite=Strict`,
  };
}

function cookiesNamed(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
}

/** Compares a secret without telling, by its timing, how much of a guess was right. */
function same(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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
