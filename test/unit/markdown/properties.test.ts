/**
 * The reader never throws and never hangs: on random text, on truncated,
 * shuffled and mutated reports, and on pathological input. Whatever it returns
 * is a valid review with problems placed inside the text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Review } from '../../../server/src/model/review.js';
import { readMarkdownReport } from '../../../server/src/reports/markdown/readMarkdownReport.js';
import { corpusAvailable, corpusFiles } from './corpus.js';
import { report } from './fixtures.js';

// No timing assertions here (speed lives in `npm run bench`): a hang is caught by
// the test timeout, and these inputs are sized so that a quadratic reader would hit it.

const BASE = report(
  `
## 1. Consolidated Review

### Executive Summary

Summary with \`code\` and a [link](https://example.com).

### Critical Findings

**[CRITICAL] app.go:58 + b.go:2 — Finalizer stripped** [Codex GPT 5.4, Gemini 3.1 Pro]

Problem: x.

Fix: y.

---

### Important Issues

1. **Numbered** — \`pkg/a.go:10-20, 30-31\` [Claude Opus 4.6] (important, regression) (pass 2)

\`\`\`go
// pkg/a.go:10-20
foo()
\`\`\`

Gemini rated this critical; Codex rated it important. The actual severity is important.

Fix options, in order of preference:
1. One.
2. Two.

~~2. **Struck** -- FIXED: done.~~

2. ~~**Invalid**~~ **INVALID** — no.

## Suggestions

S1. **Lettered** — \`c.go:1\`, also \`d/e.go:5\` and \`f/\` [orchestrator] (round 4 S6 unaddressed)

\`\`\`diff
 keep
-old
+new
\`\`\`

*(suggestion, gap — old.)*

**Skipped.** Later.

S2. Title-less — \`27b856a46:x/y.ts:1-2\` [Qwen 3.6 35B]

## Agent Performance Retro

| | Claude |
|---|---|
| Downgraded | 1 (I→S) |

**Reconciliation.** Claude P1 \`x\` race: important → suggestion S1 (downgraded; narrow). Its I2 became S2 (suggestion).

## Appendix: Original Reviews

### [Claude] — Pass 1

# Deep Review — PR #1

## Important Issues

I1. **Lettered** — \`c.go:1\` (important, regression)

\`\`\`\`
unbalanced

### [Codex] — Pass 1

**IMPORTANT** app.go:58 — Finalizer

---

## Resolution

| | |
|---|---|
| **Addressed** | 2026-08-01 |

| # | Finding | Action | Reason |
|---|---|---|---|
| 1 | Suggestion #1: Lettered | Fixed | because |
| 2 | Important #9: gone | Skipped | |
`,
  [
    '| **Date** | 2026-04-22 15:04 |',
    '| **Round** | 4 (of PR #309) |',
    '| **PR** | [#336](https://github.com/o/r/pull/336) — title |',
    '| **Commits** | `fca9713` a<br>`0123abc` b |',
    '| **Reviewers** | Claude Opus 4.7 (effort: xhigh), ~~Gemini 3.1 Pro~~ (429 capacity) |',
    '| **Verdict** | **Merge with fixes** — why |',
    '| **Wall-clock time** | `9 h 31 min 41 s` |',
  ],
);

/** Reads a text and checks what every result must satisfy; returns how long the read took (for messages only). */
function check(text: string): number {
  const start = performance.now();
  const result = readMarkdownReport(text, { fileName: 'p.md' });
  const ms = performance.now() - start;
  for (const p of result.problems) {
    expect(p.offset).toBeGreaterThanOrEqual(0);
    expect(p.length).toBeGreaterThanOrEqual(0);
    expect(p.offset + p.length).toBeLessThanOrEqual(text.length);
    expect(p.message).not.toBe('');
  }
  if (result.review !== undefined) {
    expect(Review.safeParse(result.review).success).toBe(true);
    const ids = result.review.findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    const lines = text.split('\n').length;
    for (const f of result.review.findings) expect(f.span!.endLine).toBeLessThanOrEqual(lines);
  } else {
    expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
  }
  return ms;
}

const TOKENS = [
  '#', '## ', '### ', '\n', '\n\n', ' ', '  ', '**', '*', '_', '`', '```', '````', '~~', '[', ']', '(', ')', '|', '---', '—', '--', ':', ',', ';', '<br>',
  'I1. ', 'S12. ', 'C1.', '1. ', '2) ', '- ', '> ', 'Critical Issues', 'Important Issues', 'Suggestions', '## Appendix: Original Reviews',
  '### [Claude] — Pass 1', '## Resolution', '| **Date** | 2026-04-22 15:04 |', '|---|---|', 'a.go:1-2', 'pkg/x.ts:3,5-9', '`b.go:7`',
  '[Claude Opus 4.7]', '[orchestrator]', '(important, regression)', '(round 2 S3 unaddressed)', 'Fix:', 'Fix options:', '```diff',
  '```diff patch', 'diff --git a/x b/x', '→', '**Reconciliation.**', 'Gemini C1', 'became', 'Demoted from Claude\'s Important:', '**Skipped.**',
  '~~2. **x** -- FIXED: y~~', '**[CRITICAL] a.go:1 — t**', '# Deep Review: x', '| | |', 'é', '🙂', '\t', '\r\n',
];
const markdownish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 400 }).map((parts) => parts.join(''));

