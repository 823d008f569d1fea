import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli } from '../support/cli';
import { dockingUnavailable, dockRecorder, undockAll } from '../support/dock-recorder';
import { launchBrowser, screenshot, VIEWPORT, watchPage } from '../support/e2e-browser';
import { makeDataDir, startStation, type RunningStation } from '../support/e2e-station';
import { video } from '../support/footage';

/**
 * The Dock screen against the real station: a custodian registers a recorder, an officer docks it
 * (a real hot-plugged block device, see dock-recorder.ts; needs root) and watches it go to
 * "safe to undock"; a recorder nobody registered is shown, not read, and registered from its card.
 */
const unavailable = dockingUnavailable();

const MOUNT_ROOT_OPTION = '--mount-root';
const ADMIN = { badge: 'A0001', name: '张建国', password: 'Station-Admin-2024' };
const CUSTODIAN = { badge: 'C0001', name: '王保管', password: 'Custodian-Pass-2024' };
const OFFICER = { badge: 'J0123', name: '李明', password: 'Officer-Pass-2024' };
// Six digits, as the national recorder standard's device passwords.
const OFFICER_PIN = '735142';
const SERIAL = 'CAM-E2E-01';
const UNREGISTERED = 'CAM-E2E-02';
const HOUR_MS = 3_600_000;

/** Catalogue keys look like `dock.state.safe`; none may reach the screen untranslated. */
const RAW_KEY =
  /\b(app|common|nav|header|roles|fields|validation|home|users|audit|errors|permissions|dock|recorders)\.[a-z][A-Za-z_.-]+/;

let station: RunningStation;
let mountRoot: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

async function addUser(
  user: { badge: string; name: string; password: string },
  role: string,
  dataDir: string,
): Promise<void> {
  const byAdmin = role === 'admin' ? [] : ['--user', ADMIN.badge];
  const stdin = role === 'admin' ? `${user.password}\n` : `${ADMIN.password}\n${user.password}\n`;
  const run = await runCli(
    [
      'users',
      'add',
      '--badge',
      user.badge,
      '--name',
      user.name,
      '--role',
      role,
      ...byAdmin,
      '--data-dir',
      dataDir,
      '--json',
    ],
    stdin,
  );
  if (run.code !== 0) throw new Error(`users add ${user.badge}: ${run.stdout}${run.stderr}`);
}

/**
 * A recorder docked for real: a hot-added zram block device with an ext4 file system labelled
 * with its serial, holding real MP4s made by ffmpeg, mounted under the station's mount root.
 * Not FAT here: fusefat (the only FAT these kernels can mount) reads every file time a month
 * late, which the station rightly takes for a recorder clock a month fast (D-24H).
 */
async function dockCamera(label: string, clipStarts: readonly string[]): Promise<void> {
  const files: Record<string, Uint8Array> = {};
  for (const [index, start] of clipStarts.entries()) {
    const clip = await video({ seconds: 2, size: '640x360', creationTime: start });
    files[`DCIM/100MEDIA/CLIP${String(index + 1).padStart(4, '0')}.MP4`] = readFileSync(clip);
  }
  await dockRecorder({ fs: 'ext4', label, files, mountRoot });
}

async function login(user: { badge: string; password: string }): Promise<void> {
  await page.getByTestId('login-screen').waitFor();
  await page.getByTestId('login-badge').fill(user.badge);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
}

async function logout(): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-screen').waitFor();
}

async function expectNoRawKeys(): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(RAW_KEY)?.[0] ?? null).toBeNull();
}

