import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot, VIEWPORT, watchPage } from '../support/e2e-browser';
import { startStation, type RunningStation } from '../support/e2e-station';

/**
 * The whole first day at a station, in a real browser against the real station process:
 * first-run setup, logout, login, adding an officer, reading the audit log and its chain check,
 * the idle lock, and unlocking.
 */

const IDLE_SECONDS = 4;
const ADMIN = { badge: 'A0001', name: '张建国', password: 'Station-Admin-2024' };
const OFFICER = { badge: 'J0123', name: '李明', password: 'Officer-Pass-2024' };

/** Catalogue keys look like `audit.chain.intact`; none may reach the screen untranslated. */
const RAW_KEY =
  /\b(app|common|nav|header|roles|fields|validation|setup|login|lock|password|home|users|audit|errors|auditActions|permissions|languages)\.[a-z][A-Za-z_]+/;

/**
 * Console noise caused by the station, not the page, reported to the station's owner:
 * its CSP header lists `ws://[::1]:<port>` in connect-src, which Chromium rejects as an invalid
 * source (IPv6 literals are not valid CSP host sources) and ignores.
 */

let station: RunningStation;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

async function bodyText(): Promise<string> {
  return page.locator('body').innerText();
}

async function expectNoRawKeys(): Promise<void> {
  const text = await bodyText();
  expect(text.match(RAW_KEY)?.[0] ?? null).toBeNull();
}

