/**
 * Picks the reader for a report by its file name. Markdown reports and review
 * JSON end up in the same model.
 */
import { readReviewJson } from './reviewJson.js';
import type { ReadResult } from './readResult.js';

/** Reads report text named `fileName`; `html` is the companion rendering of a Markdown report, if any. */
export function readReviewText(fileName: string, text: string, html?: string): ReadResult {
  if (/\.json$/i.test(fileName)) return readReviewJson(text);
  if (/\.(md|markdown)$/i.test(fileName)) return readMarkdown(fileName, text, html);
  return { problems: [{ severity: 'info', code: 'not-a-report', message: 'Not a report file; ignored', offset: 0, length: 0 }] };
}

function readMarkdown(_fileName: string, _text: string, _html?: string): ReadResult {
  return { problems: [{ severity: 'info', code: 'markdown-unsupported', message: 'Markdown reports are not read yet', offset: 0, length: 0 }] };
}
