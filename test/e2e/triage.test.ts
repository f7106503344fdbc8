import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import type { TriageResult } from '../../server/src/protocol.js';
import { defaultCapabilities, type TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const sessions = useSessions();

function files() {
  return {
    'src/a.ts': numberedLines(20),
    '.deep-review/round1.json': review(7, 1, [finding('I1', 'important', 'src/a.ts', 3), finding('S1', 'suggestion', 'src/a.ts', 8)]),
  };
}

const I1 = '.deep-review/round1.json#I1';

function triage(c: TestClient, verb: 'dismiss' | 'accept' | 'reopen', args: Record<string, unknown>): Promise<TriageResult> {
  return c.request<TriageResult>('workspace/executeCommand', { command: `deepReview.${verb}`, arguments: [args] });
}

function codes(c: TestClient, file: string): string[] {
  return c.diagnosticsFor(file).map((d) => String(d.code));
}

function actionsAt(c: TestClient, file: string, line: number): Promise<CodeAction[]> {
  return c.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: pathToFileURL(file).toString() },
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    context: { diagnostics: [] },
  });
}

describe('triage', () => {
  it('dismisses a finding with a reason: written to the triage file with who, when and the round, and hidden', async () => {
    const { w, c } = await sessions.start(files());
    const a = w.path('src/a.ts');
    expect(codes(c, a)).toEqual(['I1', 'S1']);
    const result = await triage(c, 'dismiss', { key: I1, reason: 'false positive' });
    expect(result).toMatchObject({ status: 'recorded', state: 'dismissed', reason: 'false positive', triageFile: pathToFileURL(w.path('.deep-review/triage.json')).toString() });
    await c.waitForDiagnostics(a, (d) => d.length === 1);
    expect(codes(c, a)).toEqual(['S1']);

    const written = JSON.parse(readFileSync(w.path('.deep-review/triage.json'), 'utf8'));
    expect(Object.keys(written.findings)).toEqual([result.fingerprint]);
    expect(written).toEqual({
      triageVersion: 1,
      findings: {
        [result.fingerprint]: {
          state: 'dismissed',
          reason: 'false positive',
          by: expect.any(String),
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          round: 1,
          series: 'PR #7',
          finding: { id: 'I1', title: 'I1 title', path: 'src/a.ts', report: '.deep-review/round1.json' },
          history: [],
        },
      },
    });
    expect(written.findings[result.fingerprint].by.length).toBeGreaterThan(0);
    // The triage file is not a report: it never shows up as one, and gets no report diagnostics.
    expect(c.reportsRead.flatMap((b) => b.reports).some((r) => r.endsWith('triage.json'))).toBe(false);
    expect(c.diagnosticsFor(w.path('.deep-review/triage.json'))).toEqual([]);
  });

  it('shows dismissed findings as hints when asked, and marks accepted ones; reopen brings a finding back', async () => {
    const { w, c } = await sessions.start(files(), { debounceMs: 0, dismissed: 'hint', triageAuthor: 'Ada' });
    const a = w.path('src/a.ts');
    await triage(c, 'dismiss', { key: I1, reason: 'later' });
    const [i1] = await c.waitForDiagnostics(a, (d) => d[0]?.severity === DiagnosticSeverity.Hint);
    expect(i1!.message).toBe('I1 title [Claude Opus 4.7] (PR #7 round 1) — dismissed (later) by Ada in round 1');
    expect(i1!.tags).toEqual([DiagnosticTag.Unnecessary]);

    await triage(c, 'accept', { key: '.deep-review/round1.json#S1' });
    await c.waitForDiagnostics(a, (d) => String(d[1]?.message).endsWith('— accepted by Ada in round 1') === true);

    const reopened = await triage(c, 'reopen', { key: I1, reason: 'it is real after all' });
    expect(reopened.state).toBe('open');
    const back = await c.waitForDiagnostics(a, (d) => d[0]?.severity === DiagnosticSeverity.Warning);
    expect(back[0]!.message).toBe('I1 title [Claude Opus 4.7] (PR #7 round 1)');
    const entry = JSON.parse(readFileSync(w.path('.deep-review/triage.json'), 'utf8')).findings[reopened.fingerprint];
    expect(entry).toMatchObject({ state: 'open', reason: 'it is real after all', history: [{ state: 'dismissed', reason: 'later', by: 'Ada' }] });
  });

  it('asks for a reason with window/showMessageRequest when dismiss gets none; closing the prompt records nothing', async () => {
    const { w, c } = await sessions.start(files());
    c.answerMessageRequest = () => null;
    expect((await triage(c, 'dismiss', { key: I1 })).status).toBe('cancelled');
    expect(c.messageRequests.at(-1)).toEqual({
      type: 3,
      message: 'Dismiss I1: I1 title? Choose a reason',
      actions: [{ title: 'false positive' }, { title: "won't fix" }, { title: 'later' }],
    });
    expect(() => readFileSync(w.path('.deep-review/triage.json'))).toThrow();

    c.answerMessageRequest = (request) => request.actions![1]!;
    const result = await triage(c, 'dismiss', { key: I1 });
    expect(result).toMatchObject({ status: 'recorded', reason: "won't fix" });
    await c.waitForDiagnostics(w.path('src/a.ts'), (d) => d.length === 1);
  });

  it('dismisses without a reason when the client cannot ask', async () => {
    const { c } = await sessions.start(files());
    c.answerMessageRequest = () => {
      throw new Error('window/showMessageRequest is not supported');
    };
    const result = await triage(c, 'dismiss', { key: I1 });
    expect(result.status).toBe('recorded');
    expect(result.reason).toBeUndefined();
  });

  it('offers Accept and Dismiss as code actions, then Reopen once dismissed (even while hidden)', async () => {
    const { w, c } = await sessions.start(files());
    const a = w.path('src/a.ts');
    const before = await actionsAt(c, a, 2);
    expect(before.filter((x) => x.kind === 'quickfix').map((x) => x.title)).toEqual(['Accept I1: I1 title', 'Dismiss I1: I1 title']);
    const dismiss = before.find((x) => x.title === 'Dismiss I1: I1 title')!;
    expect(dismiss.command).toEqual({ title: 'Dismiss I1: I1 title', command: 'deepReview.dismiss', arguments: [{ key: I1 }] });
    c.answerMessageRequest = (request) => request.actions![0]!;
    await c.request('workspace/executeCommand', dismiss.command);
    await c.waitForDiagnostics(a, (d) => d.length === 1);
    const after = await actionsAt(c, a, 2);
    expect(after.filter((x) => x.kind === 'quickfix').map((x) => x.title)).toEqual(['Reopen I1: I1 title', 'Accept I1: I1 title']);
  });

  it('carries a dismissal over to a later round by fingerprint, whatever its id and lines there', async () => {
    const { w, c } = await sessions.start(files());
    const a = w.path('src/a.ts');
    await triage(c, 'dismiss', { key: I1, reason: 'false positive' });
    await c.waitForDiagnostics(a, (d) => d.length === 1);
    // Round 2 raises the same finding as I3 on other lines, and a new one.
    w.write('.deep-review/round2.json', review(7, 2, [finding('I3', 'important', 'src/a.ts', 5, 6, { title: 'I1 title' }), finding('S4', 'suggestion', 'src/a.ts', 11)]));
    await c.waitForDiagnostics(a, (d) => d.some((x) => x.code === 'S4'));
    expect(codes(c, a)).toEqual(['S4']);
  });

  it('reports a corrupt triage file at the place, keeps the last good triage and never overwrites the file', async () => {
    const { w, c } = await sessions.start(files());
    const a = w.path('src/a.ts');
    const good = await triage(c, 'dismiss', { key: I1, reason: 'later' });
    await c.waitForDiagnostics(a, (d) => d.length === 1);
    const file = w.path('.deep-review/triage.json');
    const broken = readFileSync(file, 'utf8').replace('"reason": "later",', '"reason": "later"');
    writeFileSync(file, broken);
    // The watcher may read the file half-written first (an empty file is "a value is expected"); wait for the whole text's verdict.
    const [problem] = await c.waitForDiagnostics(file, (d) => d.length === 1 && String(d[0]!.message).includes('comma'));
    expect(problem!.message).toBe('The triage file is not valid JSON: a comma is missing; fix it by hand (it is not overwritten until then)');
    expect(problem!.range.start.line).toBe(broken.split('\n').findIndex((line) => line.includes('"by"')));
    expect(codes(c, a)).toEqual(['S1']); // the last good triage stays in effect

    const refused = await triage(c, 'dismiss', { key: '.deep-review/round1.json#S1', reason: 'later' });
    expect(refused.status).toBe('failed');
    expect(refused.message).toBe(
      '.deep-review/triage.json has problems (The triage file is not valid JSON: a comma is missing; fix it by hand (it is not overwritten until then)); it is not overwritten. Fix or remove it, then try again',
    );
    expect(c.messages.at(-1)).toEqual({ type: 1, message: refused.message });
    expect(readFileSync(file, 'utf8')).toBe(broken);

    // A hand edit that breaks the format is reported at the value.
    writeFileSync(file, broken.replace('"reason": "later"', '"reason": "later",').replace('"state": "dismissed"', '"state": "ignored"'));
    const [schema] = await c.waitForDiagnostics(file, (d) => String(d[0]?.message).includes("state"));
    expect(schema!.message).toBe(
      `Triage file: findings.${good.fingerprint}.state: Invalid option: expected one of "dismissed"|"accepted"|"open"; fix it by hand (it is not overwritten until then)`,
    );
    // Fixed by hand: the problem goes, and the hand-made change is in effect.
    writeFileSync(file, `${JSON.stringify({ triageVersion: 1, findings: {} }, null, 2)}\n`);
    await c.waitForDiagnostics(file, (d) => d.length === 0);
    await c.waitForDiagnostics(a, (d) => d.length === 2);
  });

  it('loses nothing when two servers dismiss findings of the same folder at once', async () => {
    const many = {
      'src/a.ts': numberedLines(40),
      '.deep-review/round1.json': review(7, 1, Array.from({ length: 12 }, (_, i) => finding(`S${i + 1}`, 'suggestion', 'src/a.ts', i + 1))),
    };
    const w = sessions.workspace(many);
    const one = await sessions.client({ folders: [w.root], settings: { debounceMs: 0, triageAuthor: 'one' } });
    const two = await sessions.client({ folders: [w.root], settings: { debounceMs: 0, triageAuthor: 'two' } });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => triage(i % 2 === 0 ? one : two, 'dismiss', { key: `.deep-review/round1.json#S${i + 1}`, reason: 'later' })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill('recorded'));
    const written = JSON.parse(readFileSync(w.path('.deep-review/triage.json'), 'utf8'));
    expect(Object.keys(written.findings).sort()).toEqual(results.map((r) => r.fingerprint).sort());
    expect(Object.values(written.findings).map((e) => (e as { by: string }).by).sort()).toEqual([...Array(6).fill('one'), ...Array(6).fill('two')]);
    // Each server picks up the other's decisions from the file.
    await one.waitForDiagnostics(w.path('src/a.ts'), (d) => d.length === 0, 'every finding hidden in the first server');
    await two.waitForDiagnostics(w.path('src/a.ts'), (d) => d.length === 0, 'every finding hidden in the second server');
  });

  it('hides dismissed findings from a pulling client too, and serves the triage file\'s problems', async () => {
    const w = sessions.workspace(files());
    const capabilities = defaultCapabilities();
    capabilities.textDocument!.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
    capabilities.workspace!.diagnostics = { refreshSupport: true };
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 }, capabilities });
    const pull = async (file: string) =>
      (await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: pathToFileURL(file).toString() } })).items;
    expect((await pull(w.path('src/a.ts'))).map((d) => d.code)).toEqual(['I1', 'S1']);
    const refreshes = c.refreshes;
    await triage(c, 'dismiss', { key: I1, reason: 'later' });
    await c.waitFor('a refresh', () => c.refreshes > refreshes);
    expect((await pull(w.path('src/a.ts'))).map((d) => d.code)).toEqual(['S1']);

    const again = c.refreshes;
    writeFileSync(w.path('.deep-review/triage.json'), '{ "triageVersion": 2 }');
    await c.waitFor('a refresh', () => c.refreshes > again);
    expect((await pull(w.path('.deep-review/triage.json'))).map((d) => d.message)).toEqual([
      'Triage file: triageVersion: Invalid input: expected 1; fix it by hand (it is not overwritten until then)',
    ]);
    const workspace = await c.request<{ items: { uri: string; items: Diagnostic[] }[] }>('workspace/diagnostic', { previousResultIds: [] });
    expect(workspace.items.some((item) => item.uri.endsWith('/.deep-review/triage.json') && item.items.length === 1)).toBe(true);
  });

  it('explains a bad key', async () => {
    const { c } = await sessions.start(files());
    await expect(triage(c, 'accept', { key: 'nope#X1' })).rejects.toThrow('No shown finding has the key "nope#X1"; it may belong to a round that is no longer shown');
    await expect(c.request('workspace/executeCommand', { command: 'deepReview.accept', arguments: [] })).rejects.toThrow(
      'Triage commands take [{ key, reason? }], with the key of a finding diagnostic (its data.key)',
    );
  });
});
