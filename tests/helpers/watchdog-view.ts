/**
 * What a watchdog sees after a run, as lines that compare with `toEqual`: each body-year's status (and cells read
 * with gaps), the alerts, and every stored source's rows. Tests that check a faster way of reading (the parse cache,
 * reading ahead) hold it to the plain one with this.
 */
import type { RunDigest } from '../../shared/pipeline.ts';
import type { LocalStore } from '../../shared/store/local.ts';

export interface WatchdogView {
  results: string[];
  alerts: string[];
  rows: string[];
}

export async function watchdogView(store: LocalStore, digest: RunDigest, bodyIds: readonly string[], years: readonly number[]): Promise<WatchdogView> {
  const rows: string[] = [];
  for (const id of bodyIds)
    for (const year of years)
      for (const s of await store.store.reports(id, year))
        for (const r of await store.store.rows(id, year, s.sha256)) rows.push(`${id} ${year} ${s.sha256.slice(0, 12)} ${r.row} ${JSON.stringify(r.values)}`);
  return {
    results: digest.results.map((r) => `${r.bodyId} ${r.year} ${r.status} ${r.readWithGaps ?? 0}`),
    alerts: (await store.state.alerts()).map((a) => `${a.id} ${a.kind} ${a.state} ${a.detail}`).sort(),
    rows: rows.sort(),
  };
}
