/** The command line's own speed (issue 16 targets): `nianbao --version` ≤ 0.3 s, `nianbao parse` of a 100 KB page ≤ 0.5 s. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portalPage } from './portals.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'nianbao.js');

function median(args: string[], runs = 7): number {
  spawnSync(process.execPath, [BIN, ...args]); // the first run may build dist/
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    times.push((performance.now() - t) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export function measureStartup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-startup-'));
  const page = join(dir, 'page.html');
  writeFileSync(page, portalPage(7, 'html'));
  const version = median(['--version']);
  const parse = median(['parse', page]);
  rmSync(dir, { recursive: true, force: true }); // the bench leaves nothing behind
  console.log('');
  console.log('Command line (wall time, median of 7)');
  console.log(
    `  nianbao --version ${version.toFixed(2)} s (target ≤ 0.3 s: ${(version / 0.3).toFixed(2)}× ${version <= 0.3 ? 'met' : 'NOT met'})   nianbao parse (100 KB page) ${parse.toFixed(2)} s (target ≤ 0.5 s: ${(parse / 0.5).toFixed(2)}× ${parse <= 0.5 ? 'met' : 'NOT met'})`,
  );
}
