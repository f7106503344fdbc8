/**
 * Finding a finding's quoted snippet in today's text: whitespace and
 * indentation do not count, and `...` / `…` stand for elided code (a line of
 * its own skips any number of lines; inside a line it skips part of it).
 */

/** One snippet line: its pieces between elisions, whitespace removed. */
interface LinePattern {
  pieces: string[];
  /** Content characters, to tell distinctive lines from `}`. */
  weight: number;
}

/** A parsed snippet: content lines, with gaps where lines were elided. */
export interface AnchorPattern {
  /** Content lines and gaps, in order; never starts or ends with a gap. */
  items: (LinePattern | 'gap')[];
  /** Content lines only, with their position among the snippet's content lines. */
  lines: LinePattern[];
  /** Lines the snippet spans as quoted, blank ones included. */
  quotedLines: number;
}

/** Today's text, normalised once per version for every search. */
export interface TextIndex {
  /** Each line without whitespace. */
  normalised: string[];
  /** Indices of the lines that are not blank. */
  content: number[];
  /** Where each normalised line occurs, by position in `content`. */
  byLine: Map<string, number[]>;
  /** The content lines joined by newlines, and where each starts, made by the first search for part of a line. */
  joined?: { text: string; starts: number[] };
  /** Character pairs of the content lines and counting tables, made by the first approximate search. */
  fuzzy?: FuzzyTables;
}

/** What the approximate search keeps with a text: made once, reused by every search in it. */
export interface FuzzyTables {
  /** Pair ids of every content line, one after another. */
  ids: Int32Array;
  /** Where each content line's ids start in `ids`; one more entry than lines. */
  starts: Int32Array;
  /** Pair counts of the snippet and of the window, all zero between searches. */
  want: Int32Array;
  have: Int32Array;
}

/** A place the snippet was found: 0-based first and last line of the match. */
export interface AnchorMatch {
  start: number;
  end: number;
}

