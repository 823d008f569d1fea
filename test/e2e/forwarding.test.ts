import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli } from '../support/cli';
import { launchBrowser, screenshot, VIEWPORT, watchPage } from '../support/e2e-browser';
import { makeDataDir, startStation, type RunningStation } from '../support/e2e-station';
import { confirmWaitingRoles } from '../support/role-grants';
import { SocketClient } from '../support/socket-client';
import { tempDir } from '../support/temp';

/**
 * Forwarding to central storage in a real browser against a real station: a custodian adds a
 * shared-folder target (a temp folder), tests it step by step, and watches the queue reach
 * verified for the clips in the archive (D-24H), while a clip whose archived bytes were altered
 * is held back and listed as failed (D-NO-TAMPER); the clip drawer shows a clip's way there, Home
 * the archive disk's room; a supervisor reads the same screen without a button to change it.
 */

const ADMIN = { badge: 'A001', password: 'admin pass 1' };
const CUSTODIAN = { badge: 'C001', password: 'custodian pass 1' };
const SUPERVISOR = { badge: 'S001', password: 'supervisor pass 1' };
const TARGET = '单位共享';

interface ArchivedClip {
  id: number;
  archivePath: string;
}

/** Catalogue keys look like `forwarding.queue.title`; none may reach the screen untranslated. */
const RAW_KEY = /\b(forwarding|home|clips|nav|common|errors)\.[a-z][A-Za-z_.-]+/;

let dataDir: string;
let clips: ArchivedClip[];
let share: { path: string; remove: () => void };
let station: RunningStation;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

async function login(badge: string, password: string): Promise<void> {
  await page.getByTestId('login-screen').waitFor();
  await page.getByTestId('login-badge').fill(badge);
  await page.getByTestId('login-password').fill(password);
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

/** Flips one byte of an archived original in place (same size): its bytes are not the proven ones. */
function alter(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 100);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(fd, byte, 0, 1, 100);
  } finally {
    closeSync(fd);
  }
}

const queueCount = (state: string) =>
  page
    .getByTestId(`target-card-${TARGET}`)
    .getByTestId(`queue-${state}`)
    .getAttribute('data-clips');

/** `evidock <args> --data-dir … --json`, which must succeed. */
async function cli(args: string[], stdin: string): Promise<unknown> {
  const run = await runCli([...args, '--data-dir', dataDir, '--json'], stdin);
  if (run.code !== 0) throw new Error(`evidock ${args.join(' ')}: ${run.stdout}${run.stderr}`);
  return run.json();
}

/**
 * The admin, the custodian, a registered recorder and three clips ingested from a folder, with
 * the built CLI before the station starts (each run is a process: as few as will do).
 */
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
    for (const [index, size] of [300_000, 500_000, 700_000].entries()) {
      const path = join(volume.path, 'DCIM', '100MEDIA', `CLIP${index + 1}.MP4`);
      writeFileSync(path, randomBytes(size));
      utimesSync(path, recorded, recorded);
    }
    const ingested = (await cli(['ingest', volume.path, '--recorder', 'CAM01'], '')) as {
      clips: ArchivedClip[];
    };
    clips = ingested.clips;
  } finally {
    volume.remove();
  }
}

/** The supervisor, asked for by the admin and confirmed by the custodian (D-CUSTODIAN). */
async function addSupervisor(): Promise<void> {
  const origin = station.url.replace(/\/$/, '');
  const as = async (person: { badge: string; password: string }) => {
    const client = await SocketClient.open(station.url, origin);
    await client.login(person.badge, person.password);
    return client;
  };
  const admin = await as(ADMIN);
  const custodian = await as(CUSTODIAN);
  try {
    const added = await admin.call('users.add', {
      badge: SUPERVISOR.badge,
      name: '赵监督',
      role: 'supervisor',
      password: SUPERVISOR.password,
    });
    if (!added.ok) throw new Error(`users.add: ${added.error.message}`);
    await confirmWaitingRoles((c) => custodian.call(c.method, c.params), custodian.session!);
  } finally {
    admin.close();
    custodian.close();
  }
}

beforeAll(async () => {
  dataDir = await makeDataDir();
  await prepare();
  // The third clip's archived bytes no longer hash to what ingest proved: never forwarded.
  alter(join(dataDir, clips[2]!.archivePath));
  share = tempDir('evidock-e2e-share-');
  station = await startStation({ dataDir });
  await addSupervisor();
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
  share?.remove();
});

