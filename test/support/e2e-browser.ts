import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './e2e-station';

/** Debian's Chromium: the tests never download a browser of their own. */
export const CHROMIUM_PATH = process.env['EVIDOCK_CHROMIUM'] ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'e2e');

/** The workstation screens the UI is made for. */
export const VIEWPORT = { width: 1366, height: 768 } as const;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with ` +
        '`apt-get install -y chromium fonts-noto-cjk` (or set EVIDOCK_CHROMIUM).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** Problems the page reported: uncaught errors, console errors (CSP violations land here). */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Let animations (modals closing, messages) settle before the picture.
  await page.waitForTimeout(400);
  await page.screenshot({ path });
  return path;
}