const ELISION = /\.\.\.|…/;
const ELISION_LINE = /^(?:\/\/|#|--|;|\/\*+|\*|<!--)?\s*(?:\.\.\.|…)\s*(?:\*\/|-->)?$/;
/** How many content lines an elision may stand for. */
const MAX_GAP = 400;

/** Removes whitespace, so indentation and spacing never decide a match. */
export function normaliseLine(line: string): string {
  // This runs on every line of every cited file. Splitting on ASCII whitespace and joining
  // gives a flat string (a loop of slices gives a rope, flattened again when the line is a
  // map key), and measured twice as fast; a line with other characters takes Unicode's \s.
  if (NON_ASCII.test(line)) return line.replace(ANY_WHITESPACE, '');
  return ASCII_WHITESPACE.test(line) ? line.split(ASCII_WHITESPACE_RUN).join('') : line;
}
const NON_ASCII = /[^\x00-\x7f]/;
const ANY_WHITESPACE = /\s+/g;
const ASCII_WHITESPACE = /[\t-\r ]/;
const ASCII_WHITESPACE_RUN = /[\t-\r ]+/;

/** Builds the search index of a text's lines. */
export function computeTextIndex(lines: readonly string[]): TextIndex {
  const normalised = lines.map(normaliseLine);
  const content: number[] = [];
  const byLine = new Map<string, number[]>();
  normalised.forEach((line, index) => {
    if (line === '') return;
    const at = content.length;
    content.push(index);
    const list = byLine.get(line);
    if (list) list.push(at);
    else byLine.set(line, [at]);
  });
  return { normalised, content, byLine };
}

/** Parses a quoted snippet; undefined when it has no code to look for. */
export function parseAnchor(text: string | undefined): AnchorPattern | undefined {
  if (!text) return undefined;
  const items: (LinePattern | 'gap')[] = [];
  const quoted = text.split(/\r?\n/);
  while (quoted.length > 0 && quoted[0]!.trim() === '') quoted.shift();
  while (quoted.length > 0 && quoted[quoted.length - 1]!.trim() === '') quoted.pop();
  for (const raw of quoted) {
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (ELISION_LINE.test(trimmed)) {
      if (items.length > 0 && items[items.length - 1] !== 'gap') items.push('gap');
      continue;
    }
    const pieces = normaliseLine(trimmed).split(ELISION);
    items.push({ pieces, weight: pieces.join('').length });
  }
  while (items[items.length - 1] === 'gap') items.pop();
  const lines = items.filter((item): item is LinePattern => item !== 'gap');
  return lines.length > 0 ? { items, lines, quotedLines: quoted.length } : undefined;
}

/**
 * Every place where the whole snippet matches, in order of position; only
 * those starting in `within` (0-based inclusive line spans) when it is given,
 * which spares a search of the whole text.
 */
export function findAnchor(index: TextIndex, anchor: AnchorPattern, within?: readonly AnchorMatch[]): AnchorMatch[] {
  const [first] = anchor.items as [LinePattern, ...(LinePattern | 'gap')[]];
  const matches: AnchorMatch[] = [];
  for (const at of within ? candidatesWithin(index, first, within) : candidates(index, first)) {
    const end = matchFrom(index, anchor.items, at);
    if (end !== undefined) matches.push({ start: index.content[at]!, end: index.content[end]! });
  }
  return matches;
}

/**
 * Where a snippet without elisions matches, starting within `zones` (0-based
 * line spans), in order: the same matches `findAnchor` gives there, found by
 * folding only the lines they need instead of indexing the whole text (a
 * snippet is most often at, or a line or so from, the lines it was cited at).
 */
export function findAnchorNear(lines: readonly string[], anchor: AnchorPattern, zones: readonly AnchorMatch[]): AnchorMatch[] {
  if (anchor.items.includes('gap') || anchor.lines.length === 0) throw new Error('findAnchorNear takes a snippet without elisions');
  const folded = new Map<number, string>();
  const fold = (line: number) => {
    let text = folded.get(line);
    if (text === undefined) folded.set(line, (text = normaliseLine(lines[line]!)));
    return text;
  };
  const starts = new Set<number>();
  for (const zone of zones) for (let line = Math.max(0, zone.start); line <= Math.min(zone.end, lines.length - 1); line++) starts.add(line);
  const matches: AnchorMatch[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    if (fold(start) === '' || !matchesLine(fold(start), anchor.lines[0]!)) continue;
    let line = start;
    let matched = 1;
    for (; matched < anchor.lines.length; matched++) {
      // The next content line: blank lines are not part of a snippet's match.
      do line++;
      while (line < lines.length && fold(line) === '');
      if (line >= lines.length || !matchesLine(fold(line), anchor.lines[matched]!)) break;
    }
    if (matched === anchor.lines.length) matches.push({ start, end: line });
  }
  return matches;
}

/**
 * The snippet as a quote cut mid-line: its first line may be the end of a
 * line of code, its last line the start of one (a one-line snippet, any part
 * of one), as if elided there.
 */
export function partialAnchor(anchor: AnchorPattern): AnchorPattern {
  const first = anchor.items.findIndex((item) => item !== 'gap');
  const last = anchor.items.length - 1;
  const items = anchor.items.map((item, i) => {
    if (item === 'gap' || (i !== first && i !== last)) return item;
    const pieces = [...(i === first && item.pieces[0] !== '' ? [''] : []), ...item.pieces, ...(i === last && item.pieces[item.pieces.length - 1] !== '' ? [''] : [])];
    return { pieces, weight: item.weight };
  });
  return { items, lines: items.filter((item): item is LinePattern => item !== 'gap'), quotedLines: anchor.quotedLines };
}

/** Every line where one snippet line matches, as 0-based line numbers. */
export function findLine(index: TextIndex, line: LinePattern): number[] {
  return candidates(index, line).map((at) => index.content[at]!);
}

/** The snippet's content lines worth finding on their own (not `}` or `return err`). */
export function distinctiveLines(anchor: AnchorPattern, minWeight: number): { line: LinePattern; offset: number }[] {
  return anchor.lines.map((line, offset) => ({ line, offset })).filter(({ line }) => line.weight >= minWeight);
}

/** Positions in `content` where a line pattern matches. */
function candidates(index: TextIndex, pattern: LinePattern): number[] {
  if (pattern.pieces.length === 1) return index.byLine.get(pattern.pieces[0]!) ?? [];
  // Only lines holding the pattern's longest piece can match: one native search of the whole text finds them.
  const longest = pattern.pieces.reduce((a, b) => (b.length > a.length ? b : a));
  const { text, starts } = (index.joined ??= joinContent(index));
  const found: number[] = [];
  for (let from = text.indexOf(longest); from >= 0; ) {
    const at = lineAt(starts, from);
    if (matchesLine(index.normalised[index.content[at]!]!, pattern)) found.push(at);
    // On to the next line: a line is a candidate once.
    const next = at + 1 < starts.length ? starts[at + 1]! : text.length;
    from = text.indexOf(longest, next);
  }
  return found;
}

/** Positions in `content` of lines in the spans where a line pattern matches, in order. */
function candidatesWithin(index: TextIndex, pattern: LinePattern, within: readonly AnchorMatch[]): number[] {
  const found = new Set<number>();
  for (const span of within) {
    for (let at = contentAt(index, span.start); at < index.content.length && index.content[at]! <= span.end; at++) {
      if (matchesLine(index.normalised[index.content[at]!]!, pattern)) found.add(at);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** The first position in `content` at or after a line. */
export function contentAt(index: TextIndex, line: number): number {
  let lo = 0;
  let hi = index.content.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.content[mid]! < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function joinContent(index: TextIndex): { text: string; starts: number[] } {
  const starts: number[] = [];
  let length = 0;
  const lines = index.content.map((line) => {
    const text = index.normalised[line]!;
    starts.push(length);
    length += text.length + 1;
    return text;
  });
  return { text: lines.join('\n'), starts };
}

/** The content position of the line holding character `offset` of the joined text. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Matches the items from content position `at`; returns the content position of the last matched line. */
function matchFrom(index: TextIndex, items: readonly (LinePattern | 'gap')[], at: number): number | undefined {
  let position = at;
  let gap = false;
  let last = at;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item === 'gap') {
      gap = true;
      continue;
    }
    if (i === 0) {
      last = position;
      position++;
      continue;
    }
    const limit = gap ? Math.min(index.content.length, position + MAX_GAP) : Math.min(index.content.length, position + 1);
    let found: number | undefined;
    for (let p = position; p < limit; p++) {
      if (matchesLine(index.normalised[index.content[p]!]!, item)) {
        found = p;
        break;
      }
    }
    if (found === undefined) return undefined;
    last = found;
    position = found + 1;
    gap = false;
  }
  return last;
}

/** A line matches when its pieces appear in order, anchored at both ends unless elided there. */
export function matchesLine(line: string, pattern: LinePattern): boolean {
  const { pieces } = pattern;
  if (pieces.length === 1) return line === pieces[0];
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  if (!line.startsWith(head) || !line.endsWith(tail) || line.length < head.length + tail.length) return false;
  let from = head.length;
  const until = line.length - tail.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = line.indexOf(piece, from);
    if (found < 0 || found + piece.length > until) return false;
    from = found + piece.length;
  }
  return true;
}
