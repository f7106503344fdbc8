/**
 * Finds where a hunk's old lines sit in today's text, tolerant of whitespace
 * and re-indentation: lines are compared with their blanks folded. A hunk found
 * more than once is placed only when exactly one of the places is by the
 * finding (or by the `@@` line); otherwise it is ambiguous.
 */
import type { Hunk } from './types.js';

/** A line with its leading blanks dropped and inner runs of blanks folded, for comparison. */
export function normaliseLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/** The lines a hunk expects (old side) or leaves (new side), without blank lines at either end. */
export interface HunkSide {
  /** Indexes into `hunk.lines` of the lines of this side, blank ends dropped. */
  indexes: number[];
  normalised: string[];
}

/** The old side (context and removed lines) or new side (context and added lines) of a hunk. */
export function hunkSide(hunk: Hunk, side: 'old' | 'new'): HunkSide {
  const skip = side === 'old' ? 'add' : 'remove';
  const indexes: number[] = [];
  hunk.lines.forEach((line, i) => {
    if (line.kind !== skip) indexes.push(i);
  });
  // Blank context at the ends says nothing about the place and is often lost when quoting.
  while (indexes.length > 0 && isBlankContext(hunk, indexes[0]!)) indexes.shift();
  while (indexes.length > 0 && isBlankContext(hunk, indexes[indexes.length - 1]!)) indexes.pop();
  return { indexes, normalised: indexes.map((i) => normaliseLine(hunk.lines[i]!.text)) };
}

function isBlankContext(hunk: Hunk, index: number): boolean {
  const line = hunk.lines[index]!;
  return line.kind === 'context' && line.text.trim() === '';
}

/** Every 0-based line at or after `from` where `wanted` starts in `lines` (both normalised). */
export function findAll(lines: readonly string[], wanted: readonly string[], from = 0): number[] {
  const found: number[] = [];
  if (wanted.length === 0) return found;
  const first = wanted[0]!;
  for (let at = from; at + wanted.length <= lines.length; at++) {
    if (lines[at] !== first) continue;
    let i = 1;
    while (i < wanted.length && lines[at + i] === wanted[i]) i++;
    if (i === wanted.length) found.push(at);
  }
  return found;
}

/** Where one hunk goes: a unique place, or how many places match (0: none). */
export type HunkPlace = { at: number } | { count: number };

/** How close a match must be to the finding (or `@@` line) to win over other matches, in lines. */
const NEAR_MARGIN = 3;

/** Picks the place of a hunk among its matches: the only one, or the only one by `near`. */
export function choosePlace(matches: readonly number[], length: number, near: { start: number; end: number } | undefined): HunkPlace {
  if (matches.length === 1) return { at: matches[0]! };
  if (matches.length === 0 || !near) return { count: matches.length };
  const close = matches.filter((at) => at <= near.end + NEAR_MARGIN && at + length - 1 >= near.start - NEAR_MARGIN);
  return close.length === 1 ? { at: close[0]! } : { count: matches.length };
}
