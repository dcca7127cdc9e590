/** The static site written to a folder (`nianbao site -o DIR`). */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { SiteWriter } from './static.ts';

/** The folders a site owns: emptied before a site is written again, so a body no longer listed leaves no page. */
const SITE_FOLDERS = ['assets', 'data', 'body', 'report', 'year'];

/**
 * A writer into `dir`. The folder must be empty, new, or hold a site written before (its index.html and
 * data/overview.js): a folder of other files is never written into.
 */
export function folderWriter(dir: string): SiteWriter {
  const root = resolve(dir);
  if (existsSync(root)) {
    const entries = readdirSync(root);
    const isSite = entries.includes('index.html') && existsSync(join(root, 'data', 'overview.js'));
    if (entries.length > 0 && !isSite) throw new ConfigError(`${dir}: not empty and not a nianbao site; choose an empty or new folder / 目录非空`);
    if (isSite) for (const f of SITE_FOLDERS) rmSync(join(root, f), { recursive: true, force: true });
  }
  mkdirSync(root, { recursive: true });
  return {
    async write(path, body) {
      const target = resolve(root, path);
      if (!target.startsWith(root + sep)) throw new Error(`site path ${path} leaves ${dir}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body);
      return true; // the folder is emptied first: every file is written
    },
  };
}
