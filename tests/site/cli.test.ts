/** `nianbao demo --home`, `nianbao site` and `nianbao serve` as a user runs them (the package bin, real processes). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nianbao.js');
const tmp = mkdtempSync(join(tmpdir(), 'nianbao-site-cli-'));
const home = join(tmp, 'home');

function nianbao(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const r = nianbao('--home', home, '--json', 'demo');
  expect(r.code, r.stderr).toBe(0);
}, 300_000);

describe('nianbao demo --home', () => {
  it('writes the demo into the given home, with its registry; refuses a home that holds files', () => {
    expect(existsSync(join(home, 'nianbao.db'))).toBe(true);
    expect(existsSync(join(home, 'registry.yaml'))).toBe(true);
    const again = nianbao('--home', home, 'demo');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('the demo needs a new or empty folder');
  });
});

describe('nianbao site', () => {
  it('writes the static site and says where; --json prints only the summary', () => {
    const out = join(tmp, 'site');
    const r = nianbao('--home', home, '--json', 'site', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ bodies: 7, index: join(out, 'index.html') });
    expect(existsSync(join(out, 'report', 'demo-ding', '2024.html'))).toBe(true);
  });

  it('exit 2 with one line for a folder of other files', () => {
    const other = join(tmp, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const r = nianbao('--home', home, 'site', '-o', other);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not empty and not a nianbao site');
  });
});

describe('nianbao serve', () => {
  it('rejects a bad port in one line', () => {
    const r = nianbao('--home', home, 'serve', '--port', '70000');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port');
  });

  it('serves on loopback, prints its address, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, '--home', home, '--json', 'serve', '--port', '0'], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /"url": "([^"]+)"/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(`${url}index.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('年报总览');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 120_000);
});
