// Hostile workspaces and reports, through the real protocol: each case shows the message the user gets,
// and that nothing outside the workspace is read or published and no program of the workspace runs.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/server.js';
import { hasGit, hostileRepository } from '../support/hostile.js';
import { defaultCapabilities, type TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const sessions = useSessions();
const codes = (c: TestClient, file: string) => c.diagnosticsFor(file).map((d) => `${d.code}@${d.range.start.line + 1}`);
const messages = (c: TestClient, file: string) => c.diagnosticsFor(file).map((d) => d.message);
/** Every URI that got at least one diagnostic. */
const publishedUris = (c: TestClient) => [...c.diagnostics.entries()].filter(([, d]) => d.length > 0).map(([uri]) => uri);

describe('git never runs what the workspace configures', () => {
  it.skipIf(!hasGit)('a hostile .git/config and a report of 3,000 commits: the right file is chosen, in one batch, and no hook runs', async () => {
    const w = sessions.workspace();
    const { marker, shas } = hostileRepository(w);
    const commits = [...Array.from({ length: 3000 }, (_, i) => ({ sha: (0xabc0000 + i).toString(16).padStart(9, '0') })), { sha: shas[1]!.slice(0, 10) }];
    w.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'util.go', 2)], { commits }));
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    expect(codes(c, w.path('b/util.go'))).toEqual(['I1@2']);
    expect(c.diagnosticsFor(w.path('a/util.go'))).toEqual([]);
    expect(existsSync(marker) ? readFileSync(marker, 'utf8') : 'nothing ran').toBe('nothing ran');
  });
});

describe('nothing outside the workspace folder is read or published', () => {
  it.each([
    ['/usr', 'deepReview.directory: must be a path relative to the workspace folder, not an absolute path; keeping ".deep-review"'],
    ['\u0000', 'deepReview.directory: must not contain control characters; keeping ".deep-review"'],
    ['.', 'deepReview.directory: must name a directory inside the workspace folder, not the folder itself; keeping ".deep-review"'],
    ['./', 'deepReview.directory: must name a directory inside the workspace folder, not the folder itself; keeping ".deep-review"'],
    ['~', 'deepReview.directory: must be relative to the workspace folder ("~" is not expanded); keeping ".deep-review"'],
    ['~/reviews', 'deepReview.directory: must be relative to the workspace folder ("~" is not expanded); keeping ".deep-review"'],
    ['C:\\reviews', 'deepReview.directory: must be a path relative to the workspace folder, not an absolute path; keeping ".deep-review"'],
  ])('the directory setting %j is refused with a message, and the default directory is read', async (directory, message) => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(9), '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'a.ts', 3)]) }, { debounceMs: 0, directory });
    expect(c.messages.map((m) => m.message)).toEqual([message]);
    expect(codes(c, w.path('a.ts'))).toEqual(['I1@3']);
    expect(publishedUris(c).every((uri) => uri.startsWith(pathToFileURL(w.root).toString() + '/'))).toBe(true);
  });

  it('a review directory that is a link to an outside directory is refused with a message; nothing of it is published', async () => {
    const outside = sessions.workspace({ 'reviews/r.json': review(1, 1, [finding('I1', 'important', 'a.ts', 3)]), 'a.ts': numberedLines(9) });
    const w = sessions.workspace({ 'a.ts': numberedLines(9) });
    symlinkSync(outside.path('reviews'), w.path('.deep-review'));
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    expect(c.messages.map((m) => m.message)).toEqual([
      `The review directory .deep-review leads to ${outside.path('reviews')}, outside the workspace folder ${w.root}; it is not read`,
    ]);
    expect(publishedUris(c)).toEqual([]);
  });

  it('a review directory replaced by such a link while the server runs: its findings go, with the message', async () => {
    const outside = sessions.workspace({ 'reviews/r.json': review(1, 1, [finding('I9', 'important', 'a.ts', 3)]) });
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(9), 'reviews/r.json': review(1, 1, [finding('I1', 'important', 'a.ts', 3)]) }, { debounceMs: 0, directory: 'reviews' });
    expect(codes(c, w.path('a.ts'))).toEqual(['I1@3']);
    w.remove('reviews');
    symlinkSync(outside.path('reviews'), w.path('reviews'));
    await c.waitFor('the refusal', () => c.messages.length > 0);
    expect(c.messages.map((m) => m.message)).toEqual([`The review directory reviews leads to ${outside.path('reviews')}, outside the workspace folder ${w.root}; it is not read`]);
    await c.waitForDiagnostics(w.path('a.ts'), (d) => d.length === 0);
    expect(publishedUris(c)).toEqual([]);
  });

  it('a cited file reached through a link to outside the workspace is neither read nor published, and the report says so', async () => {
    const outside = sessions.workspace({ 'secret.ts': numberedLines(3) });
    const w = sessions.workspace({
      'a.ts': numberedLines(9),
      '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'link/secret.ts', 40), finding('I2', 'important', 'file.ts', 40), finding('I3', 'important', 'a.ts', 2)]),
    });
    symlinkSync(outside.root, w.path('link'));
    symlinkSync(outside.path('secret.ts'), w.path('file.ts'));
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    expect(messages(c, w.path('.deep-review/r.json'))).toEqual([
      'Finding I1: The path "link/secret.ts" leads through a link to a place outside the workspace folder; it is not shown',
      'Finding I2: The path "file.ts" leads through a link to a place outside the workspace folder; it is not shown',
    ]);
    expect(publishedUris(c).sort()).toEqual([pathToFileURL(w.path('.deep-review/r.json')).toString(), pathToFileURL(w.path('a.ts')).toString()].sort());
    // The outside file's length never shows in any message.
    expect(JSON.stringify([...c.diagnostics.values()])).not.toMatch(/has 3 lines/);
  });
});

