/**
 * Headless Chromium for the dashboard's tests and screenshots: @sparticuz/chromium's bundled binary (Playwright
 * cannot download browsers here), driven by playwright-core — the pair the crawler pins (CONTRIBUTING.md).
 * Its Lambda flags are kept except those that would make the browser unlike a watchdog's: one process for every
 * page (closing a page ends the browser) and the same-origin policy switched off.
 */
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

const NOT_LIKE_A_DESKTOP = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

export async function launchChromium(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: [...chromium.args.filter((a) => !NOT_LIKE_A_DESKTOP.has(a)), '--no-first-run', '--disable-background-networking'],
    headless: true,
  });
}
