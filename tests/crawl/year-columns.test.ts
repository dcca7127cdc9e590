/** A body whose portal keeps one sub-column per year (`{year}` in its list URL): each checked year reads its own. */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { crawlBody } from '../../shared/pipeline.ts';
import { openLocalStore } from '../../shared/store/local.ts';
import { ManualClock } from '../helpers/clock.ts';

let server: Server;
let origin: string;
const requested: string[] = [];
beforeAll(async () => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const column = /^\/xxgknb\/(\d{4})nb\/$/.exec(req.url ?? '');
    if (column) {
      const y = Number(column[1]);
      // The 2023 sub-column holds the 2023 report; the 2024 one is still empty.
      const items = y === 2023 ? `<li><a href="/xxgknb/2023nb/t20240120_1.html">乙局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>` : '';
      return void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><head><meta charset="utf-8"></head><body><ul>${items}</ul></body></html>`);
    }
    if (req.url === '/xxgknb/2023nb/t20240120_1.html') {
      const m = randomModel(11);
      m.year = 2023;
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(Buffer.from(render(m, 'html')));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

describe('{year} in a list URL', () => {
  it('reads 2023nb for the 2023 report and 2024nb for the 2024 one: found, and missing after its deadline', async () => {
    const store = await openLocalStore(mkdtempSync(join(tmpdir(), 'nianbao-yearcol-')));
    const clock = new ManualClock(Date.UTC(2025, 5, 1, 2));
    try {
      const body = { id: 'yy', name: '乙局', level: 'department' as const, lists: [`${origin}/xxgknb/{year}nb/`] };
      const results = await crawlBody(
        body,
        {
          fetcher: new HttpFetcher({ clock, minDelayMs: 0, robots: false }),
          archive: store.archive,
          captures: store.store,
          reports: store.store,
          state: store.state,
          notifiers: [],
          clock,
        },
        { years: [2023, 2024] },
      );
      expect(results.map((r) => [r.year, r.status])).toEqual([
        [2023, 'found'],
        [2024, 'missing'],
      ]);
      expect(requested).toEqual(expect.arrayContaining(['/xxgknb/2023nb/', '/xxgknb/2024nb/']));
      expect(requested.some((u) => u.includes('{year}') || u.includes('%7Byear%7D'))).toBe(false);
    } finally {
      await store.close();
    }
  });
});
