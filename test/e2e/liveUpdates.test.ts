import { renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let client: TestClient | undefined;
let ws: TempWorkspace | undefined;

const sessions = useSessions();


const codes = (c: TestClient, file: string) => c.diagnosticsFor(file).map((d) => `${d.code}@${d.range.start.line + 1}`);

describe('live updates of the review directory', () => {
  it('follows created, changed and deleted review files', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(30), '.deep-review/.keep': '' });
    const a = w.path('a.ts');
    expect(codes(c, a)).toEqual([]);

    w.write('.deep-review/r1.json', review(3, 1, [finding('I1', 'important', 'a.ts', 4)]));
    await c.waitForDiagnostics(a, (d) => d.length === 1);
    expect(codes(c, a)).toEqual(['I1@4']);

    w.write('.deep-review/r1.json', review(3, 1, [finding('I1', 'important', 'a.ts', 9), finding('S2', 'suggestion', 'a.ts', 20)]));
    await c.waitForDiagnostics(a, (d) => d.length === 2);
    expect(codes(c, a)).toEqual(['I1@9', 'S2@20']);

    w.remove('.deep-review/r1.json');
    await c.waitForDiagnostics(a, (d) => d.length === 0);
  });

  it('reads a Markdown report again when its companion HTML appears, though the report itself did not change', async () => {
    const report = `# Deep Review: r\n\n| | |\n|---|---|\n| **Round** | 1 |\n| **PR** | #4 |\n\n## Important Issues\n\nI1. **Loop** — \`a.ts:2\` [Claude]\n`;
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(10), '.deep-review/r.md': report });
    const a = w.path('a.ts');
    const hoverText = async () => {
      const h = await c.request<{ contents: { value: string } | string } | null>('textDocument/hover', { textDocument: { uri: pathToFileURL(a).toString() }, position: { line: 1, character: 0 } });
      return typeof h?.contents === 'string' ? h.contents : (h?.contents.value ?? '');
    };
    expect(await hoverText()).toContain('Loop');
    expect(await hoverText()).not.toContain('1234567');
    const sha = '1234567890abcdef1234567890abcdef12345678';
    const read = c.nextBatch((b) => b.reports.some((uri) => uri.endsWith('/r.md')));
    w.write('.deep-review/r.html', `<a href="https://github.com/o/r/blob/${sha}/a.ts#L2">a.ts</a>`);
    await read;
    expect(await hoverText()).toContain('1234567');
  });

  it('moves findings to the new round when one is added, and back when it is deleted', async () => {
    const { w, c } = await sessions.start({
      'a.ts': numberedLines(30),
      '.deep-review/r1.json': review(3, 1, [finding('I1', 'important', 'a.ts', 4)]),
    });
    const a = w.path('a.ts');
    expect(codes(c, a)).toEqual(['I1@4']);
    w.write('.deep-review/nested/deeper/r2.json', review(3, 2, [finding('S1', 'suggestion', 'a.ts', 7)]));
    await c.waitForDiagnostics(a, (d) => d.map((x) => x.code).join() === 'S1');
    w.remove('.deep-review/nested');
    await c.waitForDiagnostics(a, (d) => d.map((x) => x.code).join() === 'I1');
  });

  it('reads a report replaced by an atomic rename', async () => {
    const { w, c } = await sessions.start({
      'a.ts': numberedLines(30),
      '.deep-review/r1.json': review(3, 1, [finding('I1', 'important', 'a.ts', 4)]),
    });
    const a = w.path('a.ts');
    const tmp = w.write('.deep-review/.r1.json.tmp', review(3, 1, [finding('I7', 'important', 'a.ts', 11)]));
    renameSync(tmp, w.path('.deep-review/r1.json'));
    await c.waitForDiagnostics(a, (d) => d.map((x) => x.code).join() === 'I7');
    expect(codes(c, a)).toEqual(['I7@11']);
  });

  it('follows a review directory that appears and disappears while the server runs', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(30) });
    const a = w.path('a.ts');
    w.write('.deep-review/r1.json', review(3, 1, [finding('I1', 'important', 'a.ts', 4)]));
    await c.waitForDiagnostics(a, (d) => d.length === 1);
    w.remove('.deep-review');
    await c.waitForDiagnostics(a, (d) => d.length === 0);
    w.write('.deep-review/r2.json', review(4, 1, [finding('S1', 'suggestion', 'a.ts', 2)]));
    await c.waitForDiagnostics(a, (d) => d.map((x) => x.code).join() === 'S1');
  });

  it('keeps the last good version in effect while a report is half-written, and says so', async () => {
    const { w, c } = await sessions.start({
      'a.ts': numberedLines(30),
      '.deep-review/r1.json': review(3, 1, [finding('I1', 'important', 'a.ts', 4)]),
    });
    const a = w.path('a.ts');
    const report = w.path('.deep-review/r1.json');
    const full = JSON.stringify(review(3, 1, [finding('I1', 'important', 'a.ts', 4), finding('I2', 'important', 'a.ts', 6)]));
    writeFileSync(report, full.slice(0, Math.floor(full.length / 2)));
    const problems = await c.waitForDiagnostics(report, (d) => d.length > 0);
    expect(problems.map((d) => d.message)).toEqual([
      expect.stringMatching(/^This version of the report cannot be used; the last good version \(read .*\) stays in effect until it is fixed$/),
      expect.stringMatching(/^Invalid JSON: /),
    ]);
    expect(codes(c, a)).toEqual(['I1@4']);
    writeFileSync(report, full);
    await c.waitForDiagnostics(a, (d) => d.length === 2);
    await c.waitForDiagnostics(report, (d) => d.length === 0);
  });

  it('debounces a burst of writes into one read', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(30), '.deep-review/.keep': '' }, { debounceMs: 50 });
    const a = w.path('a.ts');
    const batch = c.nextBatch((b) => b.files.length > 0);
    for (let line = 1; line <= 10; line++) w.write('.deep-review/r.json', review(3, 1, [finding('I1', 'important', 'a.ts', line)]));
    await batch;
    await c.waitForDiagnostics(a, (d) => d[0]?.range.start.line === 9);
    // The burst was read in far fewer batches than writes.
    expect(c.reportsRead.filter((b) => !b.initial).length).toBeLessThan(10);
  });

  it('re-publishes only the files a changed report touches', async () => {
    const { w, c } = await sessions.start({
      'a.ts': numberedLines(30),
      'b.ts': numberedLines(30),
      '.deep-review/pr1.json': review(1, 1, [finding('I1', 'important', 'a.ts', 4)]),
      '.deep-review/pr2.json': review(2, 1, [finding('I1', 'important', 'b.ts', 4)]),
    });
    const batch = c.nextBatch((b) => b.reports.some((r) => r.endsWith('pr2.json')));
    w.write('.deep-review/pr2.json', review(2, 1, [finding('I1', 'important', 'b.ts', 8)]));
    const { files } = await batch;
    expect(files.map((f) => f.split('/').pop())).toEqual(['b.ts']);
    expect(codes(c, w.path('a.ts'))).toEqual(['I1@4']);
    expect(codes(c, w.path('b.ts'))).toEqual(['I1@8']);
  });

  it('survives a symlink loop in the review directory', async () => {
    ws = sessions.workspace();
    ws.write('a.ts', numberedLines(10));
    ws.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'a.ts', 2)]));
    symlinkSync(ws.path('.deep-review'), ws.path('.deep-review/loop'));
    symlinkSync(ws.path('.deep-review/self.json'), ws.path('.deep-review/self.json'));
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 } });
    expect(codes(client, ws.path('a.ts'))).toEqual(['I1@2']);
    const self = client.diagnosticsFor(ws.path('.deep-review/self.json'));
    expect(self.map((d) => d.message)).toEqual(['This file is a link that loops back on itself; it is not read']);
  });

  it('updates ranges against the open buffer rather than the file on disk', async () => {
    const { w, c } = await sessions.start({
      'a.ts': numberedLines(3),
      '.deep-review/r1.json': review(3, 1, [finding('I1', 'important', 'a.ts', 10)]),
    });
    const a = w.path('a.ts');
    expect(c.diagnosticsFor(a)[0]?.message).toContain('past the end of the file');
    await c.open(a, numberedLines(20));
    await c.waitForDiagnostics(a, (d) => !(d[0]?.message as string).includes('past the end'));
    expect(codes(c, a)).toEqual(['I1@10']);
  });
});
