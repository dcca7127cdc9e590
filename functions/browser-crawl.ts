/**
 * browser-crawl — the crawl handler with headless Chromium (@sparticuz/chromium from the Chromium layer)
 * for portals whose column is built by JavaScript or behind a challenge (registry `render: browser`).
 */
import { BrowserRenderer } from '../shared/crawl/browser.ts';
import { crawlHandler } from './crawl.ts';

export const handler = crawlHandler('browser-crawl', ({ proxy, budget }) => new BrowserRenderer({ proxy, budget }));
