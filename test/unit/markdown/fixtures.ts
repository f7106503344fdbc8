/**
 * Small inline reports for the Markdown reader's tests: a title, a header table
 * and whatever sections a test needs.
 */
import type { Finding, Review } from '../../../server/src/model/review.js';
import type { ReadResult } from '../../../server/src/reports/readResult.js';
import { readMarkdownReport } from '../../../server/src/reports/markdown/readMarkdownReport.js';

/** A report with a title, header rows (Date only by default) and a body. */
export function report(body: string, rows: string[] = ['| **Date** | 2026-04-22 15:04 |']): string {
  return ['# Deep Review: 20260422-150402-pr-336', '', '| | |', '|---|---|', ...rows, '', body.trim(), ''].join('\n');
}

/** Reads Markdown text as the file `r.md`. */
export function read(text: string, html?: string): ReadResult {
  return readMarkdownReport(text, { fileName: '20260422-150402-pr-336.md', ...(html !== undefined ? { html } : {}) });
}

/** The review of a text, failing the test when there is none. */
export function reviewOf(text: string, html?: string): Review {
  const result = read(text, html);
  if (result.review === undefined) throw new Error(`no review: ${JSON.stringify(result.problems)}`);
  return result.review;
}

/** The findings of a report whose body is `body`. */
export function findings(body: string): Finding[] {
  return reviewOf(report(body)).findings;
}

/** The only finding of a one-finding body. */
export function only(body: string): Finding {
  const all = findings(body);
  if (all.length !== 1) throw new Error(`expected one finding, got ${all.map((f) => f.id).join(', ') || 'none'}`);
  return all[0] as Finding;
}
