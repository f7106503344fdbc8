// Navigation over real JSON-RPC: workspace symbols, report document symbols, links and go-to-definition from citations, openReport (command and code action) and listFindings.
import { describe, expect, it } from 'vitest';
import type { CodeAction, DocumentLink, DocumentSymbol, Location, SymbolInformation } from 'vscode-languageserver-protocol';
import { pathToFileURL } from 'node:url';
import { Commands, type FindingListItem, type OpenReportResult } from '../../server/src/protocol.js';
import { defaultCapabilities, type TestClient } from '../support/lspClient.js';
import { useSessions, type Files } from '../support/sessions.js';
import { corpusReports, fillerLines, needCorpus, quotedCodeLines } from '../support/corpusReports.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const sessions = useSessions();
const uri = (file: string) => pathToFileURL(file).toString();

const REPORT_MD = [
  '# Deep Review: r',
  '',
  '| | |',
  '|---|---|',
  '| **Round** | 2 |',
  '| **PR** | #4 |',
  '',
  '## Important Issues',
  '',
  'I1. **Loop never ends** — `src/loop.ts:3-4` [Claude Opus 4.7]',
  '',
  'The loop in `loop.ts:3` calls `helper.ts:2`, and the test at `test/loop.test.ts:9` misses it.',
  'Nothing at `src/gone.ts:1` or `../outside.ts:1` or `/etc/passwd:1` is linked.',
  '',
  '## Suggestions',
  '',
  'S1. **Past the end** — `src/helper.ts:50` [Gemini 3.1 Pro]',
  '',
  'Cited past the end of the file.',
  '',
].join('\n');

function files(): Files {
  return {
    'src/loop.ts': numberedLines(10),
    'src/helper.ts': numberedLines(5),
    'test/loop.test.ts': numberedLines(12),
    '.deep-review/r.md': REPORT_MD,
    '.deep-review/other.json': review(9, 1, [
      finding('C1', 'critical', 'src/helper.ts', 1, 1, { title: 'Secret in the log', agents: [{ family: 'gemini', model: 'Gemini 3.1 Pro' }] }),
      finding('S2', 'suggestion', 'test/loop.test.ts', 4, 4, { title: 'Flaky timer in the loop test' }),
    ]),
  };
}

async function start(extra: Files = {}, capabilities = defaultCapabilities()) {
  const w = sessions.workspace({ ...files(), ...extra });
  const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 }, capabilities });
  return { w, c };
}

function positionOf(text: string, needle: string) {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  const lines = text.slice(0, index + 1).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

function run<T>(c: TestClient, command: string, args: unknown[]): Promise<T> {
  return c.request<T>('workspace/executeCommand', { command, arguments: args });
}

describe('workspace symbols', () => {
  it('finds findings across series by id, title, path and agent, most severe first, on their placed lines', async () => {
    const { w, c } = await start();
    const names = async (query: string) => (await c.request<SymbolInformation[]>('workspace/symbol', { query })).map((s) => s.name);
    expect(await names('')).toEqual(['C1 Secret in the log', 'I1 Loop never ends', 'S1 Past the end', 'S2 Flaky timer in the loop test']);
    expect(await names('i1')).toEqual(['I1 Loop never ends']);
    expect(await names('loop')).toEqual(['I1 Loop never ends', 'S2 Flaky timer in the loop test']);
    expect(await names('helper.ts')).toEqual(['C1 Secret in the log', 'S1 Past the end']);
    expect(await names('gemini')).toEqual(['C1 Secret in the log', 'S1 Past the end']);
    expect(await names('gemini past')).toEqual(['S1 Past the end']);
    expect(await names('nothing-like-this')).toEqual([]);
    const [s1] = await c.request<SymbolInformation[]>('workspace/symbol', { query: 'S1' });
    // Placed: line 50 of a 5-line file sits on its last line.
    expect(s1!.location).toEqual({ uri: uri(w.path('src/helper.ts')), range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } } });
    expect(s1!.containerName).toBe('PR #4 round 2 · suggestion · src/helper.ts');
  });
});

