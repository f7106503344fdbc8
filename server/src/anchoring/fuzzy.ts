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
const BUCKETS = 1 << 16;
/** Snippets shorter than this many characters are too plain to place by likeness. */
const MIN_CHARS = 12;

/**
 * The window most like the snippet, when it reaches `threshold`; among equal
 * scores the one nearest to `near` wins.
 */
export function findFuzzy(index: TextIndex, anchor: AnchorPattern, threshold: number, near: number): FuzzyMatch | undefined {
  const snippetLines = anchor.lines.map((line) => line.pieces.join(''));
  const snippetChars = snippetLines.reduce((sum, line) => sum + line.length, 0);
  if (snippetChars < MIN_CHARS) return undefined;
  const width = snippetLines.length;
  const lines = index.content.map((line) => index.normalised[line]!);
  if (lines.length === 0) return undefined;

  const want = new Int32Array(BUCKETS);
  let wantTotal = 0;
  for (const line of snippetLines) wantTotal += addPairs(want, line, 1);
  const have = new Int32Array(BUCKETS);
  let haveTotal = 0;
  let common = 0;
  const shift = (line: string, sign: 1 | -1) => {
    for (let i = 0; i + 1 < line.length; i++) {
      const bucket = pair(line, i);
      if (sign > 0) {
        if (have[bucket]! < want[bucket]!) common++;
        have[bucket]!++;
      } else {
        have[bucket]!--;
        if (have[bucket]! < want[bucket]!) common--;
      }
    }
    haveTotal += sign * Math.max(0, line.length - 1);
  };

  let best: FuzzyMatch | undefined;
  const windows = Math.max(1, lines.length - width + 1);
  for (let at = 0; at < Math.min(width, lines.length); at++) shift(lines[at]!, 1);
  for (let at = 0; at < windows; at++) {
    if (at > 0) {
      shift(lines[at - 1]!, -1);
      if (at + width - 1 < lines.length) shift(lines[at + width - 1]!, 1);
    }
    const similarity = wantTotal + haveTotal === 0 ? 0 : (2 * common) / (wantTotal + haveTotal);
    if (similarity < threshold) continue;
    const start = index.content[at]!;
    const end = index.content[Math.min(at + width, lines.length) - 1]!;
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

function pair(line: string, i: number): number {
  return ((line.charCodeAt(i) * 31) ^ (line.charCodeAt(i + 1) * 7919)) & (BUCKETS - 1);
}

function addPairs(counts: Int32Array, line: string, sign: number): number {
  for (let i = 0; i + 1 < line.length; i++) counts[pair(line, i)]! += sign;
  return Math.max(0, line.length - 1);
}
