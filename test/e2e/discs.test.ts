import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli } from '../support/cli';
import { missingTools } from '../support/disc-image';
import { launchBrowser, screenshot, VIEWPORT, watchPage } from '../support/e2e-browser';
import { makeDataDir, startStation, type RunningStation } from '../support/e2e-station';
import { confirmWaitingRoles } from '../support/role-grants';
import { SocketClient } from '../support/socket-client';
import { tempDir } from '../support/temp';

/**
 * Long-term discs in a real browser against a real station (D-LONGTERM, D-NO-TAMPER): a custodian
 * opens a case whose footage is kept long-term, plans a CD set for it from the case's "Burn to
 * disc", burns disc 1 copy 1 to an image file (xorriso's `stdio:` pseudo-drive, one file per disc
 * and copy), watches the four passes PASS, and finds the disc verified in the register with its
 * checks while Home no longer counts the footage as waiting; a supervisor reads the register
 * with no control to plan, burn, re-check or hand over.
 */

const ADMIN = { badge: 'A001', password: 'admin pass 1' };
const CUSTODIAN = { badge: 'C001', password: 'custodian pass 1' };
const SUPERVISOR = { badge: 'S001', password: 'supervisor pass 1' };
const CASE = '金普民宗罚〔2026〕21号';
const TOOLS = ['xorriso', 'par2', 'fuseiso'];
const missing = missingTools(TOOLS);

/** Catalogue keys look like `discs.burn.title`; none may reach the screen untranslated. */
const RAW_KEY = /\b(discs|home|cases|nav|common|errors)\.[a-z][A-Za-z_.-]+/;

let dataDir: string;
let clipIds: number[];
let images: { path: string; remove: () => void };
let station: RunningStation;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let setId: string;