beforeAll(async () => {
  if (unavailable !== undefined) return;
  const dataDir = await makeDataDir();
  mountRoot = await mkdtemp(join(tmpdir(), 'evidock-e2e-media-'));
  await addUser(ADMIN, 'admin', dataDir);
  await addUser(CUSTODIAN, 'custodian', dataDir);
  await addUser(OFFICER, 'officer', dataDir);
  station = await startStation({ dataDir, extraArgs: [MOUNT_ROOT_OPTION, mountRoot] });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  page = await context.newPage();
  problems = watchPage(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await station?.stop();
  await undockAll();
  if (mountRoot !== undefined) await rm(mountRoot, { recursive: true, force: true });
});

describe.skipIf(unavailable !== undefined)(
  `Dock screen against a real station and a docked recorder${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    it('lets a custodian register a recorder for an officer', async () => {
      await page.goto(station.url);
      await login(CUSTODIAN);
      await page.getByTestId('nav-recorders').click();
      await page.getByTestId('recorders-screen').waitFor();

      await page.getByTestId('register-recorder').click();
      await page.getByTestId('register-form').waitFor();
      await page.getByTestId('register-serial').fill(SERIAL);
      await page.getByTestId('register-profile').click();
      await page.locator('.ant-select-item-option').first().waitFor();
      await page.keyboard.type('generic-dcim');
      await page.keyboard.press('Enter');
      // Custodians read the accounts (to confirm roles), so the officer is picked from a list.
      await page.getByTestId('register-officer').click();
      await page.keyboard.type(OFFICER.badge);
      await page.locator('.ant-select-item-option-active').last().waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('register-submit').click();

      const row = page.locator(`tr[data-row-key="${SERIAL}"]`);
      await row.waitFor();
      const text = await row.innerText();
      expect(text).toContain('通用 DCIM 记录仪');
      expect(text).toContain(OFFICER.badge);
      expect(text).toContain(CUSTODIAN.badge);
      await page.getByTestId('register-form').waitFor({ state: 'detached' });
      await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' });
      await expectNoRawKeys();
      await screenshot(page, 'recorders-zh-CN');
    });

    it('lands an officer on the Dock screen, which asks for a recorder', async () => {
      await logout();
      await login(OFFICER);
      await page.getByTestId('dock-screen').waitFor();
      await page.getByTestId('dock-empty').waitFor();
      expect(await page.getByTestId('side-nav').innerText()).toContain('接入采集');
      expect(await page.getByTestId('nav-recorders').count()).toBe(0);
      await expectNoRawKeys();
    });

    it('shows the docked recorder to "safe to undock", with its clips, thumbnails and findings', async () => {
      const now = Date.now();
      // Two clips recorded two days ago (late custody, D-24H), two this morning.
      const starts = [50, 49, 2, 1].map((hours) => new Date(now - hours * HOUR_MS).toISOString());
      await dockCamera(SERIAL, starts);

      const card = page.locator(`[data-testid^="docking-card-"][data-serial="${SERIAL}"]`);
      await card.waitFor({ timeout: 30_000 });
      expect(await card.innerText()).toContain(OFFICER.name);
      await card.getByTestId('safe-to-undock').waitFor({ timeout: 60_000 });
      expect(await card.getByTestId('safe-to-undock').innerText()).toBe('可以拔出');
      const clips = card.locator('[data-testid^="docking-clips-"]');
      expect(await clips.innerText()).toBe('4 / 4');

      const table = page.getByTestId('clip-table');
      await expect
        .poll(() => table.locator('tbody tr[data-row-key]').count(), { timeout: 20_000 })
        .toBe(4);
      await expect
        .poll(() => table.locator('[data-testid^="clip-thumb-"][data-loaded="yes"]').count(), {
          timeout: 30_000,
        })
        .toBe(4);
      expect(await table.innerText()).toContain('CLIP0001.MP4');
      expect(await table.locator('[data-time-source="container"]').count()).toBeGreaterThan(0);
      await expect
        .poll(() => table.locator('[data-testid^="clip-late-"]').count(), { timeout: 20_000 })
        .toBe(2);
      const lateFinding = card.locator('[data-finding="late-custody"]');
      if ((await lateFinding.count()) > 0) expect(await lateFinding.innerText()).toContain('D-24H');
      await expectNoRawKeys();
      await page.mouse.move(10, 700);
      await screenshot(page, 'dock-zh-CN');

      await page.getByTestId('language-en').click();
      await expect
        .poll(() => card.getByTestId('safe-to-undock').innerText())
        .toBe('Safe to undock');
      await expectNoRawKeys();
      await screenshot(page, 'dock-en');
      await page.getByTestId('language-zh-CN').click();
    });

    it('lets the officer set a dock PIN and confirm, as themselves, that the docking is theirs', async () => {
      await page.getByTestId('account-menu').click();
      await page.getByTestId('set-pin').click();
      const pinForm = page.getByTestId('set-pin-form');
      await pinForm.waitFor();
      await pinForm.locator('input').nth(0).fill(OFFICER.password);
      await pinForm.locator('input').nth(1).fill(OFFICER_PIN);
      await pinForm.locator('input').nth(2).fill(OFFICER_PIN);
      await page.getByTestId('set-pin-submit').click();
      await pinForm.waitFor({ state: 'detached' });

      const card = page.locator(`[data-testid^="docking-card-"][data-serial="${SERIAL}"]`);
      await card.locator('[data-testid^="confirm-officer-"]').click();
      await page.getByTestId('confirm-officer-form').waitFor();
      // D-WHO-RECORDS: the officer confirms as themselves; there is no badge to type.
      expect(await page.getByTestId('confirm-officer-badge').count()).toBe(0);
      expect(await page.getByTestId('confirm-officer-self').innerText()).toContain(OFFICER.badge);
      await page.getByTestId('confirm-officer-pin').fill('000000');
      await page.getByTestId('confirm-officer-submit').click();
      await page.getByText('执法证号或 PIN 码错误。').waitFor();
      await page.getByTestId('confirm-officer-pin').fill(OFFICER_PIN);
      await page.getByTestId('confirm-officer-submit').click();
      await page.getByTestId('confirm-officer-form').waitFor({ state: 'detached' });
      await expect.poll(() => card.innerText()).toContain('证号+PIN 确认');
      expect(await card.locator('[data-testid^="confirm-officer-"]').count()).toBe(0);
    });

    it('shows a recorder nobody registered without reading it, and a custodian registers it from its card', async () => {
      await dockCamera(UNREGISTERED, [new Date(Date.now() - HOUR_MS).toISOString()]);
      // Only this test's recorder: a machine may have other volumes plugged in.
      const card = page.locator(
        `[data-testid="unregistered-card"][data-mountpoint="${join(mountRoot, UNREGISTERED)}"]`,
      );
      await card.waitFor({ timeout: 30_000 });
      // An officer may not register: the card says who can.
      expect(await card.getByTestId('register-from-dock').count()).toBe(0);
      expect(await card.innerText()).toContain('请联系专门人员登记');

      await logout();
      await login(CUSTODIAN);
      await page.getByTestId('nav-dock').click();
      await card.waitFor();
      await card.getByTestId('register-from-dock').click();
      await page.getByTestId('register-form').waitFor();
      expect(await page.getByTestId('register-serial').inputValue()).toBe(UNREGISTERED);
      // Custodians read the accounts (to confirm roles), so the officer is picked from a list.
      await page.getByTestId('register-officer').click();
      await page.keyboard.type(OFFICER.badge);
      await page.locator('.ant-select-item-option-active').last().waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('register-submit').click();
      await page.getByTestId('register-form').waitFor({ state: 'detached' });

      const registered = page.locator(
        `[data-testid^="docking-card-"][data-serial="${UNREGISTERED}"]`,
      );
      await registered.getByTestId('safe-to-undock').waitFor({ timeout: 60_000 });
      expect(await card.count()).toBe(0);

      await page.getByTestId('nav-policy').click();
      await page.getByTestId('policy-screen').waitFor();
      const clearing = page.getByTestId('policy-clear-switch');
      expect(await clearing.getAttribute('aria-checked')).toBe('false');
      await clearing.click();
      await expect.poll(() => clearing.getAttribute('aria-checked')).toBe('true');
      await expectNoRawKeys();
      await screenshot(page, 'policy-zh-CN');
    });

    it('holds a volume that carries a registered serial on another device, and a custodian refuses it', async () => {
      // The recorder registered first leaves; a volume made to look like it (its label, its
      // folders, another file system) is docked in its place (D-WHO-RECORDS).
      await undockAll();
      const planted = 'DCIM/100MEDIA/PLANT001.MP4';
      await dockRecorder({
        fs: 'ext4',
        label: SERIAL,
        sizeMiB: 32,
        mountRoot,
        files: { [planted]: 'footage planted in the officer’s name' },
      });
      await page.getByTestId('nav-dock').click();
      const held = page.locator(
        `[data-testid="held-card"][data-mountpoint="${join(mountRoot, SERIAL)}"]`,
      );
      await held.waitFor({ timeout: 30_000 });
      expect(await held.innerText()).toContain(SERIAL);
      await expectNoRawKeys();
      await screenshot(page, 'dock-held-zh-CN');

      await held.getByTestId('held-refuse').click();
      await page.getByTestId('lookalike-decision-form').waitFor();
      await page.getByTestId('lookalike-decision-reason').fill('标签冒用，非该记录仪');
      await screenshot(page, 'dock-held-refuse-zh-CN');
      await page.getByTestId('lookalike-decision-submit').click();
      await page.getByTestId('lookalike-decision-form').waitFor({ state: 'detached' });
      await page
        .locator(`[data-testid="refused-card"][data-mountpoint="${join(mountRoot, SERIAL)}"]`)
        .waitFor();
      // Clearing is on now, and still nothing on it was touched.
      expect(existsSync(join(mountRoot, SERIAL, planted))).toBe(true);
      await expectNoRawKeys();
    });

    it('reported no page errors or CSP violations', () => {
      expect(problems).toEqual([]);
    });
  },
);