describe('Central storage screen against a real station', () => {
  it('a custodian adds a shared-folder target and tests it: every step OK', async () => {
    await page.goto(station.url);
    await login(CUSTODIAN.badge, CUSTODIAN.password);
    await page.getByTestId('nav-forwarding').click();
    await page.getByTestId('forwarding-screen').waitFor();
    await page.getByTestId('add-target').click();
    await page.getByTestId('add-target-form').waitFor();
    await page.getByTestId('add-target-kind').getByText('共享文件夹').click();
    await page.getByTestId('add-target-name').fill(TARGET);
    await page.getByTestId('add-target-folder').fill(share.path);
    // A window of the weekly timetable, as the editor offers it: Monday to Friday, 08–18, 5 MB/s.
    await page.getByTestId('schedule-add-window').click();
    await page.getByTestId('schedule-window').waitFor();
    await screenshot(page, 'forwarding-add-target');
    await page.getByTestId('add-target-submit').click();

    const card = page.getByTestId(`target-card-${TARGET}`);
    await card.waitFor();
    // The station claimed the folder: its marker says the share is mounted.
    expect(existsSync(join(share.path, '.evidock-target'))).toBe(true);
    expect(await card.getByTestId('target-schedule').innerText()).toBe(
      '周一至周五 08:00–18:00 限速 5 MB/s；其他时间不限速',
    );

    await card.getByTestId('target-test').click();
    const result = card.getByTestId('target-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok'), station.output()).toBe('yes');
    for (const step of ['connect', 'bucket', 'write', 'read', 'delete']) {
      expect(await result.getByTestId(`test-step-${step}`).innerText()).toContain('正常');
    }
    const text = await result.innerText();
    for (const words of ['测试通过', '连接', '共享已挂载', '写入', '读取', '删除']) {
      expect(text).toContain(words);
    }
  });

  it('sees the queue reach verified, and the altered clip held back as failed', async () => {
    await expect.poll(() => queueCount('verified'), { timeout: 30_000 }).toBe('2');
    await expect.poll(() => queueCount('failed'), { timeout: 30_000 }).toBe('1');
    const card = page.getByTestId(`target-card-${TARGET}`);
    const failures = card.getByTestId('target-failures');
    await failures.waitFor();
    const row = failures.locator('tbody tr[data-row-key]');
    await expect.poll(() => row.count()).toBe(1);
    const words = await row.innerText();
    expect(words).toContain('ARCHIVE_MISMATCH');
    expect(words).toContain('D-NO-TAMPER');
    expect(words).toContain('不会自动重试');
    await card.getByTestId(`retry-clip-${clips[2]!.id}`).waitFor();
    await card.getByTestId('retry-all').waitFor();
    expect(await card.getByTestId('queue-eta').innerText()).toBe('已全部上传');
    await expectNoRawKeys();
    await failures.scrollIntoViewIfNeeded();
    await screenshot(page, 'forwarding-custodian');
  });

  it('shows a clip’s way to the target in its drawer, and the archive disk on Home', async () => {
    await page.getByTestId('nav-clips').click();
    const first = clips[0]!;
    await page.locator(`[data-testid="clips-table"] tbody tr[data-row-key="${first.id}"]`).click();
    const way = page.getByTestId(`drawer-forward-${TARGET}`);
    await way.waitFor();
    expect(await way.getAttribute('data-state')).toBe('verified');
    expect(await way.innerText()).toContain('已核验');
    await page.keyboard.press('Escape');

    await page.getByTestId('nav-home').click();
    const space = page.getByTestId('archive-space-card');
    await space.waitFor();
    await expect.poll(() => space.getAttribute('data-level')).toMatch(/^(ok|warning|critical)$/);
    expect(await space.getByTestId('archive-space-days').innerText()).toMatch(
      /约可用 \d+ 天|可用 10 年以上/,
    );
    await expectNoRawKeys();
    await screenshot(page, 'forwarding-home-space');
    await logout();
  });

  it('a supervisor reads the screen with no button to add, test or retry', async () => {
    await login(SUPERVISOR.badge, SUPERVISOR.password);
    await page.getByTestId('nav-forwarding').click();
    const card = page.getByTestId(`target-card-${TARGET}`);
    await card.waitFor();
    expect(await page.getByTestId('forwarding-intro').innerText()).toContain('本页只读');
    await card.getByTestId('target-failures').locator('tbody tr[data-row-key]').first().waitFor();
    expect(await queueCount('verified')).toBe('2');
    for (const testId of [
      'add-target',
      'target-test',
      'target-disable',
      'target-enable',
      'target-settings',
      'target-remove',
      'retry-all',
      `retry-clip-${clips[2]!.id}`,
    ]) {
      expect(await page.getByTestId(testId).count(), testId).toBe(0);
    }
    await expectNoRawKeys();
    await screenshot(page, 'forwarding-supervisor');
    expect(problems).toEqual([]);
  });
});
