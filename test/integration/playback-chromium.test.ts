// A playback's one viewing in a real browser (Debian's Chromium, TESTING.md): the page claims the
// ticket with its session, the HttpOnly, SameSite=Strict, path-scoped cookie it gets back rides on
// the <video>'s range requests, seeking works, and the page's script cannot read the cookie. The
// address copied to a local program, or opened in another browser profile, plays nothing; once the
// player ends the viewing, neither does the page (D-NO-LEAK).
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, launchBrowser } from '../support/e2e-browser';
import { openFilingStation, PASSWORD, type FilingStation } from '../support/filing-station';
import { video } from '../support/footage';

const hasChromium = existsSync(CHROMIUM_PATH);

let filing: FilingStation;
let browser: Browser;
let clip: number;

/** What the page does, as the player does it: its own RPC socket, the claim, then the <video>. */
async function playInPage(page: Page, badge: string): Promise<{ url: string; cookie: string }> {
  return page.evaluate(
    async ({ badge, password, clip }) => {
      const socket = new WebSocket(`ws://${location.host}/rpc`);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      let next = 0;
      const waiting = new Map<number, (result: unknown) => void>();
      socket.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as {
          type: string;
          id: number;
          result: unknown;
        };
        if (data.type === 'response') waiting.get(data.id)?.(data.result);
      };
      const call = (method: string, params: unknown, session?: string) =>
        new Promise<{ ok: boolean; value: Record<string, string> }>((resolve) => {
          next += 1;
          waiting.set(next, resolve as (result: unknown) => void);
          socket.send(JSON.stringify({ type: 'request', id: next, method, params, session }));
        });
      const login = await call('auth.login', { badge, password });
      const session = login.value['token']!;
      const played = await call('clips.play', { id: clip }, session);
      const url = played.value['url']!;
      const claim = await fetch(url, { method: 'POST', headers: { 'X-Evidock-Session': session } });
      if (claim.status !== 204) throw new Error(`claim answered ${claim.status}`);
      const player = document.createElement('video');
      player.muted = true;
      player.preload = 'auto';
      document.body.append(player);
      const loaded = new Promise((resolve, reject) => {
        player.onloadeddata = resolve;
        player.onerror = () => reject(new Error(`the player failed: ${player.error?.code}`));
      });
      player.src = url;
      await loaded;
      const seeked = new Promise((resolve) => (player.onseeked = resolve));
      player.currentTime = 2;
      await seeked;
      // Kept on the window so the test can end the viewing as the player does on close.
      (window as unknown as { viewing: string }).viewing = url;
      return { url, cookie: document.cookie };
    },
    { badge, password: PASSWORD, clip },
  );
}

function programGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { Range: 'bytes=0-' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

beforeAll(async () => {
  if (!hasChromium) return;
  filing = await openFilingStation();
  clip = filing.addClip('J0123', readFileSync(await video({ seconds: 4, faststart: false })));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await filing?.close();
});

describe.skipIf(!hasChromium)('a playback in Chromium', () => {
  it('plays one viewing to the page that claimed it, and to nothing else', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers: { method: string; status: number; range: string | undefined }[] = [];
    page.on('response', (response) => {
      if (!response.url().includes('/playback/')) return;
      answers.push({
        method: response.request().method(),
        status: response.status(),
        range: response.request().headers()['range'],
      });
    });
    await page.goto(filing.server.url);
    const before = filing.station.audit
      .listBySubject(`clip:${clip}`)
      .filter((e) => e.action === 'clip.played').length;

    const { url, cookie } = await playInPage(page, 'J0123');
    // The page's script never sees the secret that binds the viewing to it.
    expect(cookie).not.toContain('evidock-viewing');
    const media = answers.filter((a) => a.method === 'GET');
    expect(media.length).toBeGreaterThan(0);
    expect(media.every((a) => a.status === 206 || a.status === 200)).toBe(true);
    expect(media.some((a) => a.range !== undefined)).toBe(true);
    const after = filing.station.audit
      .listBySubject(`clip:${clip}`)
      .filter((e) => e.action === 'clip.played').length;
    expect(after - before).toBe(1);

    // Copied out of the page: a program on this machine, another browser profile.
    const absolute = new URL(url, filing.server.url).href;
    expect(await programGet(absolute)).toBe(403);
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(filing.server.url);
    expect(await otherPage.evaluate(async (u) => (await fetch(u)).status, url)).toBe(403);
    await other.close();

    // The player closes: the page itself gets nothing more on that address.
    const ended = await page.evaluate(async (u) => {
      const end = await fetch(u, { method: 'DELETE' });
      const again = await fetch(u, { headers: { Range: 'bytes=0-99' } });
      return [end.status, again.status];
    }, url);
    expect(ended).toEqual([204, 403]);
    await context.close();
  });
});
