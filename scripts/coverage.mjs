#!/usr/bin/env node
// Coverage of the whole suite: vitest measures the code its workers run; this adds the code run by the `nianbao`
// processes the CLI tests start (bin/nianbao.js, compiled to dist/ with source maps). vitest.config.ts gives those
// processes NIANBAO_COVERAGE_DIR; here their V8 coverage is merged across processes, mapped through the bundle's
// source maps back to shared/*.ts with the same converter vitest uses (ast-v8-to-istanbul), merged with vitest's
// own map, printed, and held to a floor — without it the commands' own code (status, alerts, serve …) counts as
// untested although the suite runs every one of them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeProcessCovs } from '@bcoe/v8-coverage';
import convert from 'ast-v8-to-istanbul';
import libCoverage from 'istanbul-lib-coverage';
import { parseAstAsync } from 'vitest/node';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = join(ROOT, 'node_modules', '.cache', 'coverage');
const SUBPROCESS_COVERAGE = join(REPORTS, 'subprocess');

/** The floor of the merged figures (what the suite reaches today, rounded down). */
const THRESHOLDS = { lines: 91, branches: 78, functions: 90, statements: 88 };

/** Our sources only, as vitest.config.ts's `coverage.include` has them. */
const ours = (file) => /^(shared|functions|infra)\//.test(relative(ROOT, file)) && !relative(ROOT, file).startsWith('shared/types/');

/** The V8 coverage of every `nianbao` process, merged: one ScriptCov per compiled chunk of dist/. */
function subprocessCoverage() {
  if (!existsSync(SUBPROCESS_COVERAGE)) return [];
  const dist = `file://${join(ROOT, 'dist')}/cli-`;
  const processes = [];
  for (const name of readdirSync(SUBPROCESS_COVERAGE)) {
    if (!name.endsWith('.json')) continue;
    const raw = JSON.parse(readFileSync(join(SUBPROCESS_COVERAGE, name), 'utf8'));
    const result = raw.result.filter((s) => s.url.startsWith(dist) && existsSync(fileURLToPath(s.url)));
    if (result.length) processes.push({ result });
  }
  return processes.length ? mergeProcessCovs(processes).result : [];
}

/** One chunk's coverage as Istanbul data keyed by the TypeScript sources it was built from. */
async function remap(script) {
  const file = fileURLToPath(script.url);
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  map.sources = map.sources.map((s) => resolve(dirname(file), map.sourceRoot ?? '', s));
  delete map.sourceRoot;
  return convert({ code, sourceMap: map, ast: await parseAstAsync(code), coverage: { functions: script.functions, url: script.url } });
}

const at = (loc) => `${loc.start.line}:${loc.start.column}`;

/**
 * Adds `extra`'s hits to `base` item by item, matched on where each statement, function and branch starts. The
 * two maps come from different compilations (vite's and esbuild's), so their items need not be the same set:
 * `base` (vitest's, which lists every file, tested or not) keeps its items — the denominators stay the same —
 * and only gains hits. (istanbul-lib-coverage's own merge would take the union and count unmatched items twice.)
 */
function addHits(base, extra) {
  const statements = new Map(Object.entries(extra.statementMap).map(([k, loc]) => [at(loc), extra.s[k]]));
  for (const [k, loc] of Object.entries(base.statementMap)) base.s[k] += statements.get(at(loc)) ?? 0;
  const functions = new Map(Object.entries(extra.fnMap).map(([k, fn]) => [at(fn.loc), extra.f[k]]));
  for (const [k, fn] of Object.entries(base.fnMap)) base.f[k] += functions.get(at(fn.loc)) ?? 0;
  const branches = new Map(Object.entries(extra.branchMap).map(([k, br]) => [`${at(br.loc)} ${br.locations.length}`, extra.b[k]]));
  for (const [k, br] of Object.entries(base.branchMap)) {
    const hits = branches.get(`${at(br.loc)} ${br.locations.length}`);
    if (hits) base.b[k] = base.b[k].map((n, i) => n + (hits[i] ?? 0));
  }
}

/** vitest's map with the processes' hits added (a file vitest does not list is taken whole). */
function mergeInto(vitest, subprocess) {
  const merged = libCoverage.createCoverageMap(JSON.parse(JSON.stringify(vitest.toJSON())));
  for (const file of subprocess.files()) {
    if (!merged.files().includes(file)) merged.addFileCoverage(subprocess.fileCoverageFor(file));
    else addHits(merged.fileCoverageFor(file).data, subprocess.fileCoverageFor(file).data);
  }
  return merged;
}

const pct = (s) => ({ lines: s.lines.pct, branches: s.branches.pct, functions: s.functions.pct, statements: s.statements.pct });
const row = (label, p) =>
  `${label.padEnd(28)}${Object.values(p)
    .map((v) => `${v.toFixed(2).padStart(9)} %`)
    .join('')}`;

async function main() {
  const vitestFile = join(REPORTS, 'coverage-final.json');
  if (!existsSync(vitestFile)) throw new Error(`${vitestFile}: no coverage from vitest (run vitest run --coverage first)`);
  const inProcess = libCoverage.createCoverageMap(JSON.parse(readFileSync(vitestFile, 'utf8')));
  const subprocess = libCoverage.createCoverageMap({});
  const scripts = subprocessCoverage();
  for (const script of scripts) subprocess.merge(await remap(script));
  subprocess.filter(ours);
  const merged = mergeInto(inProcess, subprocess);
  const total = pct(merged.getCoverageSummary());
  // COVERAGE_FILES=shared/cli/status.ts,… prints those files' figures too: workers, processes, both.
  for (const file of (process.env.COVERAGE_FILES ?? '').split(',').filter(Boolean)) {
    const path = join(ROOT, file);
    const of = (map) => (map.files().includes(path) ? pct(map.fileCoverageFor(path).toSummary()) : null);
    console.log(file, JSON.stringify({ workers: of(inProcess), processes: of(subprocess), suite: of(merged) }));
  }
  console.log(`\n${'coverage'.padEnd(28)}${['lines', 'branches', 'functions', 'statements'].map((k) => k.padStart(11)).join('')}`);
  console.log(row('vitest workers', pct(inProcess.getCoverageSummary())));
  console.log(row(`nianbao processes (${scripts.length} chunks)`, pct(subprocess.getCoverageSummary())));
  console.log(row('the suite', total));
  writeFileSync(join(REPORTS, 'coverage-merged-summary.json'), `${JSON.stringify(total, null, 2)}\n`);
  const below = Object.entries(THRESHOLDS).filter(([k, floor]) => total[k] < floor);
  if (scripts.length === 0) {
    console.error('no coverage from nianbao processes: were the CLI tests run with vitest.config.ts (NIANBAO_COVERAGE_DIR)?');
    process.exitCode = 1;
  }
  for (const [k, floor] of below) console.error(`coverage of the suite: ${k} ${total[k].toFixed(2)} % is under its floor of ${floor} %`);
  if (below.length) process.exitCode = 1;
}

await main();
