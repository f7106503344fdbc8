// Hover cards over real JSON-RPC: findings on cited files, round history and reconciliation, report headers and citations, Markdown and plain-text clients, and the real PR #10637 and PR #336 series.
import { describe, expect, it } from 'vitest';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { pathToFileURL } from 'node:url';
import type { FindingInput } from '../../server/src/model/review.js';
import { defaultCapabilities, type TestClient } from '../support/lspClient.js';
import { useSessions, type Files } from '../support/sessions.js';
import { corpusReports, needCorpus, quotedCodeLines } from '../support/corpusReports.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const sessions = useSessions();

/** Capabilities of a client that takes Markdown hovers (or only plain text). */
function capabilities(formats: string[]) {
  const caps = defaultCapabilities();
  caps.textDocument = { ...caps.textDocument, hover: { contentFormat: formats as never } };
  return caps;
}

async function start(files: Files, formats = ['markdown', 'plaintext'], settings: Record<string, unknown> = {}) {
  const w = sessions.workspace(files);
  const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0, ...settings }, capabilities: capabilities(formats) });
  return { w, c };
}

/** Hovers a file at the first occurrence of `needle` in `text` (or at a 0-based line). */
async function hover(c: TestClient, file: string, at: { text: string; needle: string } | { line: number; character?: number }): Promise<Hover | null> {
  const position = 'needle' in at ? positionOf(at.text, at.needle) : { line: at.line, character: at.character ?? 0 };
  return c.request<Hover | null>('textDocument/hover', { textDocument: { uri: pathToFileURL(file).toString() }, position });
}

function positionOf(text: string, needle: string, offset = 1) {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, index + offset);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

function value(h: Hover | null): string {
  expect(h, 'a hover').not.toBeNull();
  return (h!.contents as MarkupContent).value;
}

const CODE = [
  'export function retry(fn) {',
  '  for (let i = 0; i < 5; i++) {',
  '    try { return fn(); } catch (e) { if (e.status < 500) continue; }',
  '  }',
  '}',
  ...numberedLines(40).trimEnd().split('\n'),
].join('\n') + '\n';

const SNIPPET = '  for (let i = 0; i < 5; i++) {\n    try { return fn(); } catch (e) { if (e.status < 500) continue; }';

function richFinding(extra: Partial<FindingInput> = {}): FindingInput {
  return finding('I1', 'important', 'src/retry.ts', 2, 3, {
    category: 'regression',
    title: '`retry` retries 4xx answers that can never succeed',
    agents: [{ family: 'claude', model: 'Claude Opus 4.7' }, { family: 'codex', model: 'Codex GPT 5.5' }],
    locations: [
      { path: 'src/retry.ts', ranges: [{ start: 2, end: 3 }], anchorText: SNIPPET },
      { path: 'src/other.ts', ranges: [{ start: 4, end: 4 }] },
    ],
    snippet: { info: 'ts', lang: 'ts', role: 'snippet', text: SNIPPET },
    body: `\`\`\`ts\n${SNIPPET}\n\`\`\`\n\nA 404 is retried five times before the caller hears of it.\n\nFix: stop on any 4xx.\n\n\`\`\`diff\n-    if (e.status < 500) continue;\n+    if (e.status < 500) throw e;\n\`\`\``,
    fix: {
      label: 'Fix',
      markdown: 'Fix: stop on any 4xx.\n\n```diff\n-    if (e.status < 500) continue;\n+    if (e.status < 500) throw e;\n```',
      diffs: [{ format: 'plusminus', text: '-    if (e.status < 500) continue;\n+    if (e.status < 500) throw e;' }],
    },
    reconciliation: [
      { agent: { family: 'claude', model: 'Claude Opus 4.7' }, agentLocalId: 'S2', from: 'suggestion', to: 'important', verb: 'promoted', reason: 'Every client of the API hits it' },
      { agent: { family: 'codex', model: 'Codex GPT 5.5' }, agentLocalId: 'I4', from: 'important', to: 'important' },
      { agent: { family: 'gemini', model: 'Gemini 3.1 Pro' }, agentLocalId: 'C1', from: 'critical', to: 'false-positive', reason: 'The 5xx path is covered' },
    ],
    priorRefs: [{ round: 1, localId: 'S1', relation: 'unaddressed', raw: '(round 1 S1 unaddressed)' }],
    ...extra,
  });
}

