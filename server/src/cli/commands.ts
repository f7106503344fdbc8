/**
 * The command-line tools over a review directory: check and findings. Each
 * returns an exit code and writes through the given streams, so tests can run
 * them in-process. (`import` and `schema` have files of their own, so a
 * one-report command loads no more than it needs; they are re-exported here.)
 */
import { describeNotice } from '../store/roundNotices.js';
import { triageFilePath } from '../store/reviewDirectoryFiles.js';
import type { PlacedFinding, Visibility } from '../store/reviewStore.js';
import { findingRows, problemLines, relativePath, table, titleCell, vimgrepLine } from './format.js';
import { loadReviews } from './loadReviews.js';
import { jsonForTerminal, terminalSafe, type Output } from './output.js';
import { readTriageLookup, withoutDismissed } from './triageLookup.js';

export { runImport } from './importReport.js';
export { runSchema } from './schema.js';
export type { Output } from './output.js';

/** How the commands treat the triage file. */
export interface TriageOptions {
  /** List dismissed findings too (they are left out, as the editor hides them). */
  showDismissed?: boolean;
}

/** The findings to list: without those the triage file dismisses, unless asked; how many were left out is said on stderr. */
async function triaged(findings: Iterable<PlacedFinding>, root: string, directory: string, io: Output, options: TriageOptions): Promise<PlacedFinding[]> {
  if (options.showDismissed) return [...findings];
  const { shown, dismissed } = withoutDismissed(findings, await readTriageLookup(root, directory, io));
  if (dismissed > 0) io.err(`${dismissed} finding(s) dismissed in ${terminalSafe(relativePath(root, triageFilePath(directory)))} not listed (--show-dismissed lists them)`);
  return shown;
}

/** `check [DIR]`: validates a review directory and prints its open findings; 1 when a report is invalid. */
export async function runCheck(dir: string, visibility: Visibility, io: Output, options: TriageOptions = {}): Promise<number> {
  const { root, directory, store, placer } = await loadReviews(dir, visibility);
  const findings = await triaged(store.allFindings(), root, directory, io, options);
  const reports = [...store.allReports()].sort((a, b) => (a.file < b.file ? -1 : 1));
  let invalid = 0;
  for (const entry of reports) {
    const lines = problemLines(entry, root);
    if (entry.stale || (!entry.review && entry.problems.some((p) => p.severity === 'error'))) invalid++;
    for (const line of lines) io.err(line);
  }
  const rows = await findingRows(findings, root, placer);
  if (rows.length > 0) {
    io.out(
      table(
        ['LOCATION', 'SEVERITY', 'ID', 'ROUND', 'TITLE'],
        rows.map((row) => [`${row.file}:${row.line}:${row.column}`, row.severity, row.id, row.round, titleCell(row)]),
      ),
    );
  }
  const notices = [...store.allNotices()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (notices.length > 0) io.out('');
  for (const [file, notice] of notices) io.out(terminalSafe(`${relativePath(root, file)}: ${describeNotice(notice, '--show-resolved')}`));
  const readable = reports.filter((entry) => entry.review).length;
  io.out(`\n${reports.length} report file(s) in ${terminalSafe(directory)}: ${readable} readable, ${invalid} invalid; ${rows.length} finding(s) shown`);
  return invalid > 0 ? 1 : 0;
}

/** `findings [DIR] --format vimgrep|json`: open findings for quickfix lists and scripts. */
export async function runFindings(dir: string, format: string, visibility: Visibility, io: Output, options: TriageOptions = {}): Promise<number> {
  if (format !== 'json' && format !== 'vimgrep') {
    io.err(`Unknown format "${terminalSafe(format)}"; use vimgrep or json`);
    return 2;
  }
  const { root, directory, store, placer } = await loadReviews(dir, visibility);
  const rows = await findingRows(await triaged(store.allFindings(), root, directory, io, options), root, placer);
  if (format === 'json') {
    io.out(jsonForTerminal(JSON.stringify(rows, null, 2)));
    return 0;
  }
  for (const row of rows) io.out(vimgrepLine(row));
  // On stderr, so a quickfix list built from stdout holds findings only.
  for (const [file, notice] of store.allNotices()) io.err(terminalSafe(`${relativePath(root, file)}: ${describeNotice(notice, '--show-resolved')}`));
  return 0;
}
