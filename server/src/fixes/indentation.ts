/**
 * Re-indents a hunk's added lines to the file's indentation: a diff written
 * with spaces (or with its leading tabs dropped) applied to a file indented
 * with tabs keeps the file's tabs. The indentation of the matched lines says
 * how the diff's columns map to the file's.
 */
import type { Hunk } from './types.js';

/** Leading blanks of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Columns of an indentation, a tab counted as `tabWidth`. */
function width(indent: string, tabWidth: number): number {
  let w = 0;
  for (const ch of indent) w += ch === '\t' ? tabWidth : 1;
  return w;
}

/** The file's indentation unit: a tab when most indented lines start with one, else the most common step of spaces. */
export function fileIndentUnit(lines: readonly string[]): string {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (indent.startsWith('\t')) tabs++;
    else if (indent.length > 0) spaces++;
    if (!indent.includes('\t')) {
      const step = Math.abs(indent.length - previous);
      if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
      previous = indent.length;
    }
  }
  if (tabs > spaces) return '\t';
  let best = 4;
  let bestCount = 0;
  for (const [step, count] of steps) if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count];
  return ' '.repeat(best);
}

/**
 * The added lines of a hunk, re-indented. `matched` maps indexes of the hunk's
 * old-side lines to the file lines they matched.
 */
export function reindentAdded(hunk: Hunk, matched: ReadonlyMap<number, string>, unit: string): Map<number, string> {
  const out = new Map<number, string>();
  const diffTab = diffTabWidth(hunk);
  // Diff column -> file indentation, learnt from the matched lines.
  const known = new Map<number, string>();
  let same = true;
  for (const [index, fileLine] of matched) {
    const diffLine = hunk.lines[index]!.text;
    if (diffLine.trim() === '') continue;
    const fileIndent = indentOf(fileLine);
    if (indentOf(diffLine) !== fileIndent) same = false;
    const w = width(indentOf(diffLine), diffTab);
    if (!known.has(w)) known.set(w, fileIndent);
  }
  const diffUnit = diffIndentUnit(hunk, diffTab);
  hunk.lines.forEach((line, index) => {
    if (line.kind !== 'add') return;
    if (same || known.size === 0 || line.text.trim() === '') {
      out.set(index, line.text.trim() === '' ? '' : line.text);
      return;
    }
    const w = width(indentOf(line.text), diffTab);
    out.set(index, indentFor(w, known, diffUnit, unit) + line.text.trimStart());
  });
  return out;
}

function indentFor(w: number, known: ReadonlyMap<number, string>, diffUnit: number, unit: string): string {
  const exact = known.get(w);
  if (exact !== undefined) return exact;
  const widths = [...known.keys()].sort((a, b) => a - b);
  const below = widths.filter((k) => k < w).pop();
  if (below !== undefined) return known.get(below)! + unit.repeat(Math.max(1, Math.round((w - below) / diffUnit)));
  const above = widths[0]!;
  const levels = Math.max(1, Math.round((above - w) / diffUnit));
  const base = known.get(above)!;
  return base.slice(0, Math.max(0, base.length - levels * (base.startsWith('\t') ? 1 : unit.length)));
}

/** A diff that indents with tabs counts a tab as one step; one with spaces uses its smallest step. */
function diffTabWidth(hunk: Hunk): number {
  return hunk.lines.some((line) => line.text.startsWith('\t')) ? 1 : 4;
}

function diffIndentUnit(hunk: Hunk, tabWidth: number): number {
  const widths = [...new Set(hunk.lines.filter((l) => l.text.trim() !== '').map((l) => width(indentOf(l.text), tabWidth)))].sort((a, b) => a - b);
  let unit = 0;
  for (let i = 1; i < widths.length; i++) {
    const step = widths[i]! - widths[i - 1]!;
    if (step > 0 && (unit === 0 || step < unit)) unit = step;
  }
  if (unit === 0) unit = tabWidth === 1 ? 1 : widths.find((w) => w > 0) ?? 4;
  return unit;
}