function series(round2Findings: FindingInput[]): Files {
  return {
    'src/retry.ts': CODE,
    'src/other.ts': numberedLines(10),
    '.deep-review/r1.json': review(7, 1, [
      finding('S1', 'suggestion', 'src/retry.ts', 2, 3, { title: 'Retry loop swallows client errors', agents: [{ family: 'claude', model: 'Claude Opus 4.7' }] }),
      finding('S2', 'suggestion', 'src/other.ts', 8, 8, { title: 'Unused import', resolution: { action: 'fixed', raw: 'Fixed' } }),
    ]),
    '.deep-review/r2.json': review(7, 2, round2Findings, {
      reviewedCommit: { sha: '0123456789abcdef0123456789abcdef01234567', source: 'json' },
      verdict: { label: 'merge-with-fixes', raw: '**Merge with fixes**: one important regression' },
    }),
  };
}

describe('hover on a cited file', () => {
  it('shows one card per finding on the line, most severe first, with everything a reader needs', async () => {
    const files = series([richFinding(), finding('C1', 'critical', 'src/retry.ts', 3, 3, { title: 'Unbounded loop on 5xx' })]);
    const { w, c } = await start(files);
    const h = await hover(c, w.path('src/retry.ts'), { text: CODE, needle: 'try { return' });
    expect((h!.contents as MarkupContent).kind).toBe('markdown');
    const cards = value(h).split('\n\n---\n\n');
    expect(cards).toHaveLength(2);
    expect(cards[0]).toMatch(/^### C1 · Critical/);
    const card = cards[1]!;
    expect(card).toMatch(/^### I1 · Important · regression/);
    expect(card).toContain('**`retry` retries 4xx answers that can never succeed**');
    expect(card).toContain('Claude Opus 4.7, Codex GPT 5.5 · PR #7 · round 2 of 2 · reviewed `0123456789ab`');
    expect(card).toContain('Verdict: Merge with fixes: one important regression');
    // Round 1's S1 is named by the report: promoted from suggestion, and still open.
    expect(card).toContain('History: R1 S1 (Claude) → R2 I1 (promoted, unaddressed) open · persisting');
    // The quoted snippet is at the cited lines: the placer says it found the code there.
    expect(card).toContain('Placed: found by its quoted code · Not resolved');
    expect(card).toContain('A 404 is retried five times');
    // The snippet is the code under the cursor: not repeated.
    expect(card).not.toContain('```ts');
    expect(card).toContain('**Fix**: stop on any 4xx.\n```diff\n-    if (e.status < 500) continue;\n+    if (e.status < 500) throw e;\n```');
    expect(card.match(/stop on any 4xx/g)).toHaveLength(1);
    expect(card).toContain('| Agent | Id | Said | Became | Why |');
    expect(card).toContain('| Claude Opus 4.7 | S2 | suggestion | promoted to important | Every client of the API hits it |');
    expect(card).toContain('| Codex GPT 5.5 | I4 | important | kept |  |');
    expect(card).toContain('| Gemini 3.1 Pro | C1 | critical | dropped: false positive | The 5xx path is covered |');
    // The finding's object in the review JSON, found in the text.
    const reportText = JSON.stringify(JSON.parse(JSON.stringify(files['.deep-review/r2.json'])), null, 2);
    const line = reportText.split('\n').findIndex((l) => l.includes('"id": "I1"'));
    const objectLine = line; // the object's "{" is the line before its first property
    expect(card).toContain(`Report: [.deep-review/r2.json:${objectLine}](${pathToFileURL(w.path('.deep-review/r2.json'))}#L${objectLine})`);
    expect(card).toContain(`Also cited: [src/other.ts:4](${pathToFileURL(w.path('src/other.ts'))}#L4)`);
    expect(h!.range?.start.line).toBe(2);
  });

  it('answers null off every finding', async () => {
    const { w, c } = await start(series([richFinding()]));
    expect(await hover(c, w.path('src/retry.ts'), { line: 30 })).toBeNull();
  });

  it('keeps the quoted snippet when the code under the cursor is no longer what was quoted', async () => {
    const changed = CODE.replace('i < 5', 'i < attempts');
    const { w, c } = await start({ ...series([richFinding()]), 'src/retry.ts': changed });
    const card = value(await hover(c, w.path('src/retry.ts'), { line: 1 }));
    expect(card).toContain('```ts\n  for (let i = 0; i < 5; i++) {');
  });

  it('writes plain text for a client that takes only plain text', async () => {
    const { w, c } = await start(series([richFinding()]), ['plaintext']);
    const h = await hover(c, w.path('src/retry.ts'), { line: 1 });
    expect((h!.contents as MarkupContent).kind).toBe('plaintext');
    const card = value(h);
    expect(card).toMatch(/^I1 · Important · regression\n`retry` retries 4xx/);
    expect(card).not.toContain('**');
    expect(card).not.toContain('```');
    expect(card).toContain('Fix: stop on any 4xx.\n    -    if (e.status < 500) continue;\n    +    if (e.status < 500) throw e;');
    expect(card).toContain('  Claude Opus 4.7 S2: suggestion, promoted to important (Every client of the API hits it)');
    expect(card).toContain('Report: .deep-review/r2.json:');
    expect(card).toContain('Also cited: src/other.ts:4');
  });

  it('folds a long body with a pointer to the report line', async () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1} explains one more thing about it.`).join('\n\n');
    const { w, c } = await start(series([richFinding({ body: paragraphs, snippet: undefined, fix: undefined })]));
    const card = value(await hover(c, w.path('src/retry.ts'), { line: 1 }));
    expect(card).toContain('Paragraph 7 explains');
    expect(card).not.toContain('Paragraph 8 explains');
    expect(card).toMatch(/… \[the rest is in the report at \.deep-review\/r2\.json:\d+\]\(file:.*#L\d+\)/);
    expect(card.split('\n').length).toBeLessThan(40);
  });

  it('says regressed when a finding marked fixed comes back, linked by its fingerprint', async () => {
    const same = (id: string, extra: Partial<FindingInput> = {}) =>
      finding(id, 'suggestion', 'src/other.ts', 5, 5, { title: 'Leaks a *file handle*', locations: [{ path: 'src/other.ts', ranges: [{ start: 5, end: 5 }], anchorText: 'open(path)' }], ...extra });
    const { w, c } = await start(
      {
        // Round 3 cites the quoted code where it is today, line 7.
        'src/other.ts': numberedLines(10).replace('line 7\n', 'open(path)\n'),
        '.deep-review/a.json': review(9, 1, [same('S4', { resolution: { action: 'fixed', raw: 'Fixed in abc123' } })]),
        '.deep-review/b.json': review(9, 2, [finding('S1', 'suggestion', 'src/other.ts', 9)]),
        '.deep-review/c.json': review(9, 3, [same('S2', { locations: [{ path: 'src/other.ts', ranges: [{ start: 7, end: 7 }], anchorText: 'open(path)' }] })]),
      },
      ['markdown'],
    );
    const card = value(await hover(c, w.path('src/other.ts'), { line: 6 }));
    expect(card).toContain('History: R1 S4 (Claude, marked fixed) → R3 S2 open · regressed');
  });

  it('says new for a finding no earlier round has', async () => {
    const { w, c } = await start(series([finding('S9', 'suggestion', 'src/other.ts', 2, 2, { title: 'Brand new thing' })]));
    expect(value(await hover(c, w.path('src/other.ts'), { line: 1 }))).toContain('History: R2 S9 (Claude) open · new');
  });
});

describe('hover in a report file', () => {
  it('shows the round summary on the header: which findings of the previous round this round confirms fixed', async () => {
    const files = series([richFinding()]);
    const { w, c } = await start(files);
    const card = value(await hover(c, w.path('.deep-review/r2.json'), { line: 1 }));
    expect(card).toContain('### Round summary: PR #7 · round 2 of 2');
    expect(card).toContain('Verdict: Merge with fixes: one important regression');
    expect(card).toContain('Findings: 0 critical, 1 important, 0 suggestion; 1 open');
    expect(card).toContain("Of round 1's findings, this round confirms fixed: S2");
    expect(card).toContain('- S1 Retry loop swallows client errors: raised again as I1');
    expect(card).toContain('- S2 Unused import: marked fixed, not raised again');
  });

  it('shows a finding\'s card when hovering its lines in the report, even for a round that is not shown', async () => {
    const files = series([richFinding()]);
    const { w, c } = await start(files);
    const round1 = JSON.stringify(files['.deep-review/r1.json'], null, 2);
    const card = value(await hover(c, w.path('.deep-review/r1.json'), { text: round1, needle: '"title": "Unused import"' }));
    expect(card).toMatch(/^### S2 · Suggestion/);
    expect(card).toContain('PR #7 · round 1 of 2');
    expect(card).toContain('History: R1 S2 (Claude) fixed · new');
    expect(card).toContain('Resolved: Fixed');
    expect(card).not.toContain('Placed:');
  });

  it('puts the previous round\'s outcome on the card of the round\'s first finding', async () => {
    const { w, c } = await start(series([richFinding()]));
    expect(value(await hover(c, w.path('src/retry.ts'), { line: 1 }))).toContain("Of round 1's findings, this round confirms fixed: S2");
  });

  it('shows today\'s cited lines when hovering a path:line citation', async () => {
    const report = `# Deep Review: r\n\n| | |\n|---|---|\n| **Round** | 1 |\n| **PR** | #4 |\n\n## Important Issues\n\nI1. **Loop** — \`src/retry.ts:2-3\` [Claude]\n\nSee also \`other.ts:4\`.\n`;
    const { w, c } = await start({ 'src/retry.ts': CODE, 'src/other.ts': numberedLines(10), '.deep-review/r.md': report });
    const primary = value(await hover(c, w.path('.deep-review/r.md'), { text: report, needle: 'src/retry.ts:2-3' }));
    expect(primary).toContain(`\`src/retry.ts:2-3\` today: [src/retry.ts:2](${pathToFileURL(w.path('src/retry.ts'))}#L2) (on the cited lines)`);
    expect(primary).toContain('```typescript\n  for (let i = 0; i < 5; i++) {\n    try { return fn(); }');
    // A bare name in prose resolves beside the report's own cited paths.
    const bare = value(await hover(c, w.path('.deep-review/r.md'), { text: report, needle: 'other.ts:4' }));
    expect(bare).toContain('today: [src/other.ts:4]');
    expect(bare).toContain('line 4');
  });
});

