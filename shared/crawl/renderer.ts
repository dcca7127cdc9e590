/**
 * The Renderer port: a page loaded in a real browser (scripts run, challenges solved), returning the
 * rendered DOM and the JSON/XML responses the page loaded. The Playwright adapter is browser.ts.
 */
import type { FetchResult } from './fetcher.ts';

/** A rendered page, in the Fetcher's result shape (`via: 'browser'`), plus what the page loaded. */
export interface RenderResult extends FetchResult {
  responses: { url: string; status: number; contentType: string; body: string }[];
}

export interface Renderer {
  render(url: string): Promise<RenderResult>;
  close(): Promise<void>;
}