async function login(person: { badge: string; password: string }): Promise<void> {
  await page.getByTestId('login-screen').waitFor();
  await page.getByTestId('login-badge').fill(person.badge);
  await page.getByTestId('login-password').fill(person.password);
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

/** `evidock <args> --data-dir … --json`, which must succeed. */
async function cli(args: string[], stdin: string): Promise<unknown> {
  const run = await runCli([...args, '--data-dir', dataDir, '--json'], stdin);
  if (run.code !== 0) throw new Error(`evidock ${args.join(' ')}: ${run.stdout}${run.stderr}`);
  return run.json();
}

/** The admin, the custodian, a registered recorder and two small clips, before the station runs. */
async function prepare(): Promise<void> {
  await cli(
    ['users', 'add', '--badge', ADMIN.badge, '--name', '张建国', '--role', 'admin'],
    `${ADMIN.password}\n`,
  );
  await cli(
    ['users', 'add', '--badge', CUSTODIAN.badge, '--name', '王保管', '--role', 'custodian'].concat([
      '--user',
      ADMIN.badge,
    ]),
    `${ADMIN.password}\n${CUSTODIAN.password}\n`,
  );
  await cli(
    ['recorders', 'register', '--serial', 'CAM01', '--profile', 'generic-dcim'].concat([
      '--user',
      CUSTODIAN.badge,
    ]),
    `${CUSTODIAN.password}\n`,
  );
  const volume = tempDir('evidock-e2e-volume-');
  try {
    const recorded = new Date(Date.now() - 10 * 60_000);
    mkdirSync(join(volume.path, 'DCIM', '100MEDIA'), { recursive: true });
    for (const [index, size] of [200_000, 300_000].entries()) {
      const path = join(volume.path, 'DCIM', '100MEDIA', `CLIP${index + 1}.MP4`);
      writeFileSync(path, randomBytes(size));
      utimesSync(path, recorded, recorded);
    }
    const ingested = (await cli(['ingest', volume.path, '--recorder', 'CAM01'], '')) as {
      clips: { id: number }[];
    };
    clipIds = ingested.clips.map((clip) => clip.id);
  } finally {
    volume.remove();
  }
}

/**
 * Through the station's door: the supervisor (asked for by the admin, confirmed by the custodian,
 * D-CUSTODIAN), and the case whose two clips the custodian marks for long-term keeping (a dispute).
 */
async function fileTheCase(): Promise<void> {
  const origin = station.url.replace(/\/$/, '');
  const as = async (person: { badge: string; password: string }) => {
    const client = await SocketClient.open(station.url, origin);
    await client.login(person.badge, person.password);
    return client;
  };
  const admin = await as(ADMIN);
  const custodian = await as(CUSTODIAN);
  const must = async (client: SocketClient, method: string, params: unknown) => {
    const result = await client.call(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  };
  try {
    await must(admin, 'users.add', {
      badge: SUPERVISOR.badge,
      name: '赵监督',
      role: 'supervisor',
      password: SUPERVISOR.password,
    });
    await confirmWaitingRoles((c) => custodian.call(c.method, c.params), custodian.session!);
    await must(custodian, 'cases.create', { number: CASE, kind: 'penalty', title: '占道经营' });
    await must(custodian, 'clips.label', {
      target: { clipIds },
      set: {
        caseNumber: CASE,
        longTerm: { reason: 'dispute', text: '当事人对处罚有争议' },
      },
    });
  } finally {
    admin.close();
    custodian.close();
  }
}

beforeAll(async () => {
  if (missing.length > 0) return;
  dataDir = await makeDataDir();
  await prepare();
  images = tempDir('evidock-e2e-discs-');
  station = await startStation({ dataDir });
  await fileTheCase();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  page = await context.newPage();
  problems = watchPage(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await station?.stop();
  // A station that never started leaves its prepared data dir to remove here.
  if (station === undefined && dataDir !== undefined)
    rmSync(dataDir, { recursive: true, force: true });
  images?.remove();
});

describe.skipIf(missing.length > 0)(
  `Long-term discs screen against a real station${missing.length > 0 ? ` — skipped: needs ${missing.join(', ')} (apt-get install ${missing.join(' ')})` : ''}`,
  () => {
    it('Home counts the long-term footage waiting for a disc; the case plans a CD set for it', async () => {
      await page.goto(station.url);
      await login(CUSTODIAN);
      const card = page.getByTestId('discs-card');
      await card.waitFor();
      await expect.poll(() => card.getAttribute('data-pending')).toBe('2');
      expect(await card.getAttribute('data-due')).toBe('0');
      expect(await card.innerText()).toContain('2 条');
      await screenshot(page, 'discs-home');

      await page.goto(`${station.url}#/cases/${encodeURIComponent(CASE)}`);
      await page.getByTestId('case-view').waitFor();
      await page.getByTestId('case-burn').click();
      await page.getByTestId('discs-screen').waitFor();
      const plan = page.getByTestId('disc-plan');
      await plan.waitFor();
      // The case view filled the form in: this case's footage.
      expect(await page.getByTestId('plan-case').inputValue()).toBe(CASE);
      expect(await page.getByTestId('plan-copies').inputValue()).toBe('2');
      expect(await page.getByTestId('plan-recovery').inputValue()).toBe('5');
      expect(await page.getByTestId('disc-pending').getAttribute('data-clips')).toBe('2');

      await page.getByTestId('plan-medium').click();
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
        .filter({ hasText: 'CD 700 MB' })
        .click();
      await page.getByTestId('plan-submit').click();
      const planned = page.getByTestId('plan-result');
      await planned.waitFor();
      setId = (await planned.getAttribute('data-set-id')) ?? '';
      expect(setId).toMatch(/^\d+$/);
      expect(await planned.innerText()).toContain('1 张 CD 700 MB，每张 2 份，共 2 条音像记录');

      const copy = page.getByTestId(`disc-copy-${setId}-1-1`);
      await copy.waitFor();
      expect(await copy.getAttribute('data-state')).toBe('notBurned');
      expect(await copy.innerText()).toContain('未刻录');
      await expectNoRawKeys();
      await screenshot(page, 'discs-planned');
    });

    it('burns disc 1 copy 1 to an image file and sees all four passes PASS', async () => {
      const burn = page.getByTestId(`burn-${setId}-1-1`);
      // No drive yet: nothing to burn to.
      expect(await burn.isDisabled()).toBe(true);
      await page
        .locator('input[data-testid="burn-drive"], [data-testid="burn-drive"] input')
        .fill(`stdio:${images.path}/case.iso`);
      expect(await page.getByTestId('burn-card').innerText()).toContain('文件名中加入卷标');
      await burn.click();
      await page.getByTestId('burn-running').waitFor();
      await screenshot(page, 'discs-burning');

      const outcome = page.getByTestId(`burn-outcome-${setId}-1-1`);
      await outcome.waitFor({ timeout: 60_000 });
      expect(await outcome.getAttribute('data-state'), station.output()).toBe('verified');
      for (const pass of ['blocks', 'md5', 'files', 'signatures']) {
        const row = outcome.getByTestId(`disc-pass-${pass}`);
        expect(await row.getAttribute('data-ok'), pass).toBe('yes');
        expect(await row.innerText()).toContain('通过');
      }
      expect(await outcome.innerText()).toContain('四项校验全部通过');

      // Each disc and copy gets an image of its own, named by its volume id.
      const written = readdirSync(images.path).filter((name) => name.endsWith('.iso'));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^case-CASE\w*_D1OF1\.iso$/);
      expect(existsSync(join(images.path, written[0]!))).toBe(true);

      const copy = page.getByTestId(`disc-copy-${setId}-1-1`);
      await expect.poll(() => copy.getAttribute('data-state')).toBe('verified');
      expect(await page.getByTestId(`disc-copy-${setId}-1-2`).getAttribute('data-state')).toBe(
        'notBurned',
      );
      // One verified disc holds the case's footage: nothing waits any more (D-LONGTERM).
      await expect
        .poll(() => page.getByTestId('disc-pending').getAttribute('data-clips'))
        .toBe('0');
      await outcome.scrollIntoViewIfNeeded();
      await screenshot(page, 'discs-burned');
    });

    it('finds the disc verified in the register, with the burn’s four passes in its drawer', async () => {
      const row = page.locator('[data-testid="disc-register-table"] tbody tr[data-row-key]');
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.getAttribute('data-state')).toBe('verified');
      const text = await row.innerText();
      for (const words of ['_D1OF1', '原盘', '已校验', CUSTODIAN.badge])
        expect(text).toContain(words);

      await row.click();
      const drawer = page.getByTestId('disc-drawer');
      const checks = drawer.getByTestId('disc-check-burn');
      await checks.waitFor();
      for (const pass of ['blocks', 'md5', 'files', 'signatures']) {
        expect(await checks.getByTestId(`disc-pass-${pass}`).getAttribute('data-ok')).toBe('yes');
      }
      await drawer.getByTestId('disc-handover').waitFor();
      await drawer.getByTestId('disc-label').waitFor();
      await drawer.getByTestId('disc-recheck').waitFor();
      await expectNoRawKeys();
      await screenshot(page, 'discs-register-drawer');
      await page.keyboard.press('Escape');
      await logout();
    });

    it('a supervisor reads the register with no control to plan, burn or change a disc', async () => {
      await login(SUPERVISOR);
      await page.getByTestId('nav-home').click();
      const card = page.getByTestId('discs-card');
      await card.waitFor();
      await expect.poll(() => card.getAttribute('data-pending')).toBe('0');

      await page.getByTestId('nav-discs').click();
      await page.getByTestId('discs-screen').waitFor();
      expect(await page.getByTestId('discs-intro').innerText()).toContain('不能操作');
      const row = page.locator('[data-testid="disc-register-table"] tbody tr[data-row-key]');
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.getAttribute('data-state')).toBe('verified');
      await page.getByTestId(`disc-copy-${setId}-1-2`).waitFor();
      for (const testId of [
        'disc-plan',
        'burn-card',
        `burn-${setId}-1-2`,
        `burn-all-${setId}`,
        'register-recheck',
      ]) {
        expect(await page.getByTestId(testId).count(), testId).toBe(0);
      }
      await row.click();
      await page.getByTestId('disc-drawer').getByTestId('disc-check-burn').waitFor();
      for (const testId of ['disc-handover', 'disc-label', 'disc-recheck']) {
        expect(await page.getByTestId(testId).count(), testId).toBe(0);
      }
      await expectNoRawKeys();
      await screenshot(page, 'discs-supervisor');
      expect(problems).toEqual([]);
    });
  },
);
