import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const REPORTS = join(import.meta.dirname, 'node_modules', '.cache', 'coverage');
const covering = process.argv.includes('--coverage');
/**
 * With --coverage, the `nianbao` processes the tests start write the V8 coverage of the compiled CLI here
 * (bin/nianbao.js); scripts/coverage.mjs maps it back to the sources and merges it with vitest's own (`npm test`).
 */
const SUBPROCESS_COVERAGE = join(REPORTS, 'subprocess');
if (covering) rmSync(SUBPROCESS_COVERAGE, { recursive: true, force: true });

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One temporary folder per run, removed at its end (NIANBAO_KEEP_TEST_FILES=1 keeps it to look inside).
    globalSetup: ['tests/helpers/temp-root.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Test files in parallel on every core (vitest's default keeps one core free, which on a 2-core CI machine
    // means one file at a time): most of the suite waits on processes, sockets and namespaces, not on CPU.
    maxWorkers: Math.max(2, availableParallelism()),
    // Set in the workers' environment, so inherited by the processes they start, not read by the workers themselves.
    env: covering ? { NIANBAO_COVERAGE_DIR: SUBPROCESS_COVERAGE } : {},
    coverage: {
      provider: 'v8',
      include: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/**/*.ts'],
      exclude: ['shared/types/**'],
      reporter: ['text-summary', 'json-summary', 'json'],
      reportsDirectory: REPORTS,
      // A floor, not a goal: CI fails when coverage falls below what the suite reaches today. scripts/coverage.mjs
      // holds the suite's figures (these and the `nianbao` processes' together) to a higher one.
      thresholds: { lines: 85, branches: 72, functions: 84, statements: 82 },
    },
  },
});
