/**
 * What the user is told when a report cannot be fully understood: each problem
 * is placed on the text it is about, and nothing is ever thrown.
 */
import { describe, expect, it } from 'vitest';
import { readMarkdownReport } from '../../../server/src/reports/markdown/readMarkdownReport.js';
import type { ReportProblem } from '../../../server/src/reports/readResult.js';
import { read, report } from './fixtures.js';

/** The text a problem points at. */
const at = (text: string, p: ReportProblem) => text.slice(p.offset, p.offset + p.length);

describe('bad input', () => {
  it('says an empty report is empty', () => {
    for (const text of ['', '   \n\n\t']) {
      expect(read(text)).toEqual({
        problems: [{ severity: 'error', code: 'empty-report', message: 'The report is empty.', offset: 0, length: 0 }],
      });
    }
  });

  it('notes a Markdown file that is not a deep-review report, and keeps its text', () => {
    const result = read('Some notes.\n\n- a\n- b\n');
    expect(result.problems).toEqual([
      {
        severity: 'info',
        code: 'not-a-review',
        message: 'This file does not look like a deep-review report: it has no "# Deep Review: …" title, header table or finding sections.',
        offset: 0,
        length: 0,
      },
    ]);
    expect(result.review).toMatchObject({ kind: 'other', findings: [], sections: [{ kind: 'preamble', markdown: 'Some notes.\n\n- a\n- b' }] });
  });

  it('reads a lettered finding without a bold title up to the dash, and says how to write it', () => {
    const text = report('## Important Issues\n\nI3. Missing lock — `a.go:1` [Claude Opus 4.7]\n\nBody.\n');
    const result = read(text);
    expect(result.review?.findings[0]).toMatchObject({ id: 'I3', title: 'Missing lock', locations: [{ path: 'a.go' }], agents: [{ family: 'claude' }] });
    expect(result.problems).toHaveLength(1);
    const [p] = result.problems as [ReportProblem];
    expect(p).toMatchObject({
      severity: 'warning',
      code: 'finding-title',
      message: 'Finding I3 has no bold title; its title was read as "Missing lock". Write it as "I3. **Title** — `path:line` [Agent]".',
    });
    expect(at(text, p)).toBe('I3. Missing lock — `a.go:1` [Claude Opus 4.7]');
  });

  it('says so when a lettered finding has no title at all', () => {
    const text = report('## Suggestions\n\nS2.\n');
    const result = read(text);
    expect(result.review?.findings.map((f) => [f.id, f.title])).toEqual([['S2', '']]);
    expect(result.problems[0]).toMatchObject({
      severity: 'warning',
      code: 'finding-title',
      message: 'Finding S2 has no title. Write it in bold after the id: "S2. **Title** — `path:line` [Agent]".',
    });
  });

  it('places a finding-like item that cannot be read, and reads the findings around it', () => {
    const text = report('## Important Issues\n\n1. Missing lock — `a.go:1` [Claude Opus 4.7]\n\nI1. **Leak** — `b.go:2`\n');
    const result = read(text);
    expect(result.review?.findings.map((f) => f.id)).toEqual(['I1']);
    expect(result.problems).toHaveLength(1);
    const [p] = result.problems as [ReportProblem];
    expect(p).toMatchObject({
      severity: 'warning',
      code: 'finding-syntax',
      message: 'This looks like an important finding, but its header could not be read. Expected a line such as "I1. **Title** — `path/to/file.go:10-20` [Claude Opus 4.7]".',
    });
    expect(at(text, p)).toBe('1. Missing lock — `a.go:1` [Claude Opus 4.7]');
  });

  it('says when a severity section holds text but no finding', () => {
    const text = report('## Suggestions\n\nThe nits are in the PR thread.\n');
    const result = read(text);
    expect(result.problems).toHaveLength(1);
    const [p] = result.problems as [ReportProblem];
    expect(p).toMatchObject({ severity: 'warning', code: 'no-findings', message: 'No findings could be read under "Suggestions".' });
    expect(at(text, p)).toBe('## Suggestions');
  });

  it('accepts a severity section that says None', () => {
    for (const none of ['None.', 'None', 'No critical issues.', 'N/A']) {
      expect(read(report(`## Critical Issues\n\n${none}\n\n## Suggestions\n\nS1. **x** — \`a.go:1\`\n`)).problems).toEqual([]);
    }
  });

  it('says which header row could not be read, keeps its text, and reads the others', () => {
    const text = report('', ['| **Date** | soon |', '| **Round** | the fourth |', '| **Reviewers** | Claude Opus 4.7 |']);
    const result = read(text);
    expect(result.problems.map((p) => [p.code, p.message, at(text, p).trim()])).toEqual([
      ['header-field', 'The Date row could not be read: expected a date such as 2026-04-22 15:04.', '| soon |'],
      ['header-field', 'The Round row could not be read: expected a round number such as "4 (of PR #309)".', '| the fourth |'],
    ]);
    expect(result.review).toMatchObject({ extraHeader: { Date: 'soon', Round: 'the fourth' }, reviewers: [{ family: 'claude' }] });
    expect(result.review?.date).toBeUndefined();
  });

  it('keeps header rows named like Object properties as plain rows', () => {
    const result = read(report('', ['| **constructor** | a |', '| **\\_\\_proto\\_\\_** | b |', '| **toString** | c |']));
    expect(result.problems).toEqual([]);
    // The review model's record drops a "__proto__" key rather than let it set the prototype.
    expect(result.review?.extraHeader).toEqual({ constructor: 'a', toString: 'c' });
    expect(Object.getPrototypeOf(result.review?.extraHeader)).toBe(Object.prototype);
  });

  it('renames a repeated finding id and says so', () => {
    const text = report('## Suggestions\n\nS1. **A** — `a.go:1`\n\nS1. **B** — `b.go:2`\n');
    const result = read(text);
    expect(result.review?.findings.map((f) => [f.id, f.title])).toEqual([
      ['S1', 'A'],
      ['S1-2', 'B'],
    ]);
    expect(result.problems).toHaveLength(1);
    const [p] = result.problems as [ReportProblem];
    expect(p).toMatchObject({ severity: 'warning', code: 'duplicate-id', message: 'Finding id S1 is used twice in this report; this one is read as S1-2.' });
    expect(at(text, p).startsWith('S1. **B**')).toBe(true);
  });

  it('numbers every further repeat of an id on, beside a struck finding that keeps it', () => {
    const text = report('## Suggestions\n\n~~S1. **Old** -- FIXED: done.~~\n\nS1. **A** — `a.go:1`\n\nS1. **B** — `b.go:2`\n\nS1. **C** — `c.go:3`\n\nS1. **D** — `d.go:4`\n');
    const result = read(text);
    expect(result.review?.findings.map((f) => [f.id, f.title])).toEqual([
      ['S1-struck', 'Old'],
      ['S1', 'A'],
      ['S1-2', 'B'],
      ['S1-3', 'C'],
      ['S1-4', 'D'],
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([2, 3, 4].map((n) => `Finding id S1 is used twice in this report; this one is read as S1-${n}.`));
  });

  it('notes a Resolution row that names a finding the report does not have', () => {
    const text = report('## Suggestions\n\nS1. **A** — `a.go:1`\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Suggestion #7: gone | Fixed |\n');
    const result = read(text);
    expect(result.problems).toHaveLength(1);
    const [p] = result.problems as [ReportProblem];
    expect(p).toMatchObject({ severity: 'warning', code: 'resolution-ref', message: 'The Resolution row "Suggestion #7: gone" names no suggestion finding of this report; its resolution is not applied.' });
    expect(at(text, p)).toBe('| 1 | Suggestion #7: gone | Fixed |');
  });

  it('turns an unexpected failure into a problem instead of throwing', () => {
    const result = readMarkdownReport(undefined as unknown as string, { fileName: 'x.md' });
    expect(result.review).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'error', code: 'markdown-reader-failed', offset: 0, length: 0 })]);
    expect(result.problems[0]?.message).toMatch(/^The report could not be read: /);
  });

  it('never reads a line number 0 or a huge one as a range', () => {
    const f = read(report('## Suggestions\n\nS1. **A** — `a.go:0`, `b.go:99999999999`, `c.go:12-10`\n')).review?.findings[0];
    expect(f?.locations.map((l) => [l.path ?? l.raw, l.ranges])).toEqual([
      ['a.go:0', []],
      ['b.go:99999999999', []],
      ['c.go', [{ start: 10, end: 12 }]],
    ]);
  });
});
