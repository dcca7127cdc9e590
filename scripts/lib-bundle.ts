/**
 * A script of ours bundled once with esbuild (our code bundled, packages left to node_modules) for the processes a
 * test or the bench starts many of, so none compiles TypeScript at its start. The output lives under
 * node_modules/.cache: a bundle resolves its packages from where it lies, so it must lie inside the project.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

/** Bundles `entry` (a path from the project root) into `node_modules/.cache/<cache>/<name>`; returns its path. */
export async function bundleNodeScript(entry: string, cache: string, name = `${basename(entry, '.ts')}.mjs`): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', cache);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, name);
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
