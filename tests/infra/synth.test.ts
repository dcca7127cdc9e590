/**
 * `cdk synth` as an operator runs it (npm run synth): offline, bundling with the local esbuild, layers
 * built from node_modules, cdk-nag on. Each function bundle is then loaded the way Lambda loads it — its
 * externals resolved only from the layers — and must export a handler and carry the registry.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('npm run synth', () => {
  it('synthesizes offline with bundled functions and layers that load like on Lambda', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nianbao-synth-'));
    execFileSync(join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-o', out, '-c', 'webhookSecretName=nianbao/webhooks', '-c', 'alertEmail=watchdog@example.org'], {
      cwd: root,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DEFAULT_REGION: 'cn-north-1' },
      stdio: 'pipe',
    });
    const template = JSON.parse(readFileSync(join(out, 'Nianbao.template.json'), 'utf8'));
    const assets = readdirSync(out).filter((d) => d.startsWith('asset.')).map((d) => join(out, d));
    const bundles = assets.filter((d) => existsSync(join(d, 'index.mjs')));
    const layers = assets.filter((d) => existsSync(join(d, 'nodejs', 'node_modules')));
    const functions = Object.values(template.Resources as Record<string, { Type: string; Properties: { Runtime?: string } }>).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs22.x');
    expect(bundles).toHaveLength(7); // dispatch, crawl, browser-crawl, parse, deadlines, archive-api, notify
    expect(layers).toHaveLength(2);

    // The layers as Lambda mounts them under /opt/nodejs/node_modules: one folder beside the bundles.
    const opt = join(out, 'node_modules');
    mkdirSync(opt);
    for (const layer of layers) {
      for (const entry of readdirSync(join(layer, 'nodejs', 'node_modules'))) {
        if (!existsSync(join(opt, entry))) symlinkSync(join(layer, 'nodejs', 'node_modules', entry), join(opt, entry));
      }
    }
    expect(existsSync(join(opt, 'pdfjs-dist', 'legacy', 'build', 'pdf.mjs'))).toBe(true);
    expect(existsSync(join(opt, 'pdfjs-dist', 'legacy', 'build', 'pdf.worker.mjs'))).toBe(true);
    expect(readdirSync(join(opt, '@sparticuz', 'chromium', 'bin')).some((f) => f.startsWith('chromium'))).toBe(true);
    for (const bundle of bundles) {
      expect(readFileSync(join(bundle, 'portals.yaml'), 'utf8')).toMatch(/^bodies:/m);
      const mod = await import(pathToFileURL(join(bundle, 'index.mjs')).href);
      expect(typeof mod.handler).toBe('function');
    }
    expect(functions.length).toBeGreaterThanOrEqual(7);
  }, 180_000);
});
