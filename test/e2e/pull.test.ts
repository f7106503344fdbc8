import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { defaultCapabilities, type TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let client: TestClient | undefined;
let ws: TempWorkspace | undefined;
const sessions = useSessions();

describe('pull diagnostics', () => {
  it('answers textDocument/diagnostic and workspace/diagnostic when the client pulls, and asks for a refresh on change', async () => {
    ws = sessions.workspace();
    ws.write('a.ts', numberedLines(10));
    ws.write('.deep-review/r.json', review(2, 1, [finding('I1', 'important', 'a.ts', 4)]));
    const capabilities = defaultCapabilities();
    capabilities.textDocument!.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
    capabilities.workspace!.diagnostics = { refreshSupport: true };
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 }, capabilities });
    expect(client.initializeResult?.capabilities.diagnosticProvider).toMatchObject({ workspaceDiagnostics: true });
    // Nothing is pushed to a pulling client.
    expect(client.diagnostics.size).toBe(0);

    const uri = pathToFileURL(ws.path('a.ts')).toString();
    const report = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    expect(report.kind).toBe('full');
    expect(report.items.map((d) => d.code)).toEqual(['I1']);

    const workspace = await client.request<{ items: { uri: string; items: Diagnostic[] }[] }>('workspace/diagnostic', { previousResultIds: [] });
    expect(workspace.items.find((item) => item.uri === uri)?.items.map((d) => d.code)).toEqual(['I1']);

    const refreshes = client.refreshes;
    ws.write('.deep-review/r.json', review(2, 1, [finding('I2', 'important', 'a.ts', 5)]));
    await client.waitFor('a diagnostic refresh', () => client!.refreshes > refreshes);
    const again = await client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    expect(again.items.map((d) => d.code)).toEqual(['I2']);
  });
});