describe('in report files', () => {
  it('lists the findings as document symbols, over their lines in Markdown and in review JSON', async () => {
    const { w, c } = await start();
    const md = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(w.path('.deep-review/r.md')) } });
    expect(md.map((s) => [s.name, s.detail, s.range.start.line])).toEqual([
      ['I1 Loop never ends', 'important · open', 9],
      ['S1 Past the end', 'suggestion · open', 16],
    ]);
    const jsonText = JSON.stringify(files()['.deep-review/other.json'], null, 2);
    const json = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(w.path('.deep-review/other.json')) } });
    expect(json.map((s) => s.name)).toEqual(['C1 Secret in the log', 'S2 Flaky timer in the loop test']);
    // Each symbol spans its finding's object: from its "{" to its "}".
    const lines = jsonText.split('\n');
    expect(lines[json[0]!.range.start.line + 1]).toContain('"id": "C1"');
    expect(lines[json[1]!.range.end.line]).toMatch(/^\s*}/);
    // Cited files have no document symbols of ours.
    expect(await c.request('textDocument/documentSymbol', { textDocument: { uri: uri(w.path('src/loop.ts')) } })).toEqual([]);
  });

  it('links every path:line citation that names a workspace file to its placed lines, and nothing outside the workspace', async () => {
    const { w, c } = await start();
    const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri(w.path('.deep-review/r.md')) } });
    const text = (l: DocumentLink) => REPORT_MD.split('\n')[l.range.start.line]!.slice(l.range.start.character, l.range.end.character);
    expect(links.map((l) => [text(l), l.target])).toEqual([
      ['src/loop.ts:3-4', `${uri(w.path('src/loop.ts'))}#L3`],
      ['loop.ts:3', `${uri(w.path('src/loop.ts'))}#L3`],
      ['helper.ts:2', `${uri(w.path('src/helper.ts'))}#L2`],
      ['test/loop.test.ts:9', `${uri(w.path('test/loop.test.ts'))}#L9`],
      ['src/helper.ts:50', `${uri(w.path('src/helper.ts'))}#L6`],
    ]);
    // JSON: each location's path.
    const json = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri(w.path('.deep-review/other.json')) } });
    expect(json.map((l) => l.target)).toEqual([`${uri(w.path('src/helper.ts'))}#L1`, `${uri(w.path('test/loop.test.ts'))}#L4`]);
  });

  it('goes to the placed lines from a citation, and nowhere from prose', async () => {
    const { w, c } = await start();
    const at = (needle: string) =>
      c.request<Location | null>('textDocument/definition', { textDocument: { uri: uri(w.path('.deep-review/r.md')) }, position: positionOf(REPORT_MD, needle) });
    expect(await at('src/loop.ts:3-4')).toEqual({ uri: uri(w.path('src/loop.ts')), range: { start: { line: 2, character: 0 }, end: { line: 3, character: 6 } } });
    expect((await at('helper.ts:2'))?.uri).toBe(uri(w.path('src/helper.ts')));
    expect(await at('The loop')).toBeNull();
    expect(await at('src/gone.ts:1')).toBeNull();
    expect(await at('../outside.ts:1')).toBeNull();
  });
});

