import type { DeliveryAddress } from '../../src-main/contract';

/**
 * What the station delivers on a ticket (a thumbnail, an exported report), fetched from the
 * address it gave: the station's own origin in browser mode, its loopback server in the desktop
 * app. Never kept anywhere but in this page's memory (D-NO-LEAK).
 */
export async function fetchDelivered(address: DeliveryAddress): Promise<Blob> {
  const response = await fetch(address.url, { credentials: 'omit', cache: 'no-store' });
  if (!response.ok) throw new Error(`the station refused the delivery (${response.status})`);
  return response.blob();
}
