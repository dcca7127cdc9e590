/**
 * A test script bundled once (scripts/lib-bundle.ts), so the many processes a test starts (crash tests) skip
 * TypeScript compilation at each start. Named by this worker's pid, so two runs at once never share a file; the
 * bundles of workers that are gone (vitest ends its workers without an `exit` event) are removed here.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { bundleNodeScript } from '../../scripts/lib-bundle.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
};

export async function bundleScript(entry: string): Promise<string> {
  const outfile = await bundleNodeScript(entry, 'nianbao-tests', `${basename(entry, '.ts')}-${process.pid}.mjs`);
  for (const name of readdirSync(dirname(outfile))) {
    const pid = Number(/-(\d+)\.mjs$/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(join(dirname(outfile), name), { force: true });
  }
  return outfile;
}
