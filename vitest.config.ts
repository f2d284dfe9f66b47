import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // before/after hooks start servers and Chromium: give them the tests' own allowance on a busy 2-core machine
    hookTimeout: 30_000,
    pool: 'forks',
    // Two workers on a 2-core machine (vitest's default is cores - 1 = one): most files wait on child
    // processes, servers and Chromium, so a second worker nearly halves the wall time.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    // Under `npm test` child processes record their coverage too (a no-op without TPOS_CHILD_COVERAGE).
    setupFiles: ['test/support/child-coverage-setup.ts'],
  },
});
