/**
 * Renders each URL given on the command line with the crawler's browser (BrowserRenderer) and prints one JSON
 * object of outcomes — run inside the test world (tests/netns/), without the private-network switch.
 */
import { BrowserRenderer } from '../../shared/crawl/browser.ts';

const renderer = new BrowserRenderer({ timeoutMs: 20_000 });
const results: Record<string, { outcome: string; status: number | null; finalUrl: string; hasBody: boolean; text: string | null; error?: string }> = {};
try {
  for (const url of process.argv.slice(2)) {
    const r = await renderer.render(url);
    results[url] = {
      outcome: r.outcome,
      status: r.status,
      finalUrl: r.finalUrl,
      hasBody: r.body !== null,
      text: r.text?.slice(0, 2000) ?? null,
      ...(r.error ? { error: r.error } : {}),
    };
  }
} finally {
  await renderer.close();
}
process.stdout.write(`${JSON.stringify(results)}\n`);
