/**
 * The placement steps after live edits, as one pure function over today's
 * text: git's line map from the reviewed commit, then the quoted snippet,
 * then a similar snippet, else an orphan at the top of the file.
 */
import type { Range } from 'vscode-languageserver';
import { distinctiveLines, findAnchor, findAnchorNear, findLine, partialAnchor, type AnchorMatch, type AnchorPattern, type TextIndex } from './anchorText.js';
import { findFuzzy } from './fuzzy.js';
import type { LineSpan, MappedSpan } from './lineMap.js';
import type { Placement } from './placement.js';
import { rangeStartAbove } from './rangeShape.js';

/** What one location brings to placement. */
export interface PlacementInput {
  /** Cited lines, 1-based inclusive, as the report wrote them; undefined for the whole file. */
  cited?: { start: number; end: number };
  /** Every range the location cites (its snippet may quote any of them); `cited` is one of them. */
  ranges?: readonly { start: number; end: number }[];
  /** Today's lines. */
  lines: readonly string[];
  /** The search index of today's lines, built on first use (once per text version). */
  index: () => TextIndex;
  /** The quoted snippet, parsed. */
  anchor?: AnchorPattern;
  /** Set when `anchor` is another finding's quote of the cited lines (the location quotes none): that finding's id. */
  quotedBy?: string;
  /** Where git says the cited lines went; undefined when git cannot tell. */
  git?: MappedSpan;
  /** Short id of the commit git mapped from, for the note. */
  gitCommit?: string;
  /** Similarity (0 to 1) a window must reach for the fuzzy step. */
  threshold: number;
}

/** A snippet found this many lines around the cited ones is taken to be at them (citations are often a line or three off). */
const NEAR = 3;
/** Lines around git's answer where the snippet may sit before git is set aside. */
const GIT_SLACK = 10;
/** A snippet line placed on its own must have this many characters (no `}` or `return err`). */
const DISTINCTIVE = 16;

