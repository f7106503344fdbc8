/**
 * Picks the reader for a report by its file name. Markdown reports and review
 * JSON end up in the same model, and their cited paths go through the same checks.
 */
import { checkLocations } from './checkLocations.js';
import { readReviewJson } from './reviewJson.js';
import type { ReadResult } from './readResult.js';

/** Reads report text named `fileName`; `html` is the companion rendering of a Markdown report, if any. */
export async function readReviewText(fileName: string, text: string, html?: string): Promise<ReadResult> {
  if (/\.json$/i.test(fileName)) return readReviewJson(text);
  if (/\.(md|markdown)$/i.test(fileName)) return readMarkdown(fileName, text, html);
  return { problems: [{ severity: 'info', code: 'not-a-report', message: 'Not a report file; ignored', offset: 0, length: 0 }] };
}

async function readMarkdown(fileName: string, text: string, html?: string): Promise<ReadResult> {
  // Loaded on first use: the Markdown reader and remark are most of the server's code,
  // and a workspace of review JSON never needs them.
  const { readMarkdownReport } = await import('./markdown/readMarkdownReport.js');
  const result = readMarkdownReport(text, { fileName, ...(html === undefined ? {} : { html }) });
  if (!result.review) return result;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const review = result.review;
  // A Markdown citation sits on the finding's header line.
  const problems = checkLocations(review, (findingIndex) => {
    const line = review.findings[findingIndex]?.span?.startLine ?? 1;
    const offset = lineStarts[line - 1] ?? 0;
    const end = lineStarts[line] ?? text.length;
    return { offset, length: Math.max(end - offset - 1, 0) };
  });
  return { review, problems: [...result.problems, ...problems] };
}
