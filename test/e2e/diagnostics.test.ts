import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { pathToFileURL } from 'node:url';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let client: TestClient | undefined;
let ws: TempWorkspace | undefined;

const sessions = useSessions();


describe('diagnostics', () => {
  it('publishes every open finding on its cited lines, in unopened files', async () => {
    const w = sessions.workspace({
      'src/a.ts': numberedLines(20),
      'src/b.ts': numberedLines(5),
      '.deep-review/r1.json': review(7, 1, [
        finding('I1', 'important', 'src/a.ts', 3, 5, { locations: [{ path: 'src/a.ts', ranges: [{ start: 3, end: 5 }, { start: 10, end: 10 }] }, { path: 'src/b.ts', ranges: [{ start: 2, end: 2 }] }] }),
        finding('C1', 'critical', 'src/a.ts', 12),
        finding('S1', 'suggestion', 'src/b.ts', 4),
      ]),
    });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });

    const a = client.diagnosticsFor(w.path('src/a.ts'));
    expect(a.map((d) => [d.code, d.range.start.line, d.range.end.line, d.severity])).toEqual([
      ['I1', 2, 4, DiagnosticSeverity.Warning],
      ['C1', 11, 11, DiagnosticSeverity.Error],
    ]);
    const i1 = a[0]!;
    expect(i1.source).toBe('deep-review');
    expect(i1.message).toBe('I1 title [Claude Opus 4.7] (PR #7 round 1)');
    expect(i1.range.end.character).toBe('line 5'.length);
    expect(i1.codeDescription?.href).toBe(pathToFileURL(w.path('.deep-review/r1.json')).toString());
    expect(i1.data).toEqual({ key: '.deep-review/r1.json#I1', report: pathToFileURL(w.path('.deep-review/r1.json')).toString(), placement: 'cited' });
    expect(i1.relatedInformation?.map((r) => [r.location.uri.split('/').pop(), r.location.range.start.line])).toEqual([
      ['a.ts', 9],
      ['b.ts', 1],
    ]);
    expect(client.diagnosticsFor(w.path('src/b.ts')).map((d) => [d.code, d.severity])).toEqual([['S1', DiagnosticSeverity.Information]]);
  });

  it('shows only the latest round of a series by default, and every round when asked', async () => {
    const w = sessions.workspace({
      'src/a.ts': numberedLines(20),
      '.deep-review/round1.json': review(7, 1, [finding('I1', 'important', 'src/a.ts', 3), finding('S1', 'suggestion', 'src/a.ts', 8)]),
      '.deep-review/round2.json': review(7, 2, [finding('S1', 'suggestion', 'src/a.ts', 15)]),
      '.deep-review/other-pr.json': review(8, 1, [finding('I1', 'important', 'src/a.ts', 1)]),
    });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    const codes = () => client!.diagnosticsFor(w.path('src/a.ts')).map((d) => `${d.code}@${d.range.start.line + 1} ${(d.message as string).match(/\((.*)\)$/)?.[1]}`);
    expect(codes()).toEqual(['I1@1 PR #8 round 1', 'S1@15 PR #7 round 2']);

    client.settings = { debounceMs: 0, rounds: 'all' };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(w.path('src/a.ts'), (d) => d.length === 4);
    expect(codes()).toEqual(['I1@1 PR #8 round 1', 'I1@3 PR #7 round 1', 'S1@8 PR #7 round 1', 'S1@15 PR #7 round 2']);
  });

  it('follows the severity mapping and minimum severity settings', async () => {
    const w = sessions.workspace({
      'a.go': numberedLines(10),
      '.deep-review/r.json': review(1, 1, [finding('C1', 'critical', 'a.go', 1), finding('I1', 'important', 'a.go', 2), finding('S1', 'suggestion', 'a.go', 3)]),
    });
    client = await sessions.client({
      folders: [w.root],
      settings: { debounceMs: 0, minimumSeverity: 'important', severityMap: { critical: 'warning', important: 'hint' } },
    });
    expect(client.diagnosticsFor(w.path('a.go')).map((d) => [d.code, d.severity])).toEqual([
      ['C1', DiagnosticSeverity.Warning],
      ['I1', DiagnosticSeverity.Hint],
    ]);
  });

  it('takes settings from initializationOptions when the client has no configuration', async () => {
    const w = sessions.workspace({
      'a.go': numberedLines(10),
      'reviews/r.json': review(1, 1, [finding('I1', 'important', 'a.go', 2)]),
    });
    client = await sessions.client({
      folders: [w.root],
      capabilities: { textDocument: { publishDiagnostics: {} } },
      initializationOptions: { deepReview: { directory: 'reviews', debounceMs: 0 } },
    });
    const [d] = client.diagnosticsFor(w.path('a.go'));
    expect(d?.code).toBe('I1');
    // Without the client capabilities, no related information or code description is sent.
    expect(d?.codeDescription).toBeUndefined();
  });

  it('hides struck and resolved findings', async () => {
    const w = sessions.workspace({
      'a.go': numberedLines(10),
      '.deep-review/r.json': review(1, 1, [
        finding('I1', 'important', 'a.go', 1),
        finding('I2', 'important', 'a.go', 2, 2, { struck: { kind: 'withdrawn', reason: 'not an issue' } }),
        finding('S1', 'suggestion', 'a.go', 3, 3, { resolution: { action: 'fixed', raw: 'Fixed' } }),
      ]),
    });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    expect(client.diagnosticsFor(w.path('a.go')).map((d) => d.code)).toEqual(['I1']);
  });

  it('shows resolved findings as hints that say so, when asked', async () => {
    const w = sessions.workspace({
      'a.go': numberedLines(10),
      '.deep-review/r.json': review(1, 1, [
        finding('I1', 'important', 'a.go', 1),
        finding('S1', 'suggestion', 'a.go', 3, 3, { resolution: { action: 'skipped', raw: 'Skipped (deferred to a follow-up)' } }),
        finding('I2', 'important', 'a.go', 2, 2, { struck: { kind: 'struck' } }),
      ]),
    });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0, showResolved: true } });
    expect(client.diagnosticsFor(w.path('a.go')).map((d) => [d.code, d.severity, d.message])).toEqual([
      ['I1', DiagnosticSeverity.Warning, 'I1 title [Claude Opus 4.7] (PR #1 round 1)'],
      ['S1', DiagnosticSeverity.Hint, 'S1 title [Claude Opus 4.7] (PR #1 round 1) — resolved: Skipped (deferred to a follow-up)'],
    ]);
  });

  it('keeps findings on the last line when the cited lines are past the end of the file, and says so', async () => {
    const w = sessions.workspace({
      'a.go': numberedLines(3),
      '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'a.go', 40, 42)]),
    });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    const [d] = client.diagnosticsFor(w.path('a.go'));
    expect(d?.range.start.line).toBe(3); // the empty line after the final newline
    expect(d?.message).toContain('cited line 40 is past the end of the file');
  });

  it('watches every folder of a multi-root workspace', async () => {
    const one = sessions.workspace();
    const two = sessions.workspace();
    one.write('x.ts', numberedLines(5));
    one.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'x.ts', 2)]));
    two.write('y.ts', numberedLines(5));
    two.write('.deep-review/r.json', review(1, 1, [finding('S9', 'suggestion', 'y.ts', 4)]));
    client = await sessions.client({ folders: [one.root, two.root], settings: { debounceMs: 0 } });
    expect(client.diagnosticsFor(one.path('x.ts')).map((d) => d.code)).toEqual(['I1']);
    expect(client.diagnosticsFor(two.path('y.ts')).map((d) => d.code)).toEqual(['S9']);
    // Removing a folder clears its findings.
    await client.notify('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: pathToFileURL(two.root).toString(), name: 'two' }] },
    });
    await client.waitForDiagnostics(two.path('y.ts'), (d) => d.length === 0);
  });

  it('moves to another review directory when the setting changes', async () => {
    const w = sessions.workspace({
      'a.go': numberedLines(10),
      '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'a.go', 2)]),
      'other-reviews/r.json': review(2, 1, [finding('S5', 'suggestion', 'a.go', 7)]),
    });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    expect(client.diagnosticsFor(w.path('a.go')).map((d) => d.code)).toEqual(['I1']);
    client.settings = { debounceMs: 0, directory: 'other-reviews' };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(w.path('a.go'), (d) => d.map((x) => x.code).join() === 'S5');
  });

  it('re-reads everything on deepReview.reload, and refuses an unknown command with a reason', async () => {
    const w = sessions.workspace({ 'a.go': numberedLines(10), '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'a.go', 2)]) });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    const batch = client.nextBatch((b) => b.reports.some((r) => r.endsWith('/r.json')));
    await client.request('workspace/executeCommand', { command: 'deepReview.reload', arguments: [] });
    await batch;
    await expect(client.request('workspace/executeCommand', { command: 'deepReview.nope' })).rejects.toMatchObject({
      code: -32602,
      message: 'Unknown command deepReview.nope',
    });
  });

  it('publishes the open documents first', async () => {
    const files: Record<string, string | object> = {};
    const findings = [];
    for (let i = 0; i < 30; i++) {
      files[`src/f${i}.ts`] = numberedLines(10);
      findings.push(finding(`S${i + 1}`, 'suggestion', `src/f${i}.ts`, 2));
    }
    const w = sessions.workspace({ ...files, '.deep-review/r.json': review(3, 1, findings) });
    client = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    const late = pathToFileURL(w.path('src/f29.ts')).toString();
    await client.open(w.path('src/f29.ts'), numberedLines(10));
    await client.waitFor('the opened file published', () => client!.publishOrder.includes(late));
    // Everything is published again on a settings change: the open file comes first.
    const from = client.publishOrder.length;
    client.settings = { debounceMs: 0, minimumSeverity: 'suggestion', showResolved: true };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('every file published again', () => client!.publishOrder.length - from >= 31);
    expect(client.publishOrder[from]).toBe(late);
  });
});