describe('a small report cannot hide everything else', () => {
  it('one finding of 2,000 ranges with a 300 KB raw text is published, bounded, beside another report\'s problems', async () => {
    const raw = `src/a.ts ${'x'.repeat(300_000)}`;
    const { w, c } = await sessions.start({
      'src/a.ts': numberedLines(3000),
      '.deep-review/big.json': review(1, 1, [
        { ...finding('I1', 'important', 'src/a.ts', 1), locations: [{ path: 'src/a.ts', raw, ranges: Array.from({ length: 2000 }, (_, i) => ({ start: i + 1, end: i + 1 })) }] },
      ]),
      '.deep-review/broken.json': '{ "schemaVersion": 1, ',
    });
    const [d] = c.diagnosticsFor(w.path('src/a.ts'));
    expect(d?.message).toBe('I1 title [Claude Opus 4.7] (PR #1 round 1) (+1949 more cited locations)');
    expect(d?.relatedInformation).toHaveLength(50);
    expect(d?.relatedInformation?.[0]?.message).toMatch(/^Also cited: src\/a\.ts x{400,}… \(\d+ more characters\)$/);
    expect(JSON.stringify(d).length).toBeLessThan(100_000);
    expect(messages(c, w.path('.deep-review/broken.json'))).toEqual(['Invalid JSON: property name expected']);
  });

  it('JSON nested 5,000 levels deep: the report\'s other findings are still shown', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const good = JSON.stringify(finding('I1', 'important', 'a.ts', 3));
    const text = `{"schemaVersion": 1, "pr": {"number": 1}, "round": {"number": 1}, "findings": [${good}, {"id": "I2", "severity": "important", "title": ${deep}, "locations": []}]}`;
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(9), '.deep-review/deep.json': text });
    expect(codes(c, w.path('a.ts'))).toEqual(['I1@3']);
    expect(messages(c, w.path('.deep-review/deep.json'))).toEqual(['Finding I2 (findings[1]) is not shown: findings[1].title: Invalid input: expected string, received array']);
  });

  it('positions beyond LSP\'s 2^31-1 are clamped', async () => {
    const huge = 9007199254740990;
    // A cited file that exists: the line is brought into it (a missing one is shown on its report).
    const { w, c } = await sessions.start({ 'src/short.ts': 'line 1\nline 2\nline 3', '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'src/short.ts', huge, huge)]) });
    const [d] = c.diagnosticsFor(w.path('src/short.ts'));
    expect(d?.range.start.line).toBe(2);
    expect(d?.range.end.line).toBe(2);
    expect(d?.message).toContain(`(cited line ${huge} is past the end of the file, which has 3 lines)`);
  });

  it('control characters of a report reach the editor as visible symbols, never raw', async () => {
    const title = 'Title \u001b]0;owned\u0007 with \u001b[8mhidden\u001b[0m text\u0000 and\ttab';
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(9), '.deep-review/r.json': review(1, 1, [finding('I1\u001b[2J', 'important', 'a.ts', 3, 3, { title })]) });
    const [d] = c.diagnosticsFor(w.path('a.ts'));
    expect(d?.message).toBe('Title ␛]0;owned␇ with ␛[8mhidden␛[0m text␀ and tab [Claude Opus 4.7] (PR #1 round 1)');
    expect(d?.code).toBe('I1␛[2J');
  });
});

