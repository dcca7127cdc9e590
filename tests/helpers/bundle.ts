/**
 * A test script bundled once with esbuild (our code bundled, packages left to node_modules), so the many
 * processes a test starts (crash tests) skip TypeScript compilation at each start.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './netns.ts';

export async function bundleScript(entry: string): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', 'nianbao-tests');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${basename(entry, '.ts')}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}
