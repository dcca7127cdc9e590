#!/usr/bin/env node
// The `nianbao` bin: compiled JavaScript, built from the TypeScript sources with esbuild (installed with the
// project) the first time it runs and again whenever a source changes — nothing generated is committed, nothing
// runs at install, nothing is downloaded. Commands load their own modules only (shared/cli/index.ts): `--version`
// starts in well under a second, a parse without the crawler, the store or the AWS SDK.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

/** A stamp of the sources the CLI is built from: every .ts/.json under shared/ and registry/, and the lockfile. */
function sourceStamp() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(name)) hash.update(`${path}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  walk(join(ROOT, 'shared'));
  walk(join(ROOT, 'registry'));
  // This file holds the build's options: a change to them is a new build too.
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(lock)) hash.update(`lock\0${statSync(lock).mtimeMs}`);
  return hash.digest('hex').slice(0, 16);
}

/** Dependencies bundled into the chunks; every other one is loaded from node_modules as it is (external()). */
const BUNDLED = new Set([
  'ajv',
  'chardet',
  'commander',
  'domhandler',
  'entities',
  'htmlparser2',
  'iconv-lite',
  'ipaddr.js',
  'picocolors',
  'robots-parser',
  'string-width',
  'yaml',
]);
/** The build's `external`: read from package.json when a build is made, not on every start. */
const external = () =>
  Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies)
    .filter((d) => !BUNDLED.has(d))
    .flatMap((d) => [d, `${d}/*`]);

async function compiled() {
  const out = join(DIST, `cli-${sourceStamp()}`);
  const entry = join(out, 'index.js');
  if (existsSync(entry)) return entry;
  const { build } = await import('esbuild');
  mkdirSync(DIST, { recursive: true });
  // Built aside and renamed into place: two commands starting at once never see half a build.
  const tmp = join(DIST, `.build-${process.pid}-${Date.now()}`);
  await build({
    // The parse pool's worker (shared/parse-pool.ts) is built beside the chunks that start it.
    entryPoints: { index: join(ROOT, 'shared', 'cli', 'index.ts'), 'parse-worker': join(ROOT, 'shared', 'parse-worker.ts') },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Small pure-JavaScript dependencies a command needs at its start are bundled into its chunks: loading them as
    // packages (resolution, the CommonJS loader and its export lexer) was a tenth of `nianbao parse`'s start. The rest
    // (native code, assets read from their package folder, large and rarely loaded) stays external.
    external: external(),
    // The bundled CommonJS packages require Node's own modules: an ES module has no `require` of its own.
    banner: { js: "import { createRequire as __nianbaoRequire } from 'node:module'; const require = __nianbaoRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'error',
  });
  try {
    renameSync(tmp, out);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another command built it first
  }
  // Older builds go (the three newest stay: other commands may be running them).
  const builds = readdirSync(DIST)
    .filter((d) => d.startsWith('cli-'))
    .map((d) => ({ d, t: statSync(join(DIST, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { d } of builds.slice(3)) rmSync(join(DIST, d), { recursive: true, force: true });
  return entry;
}

/**
 * With NIANBAO_COVERAGE_DIR (set by vitest.config.ts under --coverage), the process records the V8 coverage of the
 * compiled CLI — only of it, not of every dependency as NODE_V8_COVERAGE would — for scripts/coverage.mjs.
 */
async function recordCoverage(dir) {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const ours = pathToFileURL(DIST).href;
  process.on('exit', () => {
    // The in-process inspector answers synchronously: the file is written before the process ends.
    session.post('Profiler.takePreciseCoverage', (error, coverage) => {
      if (error) return;
      const result = coverage.result.filter((script) => script.url.startsWith(ours));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `cli-${process.pid}-${Date.now()}.json`), JSON.stringify({ result }));
    });
  });
}

if (process.env.NIANBAO_COVERAGE_DIR) await recordCoverage(process.env.NIANBAO_COVERAGE_DIR);
process.env.NIANBAO_CLI = '1';
// Stack traces of internal errors point into shared/*.ts, not the bundle.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(await compiled()).href);
