/**
 * The hostile cases (issue 17) in `npm run bench`: each read in a process of its own — bundled with esbuild,
 * run with plain node, as the functions run — and its time and peak memory printed against the targets
 * (refused, under 512 MB, well under a minute).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bundleNodeScript } from '../scripts/lib-bundle.ts';
import { HOSTILE_CASES } from '../shared/demo/hostile.ts';

const ROOT = join(import.meta.dirname, '..');
export const RSS_TARGET_MB = 512;

export async function measureHostile(): Promise<void> {
  const script = await bundleNodeScript('bench/hostile-one.ts', 'nianbao-bench');
  console.log('');
  console.log(`hostile input (each in its own process; target: refused, peak RSS < ${RSS_TARGET_MB} MB)`);
  for (const name of Object.keys(HOSTILE_CASES)) {
    const r = spawnSync(process.execPath, [script, name], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    const line = r.stdout.trim().split('\n').at(-1);
    if (r.status !== 0 || !line) {
      console.log(`  ${name.padEnd(20)} FAILED (exit ${r.status}): ${r.stderr.trim().split('\n').at(-1)}`);
      continue;
    }
    const m = JSON.parse(line) as { bytes: number; ms: number; maxRssMb: number; error: string | null };
    const verdict = (m.error || name === 'html-at-the-limit') && m.maxRssMb < RSS_TARGET_MB ? 'ok' : 'NOT met';
    console.log(
      `  ${name.padEnd(20)} ${(m.bytes / 1048576).toFixed(1).padStart(7)} MB in   ${String(m.ms).padStart(6)} ms   peak RSS ${String(m.maxRssMb).padStart(4)} MB (${(m.maxRssMb / RSS_TARGET_MB).toFixed(2)}× target)   ${verdict}   ${(m.error ?? 'READ (not refused)').replace(/^UnreadableInputError: /, '').slice(0, 70)}`,
    );
  }
}
