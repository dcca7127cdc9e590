/**
 * A script of ours bundled once with esbuild (our code bundled, packages left to node_modules) for the processes a
 * test or the bench starts many of, so none compiles TypeScript at its start. The output lives under
 * node_modules/.cache: a bundle resolves its packages from where it lies, so it must lie inside the project.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

const options = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' } as const;

/**
 * Bundles `entry` (a path from the project root) into `node_modules/.cache/<cache>/<name>`; returns its path. A
 * script that uses the parse pool (shared/parse-pool.ts) gets the pool's worker built beside it, where the pool
 * looks for it.
 */
export async function bundleNodeScript(entry: string, cache: string, name = `${basename(entry, '.ts')}.mjs`): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', cache);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, name);
  const { metafile } = await build({ ...options, entryPoints: [join(ROOT, entry)], outfile, metafile: true });
  if (Object.keys(metafile.inputs).some((f) => f.endsWith('shared/parse-pool.ts')))
    await build({ ...options, entryPoints: [join(ROOT, 'shared', 'parse-worker.ts')], outfile: join(dir, 'parse-worker.js') });
  return outfile;
}
