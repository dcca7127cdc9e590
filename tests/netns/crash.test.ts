/**
 * Nothing lost, nothing doubled, on a crash: a `kill -9` at each write point of a run (tests/netns/crash-run.ts),
 * then a rerun, ends with exactly the alerts and deliveries of a run that was never interrupted. The one window
 * that remains is documented (README, docs/limits.md): killed after a channel accepted an alert and before that was
 * recorded, the rerun sends it again once its claim is stale — at least once, never lost.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../shared/store/local.ts';
import { bundleScript } from '../helpers/bundle.ts';
import { netnsUnavailable, startWorld, type World } from '../helpers/netns.ts';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`skipping the public-address world: ${unavailable}`);

type Line = { event: string; alert: { id: string; openedAt: string; kind: string } };

describe.skipIf(unavailable !== null)('kill -9 at every write point', () => {
  let world: World;
  let dir: string;
  let registry: string;
  let script: string;
  beforeAll(async () => {
    script = await bundleScript('tests/netns/crash-run.ts');
    world = await startWorld('fresh');
    dir = mkdtempSync(join(tmpdir(), 'nianbao-crash-'));
    registry = join(dir, 'portals.yaml');
    writeFileSync(
      registry,
      `bodies:\n  - id: xinqu\n    name: 新区人民政府\n    level: government\n    lists: [${world.origins.dynamic}/xxgk/ndbg/index.jsp]\n  - id: dingqu\n    name: 丁区人民政府\n    level: government\n    lists: [${world.origins.trs2}/zfxxgknb/index.html]\n`,
    );
    await world.op({ op: 'state', site: 'trs2', action: 'corrupt', year: 2024 });
  });
  afterAll(async () => world?.close());

  const crashRun = (home: string, at: string, killAfter: number) =>
    world.exec([process.execPath, script, home, registry, at, String(killAfter), join(home, 'alerts.jsonl')]);
  const lines = (home: string): Line[] =>
    existsSync(join(home, 'alerts.jsonl'))
      ? readFileSync(join(home, 'alerts.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Line)
      : [];
  const alerts = async (home: string) => {
    const s = await openLocalStore(home, { readonly: true });
    try {
      // What is still owed to a channel too: a crash must leave nothing in the outbox that a clean run settled.
      const owed = (await s.state.undelivered()).map((a) => `${a.id} owed`);
      return [...(await s.state.alerts()).map((a) => `${a.id} ${a.kind} ${a.state}`), ...owed].sort();
    } finally {
      await s.close();
    }
  };
  const key = (l: Line) => `${l.event} ${l.alert.id} ${l.alert.openedAt.slice(0, 10)}`;

  /** Kills run `at` (on a copy of `before`) after each chosen write, reruns it, and compares with an uninterrupted run. */
  async function everyWritePoint(before: string, at: string, rerunAt: string) {
    const reference = mkdtempSync(join(dir, 'ref-'));
    cpSync(before, reference, { recursive: true });
    const clean = await crashRun(reference, at, 0);
    expect(clean.code, clean.stderr).toBe(0);
    const points = (JSON.parse(clean.stdout) as { points: string[] }).points;
    const expectedAlerts = await alerts(reference);
    const expectedSent = lines(reference).map(key).sort();
    // One kill for each ordering of two kinds of write (a write of one kind followed by one of another, or of the
    // same): a run of capture records or of delivery claims is the same cut over again.
    const cuts = new Set<string>();
    const chosen = points
      .map((p, i) => [p, i + 1] as const)
      .filter(([p, k]) => !cuts.has(`${p}>${points[k] ?? 'end'}`) && cuts.add(`${p}>${points[k] ?? 'end'}`));
    console.log(`${at}: ${points.length} writes, killed at ${chosen.length}: ${chosen.map(([p, k]) => `${k}:${p}`).join(' ')}`);
    for (const [point, k] of chosen) {
      const home = mkdtempSync(join(dir, `k${k}-`));
      cpSync(before, home, { recursive: true });
      const killed = await crashRun(home, at, k);
      expect({ k, point, killed: killed.code === null || killed.code === 137 }).toEqual({ k, point, killed: true });
      const rerun = await crashRun(home, rerunAt, 0);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect({ k, point, alerts: await alerts(home) }).toEqual({ k, point, alerts: expectedAlerts });
      const sent = lines(home).map(key).sort();
      const twice = sent.filter((s, i) => sent.indexOf(s) !== i);
      // Killed after the channel took it and before that was recorded: sent again (the documented window).
      expect({ k, point, sent: [...new Set(sent)], twice: twice.length }).toEqual({
        k,
        point,
        sent: [...new Set(expectedSent)].sort(),
        twice: point === 'send' ? twice.length : 0,
      });
      expect(twice.length).toBeLessThanOrEqual(point === 'send' ? 1 : 0);
    }
    return { reference, chosen: chosen.length };
  }

  it('in the first run (reports found, an inconsistent report) and the next (a report edited)', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const first = await everyWritePoint(empty, '2025-06-01T10:00', '2025-06-01T10:30');
    await world.op({ op: 'state', site: 'dynamic', action: 'change', year: 2024 });
    const second = await everyWritePoint(first.reference, '2025-06-02T10:00', '2025-06-02T10:30');
    expect(first.chosen + second.chosen).toBeGreaterThan(15);
    expect(lines(second.reference).some((l) => l.alert.kind === 'changed')).toBe(true);
  }, 600_000);
});
