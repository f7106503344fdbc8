/**
 * The command-line tools: check, findings, schema. Each returns an exit code
 * and writes through the given streams, so tests can run them in-process.
 */
import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { reviewJsonSchema } from '../model/review.js';
import { readTextFile } from '../reports/readReportFile.js';
import { readReviewText } from '../reports/readReviewText.js';
import { findingRows, problemLines, table } from './format.js';
import { loadReviews } from './loadReviews.js';
import type { Visibility } from '../store/reviewStore.js';

/** Where a tool writes. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** `check [DIR]`: validates a review directory and prints its open findings; 1 when a report is invalid. */
export async function runCheck(dir: string, visibility: Visibility, io: Output): Promise<number> {
  const { root, directory, store } = await loadReviews(dir, visibility);
  const reports = [...store.allReports()].sort((a, b) => (a.file < b.file ? -1 : 1));
  let invalid = 0;
  for (const entry of reports) {
    const lines = problemLines(entry, root);
    if (entry.stale || (!entry.review && entry.problems.some((p) => p.severity === 'error'))) invalid++;
    for (const line of lines) io.err(line);
  }
  const rows = findingRows(store.allFindings(), root);
  if (rows.length > 0) {
    io.out(
      table(
        ['LOCATION', 'SEVERITY', 'ID', 'ROUND', 'TITLE'],
        rows.map((row) => [`${row.file}:${row.line}`, row.severity, row.id, row.round, row.resolved ? `${row.title} (resolved: ${row.resolved})` : row.title]),
      ),
    );
  }
  const readable = reports.filter((entry) => entry.review).length;
  io.out(`\n${reports.length} report file(s) in ${directory}: ${readable} readable, ${invalid} invalid; ${rows.length} finding(s) shown`);
  return invalid > 0 ? 1 : 0;
}

/** `findings [DIR] --format vimgrep|json`: open findings for quickfix lists and scripts. */
export async function runFindings(dir: string, format: string, visibility: Visibility, io: Output): Promise<number> {
  const { root, store } = await loadReviews(dir, visibility);
  const rows = findingRows(store.allFindings(), root);
  if (format === 'json') {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (format === 'vimgrep') {
    for (const row of rows) io.out(`${row.file}:${row.line}:${row.column}:${row.severity} ${row.id}: ${row.title}${row.round ? ` (${row.round})` : ''}`);
    return 0;
  }
  io.err(`Unknown format "${format}"; use vimgrep or json`);
  return 2;
}

/** `schema [-o FILE]`: prints or writes the JSON Schema of review files. */
export function runSchema(output: string | undefined, io: Output): number {
  const text = `${JSON.stringify(reviewJsonSchema(), null, 2)}\n`;
  if (output) writeFileSync(output, text);
  else io.out(text.trimEnd());
  return 0;
}

/** `import REPORT.md [-o OUT.json]`: converts a Markdown report to review JSON; 1 when nothing could be read. */
export async function runImport(report: string, output: string | undefined, io: Output): Promise<number> {
  const file = path.resolve(report);
  const limits = { maxBytes: 64 * 1024 * 1024, root: path.dirname(file) };
  const decoded = await readTextFile(file, limits);
  if ('error' in decoded) {
    io.err(`${report}: ${decoded.error}`);
    return 1;
  }
  const companion = file.replace(/\.(md|markdown)$/i, '.html');
  const html = companion !== file ? await readTextFile(companion, limits) : undefined;
  const result = await readReviewText(path.basename(file), decoded.text, html && 'text' in html ? html.text : undefined);
  const doc = TextDocument.create('file:///r', 'markdown', 0, decoded.text);
  for (const problem of result.problems) {
    const at = doc.positionAt(problem.offset);
    io.err(`${report}:${at.line + 1}:${at.character + 1}: ${problem.severity}: ${problem.message}`);
  }
  if (!result.review) {
    io.err(`${report}: no review could be read`);
    return 1;
  }
  const review = {
    ...result.review,
    source: {
      ...result.review.source,
      format: 'markdown' as const,
      path: path.basename(file),
      ...(html && 'text' in html ? { htmlPath: path.basename(companion) } : {}),
    },
  };
  const text = `${JSON.stringify(review, null, 2)}\n`;
  if (output) {
    // Written beside the target and renamed over it, so a reader never sees half a file.
    const temp = path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.tmp`);
    writeFileSync(temp, text);
    renameSync(temp, output);
    io.err(`${report}: ${result.review.findings.length} finding(s) written to ${output}`);
  } else {
    io.out(text.trimEnd());
  }
  return 0;
}
