/**
 * vitest's global setup: every temporary file of a run — homes, replica worlds, CDK outputs, Lambda sandboxes,
 * browser profiles, of the tests and of the processes they start — goes under one folder (TMPDIR, which
 * `os.tmpdir()` reads and child processes inherit), removed when the run ends. Without it each `npm test` left
 * hundreds of folders in /tmp: a laptop that runs the suite all day would fill its disk.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'nianbao-test-run-';
/** A run killed before its teardown leaves its folder: the next run removes those older than this. */
const STALE_MS = 24 * 3600_000;

let root: string | undefined;

export function setup(): void {
  const base = tmpdir();
  for (const name of readdirSync(base)) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(base, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile: nothing to do.
    }
  }
  root = mkdtempSync(join(base, PREFIX));
  process.env.TMPDIR = root; // inherited by the workers, forked after this
}

export function teardown(): void {
  if (process.env.NIANBAO_KEEP_TEST_FILES) {
    console.log(`test files kept in ${root}`);
    return;
  }
  if (root) rmSync(root, { recursive: true, force: true });
}
