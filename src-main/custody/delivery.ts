import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveInside } from '../archive';
import {
  DELIVERY_PATHS,
  DESKTOP_PAGE_ORIGIN,
  VIEWING_SESSION_HEADER,
  type DeliveryAddress,
  type DeliveryKind,
} from '../contract';
import type { Viewer } from '../domain';
import { sendDelivered, type Delivered } from './delivered-bytes';
import {
  fromShell,
  headersFor,
  preflight,
  refuse,
  same,
  type DeliverySite,
} from './delivery-answers';
import {
  bindViewing,
  bound,
  CLAIM_MS,
  claimRefusal,
  unbindViewing,
  type Viewing,
} from './playback-viewing';

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

/** Who holds a session: its token and the user behind it. */
export interface Holder {
  token: string;
  user: Viewer;
}

/** What one ticket delivers. */
interface DeliveryItem extends Delivered {
  kind: DeliveryKind;
  /** Asked at every request: a clip made confidential meanwhile stops being delivered. */
  allowed: (holder: Holder) => boolean;
}

interface Ticket extends DeliveryItem {
  token: string;
  expiresAt: number;
  viewing?: Viewing;
}

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
    const key = path.slice(DELIVERY_PATHS[kind].length);
    const work =
      kind === 'playback'
        ? this.serveViewing(key, req, res, site)
        : this.serve(kind, key, req, res, site);
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
    kind: Exclude<DeliveryKind, 'playback'>,
    key: string,
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
    const ticket = this.live(key, kind);
    if (!ticket) {
      refuse(res, site, req, 'gone');
      return;
    }
    // In the desktop app the shell's key must come too: the window makes the request.
    if (!same(req.headers[VIEWING_SESSION_HEADER], ticket.token) || !fromShell(req, site)) {
      refuse(res, site, req, 'no-session');
      return;
    }
    // Spent before its bytes go out: a second request cannot get them while these are sent.
    this.end(key);
    await sendDelivered(ticket, this.dataDir, req, res, headersFor(site, req));
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
        res.writeHead(204, { ...headersFor(site, req), ...unbindViewing(key, site) }).end();
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
        await sendDelivered(ticket, this.dataDir, req, res, headersFor(site, req));
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
    const why = claimRefusal(ticket.viewing, ticket.token, req, site);
    if (why !== null) return refuse(res, site, req, why);
    // Claimed, it lasts as long as the viewing: until the player, the session or the page ends.
    ticket.expiresAt = Number.POSITIVE_INFINITY;
    res
      .writeHead(204, { ...headersFor(site, req), ...bindViewing(ticket.viewing, key, site) })
      .end();
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

function kindOf(path: string): DeliveryKind | undefined {
  return (Object.keys(DELIVERY_PATHS) as DeliveryKind[]).find((k) =>
    path.startsWith(DELIVERY_PATHS[k]),
  );
}
