/**
 * Approximate search for a snippet that no longer matches exactly: every
 * window of today's lines as long as the snippet is scored by the overlap of
 * character pairs (Dice), whitespace removed, in one sliding pass.
 */
import type { AnchorPattern, TextIndex } from './anchorText.js';

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
  const pairs = (index.pairs ??= index.content.map((line) => linePairs(index.normalised[line]!)));
  const want = new Int32Array(BUCKETS);
  let wantTotal = 0;
  for (const line of snippetLines) {
    const ids = linePairs(line);
    for (const id of ids) want[id]!++;
    wantTotal += ids.length;
  }
  const centre = contentPosition(index, near);
  const width = snippetLines.length;
  const have = new Int32Array(BUCKETS);
  const nearby = scan(index, pairs, want, wantTotal, have, width, threshold, near, Math.max(0, centre - NEAR_LINES), Math.min(pairs.length, centre + NEAR_LINES + width));
  return nearby ?? scan(index, pairs, want, wantTotal, have.fill(0), width, threshold, near, 0, pairs.length);
}

/** The best window starting in content positions [from, to - width]. */
function scan(
  index: TextIndex,
  pairs: readonly Int32Array[],
  want: Int32Array,
  wantTotal: number,
  have: Int32Array,
  width: number,
  threshold: number,
  near: number,
  from: number,
  to: number,
): FuzzyMatch | undefined {
  let haveTotal = 0;
  let common = 0;
  const add = (ids: Int32Array) => {
    for (const id of ids) {
      if (have[id]! < want[id]!) common++;
      have[id]!++;
    }
    haveTotal += ids.length;
  };
  const remove = (ids: Int32Array) => {
    for (const id of ids) {
      have[id]!--;
      if (have[id]! < want[id]!) common--;
    }
    haveTotal -= ids.length;
  };
  let best: FuzzyMatch | undefined;
  const last = Math.max(from, to - width);
  for (let at = from; at < Math.min(from + width, to); at++) add(pairs[at]!);
  for (let at = from; at <= last; at++) {
    if (at > from) {
      remove(pairs[at - 1]!);
      if (at + width - 1 < to) add(pairs[at + width - 1]!);
    }
    const similarity = wantTotal + haveTotal === 0 ? 0 : (2 * common) / (wantTotal + haveTotal);
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
  return best;
}

/** The first content position at or after a line. */
function contentPosition(index: TextIndex, line: number): number {
  let lo = 0;
  let hi = index.content.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.content[mid]! < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The character pairs of a line, as bucket ids. */
function linePairs(line: string): Int32Array {
  const ids = new Int32Array(Math.max(0, line.length - 1));
  for (let i = 0; i + 1 < line.length; i++) ids[i] = ((line.charCodeAt(i) * 31) ^ (line.charCodeAt(i + 1) * 7919)) & (BUCKETS - 1);
  return ids;
}
