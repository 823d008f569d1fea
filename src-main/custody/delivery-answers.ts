import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SHELL_KEY_HEADER, VIEWING_SESSION_HEADER } from '../contract';

/**
 * How the station answers a delivery request over HTTP (see custody/delivery): the headers every
 * answer carries, the refusals with the rule that stopped them, and the desktop page's preflight.
 */

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
export type Refusal = keyof typeof REFUSALS;

/**
 * The headers every answer carries. A desktop page (app://) is cross-origin to the loopback
 * server: its fetches need CORS for that origin, and its <video> a resource policy that lets it
 * load; the ticket, the key and the Host check keep everyone else out. A browser-mode page is the
 * server's own origin, and only it may load what it answers.
 */
export function headersFor(site: DeliverySite, req: IncomingMessage): Record<string, string> {
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

export function refuse(
  res: ServerResponse,
  site: DeliverySite,
  req: IncomingMessage,
  why: Refusal,
): void {
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
export function preflight(req: IncomingMessage, res: ServerResponse, site: DeliverySite): void {
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

/** Whether a request carries the shell's key where the site has one (the desktop app's window). */
export function fromShell(req: IncomingMessage, site: DeliverySite): boolean {
  return site.shellKey === undefined || same(req.headers[SHELL_KEY_HEADER], site.shellKey);
}

/** Compares a secret without telling, by its timing, how much of a guess was right. */
export function same(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
