import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli } from '../support/cli';
import { dockingUnavailable, dockRecorder, undockAll } from '../support/dock-recorder';
import { launchBrowser, screenshot, VIEWPORT, watchPage } from '../support/e2e-browser';
import { makeDataDir, startStation, type RunningStation } from '../support/e2e-station';
import { confirmWaitingRolesByCli } from '../support/role-grants';
import { video } from '../support/footage';

/**
 * Filing against the real station: an officer docks a recorder (a real hot-plugged block device,
 * see dock-recorder.ts; needs root), is refused "done" while the clips are unlabelled, labels the
 * three clips in one go under a case opened from the label form, and finishes; the custodian
 * finds the case and its clips; the supervisor's report shows nothing left unlabelled.
 */
const unavailable = dockingUnavailable();

const ADMIN = { badge: 'A0001', name: '张建国', password: 'Station-Admin-2024' };
const CUSTODIAN = { badge: 'C0001', name: '王保管', password: 'Custodian-Pass-2024' };
const SUPERVISOR = { badge: 'S0001', name: '赵监督', password: 'Supervisor-Pass-2024' };
const OFFICER = { badge: 'J0123', name: '李明', password: 'Officer-Pass-2024' };
const SERIAL = 'CAM-E2E-11';
const CASE = '金普民宗罚〔2026〕17号';
const BAD_CASE = '2026-17';
const MINUTE_MS = 60_000;

/** Catalogue keys look like `label.form.apply`; none may reach the screen untranslated. */
const RAW_KEY =
  /\b(app|common|nav|header|roles|fields|validation|home|users|audit|errors|permissions|dock|recorders|policy|filing|label|clips|cases|reports)\.[a-z][A-Za-z_.-]+/;

let station: RunningStation;
let mountRoot: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

async function cli(args: string[], stdin: string, what: string): Promise<void> {
  const run = await runCli(args, stdin);
  if (run.code !== 0) throw new Error(`${what}: ${run.stdout}${run.stderr}`);
}

async function addUser(
  user: { badge: string; name: string; password: string },
  role: string,
  dataDir: string,
): Promise<void> {
  const byAdmin = role === 'admin' ? [] : ['--user', ADMIN.badge];
  const stdin = role === 'admin' ? `${user.password}\n` : `${ADMIN.password}\n${user.password}\n`;
  await cli(
    ['users', 'add', '--badge', user.badge, '--name', user.name, '--role', role, ...byAdmin].concat(
      ['--data-dir', dataDir, '--json'],
    ),
    stdin,
    `users add ${user.badge}`,
  );
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

/** Waits for passing messages ("saved", "labelled") to go before a picture. */
async function quiet(): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
}

/** Picks an option of the antd select with this test id, by its visible words. */
async function choose(testId: string, optionText: string): Promise<void> {
  await page.getByTestId(testId).click();
  const option = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: optionText })
    .first();
  await option.click();
}

/** The station's own words, for a failure message that says what it did. */
function stationSaid(): string {
  return station.output().slice(-4000);
}