beforeAll(async () => {
  station = await startStation({ idleTimeoutSeconds: IDLE_SECONDS });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  page = await context.newPage();
  problems = watchPage(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await station?.stop();
});

describe('station UI in a browser', () => {
  it('runs first-run setup and lands in the shell', async () => {
    await page.goto(station.url);
    await page.getByTestId('setup-screen').waitFor();
    expect(await bodyText()).toContain('创建系统管理员');
    await screenshot(page, 'setup-zh-CN');

    await page.getByTestId('setup-badge').fill(ADMIN.badge);
    await page.getByTestId('setup-name').fill(ADMIN.name);
    await page.getByTestId('setup-password').fill(ADMIN.password);
    await page.getByTestId('setup-confirm').fill(ADMIN.password);
    await page.getByTestId('setup-submit').click();

    await page.getByTestId('app-shell').waitFor();
    await expect.poll(() => page.getByTestId('current-user').innerText()).toBe(ADMIN.name);
    await expect.poll(() => page.getByTestId('welcome').innerText()).toContain(ADMIN.name);
    await screenshot(page, 'home-zh-CN');
  });

  it('keeps the login across a reload of the tab', async () => {
    await page.reload();
    await page.getByTestId('app-shell').waitFor();
  });

  it('logs out, refuses a wrong password, and logs in again', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-screen').waitFor();
    await page.getByTestId('logged-out-notice').waitFor();

    await page.getByTestId('login-badge').fill(ADMIN.badge);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('密码错误');
    await screenshot(page, 'login-zh-CN');

    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-shell').waitFor();
  });

  it('adds an officer in Users', async () => {
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-screen').waitFor();
    await page.locator(`tr[data-row-key="${ADMIN.badge}"]`).waitFor();

    await page.getByTestId('add-user').click();
    await page.getByTestId('add-user-form').waitFor();
    await page.getByTestId('add-user-badge').fill(OFFICER.badge);
    await page.getByTestId('add-user-name').fill(OFFICER.name);
    await page.getByTestId('add-user-password').fill(OFFICER.password);
    await page.getByTestId('add-user-confirm').fill(OFFICER.password);
    await page.getByTestId('add-user-submit').click();

    const row = page.locator(`tr[data-row-key="${OFFICER.badge}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain(OFFICER.name);
    expect(text).toContain('执法人员');
    expect(text).toContain('正常');
    await page.getByTestId('add-user-form').waitFor({ state: 'detached' });
    await expectNoRawKeys();
    await screenshot(page, 'users-zh-CN');
  });

  it('shows the audit log with an intact chain', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-screen').waitFor();
    const status = page.getByTestId('audit-chain-status');
    await expect.poll(() => status.getAttribute('data-state')).toBe('intact');
    expect(await status.innerText()).toContain('审计链完整');

    const table = page.getByTestId('audit-table');
    for (const action of ['setup.admin.created', 'auth.login', 'user.added']) {
      await table.locator(`[data-action="${action}"]`).first().waitFor();
    }
    expect(await table.innerText()).toContain('添加用户');
    expect(await page.getByTestId('audit-tamper-note').innerText()).toContain('D-NO-TAMPER');
    // D-NO-TAMPER, D-SUPERVISION: the keys that sign the chain, by fingerprint, and its last
    // checkpoint (the keys were made at the first start and sealed at once).
    const groups = /^[0-9A-F]{4}( [0-9A-F]{4}){15}$/;
    for (const id of ['audit-keys-sm2', 'audit-keys-sm2-sm3', 'audit-keys-ed25519']) {
      expect(await page.getByTestId(id).innerText(), id).toMatch(groups);
    }
    expect(await page.getByTestId('audit-last-checkpoint').innerText()).toContain('检查点 #');
    expect(await status.innerText()).toContain('签名检查点');
    expect(await page.getByTestId('connection-lost').count()).toBe(0);
    await expectNoRawKeys();
    // Let the "user added" toast go, and stay active meanwhile (the idle lock is 4 s).
    await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' });
    await page.mouse.move(100, 700);
    await screenshot(page, 'audit-zh-CN');
  });

  it('locks after the idle timeout and hides the screen content', async () => {
    await page.mouse.move(100, 720);
    const quietSince = Date.now();
    await page.getByTestId('lock-screen').waitFor({ timeout: (IDLE_SECONDS + 6) * 1000 });
    expect(Date.now() - quietSince).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 1000);

    expect(await page.getByTestId('app-shell').count()).toBe(0);
    expect(await page.getByTestId('audit-table').count()).toBe(0);
    const text = await bodyText();
    expect(text).toContain(ADMIN.name);
    expect(text).not.toContain('setup.admin.created');
    expect(text).not.toContain('user:');
    await screenshot(page, 'lock-zh-CN');
  });

  it('unlocks with the password and returns to the shell', async () => {
    await page.getByTestId('unlock-password').fill(ADMIN.password);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('app-shell').waitFor();
    await page.getByTestId('audit-screen').waitFor();
  });

  it('switches to English', async () => {
    await page.getByTestId('language-en').click();
    await expect.poll(() => page.getByTestId('nav-audit').innerText()).toBe('Audit log');
    const status = page.getByTestId('audit-chain-status');
    await expect.poll(() => status.getAttribute('data-state')).toBe('intact');
    await expect.poll(() => status.innerText()).toContain('Chain intact');
    await expectNoRawKeys();
    await screenshot(page, 'audit-en');

    await page.getByTestId('nav-users').click();
    await page.locator(`tr[data-row-key="${OFFICER.badge}"]`).waitFor();
    expect(await page.getByTestId('users-screen').innerText()).toContain('Officer');
    await expectNoRawKeys();
    await screenshot(page, 'users-en');

    await page.getByTestId('lock-now').click();
    await page.getByTestId('lock-screen').waitFor();
    expect(await bodyText()).toContain('Workstation locked');
    await screenshot(page, 'lock-en');
    // The language choice outlives the page.
    await page.reload();
    await page.getByTestId('lock-screen').waitFor();
    expect(await bodyText()).toContain('Workstation locked');
  });

  it('switches user from the lock screen and shows an officer the Dock, labelling, their home, clips and cases', async () => {
    await page.getByTestId('switch-user').click();
    await page.getByTestId('login-screen').waitFor();
    await page.getByTestId('login-badge').fill(OFFICER.badge);
    await page.getByTestId('login-password').fill(OFFICER.password);
    await page.getByTestId('login-submit').click();
    // Officers land where they dock their recorders.
    await page.getByTestId('dock-screen').waitFor();
    expect((await page.getByTestId('side-nav').innerText()).split('\n')).toEqual([
      'Dock',
      'Label clips',
      'Home',
      'Clips',
      'Cases',
    ]);
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    await page.getByTestId('nav-home').click();
    await page.getByTestId('home-screen').waitFor();
    expect(await page.getByTestId('welcome').innerText()).toContain(OFFICER.name);
    expect(await page.getByTestId('station-version').innerText()).toMatch(/^evidock \d+\.\d+\.\d+/);
    await expectNoRawKeys();
    await screenshot(page, 'home-officer-en');
  });

  it('reported no page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
