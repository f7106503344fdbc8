/**
 * Terminal output for the command-line tools: finding rows placed as the
 * language server places them, tables and problem lines, with every text that
 * comes from a report escaped for the terminal.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Placer } from '../anchoring/placement.js';
import type { PlacedFinding, ReportEntry } from '../store/reviewStore.js';
import { terminalSafe } from './output.js';

/** One finding as the tools print it. */
export interface FindingRow {
  file: string;
  /** 1-based line and column of the place the editor shows the finding (the same range as its diagnostic). */
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
  /** Said next to the finding, as in the diagnostic (cited lines past the end of the file). */
  note?: string;
}

/**
 * Flattens placed findings into rows, ordered by file and line, with paths
 * relative to `root`. Each is placed through `placer`, so line and column are
 * those of the diagnostic the language server publishes.
 */
export async function findingRows(findings: Iterable<PlacedFinding>, root: string, placer: Placer): Promise<FindingRow[]> {
  const rows = await Promise.all(
    [...findings].map(async (placed): Promise<FindingRow> => {
      const placement = await placer.place(placed.primary, placed.review);
      const resolution = placed.finding.resolution;
      return {
        file: relativePath(root, placed.primary.file),
        line: placement.range.start.line + 1,
        column: placement.range.start.character + 1,
        severity: placed.finding.severity,
        id: placed.finding.id,
        title: oneLine(placed.finding.title),
        round: placed.roundLabel,
        key: placed.key,
        report: relativePath(root, placed.report.file),
        ...(resolution ? { resolved: oneLine(resolution.raw ?? resolution.action) } : {}),
        ...(placement.note ? { note: placement.note } : {}),
      };
    }),
  );
  return rows.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
}

/** A row as a vimgrep line, `file:line:col:severity ID: title (round)`, safe for a terminal. */
export function vimgrepLine(row: FindingRow): string {
  const tail = [row.note, row.round ? `(${row.round})` : '', row.resolved ? `(resolved: ${row.resolved})` : ''].filter(Boolean).join(' ');
  return terminalSafe(`${row.file}:${row.line}:${row.column}:${row.severity} ${row.id}: ${row.title}${tail ? ` ${tail}` : ''}`);
}

/** The TITLE cell of the check table: a long title is shortened, its tags never. */
export function titleCell(row: FindingRow, maxTitle = 120): string {
  const title = row.title.length > maxTitle ? `${row.title.slice(0, maxTitle - 1).trimEnd()}…` : row.title;
  const resolved = row.resolved ? ` (resolved: ${row.resolved.length > 80 ? `${row.resolved.slice(0, 79).trimEnd()}…` : row.resolved})` : '';
  return `${title}${row.note ? ` ${row.note}` : ''}${resolved}`;
}

/** A plain-text table with a header row; the last column is not padded, and every cell is made terminal-safe. */
export function table(header: string[], rows: string[][]): string {
  const safe = rows.map((row) => row.map(terminalSafe));
  const widths = header.map((h, i) => Math.max(h.length, ...safe.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...safe.map(line)].join('\n');
}

/** 1-based line and column of offsets in `text`, counted as the report diagnostics count them (UTF-16, any line ending). */
export function positionsOf(text: string): (offset: number) => { line: number; column: number } {
  const document = TextDocument.create('file:///report', 'plaintext', 0, text);
  return (offset) => {
    const at = document.positionAt(offset);
    return { line: at.line + 1, column: at.character + 1 };
  };
}

/** "path:line:col: severity: message" lines for a report's problems, safe for a terminal. */
export function problemLines(entry: ReportEntry, root: string): string[] {
  const at = positionsOf(entry.text ?? '');
  const name = relativePath(root, entry.file);
  const lines = entry.problems.map((problem) => {
    const { line, column } = at(problem.offset);
    return terminalSafe(`${name}:${line}:${column}: ${problem.severity}: ${oneLine(problem.message)}`);
  });
  if (entry.stale) lines.unshift(terminalSafe(`${name}:1:1: error: this report cannot be used`));
  return lines;
}

/** A workspace-relative path with '/'. */
export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