describe('hover on real series of the corpus', () => {
  it('PR #10637, four Markdown rounds: round 4 of 4 on the cited file, and round 2 confirming all of round 1 fixed', async (ctx) => {
    if (!needCorpus(ctx)) return;
    const rounds = corpusReports(/-pr-10637\.md$/);
    expect(rounds.map((r) => r.name)).toHaveLength(4);
    const files: Files = {};
    for (const round of rounds) files[`.deep-review/${round.name}`] = round.text;
    for (const cited of ['pkg/rancher-desktop/window/preferences.ts', 'pkg/rancher-desktop/config/private-label.js']) files[cited] = quotedCodeLines(rounds, cited, 400);
    const { w, c } = await start(files);

    const card = value(await hover(c, w.path('pkg/rancher-desktop/window/preferences.ts'), { line: 100 }));
    expect(card).toMatch(/^### S1 · Suggestion/);
    expect(card).toContain('Codex GPT 5.6 Sol, Gemini 3.1 Pro · PR #10637 · round 4 of 4 · reviewed `105069d8d642`');
    expect(card).toContain('Verdict: Merge as-is');
    expect(card).toContain('History: R4 S1 (Codex, Gemini) open · new');
    // The quoted code is under the cursor (placed by it), so the card does not repeat it.
    expect(card).not.toContain("window.webContents.on('ipc-message'");
    expect(card).toContain("```diff\n-      window.on('close', () => {");
    expect(card).toContain(`Report: [.deep-review/20260719-173822-pr-10637.md:41](${pathToFileURL(w.path('.deep-review/20260719-173822-pr-10637.md'))}#L41)`);
    expect(card).toContain("Of round 3's findings, this round confirms fixed: none");

    const round2 = value(await hover(c, w.path('.deep-review/20260718-160125-pr-10637.md'), { line: 2 }));
    expect(round2).toContain('Round summary: PR #10637 · round 2 of 4');
    expect(round2).toContain("Of round 1's findings, this round confirms fixed: I1, S1, S2, S3, S4");
    expect(round2).toContain('- I1 Memory-limit chart series lost its dashed, unfilled styling: confirmed fixed');
  });

  it('PR #336, rounds 5 and 6: a finding carried over from a round that is not in the workspace', async (ctx) => {
    if (!needCorpus(ctx)) return;
    const files: Files = {};
    const rounds = corpusReports(/-pr-336\.md$/);
    for (const round of rounds) files[`.deep-review/${round.name}`] = round.text;
    files['pkg/service/cmd/service.go'] = quotedCodeLines(rounds, 'pkg/service/cmd/service.go', 500);
    files['cmd/rdd/service.go'] = quotedCodeLines(rounds, 'cmd/rdd/service.go', 400);
    const { w, c } = await start(files, ['markdown'], { rounds: 'all', showResolved: true });
    const card = value(await hover(c, w.path('pkg/service/cmd/service.go'), { line: 430 }));
    const s1 = card.split('\n\n---\n\n').find((text) => text.includes('`Delete` abandons the process'));
    expect(s1, card).toBeDefined();
    expect(s1).toContain('PR #336 · round 5 of 6');
    expect(s1).toContain('History: R4 S6 (not in the workspace) → R5 S1 (unaddressed) skipped · persisting');
    expect(s1).toMatch(/Resolved: .*[Ss]kipped/);

    const summary = value(await hover(c, w.path('.deep-review/20260422-150402-pr-336.md'), { line: 2 }));
    expect(summary).toContain('Round summary: PR #336 · round 6 of 6');
    expect(summary).toMatch(/Of round 5's findings, this round confirms fixed: I1, I2, I3/);
  });
});