describe('the review directory and its files, unlucky or hostile', () => {
  it('a directory named like a report is no report, and gets no error', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(9), '.deep-review/x.json/r.json': review(1, 1, [finding('I1', 'important', 'a.ts', 3)]) });
    mkdirSync(w.path('.deep-review/y.json'));
    w.write('.deep-review/z.json', review(1, 2, [finding('I2', 'important', 'a.ts', 4)]));
    await c.waitForDiagnostics(w.path('a.ts'), (d) => d.map((x) => x.code).join() === 'I2');
    expect(c.diagnosticsFor(w.path('.deep-review/x.json'))).toEqual([]);
    expect(c.diagnosticsFor(w.path('.deep-review/y.json'))).toEqual([]);
  });

  it('a .markdown report is re-checked when a review JSON of its name appears', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(9), '.deep-review/r.markdown': '# Deep Review: PR #1\n\n## Critical\n\nNone.\n' });
    w.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'a.ts', 3)]));
    const shadowed = await c.waitForDiagnostics(w.path('.deep-review/r.markdown'), (d) => d.some((x) => x.code === 'shadowed'));
    expect(shadowed.filter((x) => x.code === 'shadowed').map((x) => x.message)).toEqual(['r.json has the same name and is used instead of this report']);
  });

  it('two reports of the same name in different folders give the same result live and after a restart', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(20), '.deep-review/b/r.json': review(3, 1, [finding('I2', 'important', 'a.ts', 6)]) });
    w.write('.deep-review/a/r.json', review(3, 1, [finding('I1', 'important', 'a.ts', 4)]));
    await c.waitFor('the second report read', () => c.reportsRead.some((b) => b.reports.some((r) => r.endsWith('/a/r.json'))));
    const live = codes(c, w.path('a.ts'));
    const fresh = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    expect(codes(fresh, w.path('a.ts'))).toEqual(live);
    expect(live).toEqual(['I2@6']);
  });

  it('steady writes do not postpone reading past the debounce\'s maximum wait', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(90), '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'a.ts', 1)]) }, { debounceMs: 300 });
    let n = 1;
    // Writes every 50 ms, well inside the 300 ms debounce, for as long as the test waits.
    const writer = setInterval(() => w.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'a.ts', ++n)])), 50);
    try {
      await c.waitForDiagnostics(w.path('a.ts'), (d) => (d[0]?.range.start.line ?? 0) > 0, 'a read while the writes go on');
    } finally {
      clearInterval(writer);
    }
  });
});

describe('the LSP lifecycle', () => {
  /** A server with a raw connection: no handshake done. */
  function rawServer() {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverConnection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(serverConnection);
    const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    connection.onRequest('workspace/configuration', () => [null]);
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    return {
      connection,
      close: () => {
        connection.dispose();
        serverConnection.dispose();
      },
    };
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: ResponseError<unknown>) => `${error.code}: ${error.message}`,
    );

  it('requests before initialize are refused as not initialized', async () => {
    const { connection, close } = rawServer();
    try {
      expect(await failure(connection.sendRequest('workspace/executeCommand', { command: 'deepReview.reload', arguments: [] }))).toBe(
        '-32002: The server is not initialized yet: send initialize first',
      );
    } finally {
      close();
    }
  });

  it('a second initialize is refused, and requests after shutdown are refused', async () => {
    const w = sessions.workspace({ '.deep-review/.keep': '' });
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    expect(await failure(c.request('initialize', { processId: null, rootUri: null, capabilities: {} }))).toBe(
      '-32600: The server is already initialized; initialize is accepted once',
    );
    await c.request('shutdown');
    expect(await failure(c.request('workspace/executeCommand', { command: 'deepReview.reload', arguments: [] }))).toBe(
      '-32600: The server is shutting down; it serves no more requests',
    );
  });

  it('a client that never answers workspace/configuration still gets diagnostics, from initializationOptions', async () => {
    const w = sessions.workspace({ 'a.ts': numberedLines(9), '.deep-review/r.json': review(1, 1, [finding('I1', 'important', 'a.ts', 3), finding('S1', 'suggestion', 'a.ts', 5)]) });
    const c = await sessions.client({
      folders: [w.root],
      neverAnswerConfiguration: true,
      initializationOptions: { deepReview: { debounceMs: 0, minimumSeverity: 'important' } },
      capabilities: defaultCapabilities(),
    });
    expect(codes(c, w.path('a.ts'))).toEqual(['I1@3']);
    expect(c.logs).toContain('The client did not answer workspace/configuration within 3000 ms; going on with initializationOptions or the defaults');
  });
});
