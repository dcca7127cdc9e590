import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Test files in parallel on every core (vitest's default keeps one core free, which on a 2-core CI machine
    // means one file at a time): most of the suite waits on processes, sockets and namespaces, not on CPU.
    maxWorkers: Math.max(2, availableParallelism()),
    coverage: {
      provider: 'v8',
      include: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/**/*.ts'],
      exclude: ['shared/types/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'node_modules/.cache/coverage',
      // A floor, not a goal: CI fails when coverage falls below what the suite reaches today.
      thresholds: { lines: 85, branches: 72, functions: 84, statements: 82 },
    },
  },
});