describe('the reader on hostile input', () => {
  it('survives random Markdown-like text', () => {
    fc.assert(fc.property(markdownish, (text) => void check(text)), { numRuns: 200 });
  });

  it('survives random Unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), (text) => void check(text)), { numRuns: 100 });
  });

  it('survives a report truncated anywhere', () => {
    fc.assert(fc.property(fc.nat(BASE.length), (n) => void check(BASE.slice(0, n))), { numRuns: 150 });
  });

  it('survives a report with its sections or lines shuffled', () => {
    const sections = BASE.split(/(?=^#{1,3} )/m);
    fc.assert(
      fc.property(fc.shuffledSubarray(sections, { minLength: sections.length, maxLength: sections.length }), (parts) => void check(parts.join(''))),
      { numRuns: 100 },
    );
    const lines = BASE.split('\n');
    fc.assert(fc.property(fc.shuffledSubarray(lines, { minLength: 1 }), (parts) => void check(parts.join('\n'))), { numRuns: 100 });
  });

  it('survives a report with random edits', () => {
    const edit = fc.record({ at: fc.nat(BASE.length), remove: fc.nat(40), insert: fc.constantFrom(...TOKENS, '') });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        let text = BASE;
        for (const e of edits) {
          const at = Math.min(e.at, text.length);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        check(text);
      }),
      { numRuns: 150 },
    );
  });

  it.skipIf(!corpusAvailable)('survives a real report truncated or edited anywhere', () => {
    const text = corpusFiles('20260610-120801-pr-10420.md').text;
    fc.assert(fc.property(fc.nat(text.length), (n) => void check(text.slice(0, n))), { numRuns: 25 });
    fc.assert(
      fc.property(fc.nat(text.length), fc.constantFrom(...TOKENS), (at, insert) => void check(text.slice(0, at) + insert + text.slice(at))),
      { numRuns: 25 },
    );
  });

  it.each([
    ['an endless run of parentheses in a header line', `## Suggestions\n\nS1. **t** — ${'('.repeat(200_000)}`],
    ['an endless run of backticks in a header line', `## Suggestions\n\nS1. **t** — ${'`'.repeat(100_000)}`],
    ['an endless bold title', `## Suggestions\n\nS1. **${'a '.repeat(100_000)}`],
    ['unbalanced brackets', `## Suggestions\n\nS1. **t** — ${'[a '.repeat(50_000)}`],
    ['a citation of many colons', `## Suggestions\n\nS1. **t** — \`${'a:'.repeat(50_000)}1\``],
    ['a huge table cell', `# Deep Review: x\n\n| | |\n|---|---|\n| **Wall-clock time** | ${' '.repeat(100_000)}x |\n| **Verdict** | **${'*'.repeat(50_000)} |\n`],
    ['a paragraph of emphasis closers that never pair', `## Suggestions\n\nS1. **t** — ${'a_ a* '.repeat(30_000)}`],
    ['list items nested on one line', `## Suggestions\n\n${'- '.repeat(5_000)}S1. **t**`],
    ['a deeply nested quote', `## Suggestions\n\n${'> '.repeat(5_000)}S1. **t**`],
    ['a deeply nested list', `## Suggestions\n\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n')}`],
    ['thousands of findings', `## Suggestions\n\n${Array.from({ length: 3000 }, (_, i) => `S${(i % 999) + 1}. **t${i}** — \`a.go:${i + 1}\` [Claude Opus 4.7]`).join('\n\n')}`],
    ['an appendix of many agent lines', `## Suggestions\n\nS1. **t** — \`a.go:1\` [Claude Opus 4.7]\n\n## Appendix: Original Reviews\n\n### [Claude]\n\n${'I1. **x** — `a.go:1` (important, gap)\n'.repeat(20_000)}`],
    ['a long reconciliation statement', `## Suggestions\n\nS1. **t** — \`a.go:1\`\n\n## Agent Performance Retro\n\n**Reconciliation.** ${'Claude Claude Claude I1 (x (y (z: critical → '.repeat(5_000)}`],
  ])('reads %s without hanging', (_, text) => {
    check(text);
  });
});
