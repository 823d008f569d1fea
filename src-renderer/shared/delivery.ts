import { VIEWING_SESSION_HEADER, type DeliveryAddress } from '../../src-main/contract';

/**
 * What the station delivers on a ticket (a thumbnail, an exported report), fetched once from the
 * address it gave: the station's own origin in browser mode, its loopback server in the desktop
 * app. The request sends this page's session: the station serves a ticket only to the session it
 * was issued to, so an address copied elsewhere is worth nothing (D-NO-LEAK). Never kept anywhere
 * but in this page's memory.
 */
export async function fetchDelivered(
  address: DeliveryAddress,
  session: string | null,
): Promise<Blob> {
  const response = await fetch(address.url, {
    credentials: 'omit',
    cache: 'no-store',
    headers: session === null ? {} : { [VIEWING_SESSION_HEADER]: session },
  });
  if (!response.ok) throw new Error(`the station refused the delivery (${response.status})`);
  return response.blob();
}
