/**
 * Files of the project (the registry, the demo's reports), found from the project root — the folder above with
 * nianbao's package.json — so the same code finds them from its sources (tsx) and from the compiled CLI (dist/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The project root, or the folder above this file when no nianbao package.json is found (a Lambda bundle). */
export function projectRoot(): string {
  if (root) return root;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nianbao') return (root = dir);
      } catch {
        /* not a package we can read: keep looking up */
      }
    }
    if (dirname(dir) === dir) return (root = join(here, '..'));
  }
}

/** A file of the project by its path from the root. */
export const projectFile = (...parts: string[]) => join(projectRoot(), ...parts);
