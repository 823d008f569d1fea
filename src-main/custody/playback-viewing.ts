import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DELIVERY_PATHS, VIEWING_SESSION_HEADER } from '../contract';
import { fromShell, same, type DeliverySite, type Refusal } from './delivery-answers';

/**
 * One viewing of a playback (see the top of custody/delivery): the page that asked claims it once,
 * with its session, and gets the secret that binds the viewing to it: a cookie in browser mode,
 * the shell's key in the desktop app.
 */

/** The player claims its ticket as soon as it has it; one nobody claimed by then is gone. */
export const CLAIM_MS = 60 * 1000;
/** The cookie that binds a claimed viewing to the page that claimed it (browser mode). */
const VIEWING_COOKIE = 'evidock-viewing';

export interface Viewing {
  /** Aborted when the connection of the page that asked closes. */
  page: AbortSignal;
  /** The secret the claiming page holds; null until the page claims the ticket. */
  secret: string | null;
  /** Stops listening to `page`. */
  release: () => void;
}

/**
 * Why a page may not claim a viewing issued to the session `token`, or null when it may: from a
 * page of this station, with that session (and the shell's key in the desktop app), once.
 */
export function claimRefusal(
  viewing: Viewing,
  token: string,
  req: IncomingMessage,
  site: DeliverySite,
): Refusal | null {
  if (!site.pageOrigins.has(req.headers.origin ?? '')) return 'foreign-page';
  const session = req.headers[VIEWING_SESSION_HEADER];
  if (typeof session !== 'string' || !same(session, token)) return 'other-session';
  // In the desktop app the shell's key must come with the claim too: the window makes it.
  if (!fromShell(req, site)) return 'not-bound';
  if (viewing.secret !== null) return 'claimed';
  return null;
}

/** Claims a viewing for the page asking: the headers that hand it its secret (browser mode). */
export function bindViewing(
  viewing: Viewing,
  key: string,
  site: DeliverySite,
): Record<string, string> {
  const secret = randomBytes(32).toString('base64url');
  viewing.secret = secret;
  if (site.shellKey !== undefined) return {};
  return {
    'Set-Cookie': `${VIEWING_COOKIE}=${secret}; Path=${DELIVERY_PATHS.playback}${key}; HttpOnly; SameSite=Strict`,
  };
}

/** Whether a request comes from the page that claimed the viewing (see `DeliverySite`). */
export function bound(viewing: Viewing, req: IncomingMessage, site: DeliverySite): boolean {
  if (viewing.secret === null) return false;
  if (site.shellKey !== undefined) return fromShell(req, site);
  const secret = viewing.secret;
  return cookiesNamed(req.headers.cookie, VIEWING_COOKIE).some((value) => same(value, secret));
}

/** Browser mode: the answer that ends a viewing also takes its cookie back. */
export function unbindViewing(key: string, site: DeliverySite): Record<string, string> {
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
