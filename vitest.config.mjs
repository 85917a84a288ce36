// Tests are compiled by `tsc` with the rest of the project and run from dist/, so that the
// scenario modules a test defines are the same files the actor worker threads import.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'default',
          include: ['dist/test/{unit,contract,integration,regress}/**/*.test.js'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'stress',
          include: ['dist/test/stress/**/*.test.js'],
          testTimeout: 600_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
