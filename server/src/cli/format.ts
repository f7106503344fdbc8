/**
 * Terminal output for the command-line tools: tables and problem lines.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PlacedFinding, ReportEntry } from '../store/reviewStore.js';

/** One finding as the tools print it. */
export interface FindingRow {
  file: string;
  line: number;
  column: number;
  severity: string;
  id: string;
  title: string;
  round: string;
  key: string;
  report: string;
  /** The resolution as written, for a resolved finding shown on request. */
  resolved?: string;
}

/** Flattens placed findings into rows, ordered by file and line, with paths relative to `root`. */
export function findingRows(findings: Iterable<PlacedFinding>, root: string): FindingRow[] {
  return [...findings]
    .map((placed) => ({
      file: path.relative(root, placed.primary.file).split(path.sep).join('/'),
      line: placed.primary.range?.start ?? 1,
      column: 1,
      severity: placed.finding.severity,
      id: placed.finding.id,
      title: placed.finding.title.replace(/\s+/g, ' ').trim(),
      round: placed.roundLabel,
      key: placed.key,
      report: path.relative(root, placed.report.file).split(path.sep).join('/'),
      ...(placed.finding.resolution ? { resolved: placed.finding.resolution.raw ?? placed.finding.resolution.action } : {}),
    }))
    .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** A plain-text table with a header row; the last column is not padded. */
export function table(header: string[], rows: string[][], maxWidth = 200): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .slice(0, maxWidth)
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** "path:line:col: severity: message" lines for a report's problems. */
export function problemLines(entry: ReportEntry, root: string): string[] {
  const doc = TextDocument.create('file:///r', 'plaintext', 0, entry.text ?? '');
  const name = path.relative(root, entry.file).split(path.sep).join('/');
  const lines = entry.problems.map((problem) => {
    const at = doc.positionAt(problem.offset);
    return `${name}:${at.line + 1}:${at.character + 1}: ${problem.severity}: ${problem.message}`;
  });
  if (entry.stale) lines.unshift(`${name}:1:1: error: this report cannot be used`);
  return lines;
}