/** Places one cited location in today's text. */
export function computePlacement(input: PlacementInput): Placement {
  const { lines, cited } = input;
  const count = Math.max(lines.length, 1);
  if (!cited) return { method: 'cited', range: lineRange(lines, 0, 0) };
  const span: LineSpan = { start: cited.start - 1, end: Math.max(cited.end, cited.start) - 1 };
  const length = span.end - span.start;

  if (input.git?.kind === 'kept' && !snippetDisagrees(input, input.git.span)) {
    const placed = clampSpan(input.git.span, count);
    return {
      method: 'git',
      range: lineRange(lines, placed.start, placed.end),
      ...(input.git.moved ? { note: `(moved from line ${cited.start}${input.gitCommit ? ` of ${input.gitCommit}` : ''})` } : {}),
    };
  }
  // When git saw the cited lines replaced, look for the code near where they were.
  const expected = input.git?.kind === 'gone' ? input.git.at : span;
  // A git answer the snippet contradicts is set aside: the snippet is then placed as if there were no git.
  const trustCitation = input.git === undefined || input.git.kind === 'kept';
  // One snippet stands for all of a location's ranges: found at any of them, the location is in place;
  // found elsewhere, the location moved as a whole, by the distance from its first range.
  const citedSpans = (input.ranges && input.ranges.length > 0 ? input.ranges : [cited]).map((r) => ({ start: r.start - 1, end: Math.max(r.end, r.start) - 1 }));
  const first = input.git?.kind === 'gone' ? expected : citedSpans[0]!;
  const quoted = input.anchor && !input.anchor.items.includes('gap') ? input.anchor.quotedLines : 0;
  const frame: Frame = {
    here: expected,
    first,
    around: trustCitation ? citedSpans : [expected],
    length,
    trustCitation,
    ...(quoted === length + 1 ? { grows: { quoted } } : {}),
    // Only a location of one range, its citation trusted, has a known shape to keep around its snippet.
    ...(trustCitation && citedSpans.length === 1 ? { lines } : {}),
  };

  if (input.anchor) {
    const quote = input.quotedBy ? `the code ${input.quotedBy} quotes from these lines` : 'its quoted code';
    const found = placeByAnchor(input.index, input.anchor, frame, lines);
    if (found) {
      const placed = clampSpan(found.span, count);
      return {
        method: 'anchor',
        range: lineRange(lines, placed.start, placed.end),
        ...(placed.start !== span.start ? { note: `(moved from line ${cited.start}; found by ${quote})` } : {}),
      };
    }
    const fuzzy = findFuzzy(input.index(), input.anchor, input.threshold, first.start);
    if (fuzzy) {
      const placed = clampSpan(spanFor(fuzzy, 0, frame), count);
      const similar = `${Math.floor(fuzzy.similarity * 100)}% like ${input.quotedBy ? `the code ${input.quotedBy} quotes` : 'the quoted code'}`;
      return {
        method: 'fuzzy',
        range: lineRange(lines, placed.start, placed.end),
        note: placed.start !== span.start ? `(moved from line ${cited.start}; placed by likeness: ${similar})` : `(placed by likeness: ${similar})`,
      };
    }
    // A quote cut mid-line that moved: evidence only where it fits in one place.
    const cut = findAnchor(input.index(), partialAnchor(input.anchor));
    if (cut.length === 1) {
      const placed = clampSpan(spanFor(cut[0]!, 0, frame), count);
      return { method: 'anchor', range: lineRange(lines, placed.start, placed.end), note: `(moved from line ${cited.start}; found by ${quote})` };
    }
    const gone = input.quotedBy ? `the code ${input.quotedBy} quotes from the cited lines` : 'the quoted code';
    return orphan(lines, `(outdated: ${gone} is no longer in this file; it was cited at line ${cited.start})`);
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

/**
 * True when git's mapped lines hold no copy of the quoted snippet while the
 * file has one elsewhere: the reviewed commit is then likely the wrong one
 * (a report can name a commit older than the code it quotes). Only a
 * location of one range is checked, as its snippet quotes that range.
 */
function snippetDisagrees(input: PlacementInput, mapped: LineSpan): boolean {
  if (!input.anchor || (input.ranges && input.ranges.length > 1)) return false;
  const matches = findAnchor(input.index(), input.anchor);
  if (matches.length === 0) return false;
  // Generous: a citation a few lines off its snippet is common, a wrong commit is what this is for.
  return !matches.some((match) => match.end >= mapped.start - GIT_SLACK && match.start <= mapped.end + GIT_SLACK);
}

/** Where the location's cited spans are, for deciding whether a found snippet is at them. */
interface Frame {
  /** The span being placed. */
  here: LineSpan;
  /** The location's first span: a moved location keeps its distance from it. */
  first: LineSpan;
  /** Every span the snippet may quote. */
  around: LineSpan[];
  length: number;
  /** False when git already said the cited lines changed: then only the snippet tells where the code is. */
  trustCitation: boolean;
  /** Set when the snippet, without elisions, is as long as the span: the lines it quoted. */
  grows?: { quoted: number };
  /** Today's lines, when a moved range longer than its snippet may start above the snippet. */
  lines?: readonly string[];
}

/** The snippet's place: the whole snippet nearest the cited lines, else one distinctive line of it. */
function placeByAnchor(indexOf: () => TextIndex, anchor: AnchorPattern, frame: Frame, lines: readonly string[]): { span: LineSpan } | undefined {
  if (frame.trustCitation && !anchor.items.includes('gap') && anchor.lines.length > 0) {
    // The nearest block is the first one at the cited lines, when there is one: it can only start
    // in these zones, so they are searched first, without indexing the whole text.
    const zones = frame.around.map((span) => ({ start: span.start - NEAR, end: span.end }));
    const at = findAnchorNear(lines, anchor, zones).find((block) => isNear(block, frame));
    if (at) return { span: spanFor(at, 0, frame) };
  }
  const index = indexOf();
  const matches = findAnchor(index, anchor);
  const nearest = pickNearestBlock(matches, frame);
  if (nearest) return { span: spanFor(nearest, 0, frame) };
  // A quote cut mid-line (`open(path)` of `const f = open(path);`) at the cited lines. (Elsewhere, only after likeness.)
  if (frame.trustCitation) {
    const zones = frame.around.map((span) => ({ start: span.start - NEAR, end: span.end }));
    const cut = pickNearestBlock(findAnchor(index, partialAnchor(anchor), zones).filter((block) => isNear(block, frame)), frame);
    if (cut) return { span: frame.here };
  }
  // The snippet as a whole is gone (edited, or quoting two places): one exact line of it still places it.
  let best: { block: AnchorMatch; distance: number } | undefined;
  const last = anchor.lines.length - 1;
  for (const { line, offset } of distinctiveLines(anchor, DISTINCTIVE)) {
    const found = findLine(index, line);
    // A line the file repeats says nothing of where the snippet is, near the cited lines or away from them.
    if (found.length !== 1) continue;
    const at = found[0]!;
    // Where the whole snippet would lie, this line of it being at `at`.
    const implied = { start: at - offset, end: at - offset + last, at };
    const distance = isNearLine(implied, frame) ? 0 : Math.abs(implied.start - frame.first.start);
    if (!best || distance < best.distance) best = { block: implied, distance };
  }
  if (!best) return undefined;
  // How much the range grew inside, one line cannot tell.
  return { span: best.distance === 0 ? frame.here : movedSpan(best.block.start, anchor.quotedLines, 0, frame) };
}

/**
 * True when one line of the snippet, found at `at`, puts the snippet at the
 * cited lines: the line lies in them (or starts up to NEAR lines before),
 * and the rest of the snippet would not run more than NEAR lines past them.
 */
function isNearLine(block: AnchorMatch & { at: number }, frame: Frame): boolean {
  if (!frame.trustCitation) return false;
  return frame.around.some((span) => {
    const from = block.at - span.start;
    const at = (from <= 0 && from >= -NEAR) || (from > 0 && block.at <= span.end);
    return at && block.end <= Math.max(span.end, span.start + frame.length) + NEAR && block.start >= span.start - NEAR;
  });
}

/**
 * True when a found block is at one of the cited spans: starting within NEAR
 * lines of it, or lying inside it (a one-line snippet of a long range). A
 * block that merely overlaps a span is code that moved.
 */
function isNear(block: AnchorMatch, frame: Frame): boolean {
  if (!frame.trustCitation) return false;
  return frame.around.some((span) => {
    const from = block.start - span.start;
    return (from <= 0 && from >= -NEAR) || (from > 0 && block.end <= span.end);
  });
}

/**
 * The span to place for a snippet found at `block` (its `offset`-th content
 * line there): the cited span itself when the snippet is at the cited lines,
 * else the cited span moved as far as the snippet moved from the first range.
 */
function spanFor(block: AnchorMatch, offset: number, frame: Frame): LineSpan {
  if (isNear(block, frame)) return frame.here;
  // A snippet quoting the whole range tells how much the range grew or shrank inside.
  const grown = frame.here === frame.first && frame.grows ? block.end - block.start + 1 - frame.grows.quoted : 0;
  return movedSpan(block.start - offset, block.end - block.start + 1, grown, frame);
}

/**
 * The cited span moved with a snippet of `extent` lines now starting at
 * `quoteStart`: a range longer than its snippet may have begun above it
 * (where, its shape today tells); `grown` lines longer than cited.
 */
function movedSpan(quoteStart: number, extent: number, grown: number, frame: Frame): LineSpan {
  const slack = frame.length + 1 - extent;
  const begins = frame.lines && slack > 0 ? rangeStartAbove(frame.lines, quoteStart - slack, quoteStart) : quoteStart;
  const start = frame.here.start + begins - frame.first.start;
  return { start, end: Math.max(start, start + frame.length + grown) };
}

function pickNearestBlock(blocks: readonly AnchorMatch[], frame: Frame): AnchorMatch | undefined {
  let best: AnchorMatch | undefined;
  let bestDistance = Infinity;
  for (const block of blocks) {
    const distance = isNear(block, frame) ? 0 : Math.abs(block.start - frame.first.start);
    if (distance < bestDistance) {
      best = block;
      bestDistance = distance;
    }
  }
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
