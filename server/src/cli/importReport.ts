/**
 * `import REPORT.md [-o OUT.json]`: one Markdown report as review JSON. It loads
 * the readers only, not the store or the language server.
 */
import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { config } from 'zod';
import { readTextFile } from '../reports/readReportFile.js';
import { readReviewText } from '../reports/readReviewText.js';
import { positionsOf } from './format.js';
import { jsonForTerminal, terminalSafe, type Output } from './output.js';

/** `import REPORT.md [-o OUT.json]`: converts a Markdown report to review JSON; 1 when nothing could be read. */
export async function runImport(report: string, output: string | undefined, io: Output): Promise<number> {
  // zod compiles a fast path for each schema on first use: more than one report's findings ever save.
  config({ jitless: true });
  const file = path.resolve(report);
  const shown = terminalSafe(report);
  const limits = { maxBytes: 64 * 1024 * 1024, root: path.dirname(file) };
  const decoded = await readTextFile(file, limits);
  if ('error' in decoded) {
    io.err(`${shown}: ${decoded.error}`);
    return 1;
  }
  const companion = file.replace(/\.(md|markdown)$/i, '.html');
  const html = companion !== file ? await readTextFile(companion, limits) : undefined;
  const result = await readReviewText(path.basename(file), decoded.text, html && 'text' in html ? html.text : undefined);
  const at = positionsOf(decoded.text);
  for (const problem of result.problems) {
    const { line, column } = at(problem.offset);
    io.err(`${shown}:${line}:${column}: ${problem.severity}: ${terminalSafe(problem.message)}`);
  }
  if (!result.review) {
    io.err(`${shown}: no review could be read`);
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
    io.err(`${shown}: ${result.review.findings.length} finding(s) written to ${terminalSafe(output)}`);
  } else {
    io.out(jsonForTerminal(text.trimEnd()));
  }
  return 0;
}