describe('openReport and listFindings', () => {
  it('are listed in executeCommandProvider', async () => {
    const { c } = await start();
    expect(c.initializeResult?.capabilities.executeCommandProvider?.commands).toEqual(expect.arrayContaining([Commands.openReport, Commands.listFindings]));
  });

  it('opens a finding in its report with window/showDocument where the client supports it', async () => {
    const caps = defaultCapabilities();
    caps.window = { ...caps.window, showDocument: { support: true } };
    const { w, c } = await start({}, caps);
    const shown: unknown[] = [];
    c.connection.onRequest('window/showDocument', (params: unknown) => {
      shown.push(params);
      return { success: true };
    });
    const result = await run<OpenReportResult>(c, Commands.openReport, [{ key: '.deep-review/r.md#I1' }]);
    const at = { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } };
    expect(result).toEqual({ uri: uri(w.path('.deep-review/r.md')), range: at, shown: true });
    expect(shown).toEqual([{ uri: uri(w.path('.deep-review/r.md')), selection: at, takeFocus: true }]);
  });

  it('returns the location for the client to open when it cannot show documents, and says which keys are unknown', async () => {
    const { w, c } = await start();
    const result = await run<OpenReportResult>(c, Commands.openReport, [{ key: '.deep-review/other.json#S2' }]);
    expect(result.shown).toBe(false);
    expect(result.uri).toBe(uri(w.path('.deep-review/other.json')));
    const jsonLines = JSON.stringify(files()['.deep-review/other.json'], null, 2).split('\n');
    expect(jsonLines[result.range.start.line + 1]).toContain('"id": "S2"');
    await expect(run(c, Commands.openReport, [{ key: '.deep-review/r.md#I9' }])).rejects.toThrow('No shown finding has the key .deep-review/r.md#I9; the report may have changed');
    await expect(run(c, Commands.openReport, [])).rejects.toThrow("deepReview.openReport takes [{ key }], the finding key of a diagnostic's data");
  });

  it('offers "Open I1 in the report" as a code action on the finding\'s lines', async () => {
    const { w, c } = await start();
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(w.path('src/loop.ts')) },
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
      context: { diagnostics: [] },
    });
    const open = actions.find((a) => a.title === 'Open I1 in the report');
    expect(open?.command).toEqual({ title: 'Open I1 in the report', command: Commands.openReport, arguments: [{ key: '.deep-review/r.md#I1' }] });
    const result = await run<OpenReportResult>(c, open!.command!.command, open!.command!.arguments!);
    expect(result.range.start.line).toBe(9);
  });

  it('lists findings, all or by file, severity and series, as locations with a line of text', async () => {
    const { w, c } = await start();
    const list = (filter: unknown) => run<FindingListItem[]>(c, Commands.listFindings, filter === undefined ? [] : [filter]);
    const all = await list(undefined);
    expect(all.map((i) => i.text)).toEqual([
      'C1 critical: Secret in the log (PR #9 round 1)',
      'S1 suggestion: Past the end (PR #4 round 2) (cited line 50 is past the end of the file, which has 6 lines)',
      'I1 important: Loop never ends (PR #4 round 2)',
      'S2 suggestion: Flaky timer in the loop test (PR #9 round 1)',
    ]);
    const i1 = all.find((i) => i.id === 'I1')!;
    expect(i1).toMatchObject({
      uri: uri(w.path('src/loop.ts')),
      range: { start: { line: 2, character: 0 }, end: { line: 3, character: 6 } },
      key: '.deep-review/r.md#I1',
      severity: 'important',
      round: 'PR #4 round 2',
      placement: 'cited',
      report: { uri: uri(w.path('.deep-review/r.md')), range: { start: { line: 9, character: 0 } } },
    });
    expect((await list({ all: true })).length).toBe(4);
    expect((await list({ file: 'src/helper.ts' })).map((i) => i.id)).toEqual(['C1', 'S1']);
    expect((await list({ file: uri(w.path('test/loop.test.ts')) })).map((i) => i.id)).toEqual(['S2']);
    expect((await list({ severity: 'suggestion' })).map((i) => i.id)).toEqual(['S1', 'S2']);
    expect((await list({ severity: ['critical', 'important'] })).map((i) => i.id)).toEqual(['C1', 'I1']);
    expect((await list({ series: '4' })).map((i) => i.id)).toEqual(['S1', 'I1']);
    expect((await list({ series: 'PR #9', severity: 'suggestion' })).map((i) => i.id)).toEqual(['S2']);
    await expect(list({ severity: 'major' })).rejects.toThrow('deepReview.listFindings: unknown severity "major"; use critical, important or suggestion');
    await expect(list({ file: 3 })).rejects.toThrow('deepReview.listFindings: "file" must be a string');
    await expect(run(c, Commands.listFindings, ['src'])).rejects.toThrow('deepReview.listFindings takes one object argument: { file?, severity?, series?, all? }');
  });
});

describe('on the real PR #10637 series', () => {
  it('lists the findings of a round as symbols and jumps from its citations to the code, shortened paths included', async (ctx) => {
    if (!needCorpus(ctx)) return;
    const reports: Files = {};
    const rounds = corpusReports(/-pr-10637\.md$/);
    for (const round of rounds) reports[`.deep-review/${round.name}`] = round.text;
    // The cited files hold the quoted code at the cited lines, where a citation of a placed finding jumps.
    const { w, c } = await start({
      ...reports,
      'pkg/rancher-desktop/window/preferences.ts': quotedCodeLines(rounds, 'pkg/rancher-desktop/window/preferences.ts', 400),
      'pkg/rancher-desktop/window/index.ts': fillerLines(100),
      'pkg/rancher-desktop/config/private-label.js': quotedCodeLines(rounds, 'pkg/rancher-desktop/config/private-label.js', 100),
    });
    const round4 = '.deep-review/20260719-173822-pr-10637.md';
    const text = reports[round4] as string;
    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(w.path(round4)) } });
    expect(symbols.map((s) => [s.name.slice(0, 30), s.range.start.line + 1])).toEqual([
      ['S1 `openPreferences` re-runs i', 41],
      ['S2 `getProduct` is dead after ', 64],
    ]);
    const definition = (needle: string) =>
      c.request<Location | null>('textDocument/definition', { textDocument: { uri: uri(w.path(round4)) }, position: positionOf(text, needle) });
    expect(await definition('pkg/rancher-desktop/window/preferences.ts:101')).toMatchObject({
      uri: uri(w.path('pkg/rancher-desktop/window/preferences.ts')),
      range: { start: { line: 100 } },
    });
    // "window/index.ts:69" in the body is the report's shorthand for pkg/rancher-desktop/window/index.ts.
    expect(await definition('window/index.ts:69')).toMatchObject({ uri: uri(w.path('pkg/rancher-desktop/window/index.ts')), range: { start: { line: 68 } } });
    const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri(w.path(round4)) } });
    expect(links.map((l) => l.target)).toContain(`${uri(w.path('pkg/rancher-desktop/window/preferences.ts'))}#L101`);
    expect(links.every((l) => l.target!.startsWith(uri(w.root)))).toBe(true);
  });
});
