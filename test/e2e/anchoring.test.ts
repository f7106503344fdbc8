/**
 * Findings that follow the code, over real JSON-RPC: each placement step
 * (live edits, git, anchor text, fuzzy, orphan, file gone) seen in the
 * published diagnostics and their `data.placement`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { FindingDiagnosticData } from '../../server/src/features/diagnostics.js';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, review } from '../support/workspace.js';

const sessions = useSessions();

const CODE = ['func handle(req *Request) error {', '\tif req.Body == nil {', '\t\treturn errNoBody', '\t}', '\treturn process(req.Body)', '}'];
const SNIPPET = CODE.slice(0, 4).join('\n');
/** A Go file with `CODE` starting at 1-based line `at`, filler elsewhere. */
function goFile(at: number, code = CODE, total = 40): string {
  const filler = Array.from({ length: total }, (_, i) => `var v${i + 1} = ${i + 1}`);
  return [...filler.slice(0, at - 1), ...code, ...filler.slice(at - 1)].join('\n') + '\n';
}
function quoted(id: string, file: string, start: number, end: number, anchorText = SNIPPET) {
  return finding(id, 'important', file, start, end, { locations: [{ path: file, ranges: [{ start, end }], anchorText }] });
}
const where = (d: Diagnostic | undefined) => d && { lines: [d.range.start.line + 1, d.range.end.line + 1], placement: (d.data as FindingDiagnosticData).placement };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

async function change(c: TestClient, file: string, version: number, edits: { line: number; endLine?: number; text: string }[]): Promise<void> {
  await c.notify('textDocument/didChange', {
    textDocument: { uri: pathToFileURL(file).toString(), version },
    contentChanges: edits.map(({ line, endLine, text }) => ({ range: { start: { line, character: 0 }, end: { line: endLine ?? line, character: 0 } }, text })),
  });
}

