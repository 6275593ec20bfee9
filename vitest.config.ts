import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time on the 2-core machines (vitest's default is one fewer than the cores: one). Most
    // files wait on loopback servers, child processes and PostgreSQL, not on the CPU; the tests wait on
    // conditions, never on timings, so sharing the cores changes how long they take, not what they see.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
