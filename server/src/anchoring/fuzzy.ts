/**
 * Approximate search for a snippet that no longer matches exactly: every
 * window of today's lines as long as the snippet is scored by the overlap of
 * character pairs (Dice), whitespace removed, in one sliding pass.
 */
import { contentAt, type AnchorPattern, type FuzzyTables, type TextIndex } from './anchorText.js';

/** The best window found: its 0-based lines and its similarity (0 to 1). */
export interface FuzzyMatch {
  start: number;
  end: number;
  similarity: number;
}

/** Pair counts are kept in this many buckets; a rare collision only makes a score a little higher. */
const BUCKETS = 1 << 14;
/** Snippets shorter than this many characters are too plain to place by likeness. */
const MIN_CHARS = 12;

/** Lines around the expected place searched first; the whole file only when nothing there is alike. */
const NEAR_LINES = 200;

/**
 * The window most like the snippet, when it reaches `threshold`: first among
 * windows near line `near`, then anywhere; among equal scores the nearest wins.
 */
export function findFuzzy(index: TextIndex, anchor: AnchorPattern, threshold: number, near: number): FuzzyMatch | undefined {
  const snippetLines = anchor.lines.map((line) => line.pieces.join(''));
  const snippetChars = snippetLines.reduce((sum, line) => sum + line.length, 0);
  if (snippetChars < MIN_CHARS || index.content.length === 0) return undefined;
  // Made once per text: the pairs of every line, and counting tables every search borrows.
  const tables = (index.fuzzy ??= computeTables(index));
  const snippet = snippetLines.map(linePairs);
  let wantTotal = 0;
  for (const ids of snippet) {
    for (const id of ids) tables.want[id]!++;
    wantTotal += ids.length;
  }
  try {
    const centre = contentAt(index, near);
    const search: Search = { index, tables, wantTotal, width: snippetLines.length, threshold, near };
    const count = index.content.length;
    return scan(search, Math.max(0, centre - NEAR_LINES), Math.min(count, centre + NEAR_LINES + search.width)) ?? scan(search, 0, count);
  } finally {
    // Leave the tables empty for the next search in this text.
    for (const ids of snippet) for (const id of ids) tables.want[id] = 0;
  }
}

interface Search {
  index: TextIndex;
  tables: FuzzyTables;
  wantTotal: number;
  width: number;
  threshold: number;
  near: number;
}

/**
 * The best window starting in content positions [from, to - width]. A window
 * is scored only when its size allows the threshold: Dice can be no more
 * than 2·min(a, b)/(a + b) for a and b pairs.
 */
function scan({ index, tables, wantTotal, width, threshold, near }: Search, from: number, to: number): FuzzyMatch | undefined {
  const { ids, starts, want, have } = tables;
  let haveTotal = 0;
  let common = 0;
  const add = (line: number) => {
    const end = starts[line + 1]!;
    for (let i = starts[line]!; i < end; i++) {
      const id = ids[i]!;
      if (have[id]! < want[id]!) common++;
      have[id]!++;
    }
    haveTotal += end - starts[line]!;
  };
  const remove = (line: number) => {
    const end = starts[line + 1]!;
    for (let i = starts[line]!; i < end; i++) {
      const id = ids[i]!;
      have[id]!--;
      if (have[id]! < want[id]!) common--;
    }
    haveTotal -= end - starts[line]!;
  };
  let best: FuzzyMatch | undefined;
  const last = Math.max(from, to - width);
  for (let at = from; at < Math.min(from + width, to); at++) add(at);
  for (let at = from; at <= last; at++) {
    if (at > from) {
      remove(at - 1);
      if (at + width - 1 < to) add(at + width - 1);
    }
    const total = wantTotal + haveTotal;
    if (total === 0 || (2 * Math.min(wantTotal, haveTotal)) / total < threshold) continue;
    const similarity = (2 * common) / total;
    if (similarity < threshold) continue;
    const start = index.content[at]!;
    const end = index.content[Math.min(at + width, to) - 1]!;
    if (
      !best ||
      similarity > best.similarity + 1e-9 ||
      (Math.abs(similarity - best.similarity) <= 1e-9 && Math.abs(start - near) < Math.abs(best.start - near))
    ) {
      best = { start, end, similarity };
    }
  }
  // The last window is still counted in `have`: empty it for the next search.
  for (let line = last; line < Math.min(last + width, to); line++) remove(line);
  return best;
}

/** The pairs of every content line in one array (one allocation, not one a line), and empty counting tables. */
function computeTables(index: TextIndex): FuzzyTables {
  const { content, normalised } = index;
  const starts = new Int32Array(content.length + 1);
  for (let at = 0; at < content.length; at++) starts[at + 1] = starts[at]! + Math.max(0, normalised[content[at]!]!.length - 1);
  const ids = new Int32Array(starts[content.length]!);
  for (let at = 0; at < content.length; at++) writePairs(normalised[content[at]!]!, ids, starts[at]!);
  return { ids, starts, want: new Int32Array(BUCKETS), have: new Int32Array(BUCKETS) };
}

/** The character pairs of a line, as bucket ids. */
function linePairs(line: string): Int32Array {
  const ids = new Int32Array(Math.max(0, line.length - 1));
  writePairs(line, ids, 0);
  return ids;
}

/** Writes a line's pair ids into `ids` from `at`; each character is read once. */
function writePairs(line: string, ids: Int32Array, at: number): void {
  let previous = line.charCodeAt(0) * 31;
  for (let i = 1; i < line.length; i++) {
    const code = line.charCodeAt(i);
    ids[at++] = (previous ^ (code * 7919)) & (BUCKETS - 1);
    previous = code * 31;
  }
}