beforeAll(async () => {
  if (unavailable !== undefined) return;
  const dataDir = await makeDataDir();
  mountRoot = await mkdtemp(join(tmpdir(), 'evidock-e2e-media-'));
  await addUser(ADMIN, 'admin', dataDir);
  await addUser(CUSTODIAN, 'custodian', dataDir);
  await addUser(SUPERVISOR, 'supervisor', dataDir);
  // The supervisor's role waits for the custodian, the station's first (D-CUSTODIAN).
  await confirmWaitingRolesByCli(dataDir, CUSTODIAN.badge, CUSTODIAN.password);
  await addUser(OFFICER, 'officer', dataDir);
  await cli(
    ['recorders', 'register', '--serial', SERIAL, '--profile', 'generic-dcim'].concat([
      '--officer',
      OFFICER.badge,
      '--user',
      CUSTODIAN.badge,
      '--data-dir',
      dataDir,
    ]),
    `${CUSTODIAN.password}\n`,
    'recorders register',
  );
  station = await startStation({ dataDir, extraArgs: ['--mount-root', mountRoot] });
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'zh-CN',
    acceptDownloads: true,
  });
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
  `Labelling, cases and reports against a real station${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let dockingCard: ReturnType<Page['locator']>;

    it('refuses "done" at the dock while the clips are unlabelled and sends the officer to label them', async () => {
      await page.goto(station.url);
      await login(OFFICER);
      await page.getByTestId('dock-screen').waitFor();
      // Three clips from the last hour (in custody in time: no D-24H exception needed).
      const now = Date.now();
      const files: Record<string, Uint8Array> = {};
      for (const [index, minutes] of [50, 40, 30].entries()) {
        const start = new Date(now - minutes * MINUTE_MS).toISOString();
        const clip = await video({ seconds: 2, size: '640x360', creationTime: start });
        files[`DCIM/100MEDIA/CLIP${String(index + 1).padStart(4, '0')}.MP4`] = readFileSync(clip);
      }
      await dockRecorder({ fs: 'ext4', label: SERIAL, files, mountRoot });

      dockingCard = page.locator(`[data-testid^="docking-card-"][data-serial="${SERIAL}"]`);
      await dockingCard.getByTestId('safe-to-undock').waitFor({ timeout: 60_000 });
      await dockingCard.locator('[data-testid^="finish-docking-"]').click();
      const refusal = page.getByTestId('finish-defer-form');
      await refusal.waitFor();
      expect(await page.locator('.ant-modal').last().innerText()).toContain('3 条音像记录未标注');
      await page.getByTestId('finish-label-now').click();
      await page.getByTestId('label-screen').waitFor();
    });

    it('labels the three clips in bulk under a case opened from the label form', async () => {
      const rows = page.locator('[data-testid="label-table"] tbody tr[data-row-key]');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
      await expect
        .poll(() => page.locator('[data-testid="label-table"] [data-loaded="yes"]').count(), {
          timeout: 30_000,
        })
        .toBe(3);
      expect(await page.getByTestId('label-count').innerText()).toBe('共 3 条');

      // Keyboard: focus the list, take them all.
      await page.getByTestId('label-list').focus();
      await page.keyboard.press('Control+A');
      await expect
        .poll(() => page.getByTestId('label-selected-count').innerText())
        .toBe('已选 3 条');

      // A number in the wrong format: refused in the officer's language, with the unit's example.
      await page.getByTestId('label-case').fill(BAD_CASE);
      await page.getByTestId('label-apply').click();
      const error = page.getByTestId('label-error');
      await error.waitFor();
      expect(await error.innerText(), stationSaid()).toContain('不符合本单位格式');
      expect(await error.innerText()).toContain('金普民宗罚〔2026〕12号');

      // The right format, but no such case yet: open it from the form (an emergency case).
      await page.getByTestId('label-case').fill(CASE);
      await page.getByTestId('case-missing').waitFor();
      await page.getByTestId('open-new-case').click();
      await page.getByTestId('new-case-form').waitFor();
      expect(await page.getByTestId('new-case-number').inputValue()).toBe(CASE);
      await choose('new-case-kind', '处罚');
      await page.getByTestId('new-case-title').fill('某商店无证经营案');
      await page.getByTestId('new-case-emergency').click();
      await page.getByTestId('new-case-submit').click();
      await page.getByTestId('new-case-form').waitFor({ state: 'detached' });
      await page.getByTestId('case-found').waitFor();

      await choose('label-stage', '调查取证');
      await page.getByTestId('label-place').fill('金普新区中心路 8 号');
      await page.getByTestId('label-parties').locator('input').fill('某商店');
      await page.keyboard.press('Enter');
      await expectNoRawKeys();
      await page.mouse.move(10, 700);
      await screenshot(page, 'label-zh-CN');

      await page.getByTestId('language-en').click();
      await expect.poll(() => page.getByTestId('label-count').innerText()).toBe('3 clips');
      await expectNoRawKeys();
      await screenshot(page, 'label-en');
      await page.getByTestId('language-zh-CN').click();

      // Enter in the list applies the label.
      await page.getByTestId('label-list').focus();
      await page.keyboard.press('Enter');
      await page
        .getByTestId('label-all-done')
        .waitFor({ timeout: 15_000 })
        .catch((cause: unknown) => {
          throw new Error(`the clips did not leave the list once labelled: ${String(cause)}`);
        });
    });

    it('finishes the docking once everything is labelled', async () => {
      await page.getByTestId('nav-dock').click();
      const finish = dockingCard.locator('[data-testid^="finish-docking-"]');
      await finish.click();
      await expect.poll(() => finish.innerText()).toBe('已完成');
      expect(await page.getByTestId('finish-defer-form').count()).toBe(0);
      await logout();
    });

    it('lets the custodian find the case and see its three clips', async () => {
      await login(CUSTODIAN);
      await page.getByTestId('nav-cases').click();
      await page.getByTestId('cases-screen').waitFor();
      const link = page.getByTestId(`case-link-${CASE}`);
      await link.waitFor();
      const row = page.locator(`[data-testid="cases-table"] tr[data-row-key="${CASE}"]`);
      expect(await row.innerText()).toContain('某商店无证经营案');
      expect(await row.innerText()).toContain('紧急立案');
      await expectNoRawKeys();
      await quiet();
      await screenshot(page, 'cases-zh-CN');

      await link.click();
      await page.getByTestId('case-view').waitFor();
      await expect.poll(() => page.getByTestId('case-clip-count').innerText()).toBe('共 3 条');
      expect(await page.locator('[data-testid="case-clips"] tbody tr[data-row-key]').count()).toBe(
        3,
      );
      expect(await page.getByTestId('case-facts').innerText()).toContain(OFFICER.badge);
      await expect
        .poll(() => page.locator('[data-testid="case-clips"] [data-loaded="yes"]').count(), {
          timeout: 20_000,
        })
        .toBe(3);
      await expectNoRawKeys();
      await quiet();
      await screenshot(page, 'case-zh-CN');

      await page.getByTestId('nav-clips').click();
      await page.getByTestId('clips-screen').waitFor();
      await page.getByTestId('filter-case').fill(CASE);
      await page.getByTestId('clips-search').click();
      await expect.poll(() => page.getByTestId('clips-total').innerText()).toBe('共 3 条');
      await expect
        .poll(() => page.locator('[data-testid="clips-table"] [data-loaded="yes"]').count(), {
          timeout: 20_000,
        })
        .toBe(3);
      await expectNoRawKeys();
      await screenshot(page, 'clips-zh-CN');
      await page.locator('[data-testid="clips-table"] tbody tr[data-row-key]').first().click();
      const drawer = page.getByTestId('drawer-label-facts');
      await drawer.waitFor();
      expect(await drawer.innerText()).toContain(CASE);
      expect(await drawer.innerText()).toContain('调查取证');
      await expectNoRawKeys();
      await screenshot(page, 'clip-drawer-zh-CN');
      await page.keyboard.press('Escape');

      // The filing policy: what a custodian sets for the unit.
      await page.getByTestId('nav-policy').click();
      await page.getByTestId('policy-filing').waitFor();
      expect(await page.getByTestId('policy-case-format').innerText()).toContain('案号格式');
      await page.getByTestId('policy-filing').scrollIntoViewIfNeeded();
      await expectNoRawKeys();
      await screenshot(page, 'policy-filing-zh-CN');
      await logout();
    });

    it('shows the supervisor a report with no clip left unlabelled, and exports it', async () => {
      await login(SUPERVISOR);
      await page.getByTestId('nav-reports').click();
      await page.getByTestId('reports-screen').waitFor();
      await page.getByTestId('report-unit').waitFor();
      await page.getByTestId('report-this-month').click();
      const officerRow = page.locator(
        `[data-testid="report-officers"] tr[data-row-key="${OFFICER.badge}"]`,
      );
      await officerRow.waitFor({ timeout: 15_000 });
      const unlabelled = page.getByTestId('report-unit-unlabelled');
      await expect.poll(() => unlabelled.locator('.ant-statistic-content').innerText()).toBe('0');
      expect(await officerRow.innerText()).toContain(OFFICER.name);
      await expectNoRawKeys();
      await screenshot(page, 'reports-zh-CN');

      const download = page.waitForEvent('download');
      await page.getByTestId('report-export-csv').click();
      expect((await download).suggestedFilename()).toMatch(/\.csv$/);
    });

    it('reported no page errors or CSP violations', () => {
      expect(problems).toEqual([]);
    });
  },
);
