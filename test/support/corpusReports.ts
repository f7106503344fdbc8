/**
 * Real corpus reports for end-to-end tests, read from ../shared/corpus/reports
 * beside the repository at test time (never copied into it). Absent, a test
 * skips with a message; under CI=true absence fails the test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readMarkdownReport } from '../../server/src/reports/markdown/readMarkdownReport.js';
import { REPO_ROOT } from './lspClient.js';

/** The corpus's report directory. */
export const CORPUS_REPORTS = path.resolve(REPO_ROOT, '../shared/corpus/reports');

/** Skips the running test when the corpus is absent (fails under CI=true); returns true when it is there. */
export function needCorpus(ctx: { skip: (note?: string) => void }): boolean {
  if (existsSync(CORPUS_REPORTS)) return true;
  const why = `no report corpus at ${CORPUS_REPORTS} (expected ../shared/corpus beside the repository)`;
  if (process.env.CI === 'true') throw new Error(`${why}; CI=true requires it`);
  console.warn(`Skipping: ${why}`);
  ctx.skip(why);
  return false;
}

/** Markdown reports of the corpus whose names match, sorted, with their text. */
export function corpusReports(pattern: RegExp): { name: string; text: string }[] {
  return readdirSync(CORPUS_REPORTS)
    .filter((name) => name.endsWith('.md') && pattern.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(CORPUS_REPORTS, name), 'utf8') }));
}

/** A file of `lines` lines, for a cited path whose real code is not in the corpus. */
export function fillerLines(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `// line ${i + 1}`).join('\n') + '\n';
}

/**
 * Filler of `lines` lines for a cited path whose real code is not in the corpus,
 * holding at the lines each report cites there the code it quotes (findings are
 * placed by their quoted code, as in a real checkout); later reports win overlaps.
 */
export function quotedCodeLines(reports: readonly { name: string; text: string }[], file: string, lines: number): string {
  const text = Array.from({ length: lines }, (_, i) => `// line ${i + 1}`);
  for (const report of reports) {
    const review = readMarkdownReport(report.text, { fileName: report.name }).review;
    for (const location of review?.findings.flatMap((f) => f.locations) ?? []) {
      if (location.path !== file || !location.anchorText || !location.ranges[0]) continue;
      const quoted = location.anchorText.split('\n');
      text.splice(location.ranges[0].start - 1, quoted.length, ...quoted);
    }
  }
  return text.join('\n') + '\n';
}
