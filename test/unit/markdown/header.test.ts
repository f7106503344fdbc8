/**
 * The title line, the header table and the document outline, one written form
 * per test (FORMAT.md §1, §3, §4).
 */
import { describe, expect, it } from 'vitest';
import { extractReviewShaFromHtml } from '../../../server/src/reports/markdown/readMarkdownReport.js';
import { read, report, reviewOf } from './fixtures.js';

const withRows = (...rows: string[]) => reviewOf(report('## Suggestions\n\nS1. **t** — `a.go:1` [Claude Opus 4.7]', rows));
const SHA = '4f25dd6e47f98e1c827cc1158f3e67c7979211f7';

describe('header table', () => {
  it('reads dates with and without a time', () => {
    expect(withRows('| **Date** | 2026-04-22 15:04 |')).toMatchObject({ date: '2026-04-22T15:04', dateRaw: '2026-04-22 15:04' });
    expect(withRows('| **Date** | 2026-03-20 |')).toMatchObject({ date: '2026-03-20', dateRaw: '2026-03-20' });
  });

  it('reads the repository as a link or bare, and infers it from the PR link when absent', () => {
    expect(withRows('| **Repo** | [lima-vm/lima](https://github.com/lima-vm/lima) |').repository).toEqual({
      slug: 'lima-vm/lima',
      url: 'https://github.com/lima-vm/lima',
      raw: '[lima-vm/lima](https://github.com/lima-vm/lima)',
    });
    expect(withRows('| **Repo** | mikefarah/yq |').repository).toEqual({ slug: 'mikefarah/yq', raw: 'mikefarah/yq' });
    expect(withRows('| **PR** | [#7](https://github.com/o/r/pull/7) — t |').repository).toEqual({ slug: 'o/r', url: 'https://github.com/o/r' });
  });

  it.each([
    ['6', { number: 6 }],
    ['4 (of PR #309)', { number: 4, of: 'PR #309' }],
    ['1 (of target)', { number: 1, of: 'target' }],
    ['2 (of pr-10280)', { number: 2, of: 'pr-10280' }],
    ['1 (of #10637)', { number: 1, of: '#10637' }],
    ['1 (of inspect-tab)', { number: 1, of: 'inspect-tab' }],
    ['1 (of fix/ga-sock-reconnect)', { number: 1, of: 'fix/ga-sock-reconnect' }],
    ['6 (of PR 638)', { number: 6, of: 'PR 638' }],
  ])('reads the round "%s"', (cell, expected) => {
    expect(withRows(`| **Round** | ${cell} |`).round).toEqual({ ...expected, raw: cell });
  });

  it('reads the mode', () => {
    expect(withRows('| **Mode** | Thorough (3 passes) |').mode).toEqual({ kind: 'thorough', passes: 3, raw: 'Thorough (3 passes)' });
    expect(withRows('| **Mode** | Standard |').mode).toEqual({ kind: 'standard', raw: 'Standard' });
  });

  it.each([
    ['[@jandubois](https://github.com/jandubois)', { login: 'jandubois', url: 'https://github.com/jandubois' }],
    ['[@shikanime](https://github.com/shikanime) (Gildas Le Nadan)', { login: 'shikanime', name: 'Gildas Le Nadan', url: 'https://github.com/shikanime' }],
    ['@mook-as', { login: 'mook-as' }],
    ['Jan Dubois', { name: 'Jan Dubois' }],
  ])('reads the author %s', (cell, expected) => {
    expect(withRows(`| **Author** | ${cell} |`).author).toEqual({ ...expected, raw: cell });
  });

  it('reads the PR as a link with a title, or a bare number', () => {
    expect(withRows('| **PR** | [#336](https://github.com/o/r/pull/336) — cli: standardize --wait |').pr).toMatchObject({
      number: 336,
      url: 'https://github.com/o/r/pull/336',
      title: 'cli: standardize --wait',
    });
    expect(withRows('| **PR** | #236 |').pr).toEqual({ number: 236, raw: '#236' });
  });

  it('reads branches with a base or a commit', () => {
    expect(withRows('| **Branch** | `wait-timeout-cleanup` |').branch).toEqual({ name: 'wait-timeout-cleanup', raw: '`wait-timeout-cleanup`' });
    expect(withRows('| **Branch** | `x` (reviewed against `y` base) |').branch).toMatchObject({ name: 'x', base: 'y' });
    expect(withRows('| **Branch** | `main` @ `470ef45d7` |').branch).toMatchObject({ name: 'main' });
    expect(withRows('| **Target** | App controller create/delete |').target).toBe('App controller create/delete');
  });

  it('splits commits on <br> and keeps out-of-scope ones without using them as the reviewed commit', () => {
    const r = withRows('| **Commits** | `fca9713` first subject<br>`0123abcd` second<br/>_(`5d074b3` base — PR #1, out of scope)_ |');
    expect(r.commits).toEqual([
      { sha: 'fca9713', subject: 'first subject' },
      { sha: '0123abcd', subject: 'second' },
      { sha: '5d074b3', subject: 'base — PR #1, out of scope' },
    ]);
    // Lettered findings (era E3) list the newest commit first; the out-of-scope base is never the tip.
    expect(r.reviewedCommit).toEqual({ sha: 'fca9713', source: 'commits', note: 'tip of the 2 listed commits: the row reads newest-first, as reports of era E3 write it' });
  });

  it('takes the reviewed commit from Review SHA first, then the HTML, then the last commit', () => {
    const rows = ['| **Commits** | `0123abc` one |'];
    const html = `<a href="https://github.com/o/r/blob/${SHA}/a.go#L1-L2">a.go</a>`;
    const noted = withRows(...rows, `| **Review SHA** | \`ea5527494f5457fa49f7edfb64e4500682a7296c\` (agents reviewed \`4f25dd6e4\`; see Status) |`);
    expect(noted.reviewedCommit).toEqual({
      sha: 'ea5527494f5457fa49f7edfb64e4500682a7296c',
      source: 'header',
      note: 'agents reviewed `4f25dd6e4`; see Status',
      raw: '`ea5527494f5457fa49f7edfb64e4500682a7296c` (agents reviewed `4f25dd6e4`; see Status)',
    });
    expect(reviewOf(report('', rows), html).reviewedCommit).toEqual({ sha: SHA, source: 'html', note: "the SHA of the HTML rendering's blob links" });
    expect(reviewOf(report('', rows)).reviewedCommit).toEqual({ sha: '0123abc', source: 'commits', note: 'the only commit listed' });
  });

  it('reads reviewers with effort, and a struck reviewer with the reason it did not take part', () => {
    const r = withRows('| **Reviewers** | Claude Opus 4.7 (effort: xhigh), Codex GPT 5.4 (effort: high), ~~Gemini 3.1 Pro~~ (429 capacity), Qwen3 Coder Next (effort: high), GLM-4.7 Flash |');
    expect(r.reviewers).toEqual([
      { family: 'claude', model: 'Claude Opus 4.7', effort: 'xhigh', raw: 'Claude Opus 4.7 (effort: xhigh)' },
      { family: 'codex', model: 'Codex GPT 5.4', effort: 'high', raw: 'Codex GPT 5.4 (effort: high)' },
      { family: 'gemini', model: 'Gemini 3.1 Pro', excluded: '429 capacity', raw: '~~Gemini 3.1 Pro~~ (429 capacity)' },
      { family: 'qwen', model: 'Qwen3 Coder Next', effort: 'high', raw: 'Qwen3 Coder Next (effort: high)' },
      { family: 'glm', model: 'GLM-4.7 Flash', raw: 'GLM-4.7 Flash' },
    ]);
  });

  it.each([
    ['**Merge with fixes** — two regressions', 'merge-with-fixes', 'two regressions'],
    ['**Merge as-is**', 'merge-as-is', undefined],
    ['**Merge as-is** -- deferred upstream', 'merge-as-is', 'deferred upstream'],
    ['**Rework** — blocking', 'rework', 'blocking'],
    ['Merge with optional fixes', 'merge-with-optional-fixes', undefined],
    ['**Merge with minor fixes** — nits', 'merge-with-minor-fixes', 'nits'],
    ['Approve with required changes — two fixes', 'approve-with-required-changes', 'two fixes'],
    ['**79 failed jobs**: 12 on `main`', 'other', '79 failed jobs: 12 on `main`'],
  ])('reads the verdict %s', (cell, label, rationale) => {
    const verdict = withRows(`| **Verdict** | ${cell} |`).verdict;
    expect(verdict).toEqual({ label, ...(rationale ? { rationale } : {}), raw: cell });
  });

  it.each([
    ['`21 min 57 s`', 1317],
    ['62 min 30 s', 3750],
    ['`9 h 31 min 41 s`', 9 * 3600 + 31 * 60 + 41],
    ['`45 s`', 45],
  ])('reads the wall-clock time %s', (cell, seconds) => {
    expect(withRows(`| **Wall-clock time** | ${cell} |`).wallClock).toEqual({ seconds, raw: cell });
  });

  it('keeps Updated, Period and unknown rows', () => {
    const r = withRows(
      '| **Updated** | 2026-03-18 -- findings fixed post-review |',
      '| **Period** | 2026-W30 (Mon 2026-07-20 – Sun 2026-07-26) |',
      '| **Kind** | Supply chain scan |',
      '| **Reviewer notes** | see `x` |',
    );
    expect(r.updated).toBe('2026-03-18 -- findings fixed post-review');
    expect(r.period).toBe('2026-W30 (Mon 2026-07-20 – Sun 2026-07-26)');
    expect(r.extraHeader).toEqual({ Kind: 'Supply chain scan', 'Reviewer notes': 'see `x`' });
  });
});

