/**
 * Reads one hostile input in a process of its own and reports what it cost: `read-one <case>` prints one JSON
 * line { case, bytes, ms, maxRssMb, error }. Bundled (esbuild, packages external) and run with plain node, as the
 * functions run — the test and `npm run bench` assert and print the figures.
 */
import { HOSTILE_CASES } from '../shared/demo/hostile.ts';
import { parseReport } from '../shared/check.ts';

const name = process.argv[2]!;
const make = HOSTILE_CASES[name as keyof typeof HOSTILE_CASES];
if (!make) throw new Error(`no hostile case ${name}: ${Object.keys(HOSTILE_CASES).join(', ')}`);
const bytes = await make();
const started = performance.now();
let error: string | null = null;
try {
  await parseReport(bytes, { name });
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
process.stdout.write(
  `${JSON.stringify({ case: name, bytes: bytes.length, ms: Math.round(performance.now() - started), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), error })}\n`,
);
