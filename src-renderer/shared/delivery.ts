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

/**
 * Saves a file the station made (an exported report, a disc label) through the browser's download: fetched
 * once from the address the station gave, with the page's session (the station delivers it to
 * that session only, D-NO-LEAK), then handed to the browser as a file.
 */
export async function downloadFile(
  file: DeliveryAddress & { fileName: string },
  session: string | null,
): Promise<void> {
  const blob = await fetchDelivered(file, session);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