describe('findings that follow the code', () => {
  it('live edits: lines typed above move a finding, edits inside keep it, deleting its lines collapses it, closing goes back to disk', async () => {
    const { w, c } = await sessions.start({ 'a.go': goFile(10), '.deep-review/r.json': review(1, 1, [quoted('I1', 'a.go', 10, 13)]) });
    const a = w.path('a.go');
    expect(where(c.diagnosticsFor(a)[0])).toEqual({ lines: [10, 13], placement: 'anchor' });
    await c.open(a, goFile(10), 'go');
    await change(c, a, 2, [{ line: 0, text: '// one\n// two\n' }]);
    await c.waitForDiagnostics(a, (d) => d[0]?.range.start.line === 11);
    expect(where(c.diagnosticsFor(a)[0])).toEqual({ lines: [12, 15], placement: 'live' });
    // A line typed inside the cited lines (after the first): the range grows over it.
    await change(c, a, 3, [{ line: 13, text: '\t\tlog(req)\n' }]);
    await c.waitForDiagnostics(a, (d) => d[0]?.range.end.line === 15);
    expect(where(c.diagnosticsFor(a)[0])).toEqual({ lines: [12, 16], placement: 'live' });
    await change(c, a, 4, [{ line: 11, endLine: 16, text: '' }]);
    const [collapsed] = await c.waitForDiagnostics(a, (d) => (d[0]?.message as string).includes('deleted'));
    expect(collapsed?.message).toContain('(its cited lines were deleted in the editor)');
    await c.notify('textDocument/didClose', { textDocument: { uri: pathToFileURL(a).toString() } });
    await c.waitForDiagnostics(a, (d) => d[0]?.range.start.line === 9);
    expect(where(c.diagnosticsFor(a)[0])).toEqual({ lines: [10, 13], placement: 'anchor' });
  });

  it('git: the cited lines are mapped through the diff from the reviewed commit, even where the snippet is ambiguous', async () => {
    const w = sessions.workspace({ 'a.go': goFile(10) });
    git(w.root, 'init', '-q');
    git(w.root, 'add', '-A');
    git(w.root, 'commit', '-qm', 'reviewed');
    const sha = git(w.root, 'rev-parse', 'HEAD');
    // Since the review: a copy of the code and four more lines above it, nearer the cited line than the original.
    writeFileSync(w.path('a.go'), [...CODE, '// 1', '// 2', '// 3', '// 4', goFile(10)].join('\n'));
    w.write('.deep-review/r.json', review(1, 1, [quoted('I1', 'a.go', 10, 13)], { reviewedCommit: { sha, source: 'json' } }));
    w.write('.deep-review/other.json', review(2, 1, [quoted('I9', 'a.go', 10, 13)], { reviewedCommit: { sha: 'feedfacefeedfacefeedfacefeedfacefeedface', source: 'json' } }));
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    const [byGit] = c.diagnosticsFor(w.path('a.go')).filter((d) => d.code === 'I1');
    expect(where(byGit)).toEqual({ lines: [20, 23], placement: 'git' });
    expect(byGit?.message).toContain(`(moved from line 10 of ${sha.slice(0, 7)})`);
    // A reviewed commit this repository does not have turns the step off: the nearest copy of the snippet places it.
    expect(where(c.diagnosticsFor(w.path('a.go')).find((d) => d.code === 'I9'))).toEqual({ lines: [1, 4], placement: 'anchor' });
  });

  it('anchor text: without git, the quoted snippet is found where the code moved, and related locations move the same way', async () => {
    const w = sessions.workspace({
      'a.go': goFile(30),
      'b.go': goFile(5),
      '.deep-review/r.json': review(1, 1, [
        finding('I1', 'important', 'a.go', 10, 13, {
          locations: [
            { path: 'a.go', ranges: [{ start: 10, end: 13 }], anchorText: SNIPPET },
            { path: 'b.go', ranges: [{ start: 20, end: 21 }], anchorText: CODE.slice(4).join('\n') },
          ],
        }),
      ]),
    });
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    const [d] = c.diagnosticsFor(w.path('a.go'));
    expect(where(d)).toEqual({ lines: [30, 33], placement: 'anchor' });
    expect(d?.message).toContain('(moved from line 10; found by its quoted code)');
    expect(d?.relatedInformation?.map((r) => [r.location.range.start.line + 1, r.location.range.end.line + 1, r.message])).toEqual([
      [9, 10, 'Also cited: b.go (moved from line 20; found by its quoted code)'],
    ]);
    // Typing in the file of the related location moves it too.
    await c.open(w.path('b.go'), goFile(5), 'go');
    await change(c, w.path('b.go'), 2, [{ line: 0, text: '// new\n' }]);
    const [after] = await c.waitForDiagnostics(w.path('a.go'), (ds) => ds[0]?.relatedInformation?.[0]?.location.range.start.line === 9);
    expect(after?.relatedInformation?.map((r) => [r.location.range.start.line + 1, r.location.range.end.line + 1])).toEqual([[10, 11]]);
  });

  it('fuzzy: a snippet that changed a little is placed by likeness above the threshold, which is a setting', async () => {
    const renamed = CODE.map((line) => line.replace(/req\b/g, 'r'));
    const { w, c } = await sessions.start({ 'a.go': goFile(25, renamed), '.deep-review/r.json': review(1, 1, [quoted('I1', 'a.go', 10, 14, CODE.slice(0, 5).join('\n'))]) });
    const a = w.path('a.go');
    const [d] = c.diagnosticsFor(a);
    expect(where(d)).toEqual({ lines: [25, 29], placement: 'fuzzy' });
    expect(d?.message).toMatch(/\(moved from line 10; placed by likeness: \d\d% like the quoted code\)/);
    c.settings = { debounceMs: 0, anchorSimilarity: 0.99 };
    await c.notify('workspace/didChangeConfiguration', { settings: null });
    const [strict] = await c.waitForDiagnostics(a, (ds) => (ds[0]?.data as FindingDiagnosticData | undefined)?.placement === 'orphan');
    expect(where(strict)).toEqual({ lines: [1, 1], placement: 'orphan' });
  });

  it('orphan: code that cannot be found stays visible at the top of its file, marked outdated', async () => {
    const { w, c } = await sessions.start({ 'a.go': goFile(10, ['package other']), '.deep-review/r.json': review(1, 1, [quoted('I1', 'a.go', 10, 13)]) });
    const [d] = c.diagnosticsFor(w.path('a.go'));
    expect(where(d)).toEqual({ lines: [1, 1], placement: 'orphan' });
    expect(d?.message).toBe('I1 title (outdated: the quoted code is no longer in this file; it was cited at line 10) [Claude Opus 4.7] (PR #1 round 1)');
  });

  it('file gone: a finding whose file no longer exists is shown on its report, at the finding', async () => {
    const { w, c } = await sessions.start({
      'a.go': goFile(10),
      '.deep-review/r.json': review(1, 1, [quoted('I1', 'a.go', 10, 13), quoted('I2', 'src/removed.go', 3, 4)]),
    });
    const report = w.path('.deep-review/r.json');
    const onReport = c.diagnosticsFor(report).filter((d) => d.code === 'I2');
    expect(onReport.map((d) => [where(d)?.placement, d.message])).toEqual([
      ['file-gone', 'I2 title (outdated: src/removed.go no longer exists) [Claude Opus 4.7] (PR #1 round 1)'],
    ]);
    const reportLines = (await import('node:fs')).readFileSync(report, 'utf8').split('\n');
    expect(reportLines[onReport[0]!.range.start.line]).toMatch(/"id": "I2"/);
    expect(c.diagnosticsFor(w.path('src/removed.go'))).toEqual([]);
    expect(c.diagnosticsFor(w.path('a.go')).map((d) => d.code)).toEqual(['I1']);
  });
});
