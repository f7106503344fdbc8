import { execFileSync } from 'node:child_process';
import { chmodSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let client: TestClient | undefined;
let ws: TempWorkspace | undefined;

const sessions = useSessions();


const summary = (diagnostics: Diagnostic[]) => diagnostics.map((d) => ({ line: d.range.start.line, character: d.range.start.character, message: d.message }));

describe('bad report files: each gets a clear message and loses nothing', () => {
  it('invalid JSON: a diagnostic at the error position', async () => {
    const { w, c } = await sessions.start({ '.deep-review/bad.json': '{\n  "schemaVersion": 1,\n  "findings": [ }\n' });
    expect(summary(c.diagnosticsFor(w.path('.deep-review/bad.json')))).toEqual([
      { line: 2, character: 16, message: 'Invalid JSON: value expected' },
    ]);
  });

  it('an empty file and a non-review JSON file', async () => {
    const { w, c } = await sessions.start({ '.deep-review/empty.json': '', '.deep-review/other.json': { name: 'not a review' } });
    expect(summary(c.diagnosticsFor(w.path('.deep-review/empty.json')))).toEqual([{ line: 0, character: 0, message: 'The review file is empty' }]);
    expect(c.diagnosticsFor(w.path('.deep-review/other.json')).map((d) => d.message)).toEqual(['Not a review file: "schemaVersion": 1 is missing']);
  });

  it('schema errors: a diagnostic at the offending field; the valid findings in the same file are still shown', async () => {
    const text = JSON.stringify(
      review(1, 1, [
        finding('I1', 'important', 'src/a.ts', 3),
        { ...finding('I2', 'important', 'src/a.ts', 5), severity: 'blocker' as never },
        { ...finding('I3', 'important', 'src/a.ts', 7), locations: [{ path: 'src/a.ts', ranges: [{ start: 0, end: 2 }] }] },
      ]),
      null,
      2,
    );
    const { w, c } = await sessions.start({ 'src/a.ts': numberedLines(10), '.deep-review/r.json': text });
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => d.code)).toEqual(['I1']);
    const problems = c.diagnosticsFor(w.path('.deep-review/r.json'));
    expect(problems.map((d) => d.message)).toEqual([
      'Finding I2 (findings[1]) is not shown: findings[1].severity: Invalid option: expected one of "critical"|"important"|"suggestion"',
      'Finding I3 (findings[2]) is not shown: findings[2].locations[0].ranges[0].start: Too small: expected number to be >=1',
    ]);
    const lines = text.split('\n');
    expect(lines[problems[0]!.range.start.line]).toContain('"blocker"');
    expect(lines[problems[1]!.range.start.line]).toContain('"start": 0');
  });

  it('a bad header field is ignored with a warning; the findings stay', async () => {
    const { w, c } = await sessions.start({ 'src/a.ts': numberedLines(10), '.deep-review/r.json': { ...review(1, 1, [finding('I1', 'important', 'src/a.ts', 3)]), round: { number: 'two' } } });
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => d.code)).toEqual(['I1']);
    expect(c.diagnosticsFor(w.path('.deep-review/r.json')).map((d) => d.message)).toEqual([
      'round.number: Invalid input: expected number, received string; "round" is ignored',
    ]);
  });

  it('an unsupported schema version', async () => {
    const { w, c } = await sessions.start({ 'src/a.ts': numberedLines(10), '.deep-review/r.json': { ...review(1, 1, []), schemaVersion: 7 } });
    expect(c.diagnosticsFor(w.path('.deep-review/r.json')).map((d) => d.message)).toEqual([
      'Unsupported "schemaVersion" 7; this server reads version 1',
    ]);
  });

  it('a report that turns invalid keeps its last good version in effect, and says so', async () => {
    const { w, c } = await sessions.start({ 'src/a.ts': numberedLines(10), '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'src/a.ts', 3)]) });
    const report = w.path('.deep-review/r.json');
    w.write('.deep-review/r.json', { ...review(1, 1, [finding('I1', 'important', 'src/a.ts', 9)]), schemaVersion: 'one' });
    const problems = await c.waitForDiagnostics(report, (d) => d.length > 0);
    expect(problems[0]?.message).toMatch(/^This version of the report cannot be used; the last good version \(read \S+\) stays in effect until it is fixed$/);
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => `${d.code}@${d.range.start.line + 1}`)).toEqual(['I1@3']);
  });

  it('a file over the size limit is not read', async () => {
    const big = JSON.stringify(review(1, 1, [finding('I1', 'important', 'src/a.ts', 3, 3, { body: 'x'.repeat(3000) })]));
    const { w, c } = await sessions.start({ '.deep-review/big.json': big }, { debounceMs: 0, maxFileSizeKb: 2 });
    expect(c.diagnosticsFor(w.path('src/a.ts'))).toEqual([]);
    expect(c.diagnosticsFor(w.path('.deep-review/big.json')).map((d) => d.message)).toEqual([
      'This report is 4 KB, over the 2 KB limit (setting deepReview.maxFileSizeKb); it is not read',
    ]);
  });

  it('a file that is not UTF-8', async () => {
    const prefix = Buffer.from('{"schemaVersion": 1, "title": "caf');
    const bytes = Buffer.concat([prefix, Buffer.from([0xe9]), Buffer.from('"}')]);
    const { w, c } = await sessions.start({ '.deep-review/latin1.json': bytes });
    expect(c.diagnosticsFor(w.path('.deep-review/latin1.json')).map((d) => d.message)).toEqual([
      `This file is not valid UTF-8 (first bad byte at offset ${prefix.length}); save it as UTF-8`,
    ]);
  });

  it('unreadable files: a dangling link, a FIFO, a link out of the workspace, and a file without read permission', async () => {
    ws = sessions.workspace();
    const outside = sessions.workspace();
    ws.write('src/a.ts', numberedLines(5));
    ws.write('.deep-review/good.json', review(1, 1, [finding('I1', 'important', 'src/a.ts', 2)]));
    symlinkSync(ws.path('.deep-review/missing.json'), ws.path('.deep-review/dangling.json'));
    execFileSync('mkfifo', [ws.path('.deep-review/fifo.json')]);
    symlinkSync(outside.write('secret.json', review(9, 1, [])), ws.path('.deep-review/outside.json'));
    const locked = ws.write('.deep-review/locked.json', review(2, 1, [finding('I9', 'important', 'src/a.ts', 1)]));
    chmodSync(locked, 0o000);
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 } });
    const message = (name: string) => client!.diagnosticsFor(ws!.path(`.deep-review/${name}`)).map((d) => d.message);
    expect(message('dangling.json')).toEqual(['This file no longer exists, or is a link to a file that does not exist']);
    expect(message('fifo.json')).toEqual(['This is not a regular file; it is not read']);
    expect(message('outside.json')).toEqual([expect.stringMatching(/^This file is a link to .*secret\.json, outside the workspace folder; it is not read$/)]);
    // Root reads any file whatever its mode; elsewhere the permission error is the message.
    if (process.getuid?.() !== 0) expect(message('locked.json')).toEqual(['This file cannot be read (permission denied)']);
    expect(client.diagnosticsFor(ws.path('src/a.ts')).map((d) => d.code)).toContain('I1');
  });

  it('paths that escape the workspace are never published and are flagged on the report', async () => {
    const { w, c } = await sessions.start({
      'src/a.ts': numberedLines(10),
      '.deep-review/r.json': review(1, 1, [
        finding('I1', 'important', '../outside.ts', 3),
        finding('I2', 'important', '/etc/passwd', 1),
        finding('I3', 'important', 'src/../../x.ts', 1),
        finding('I4', 'important', 'src/a.ts', 5, 5, { locations: [{ path: 'C:\\Windows\\x.ts', ranges: [{ start: 1, end: 1 }] }, { path: 'src/a.ts', ranges: [{ start: 5, end: 5 }] }] }),
      ]),
    });
    const published = [...c.diagnostics.keys()].filter((uri) => (c.diagnostics.get(uri) ?? []).length > 0);
    expect(published.every((uri) => uri.startsWith(`file://${w.root}/`))).toBe(true);
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => d.code)).toEqual(['I4']);
    expect(c.diagnosticsFor(w.path('.deep-review/r.json')).map((d) => d.message)).toEqual([
      'Finding I1: The path "../outside.ts" leaves the workspace folder; it is not shown',
      'Finding I2: The path "/etc/passwd" is an absolute path; cited paths must be relative to the workspace folder; it is not shown',
      'Finding I3: The path "src/../../x.ts" leaves the workspace folder; it is not shown',
      'Finding I4: The path "C:\\Windows\\x.ts" is an absolute path; cited paths must be relative to the workspace folder; it is not shown',
    ]);
  });

  it('duplicate finding ids: both shown, the second flagged', async () => {
    const { w, c } = await sessions.start({
      'src/a.ts': numberedLines(10),
      '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'src/a.ts', 3), finding('I1', 'important', 'src/a.ts', 8)]),
    });
    const diagnostics = c.diagnosticsFor(w.path('src/a.ts'));
    expect(diagnostics.map((d) => (d.data as { key: string }).key)).toEqual(['.deep-review/r.json#I1', '.deep-review/r.json#I1~2']);
    expect(c.diagnosticsFor(w.path('.deep-review/r.json')).map((d) => d.message)).toEqual([
      'Duplicate finding id "I1" (also used by finding 1); both are shown, but references to "I1" are ambiguous',
    ]);
  });

  it('an empty review directory and a missing one publish nothing and fail nothing', async () => {
    const { w, c } = await sessions.start({ '.deep-review/.keep': '' });
    expect([...c.diagnostics.values()].flat()).toEqual([]);
    expect(c.messages).toEqual([]);
    w.remove('.deep-review');
    ws = sessions.workspace();
    const other = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 } });
    expect([...other.diagnostics.values()].flat()).toEqual([]);
  });

  it('reversed line ranges are read the right way round, with a warning', async () => {
    const { w, c } = await sessions.start({ 'src/a.ts': numberedLines(10), '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'src/a.ts', 9, 4)]) });
    const [d] = c.diagnosticsFor(w.path('src/a.ts'));
    expect([d?.range.start.line, d?.range.end.line]).toEqual([3, 8]);
    expect(c.diagnosticsFor(w.path('.deep-review/r.json')).map((x) => x.message)).toEqual([
      'Finding I1: line range 9-4 ends before it starts; read as 4-9',
    ]);
  });

  it('invalid settings are reported and the previous values kept', async () => {
    const { w, c } = await sessions.start({ 'src/a.ts': numberedLines(10), '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'src/a.ts', 3)]) }, {
      debounceMs: 0,
      minimumSeverity: 'blocker',
      rounds: 'latest',
    });
    expect(c.messages.map((m) => m.message)).toEqual([
      'deepReview.minimumSeverity: Invalid option: expected one of "critical"|"important"|"suggestion"; keeping "suggestion"',
    ]);
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => d.code)).toEqual(['I1']);
  });
});
