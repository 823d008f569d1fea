// A playback serves one viewing (D-NO-LEAK): the page that asked claims its ticket once, with its
// session, and gets a secret only it holds (an HttpOnly, SameSite=Strict cookie scoped to the
// ticket's path); the player's range requests carry it. A thumbnail or an export is fetched once,
// with the session it was issued to (and, in the desktop app, the shell's key). Attacks over real HTTP, as a local
// program (curl) would make them: the URL fetched twice, fetched without the page's binding,
// after the player closed, after logout, after the page's connection closed, by a second session.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, DeliveryAddress } from '../../src-main/contract';
import { openFilingStation, PASSWORD, type FilingStation } from '../support/filing-station';
import { SocketClient } from '../support/socket-client';

const FOOTAGE = Buffer.from('0123456789'.repeat(100));

let filing: FilingStation;
let clip: number;
let base: string;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP request as a program on this machine makes it: only the headers it is given. */
function http(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  port?: number,
): Promise<Answer> {
  const target = new URL(url, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: port ?? target.port,
        path: target.pathname,
        method,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A page of the station's own origin: what the browser sends with its requests. */
class Page {
  cookies = new Map<string, string>();
  constructor(
    readonly socket: SocketClient,
    readonly origin: string,
  ) {}

  static async open(badge: string): Promise<Page> {
    const socket = await SocketClient.open(filing.server.url, filing.origin);
    await socket.login(badge, PASSWORD);
    return new Page(socket, filing.origin);
  }

  async play(id: number): Promise<DeliveryAddress> {
    const result = await this.socket.call('clips.play', { id });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as DeliveryAddress;
  }

  /** The claim the player makes before it sets the <video>'s source. */
  async claim(address: DeliveryAddress, session = this.socket.session!): Promise<Answer> {
    const answer = await http('POST', address.url, {
      Origin: this.origin,
      'X-Evidock-Session': session,
    });
    for (const line of [answer.headers['set-cookie'] ?? []].flat()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      this.cookies.set(`${name}@${address.url}`, `${name}=${value}`);
    }
    return answer;
  }

  /** A request of the <video>, with the cookies the browser holds for that path. */
  fetch(address: DeliveryAddress, headers: Record<string, string> = {}, method = 'GET') {
    const cookies = [...this.cookies.entries()]
      .filter(([key]) => key.endsWith(`@${address.url}`))
      .map(([, pair]) => pair);
    return http(method, address.url, {
      ...headers,
      ...(cookies.length > 0 ? { Cookie: cookies.join('; ') } : {}),
    });
  }

  close(): void {
    this.socket.close();
  }
}

function plays(): AuditEntry[] {
  return filing.station.audit
    .listBySubject(`clip:${clip}`)
    .filter((e) => e.action === 'clip.played');
}

beforeAll(async () => {
  filing = await openFilingStation();
  clip = filing.addClip('J0123', FOOTAGE);
  base = filing.server.url;
});

afterAll(async () => {
  await filing?.close();
});

describe('a playback ticket serves one viewing, to the page that asked', () => {
  it('one viewing: claimed once, several range requests, audited once', async () => {
    const page = await Page.open('J0123');
    const before = plays().length;
    const address = await page.play(clip);
    const claimed = await page.claim(address);
    expect(claimed.status).toBe(204);
    const cookie = String(claimed.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toContain(`Path=${new URL(address.url, base).pathname}`);

    const head = await page.fetch(address, { Range: 'bytes=0-9' });
    expect(head.status).toBe(206);
    expect(head.body.toString()).toBe('0123456789');
    const middle = await page.fetch(address, { Range: 'bytes=500-519' });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 500-519/${FOOTAGE.length}`);
    const tail = await page.fetch(address, { Range: 'bytes=990-' });
    expect(tail.body.toString()).toBe('0123456789');
    expect(plays().length - before).toBe(1);

    // The player closes: the viewing ends, and nothing more is served on it.
    expect((await page.fetch(address, {}, 'DELETE')).status).toBe(204);
    expect((await page.fetch(address, { Range: 'bytes=0-9' })).status).toBe(403);
    page.close();
  });

  it('a local program that copied the URL gets nothing, however often it asks', async () => {
    const page = await Page.open('J0123');
    const address = await page.play(clip);
    // Before the page claims it, and after.
    expect((await http('GET', address.url)).status).toBe(403);
    expect((await http('GET', address.url, { Range: 'bytes=0-' })).status).toBe(403);
    expect((await page.claim(address)).status).toBe(204);
    const copied = await http('GET', address.url);
    expect(copied.status).toBe(403);
    expect(copied.body.toString()).toMatch(/bound to the page/);
    expect((await http('GET', address.url, { Origin: filing.origin })).status).toBe(403);
    // The page itself still plays.
    expect((await page.fetch(address, { Range: 'bytes=0-3' })).status).toBe(206);
    page.close();
  });

  it('a ticket is claimed once: a second claim, even with the session, is refused', async () => {
    const page = await Page.open('J0123');
    const address = await page.play(clip);
    // A program that has the URL but not the session cannot claim it first.
    expect((await http('POST', address.url, { Origin: filing.origin })).status).toBe(403);
    expect((await page.claim(address)).status).toBe(204);
    const again = await http('POST', address.url, {
      Origin: filing.origin,
      'X-Evidock-Session': page.socket.session!,
    });
    expect(again.status).toBe(409);
    page.close();
  });

  it("a second session cannot claim, nor play, the first session's ticket", async () => {
    const first = await Page.open('J0123');
    const second = await Page.open('J0123');
    const address = await first.play(clip);
    expect((await second.claim(address)).status).toBe(403);
    expect((await first.claim(address)).status).toBe(204);
    // The second session's own viewing does not open the first one's.
    const own = await second.play(clip);
    expect((await second.claim(own)).status).toBe(204);
    const borrowed = await http('GET', address.url, {
      Cookie: [...second.cookies.values()].join('; '),
    });
    expect(borrowed.status).toBe(403);
    first.close();
    second.close();
  });

  it('the viewing ends when the session logs out', async () => {
    const page = await Page.open('J0123');
    const address = await page.play(clip);
    expect((await page.claim(address)).status).toBe(204);
    expect((await page.fetch(address, { Range: 'bytes=0-3' })).status).toBe(206);
    expect((await page.socket.call('auth.logout')).ok).toBe(true);
    expect((await page.fetch(address, { Range: 'bytes=0-3' })).status).toBe(403);
    page.close();
  });

  it("the viewing ends when the page's connection closes", async () => {
    const page = await Page.open('J0123');
    const address = await page.play(clip);
    expect((await page.claim(address)).status).toBe(204);
    expect((await page.fetch(address, { Range: 'bytes=0-3' })).status).toBe(206);
    page.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await page.fetch(address, { Range: 'bytes=0-3' })).status).toBe(403);
  });

  it('a ticket nobody claims within a minute is gone', async () => {
    const page = await Page.open('J0123');
    const address = await page.play(clip);
    filing.advance(61_000);
    expect((await page.claim(address)).status).toBe(403);
    page.close();
  });
});

describe('a thumbnail or an export is fetched once, by the session it was issued to', () => {
  /** A thumbnail for the clip, on disk and in the catalogue. */
  function withThumbnail(bytes: string): void {
    const thumbnail = join(filing.dataDir, 'thumbnails', 'cd', 'thumb.jpg');
    mkdirSync(dirname(thumbnail), { recursive: true });
    writeFileSync(thumbnail, bytes);
    filing.station.catalogue.write((tx) => tx.clips.setThumbnail(clip, 'thumbnails/cd/thumb.jpg'));
  }

  async function thumbnailOf(page: Page): Promise<DeliveryAddress> {
    const result = await page.socket.call('clips.thumbnail', { id: clip });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as DeliveryAddress;
  }

  it('a privacy clip’s thumbnail: nothing to a program without the session, once to the page', async () => {
    withThumbnail('secret frame');
    await filing.ok('J0123', 'clips.label', {
      target: { clipIds: [clip] },
      set: { confidentiality: 'privacy' },
    });
    const page = await Page.open('J0123');
    const address = await thumbnailOf(page);
    // A local program that copied the address (D-NO-LEAK, D-CONFIDENTIAL), however often.
    for (let i = 0; i < 3; i += 1) {
      const copied = await http('GET', address.url);
      expect(copied.status).toBe(403);
      expect(copied.body.toString()).toMatch(/session that asked/);
      expect(copied.body.toString()).not.toContain('secret frame');
    }
    // Another session of the same officer is not the one it was issued to.
    const elsewhere = await Page.open('J0123');
    const borrowed = await http('GET', address.url, {
      'X-Evidock-Session': elsewhere.socket.session!,
    });
    expect(borrowed.status).toBe(403);
    // The page that asked gets it, once.
    const mine = await http('GET', address.url, { 'X-Evidock-Session': page.socket.session! });
    expect(mine.status).toBe(200);
    expect(mine.body.toString()).toBe('secret frame');
    const again = await http('GET', address.url, { 'X-Evidock-Session': page.socket.session! });
    expect(again.status).toBe(403);
    await filing.ok('C0001', 'clips.label', {
      target: { clipIds: [clip] },
      set: { confidentiality: 'none' },
    });
    page.close();
    elsewhere.close();
  });

  it('an exported report: nothing without the session, then downloaded once', async () => {
    const page = await Page.open('S0001');
    const result = await page.socket.call('report.export', {
      from: '2026-11-01',
      to: '2026-11-30',
      format: 'csv',
    });
    if (!result.ok) throw new Error(result.error.message);
    const file = result.value as DeliveryAddress;
    expect((await http('GET', file.url)).status).toBe(403);
    const download = await http('GET', file.url, { 'X-Evidock-Session': page.socket.session! });
    expect(download.status).toBe(200);
    expect(String(download.headers['content-disposition'])).toContain('attachment');
    expect(
      (await http('GET', file.url, { 'X-Evidock-Session': page.socket.session! })).status,
    ).toBe(403);
    page.close();
  });
});

describe('in the desktop app, the loopback delivery server', () => {
  let desktop: { origin: string; key: string; close: () => Promise<void> };
  let port: number;

  beforeAll(async () => {
    desktop = await filing.station.delivery.listenOnLoopback();
    port = Number(new URL(desktop.origin).port);
  });

  afterAll(async () => {
    await desktop?.close();
  });

  /** A request of the app's window: app:// pages, the shell's key added to playback requests. */
  const fromWindow = (headers: Record<string, string> = {}) => ({
    Origin: 'app://evidock',
    'X-Evidock-Shell': desktop.key,
    ...headers,
  });

  /**
   * The window's cross-origin preflight for `method` with the session header: answered for
   * app://evidock, refused to a foreign page (whose answer is returned).
   */
  async function expectPreflightForTheWindowOnly(url: string, method: string): Promise<Answer> {
    const preflight = await http('OPTIONS', url, {
      Origin: 'app://evidock',
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'x-evidock-session',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('app://evidock');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain(
      'x-evidock-session',
    );
    const foreign = await http('OPTIONS', url, {
      Origin: 'http://evil.example',
      'Access-Control-Request-Method': method,
    });
    expect(foreign.status).toBe(403);
    return foreign;
  }

  it("plays one viewing to the app's window, and nothing to a local program without the shell's key", async () => {
    const page = await Page.open('C0001');
    const address = await page.play(clip);
    expect(address.url.startsWith(`${desktop.origin}/playback/`)).toBe(true);
    // The window's claim is cross-origin: its preflight is answered for app://evidock only.
    const foreign = await expectPreflightForTheWindowOnly(address.url, 'POST');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();

    // A program with the address and even the session, but not the shell's key, cannot claim.
    const stolen = await http('POST', address.url, {
      Origin: 'app://evidock',
      'X-Evidock-Session': page.socket.session!,
    });
    expect(stolen.status).toBe(403);
    const claim = await http(
      'POST',
      address.url,
      fromWindow({ 'X-Evidock-Session': page.socket.session! }),
    );
    expect(claim.status).toBe(204);
    expect(claim.headers['access-control-allow-origin']).toBe('app://evidock');
    expect(claim.headers['set-cookie']).toBeUndefined();

    const part = await http('GET', address.url, fromWindow({ Range: 'bytes=10-19' }));
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe('0123456789');
    // The <video> is a cross-origin, no-cors load: its answer must let the window use it.
    expect(part.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await http('GET', address.url, { Range: 'bytes=10-19' })).status).toBe(403);
    expect((await http('GET', address.url, { 'X-Evidock-Shell': 'x'.repeat(43) })).status).toBe(
      403,
    );

    expect((await http('DELETE', address.url, fromWindow())).status).toBe(204);
    expect((await http('GET', address.url, fromWindow())).status).toBe(403);
    page.close();
  });

  it('answers only requests addressed to 127.0.0.1 at its port (DNS rebinding)', async () => {
    const page = await Page.open('C0001');
    const address = await page.play(clip);
    for (const host of ['evil.example', `localhost:${port}`, `evil.example:${port}`]) {
      const answer = await http('GET', address.url, fromWindow({ Host: host }), port);
      expect(answer.status, host).toBe(421);
    }
    page.close();
  });

  it('lets the window fetch a thumbnail across origins, once, with its session and the shell’s key', async () => {
    const page = await Page.open('C0001');
    const thumbnail = join(filing.dataDir, 'thumbnails', 'ab', 'thumb.jpg');
    mkdirSync(dirname(thumbnail), { recursive: true });
    writeFileSync(thumbnail, 'jpeg bytes');
    filing.station.catalogue.write((tx) => tx.clips.setThumbnail(clip, 'thumbnails/ab/thumb.jpg'));
    const result = await page.socket.call('clips.thumbnail', { id: clip });
    if (!result.ok) throw new Error(result.error.message);
    const address = result.value as DeliveryAddress;
    // The window's fetch sends the session header: a preflight, answered for app://evidock only.
    await expectPreflightForTheWindowOnly(address.url, 'GET');
    // The session without the shell's key, or the key without the session: nothing.
    const session = { 'X-Evidock-Session': page.socket.session! };
    expect((await http('GET', address.url, { Origin: 'app://evidock', ...session })).status).toBe(
      403,
    );
    expect((await http('GET', address.url, fromWindow())).status).toBe(403);
    const answer = await http('GET', address.url, fromWindow(session));
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('jpeg bytes');
    expect(answer.headers['access-control-allow-origin']).toBe('app://evidock');
    expect((await http('GET', address.url, fromWindow(session))).status).toBe(403);
    const other = await page.socket.call('clips.thumbnail', { id: clip });
    if (!other.ok) throw new Error(other.error.message);
    const elsewhere = await http('GET', (other.value as DeliveryAddress).url, {
      ...fromWindow(session),
      Origin: 'http://evil.example',
    });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    page.close();
  });
});
