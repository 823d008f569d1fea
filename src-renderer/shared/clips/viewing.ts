import { VIEWING_SESSION_HEADER, type DeliveryAddress } from '../../../src-main/contract';

/** The station refused to open a playback for this page (expired, ended, or not this session). */
export class ViewingRefused extends Error {
  constructor(readonly status: number) {
    super(`the station refused the playback (${status})`);
    this.name = 'ViewingRefused';
  }
}

/**
 * Claims the one viewing a playback address serves, for this page (D-NO-LEAK): with the page's
 * session, once, before the player is given the address. The station answers with what binds
 * the player's requests to this page (a cookie the page's script cannot read; in the desktop app
 * the shell's key does it), so the address is worth nothing copied elsewhere.
 */
export async function claimViewing(address: DeliveryAddress, session: string): Promise<void> {
  const response = await fetch(address.url, {
    method: 'POST',
    headers: { [VIEWING_SESSION_HEADER]: session },
    cache: 'no-store',
  });
  if (!response.ok) throw new ViewingRefused(response.status);
}

/**
 * Ends the viewing when the player closes: nothing more is served on that address. A page that
 * is going away needs no request: the station ends the viewing with the page's connection.
 */
export function endViewing(address: DeliveryAddress): void {
  // Nothing to tell the officer if this fails: the connection's end or the session's still ends it.
  void fetch(address.url, { method: 'DELETE', cache: 'no-store' }).catch(() => undefined);
}
