import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let client: TestClient | undefined;
let ws: TempWorkspace | undefined;
const sessions = useSessions();

describe('the spawned binary (smoke)', () => {
  it('initializes over stdio, lists its commands and publishes diagnostics', async () => {
    ws = sessions.workspace();
    ws.write('main.go', numberedLines(10));
    ws.write('.deep-review/r.json', review(2, 1, [finding('I1', 'important', 'main.go', 4)]));
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 }, spawn: true });
    expect(client.initializeResult?.serverInfo?.name).toBe('deep-review-lsp');
    expect(client.initializeResult?.capabilities.executeCommandProvider?.commands).toContain('deepReview.reload');
    expect(client.diagnosticsFor(ws.path('main.go')).map((d) => d.code)).toEqual(['I1']);
    // Live updates work the same through the real process.
    ws.write('.deep-review/r.json', review(2, 1, [finding('I2', 'important', 'main.go', 6)]));
    await client.waitForDiagnostics(ws.path('main.go'), (d) => d[0]?.code === 'I2');
  });

  it('exits cleanly on shutdown and exit', async () => {
    ws = sessions.workspace();
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 }, spawn: true });
    const child = client.child!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await client.close();
    client = undefined;
    expect(await exited).toBe(0);
  });
});
