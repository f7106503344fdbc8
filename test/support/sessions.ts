/**
 * Per-test resources: every workspace and client a test makes through this is
 * closed and removed after the test, so test files need no clean-up of their own.
 */
import { afterEach } from 'vitest';
import { startClient, type ClientOptions, type TestClient } from './lspClient.js';
import { TempWorkspace } from './workspace.js';

/** Files of a workspace: workspace-relative path to text, bytes or an object written as JSON. */
export type Files = Record<string, string | Buffer | object>;

/** What `useSessions` hands a test file. */
export interface Sessions {
  /** A fresh temporary workspace with these files. */
  workspace(files?: Files): TempWorkspace;
  /** A started client (in-process unless `spawn`). */
  client(options: ClientOptions): Promise<TestClient>;
  /** A workspace with these files and a client on it, with `settings` (default: no debounce). */
  start(files: Files, settings?: Record<string, unknown>): Promise<{ w: TempWorkspace; c: TestClient }>;
}

/** Registers the clean-up and returns the factories; call once at the top of a test file. */
export function useSessions(): Sessions {
  const clients: TestClient[] = [];
  const spaces: TempWorkspace[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const space of spaces.splice(0)) space.dispose();
  });
  const sessions: Sessions = {
    workspace(files = {}) {
      const space = new TempWorkspace();
      spaces.push(space);
      for (const [name, content] of Object.entries(files)) space.write(name, content);
      return space;
    },
    async client(options) {
      const client = await startClient(options);
      clients.push(client);
      return client;
    },
    async start(files, settings = { debounceMs: 0 }) {
      const w = sessions.workspace(files);
      return { w, c: await sessions.client({ folders: [w.root], settings }) };
    },
  };
  return sessions;
}
