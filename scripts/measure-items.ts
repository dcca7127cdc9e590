/**
 * Measures DynamoDB item sizes for docs/COSTS.md: crawls the replica portals (the demo season, real page chrome)
 * into the DynamoDB adapters on dynalite, then scans the table and sizes every item and its index copies by
 * DynamoDB's rule (UTF-8 attribute names + values, numbers ~ digits/2 + 1). Usage: npx tsx scripts/measure-items.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { HttpFetcher } from '../shared/crawl/fetcher.ts';
import { startReplica } from '../shared/demo/replica/server.ts';
import { columnUrl, seasonStates } from '../shared/demo/season.ts';
import { ReplicaState } from '../shared/demo/replica/state.ts';
import { run } from '../shared/pipeline.ts';
import { documentClient, ensureTable } from '../shared/store/dynamo-client.ts';
import { DynamoStore } from '../shared/store/dynamo.ts';
import { FsArchiveStore } from '../shared/store/fs-archive.ts';
import { ManualClock } from '../tests/helpers/clock.ts';
import { DynamoStateStore } from '../shared/store/state.ts';
import { GSI_PROJECTIONS } from '../shared/store/table.ts';

process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function size(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(v).replace(/^-|\./g, '').length / 2) + 1;
  if (typeof v === 'boolean') return 1;
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + size(x) + 1, 0);
  return 3 + Object.entries(v as Record<string, unknown>).reduce((n, [k, x]) => n + Buffer.byteLength(k) + size(x) + 1, 0);
}
const itemSize = (item: Record<string, unknown>, only?: string[]) =>
  Object.entries(item)
    .filter(([k]) => !only || only.includes(k))
    .reduce((n, [k, v]) => n + Buffer.byteLength(k) + size(v), 0);

const db = dynalite({ createTableMs: 0 });
await new Promise<void>((r) => db.listen(0, '127.0.0.1', () => r()));
const doc = documentClient(`http://127.0.0.1:${(db.address() as { port: number }).port}`);
await ensureTable(doc, 'measure');
const archive = new FsArchiveStore(mkdtempSync(join(tmpdir(), 'nianbao-measure-')));
const store = new DynamoStore(doc, archive, 'measure');
const state = new DynamoStateStore(doc, 'measure');
const states = seasonStates();
const replica = await startReplica(new ReplicaState(), states);
const sites = ['trs', 'trsGbk', 'hanweb', 'trs2', 'trs3'] as const;
const bodies = sites.map((s, i) => ({
  id: `m-${s}`,
  name: `${s}区人民政府`,
  level: 'government' as const,
  region: `11010${i}`,
  lists: [columnUrl(replica, s)],
}));
const clock = new ManualClock(Date.UTC(2025, 3, 1, 2));
const fetcher = new HttpFetcher({ clock, minDelayMs: 0, revalidate: { log: store, archive } });
const crawls = 3;
for (let i = 0; i < crawls; i++) {
  await run(bodies, { fetcher, archive, captures: store, reports: store, state, notifiers: [], clock }, { years: [2024] });
  await clock.sleep(86_400_000);
}
const items: Record<string, unknown>[] = [];
let start: Record<string, unknown> | undefined;
do {
  const page = await doc.send(new ScanCommand({ TableName: 'measure', ExclusiveStartKey: start }));
  items.push(...((page.Items ?? []) as Record<string, unknown>[]));
  start = page.LastEvaluatedKey;
} while (start);
const byKind = new Map<string, { n: number; bytes: number; gsi: number }>();
for (const item of items) {
  const kind = String(item.kind ?? (String(item.SK).startsWith('DELIVERY') ? 'delivery' : 'other'));
  const k = byKind.get(kind) ?? { n: 0, bytes: 0, gsi: 0 };
  k.n++;
  k.bytes += itemSize(item) + 100; // + DynamoDB's 100-byte per-item overhead
  for (const [gsi, attrs] of Object.entries(GSI_PROJECTIONS)) {
    if (item[`${gsi}PK`] === undefined) continue;
    const keys = ['PK', 'SK', `${gsi}PK`, `${gsi}SK`];
    k.gsi += itemSize(item, [...keys, ...attrs]) + 100;
  }
  byKind.set(kind, k);
}
console.log(`${bodies.length} bodies × ${crawls} crawls; ${items.length} items`);
console.log('kind        items  avg bytes  avg index bytes');
for (const [kind, k] of [...byKind].sort())
  console.log(
    `${kind.padEnd(10)} ${String(k.n).padStart(6)} ${String(Math.round(k.bytes / k.n)).padStart(10)} ${String(Math.round(k.gsi / k.n)).padStart(16)}`,
  );
await replica.close();
doc.destroy();
db.close();