describe('document kinds', () => {
  it.each([
    ['# Deep Review: 20260422-150402-pr-336', 'review'],
    ['## Deep Code Review: PR #236 — title', 'review'],
    ['# Supply Chain Scan: 20260712-232447-supply-chain', 'supply-chain'],
    ['# CI Failures: 2026-W30', 'ci-failures'],
    ['# Architecture Review: rancher-desktop-daemon', 'architecture'],
  ])('%s is a %s', (title, kind) => {
    const r = reviewOf(`${title}\n\n| | |\n|---|---|\n| **Date** | 2026-07-12 23:24 |\n\n## Summary\n\nText.\n`);
    expect(r).toMatchObject({ kind, title: title.replace(/^#+ /, '') });
  });

  it('never reads findings from a non-review document, even under a "Critical" heading', () => {
    const r = reviewOf('# Supply Chain Scan: x\n\n## Open issues\n\n### Critical\n\nI1. **Fetch and execute** — `a.sh:1` [Claude Opus 4.7]\n');
    expect(r.findings).toEqual([]);
    expect(r.sections.map((s) => s.heading)).toEqual(['Open issues']);
  });

  it('calls an untitled document with finding sections a review', () => {
    expect(reviewOf('## Important Issues\n\nI1. **t** — `a.go:1`\n').kind).toBe('review');
  });
});

describe('outline', () => {
  it('finds severity sections at any level, inside any wrapper, with or without a number', () => {
    const text = report(`
## 1. Consolidated Review

### Executive Summary

Summary text.

### Critical Findings

**[CRITICAL] a.go:1 — Crash** [Claude Opus 4.6]

### Important Issues

1. **Leak** — \`b.go:2\` [Codex GPT 5.4]

## Findings

### Suggestions

S1. **Nit** — \`c.go:3\`

## 2. Suggestions

S2. **Another nit** — \`d.go:4\`

## Testing Assessment

Tests.
`);
    const r = reviewOf(text);
    expect(r.findings.map((f) => `${f.severity}:${f.id}`)).toEqual(['critical:critical-1', 'important:important-1', 'suggestion:S1', 'suggestion:S2']);
    expect(r.sections.map((s) => [s.heading, s.kind])).toEqual([
      ['Executive Summary', 'executive-summary'],
      ['Testing Assessment', 'testing-assessment'],
    ]);
    expect(r.summary).toBe('Summary text.');
  });

  it('keeps every other section as the Markdown between its heading and the next one', () => {
    const r = reviewOf(report('## Design Observations\n\n### Concerns\n\n- **x** (in-scope) [Claude Opus 4.7] — y\n\n---\n\n## Something New\n\nA `b` c.\n'));
    expect(r.sections).toEqual([
      { heading: 'Design Observations', kind: 'design-observations', level: 2, markdown: '### Concerns\n\n- **x** (in-scope) [Claude Opus 4.7] — y' },
      { heading: 'Something New', kind: 'other', level: 2, markdown: 'A `b` c.' },
    ]);
  });

  it('stops reading findings at the appendix, whatever its agents write, and reads a trailing Resolution', () => {
    const text = report(`
## Suggestions

S1. **Kept** — \`a.go:1\` [Claude Opus 4.7]

## Appendix: Original Reviews

### [Claude] — Pass 1

# Deep Review — PR #1

## Important Issues

I1. **Not a consolidated finding** — \`a.go:1\` (important, regression)

\`\`\`go
## Suggestions
\`\`\`

### [Codex] — Pass 1

## Suggestions

S1. **Nor this** — \`b.go:2\`

---

## Resolution

| # | Finding | Action |
|---|---------|--------|
| 1 | Suggestion #1: Kept | Fixed |
`);
    const r = reviewOf(text);
    expect(r.findings.map((f) => f.id)).toEqual(['S1']);
    expect(r.findings[0]?.resolution?.action).toBe('fixed');
    expect(r.appendix.map((a) => [a.agent.family, a.pass, a.heading])).toEqual([
      ['claude', 1, '[Claude] — Pass 1'],
      ['codex', 1, '[Codex] — Pass 1'],
    ]);
    expect(r.appendix[0]?.markdown.startsWith('# Deep Review — PR #1')).toBe(true);
    // Claude's own I1 cites the same line: important in its review, a suggestion in the report.
    expect(r.findings[0]?.reconciliation).toEqual([
      expect.objectContaining({ source: 'appendix', agentLocalId: 'I1', from: 'important', to: 'suggestion', verb: 'downgraded' }),
    ]);
    expect(r.sections.map((s) => s.kind)).toEqual(['resolution']);
  });

  it('finds the next agent and the Resolution even when an agent leaves a code fence open', () => {
    const r = reviewOf(report('## Suggestions\n\nS1. **x** — `a.go:1`\n\n## Appendix: Original Reviews\n\n### [Claude]\n\n````\nunclosed\n\n### [Codex]\n\nok\n\n## Resolution\n\n| | |\n|---|---|\n| **Addressed** | 2026-08-01 |\n'));
    expect(r.appendix.map((a) => a.agent.family)).toEqual(['claude', 'codex']);
    expect(r.resolution?.addressed).toBe('2026-08-01');
  });
});

describe('extractReviewShaFromHtml', () => {
  it('returns the SHA of the GitHub blob links, the most frequent one winning', () => {
    const other = '0123456789abcdef0123456789abcdef01234567';
    const html = [
      `<a href="https://github.com/o/r/blob/${other}/x.go">`,
      `<a href="https://github.com/o/r/blob/${SHA}/a.go#L52-L66">`,
      `<a href="https://github.com/o/r/blob/${SHA}/b.go#L1">`,
    ].join('\n');
    expect(extractReviewShaFromHtml(html)).toBe(SHA);
  });
  it('returns undefined without blob links', () => {
    expect(extractReviewShaFromHtml('<p>github.com/o/r/tree/main</p>')).toBeUndefined();
    expect(read(report(''), '<html></html>').review?.reviewedCommit).toBeUndefined();
  });
});
