/**
 * The files every page loads from `assets/`: our stylesheet and scripts, and ECharts' own minified build (the
 * "common" build: line and bar charts), bundled with the site so it works offline and from `file://`. A Lambda
 * bundle has them copied beside it (NIANBAO_SITE_ASSETS, infra/constructs/site.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectFile } from '../paths.ts';

export const SITE_ASSETS = ['site.css', 'overview.js', 'charts.js', 'echarts.min.js'] as const;
export type SiteAsset = (typeof SITE_ASSETS)[number];

export const ASSET_TYPES: Record<SiteAsset, string> = {
  'site.css': 'text/css; charset=utf-8',
  'overview.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'echarts.min.js': 'text/javascript; charset=utf-8',
};

/** Where an asset is read from: the folder the Lambda bundle carries, or the project's sources and node_modules. */
export function assetPath(name: SiteAsset): string {
  const dir = process.env.NIANBAO_SITE_ASSETS;
  if (dir) return join(dir, name);
  if (name === 'echarts.min.js') return createRequire(import.meta.url).resolve('echarts/dist/echarts.common.min.js');
  return projectFile('shared', 'site', 'assets', name);
}

const cache = new Map<SiteAsset, Buffer>();

export function assetBytes(name: SiteAsset): Buffer {
  let b = cache.get(name);
  if (!b) cache.set(name, (b = readFileSync(assetPath(name))));
  return b;
}

export const isSiteAsset = (name: string): name is SiteAsset => (SITE_ASSETS as readonly string[]).includes(name);
