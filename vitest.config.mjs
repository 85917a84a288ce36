// Tests are compiled by `tsc` with the rest of the project and run from dist/, so that the
// scenario modules a test defines are the same files the actor worker threads import.
//
// Every compiled file is loaded by Node itself (externalised), not through vitest's module
// runner: the runner reads each imported binding through a getter, which made the model's hot
// loops about twice as slow under test as in the CLI. All of dist/ is external, the test files
// included, so each module has one instance per test file's process: a scenario module a test
// defines is the one the code under test loads by its URL (externalising dist/src alone loaded
// test-defined modules twice). docs/BENCHMARKS.md ("Test suite") has the figures.
//
// The default project runs as many test files at once as there are CPUs (vitest's own default
// is one fewer, which on a 2-CPU machine is one file at a time): most of a file's time is one
// busy thread (an inline hunt, a CLI child process, controlled hand-overs), so the second CPU
// sat idle. docs/BENCHMARKS.md ("Test suite") has the figures.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const server = { deps: { external: [/\/dist\/(src|scenarios|test|bench|workers)\//] } };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'default',
          include: ['dist/test/{unit,contract,integration,regress}/**/*.test.js'],
          maxWorkers: availableParallelism(),
          testTimeout: 60_000,
          hookTimeout: 60_000,
          server,
        },
      },
      {
        test: {
          name: 'stress',
          include: ['dist/test/stress/**/*.test.js'],
          // After the default project's files (vitest requires its own group for a project with
          // another maxWorkers): a bare `vitest run` runs both.
          sequence: { groupOrder: 1 },
          testTimeout: 600_000,
          hookTimeout: 60_000,
          server,
        },
      },
    ],
  },
});
