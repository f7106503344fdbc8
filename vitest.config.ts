import { defineConfig } from 'vitest/config';

// One config for every suite: unit tests, end-to-end JSON-RPC tests and real-editor
// client tests. Forks keep a misbehaving server (or a process.exit in one) from
// taking other test files with it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
