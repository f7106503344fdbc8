/**
 * The placement steps after live edits, as one pure function over today's
 * text: git's line map from the reviewed commit, then the quoted snippet,
 * then a similar snippet, else an orphan at the top of the file.
 */
import type { Range } from 'vscode-languageserver';
import { distinctiveLines, findAnchor, findLine, type AnchorPattern, type TextIndex } from './anchorText.js';
import { findFuzzy } from './fuzzy.js';
import type { LineSpan, MappedSpan } from './lineMap.js';
import type { Placement } from './placement.js';

/** What one location brings to placement. */
export interface PlacementInput {
  /** Cited lines, 1-based inclusive, as the report wrote them; undefined for the whole file. */
  cited?: { start: number; end: number };
  /** Today's lines. */
  lines: readonly string[];
  /** The search index of today's lines (built once per text version). */
  index: TextIndex;
  /** The quoted snippet, parsed. */
  anchor?: AnchorPattern;
  /** Where git says the cited lines went; undefined when git cannot tell. */
  git?: MappedSpan;
  /** Short id of the commit git mapped from, for the note. */
  gitCommit?: string;
  /** Similarity (0 to 1) a window must reach for the fuzzy step. */
  threshold: number;
}

/** A snippet found this many lines around the cited ones is taken to be at them (off-by-one citations). */
const NEAR = 1;
/** A snippet line placed on its own must have this many characters (no `}` or `return err`). */
const DISTINCTIVE = 16;

/** Places one cited location in today's text. */
export function computePlacement(input: PlacementInput): Placement {
  const { lines, cited } = input;
  const count = Math.max(lines.length, 1);
  if (!cited) return { method: 'cited', range: lineRange(lines, 0, 0) };
  const span: LineSpan = { start: cited.start - 1, end: Math.max(cited.end, cited.start) - 1 };
  const length = span.end - span.start;

  if (input.git?.kind === 'kept') {
    const placed = clampSpan(input.git.span, count);
    return {
      method: 'git',
      range: lineRange(lines, placed.start, placed.end),
      ...(input.git.moved ? { note: `(moved from line ${cited.start}${input.gitCommit ? ` of ${input.gitCommit}` : ''})` } : {}),
    };
  }
  // When git saw the cited lines replaced, look for the code near where they were.
  const expected = input.git?.kind === 'gone' ? input.git.at : span;
  const trustCitation = input.git === undefined;

  if (input.anchor) {
    const found = placeByAnchor(input.index, input.anchor, expected, length, trustCitation);
    if (found) {
      const placed = clampSpan(found.span, count);
      return {
        method: 'anchor',
        range: lineRange(lines, placed.start, placed.end),
        ...(placed.start !== span.start ? { note: `(moved from line ${cited.start}; found by its quoted code)` } : {}),
      };
    }
    const fuzzy = findFuzzy(input.index, input.anchor, input.threshold, expected.start);
    if (fuzzy) {
      const kept = trustCitation && fuzzy.start >= span.start - NEAR - 1 && fuzzy.start <= span.end + NEAR;
      const placed = clampSpan(kept ? span : { start: fuzzy.start, end: fuzzy.start + length }, count);
      const similar = `${Math.floor(fuzzy.similarity * 100)}% like the quoted code`;
      return {
        method: 'fuzzy',
        range: lineRange(lines, placed.start, placed.end),
        note: placed.start !== span.start ? `(moved from line ${cited.start}; placed by likeness: ${similar})` : `(placed by likeness: ${similar})`,
      };
    }
    return orphan(lines, `(outdated: the quoted code is no longer in this file; it was cited at line ${cited.start})`);
  }

  if (input.git?.kind === 'gone') {
    return orphan(lines, `(outdated: the cited lines were changed since ${input.gitCommit ?? 'the reviewed commit'}; cited at line ${cited.start})`);
  }
  if (span.start >= count) {
    const last = count - 1;
    return {
      method: 'past-end',
      range: lineRange(lines, last, last),
      note: `(cited line ${cited.start} is past the end of the file, which has ${lines.length} lines)`,
    };
  }
  const placed = clampSpan(span, count);
  return { method: 'cited', range: lineRange(lines, placed.start, placed.end) };
}

/** The snippet's place: the whole snippet nearest the expected lines, else one distinctive line of it. */
function placeByAnchor(index: TextIndex, anchor: AnchorPattern, expected: LineSpan, length: number, trustCitation: boolean): { span: LineSpan } | undefined {
  const matches = findAnchor(index, anchor);
  const nearest = pickNearest(matches.map((m) => m.start), expected.start);
  if (nearest !== undefined) return { span: spanAt(nearest, 0, expected, length, trustCitation) };
  // The snippet as a whole is gone (edited, or quoting two places): one exact line of it still places it.
  let best: { line: number; offset: number } | undefined;
  for (const { line, offset } of distinctiveLines(anchor, DISTINCTIVE)) {
    const found = findLine(index, line);
    const near = found.filter((at) => at >= expected.start - NEAR - offset && at <= expected.end + NEAR + offset);
    // Away from the cited lines, only a line found once is evidence.
    const candidates = near.length > 0 ? near : found.length === 1 ? found : [];
    const at = pickNearest(candidates, expected.start + offset);
    if (at !== undefined && (!best || Math.abs(at - offset - expected.start) < Math.abs(best.line - best.offset - expected.start))) best = { line: at, offset };
  }
  return best ? { span: spanAt(best.line, best.offset, expected, length, trustCitation) } : undefined;
}

/**
 * The cited span for a snippet line found at `at` (the snippet's `offset`-th
 * content line): the cited lines themselves when the snippet is at or inside
 * them, else the cited span moved to start where the snippet does.
 */
function spanAt(at: number, offset: number, expected: LineSpan, length: number, trustCitation: boolean): LineSpan {
  const start = at - offset;
  if (trustCitation && start >= expected.start - NEAR && start <= expected.end + NEAR) return expected;
  return { start, end: start + length };
}

function pickNearest(lines: readonly number[], target: number): number | undefined {
  let best: number | undefined;
  for (const line of lines) if (best === undefined || Math.abs(line - target) < Math.abs(best - target)) best = line;
  return best;
}

function orphan(lines: readonly string[], note: string): Placement {
  return { method: 'orphan', range: lineRange(lines, 0, 0), note };
}

function clampSpan(span: LineSpan, count: number): LineSpan {
  const start = Math.min(Math.max(span.start, 0), count - 1);
  return { start, end: Math.min(Math.max(span.end, start), count - 1) };
}

/** Whole lines from `start` to `end`, starting after the first line's indentation. */
export function lineRange(lines: readonly string[], start: number, end: number): Range {
  const firstText = lines[start] ?? '';
  const indent = firstText.length - firstText.trimStart().length;
  return {
    start: { line: start, character: indent < firstText.length ? indent : 0 },
    end: { line: end, character: lines[end]?.length ?? 0 },
  };
}
