import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defineConfig } from 'vitest/config';

// One config for every suite: unit tests, end-to-end JSON-RPC tests and real-editor
// client tests. Forks keep a misbehaving server (or a process.exit in one) from
// taking other test files with it. Spawned servers keep their report cache in a
// directory of this run, never in the user's cache.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'drl-test-cache-')) },
  },
});
