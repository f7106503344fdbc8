/**
 * The phrasing content of a paragraph or heading read without remark, for the
 * constructs that fill most of a report: text, code spans, backslash escapes,
 * emphasis, strong emphasis and strike-through. It follows micromark's rules
 * (the delimiter-run algorithm of its attention and GFM strike-through
 * resolvers, code span padding, line endings) and builds the same mdast,
 * positions included. Anything else (links, images, autolinks, raw HTML,
 * entities, hard breaks, code spans over several lines) makes it give up, and
 * the caller hands the text to remark: micromark costs a microsecond or two per
 * character, far too much for every paragraph of a megabyte report.
 */
import type { Delete, Emphasis, PhrasingContent, Strong, Text } from 'mdast';

/** One line of a paragraph's content: from its first non-blank character to the end of the line. */
export interface ContentLine {
  start: number;
  /** Offset of the line end (before its newline); may include trailing blanks. */
  end: number;
}

/** Makes a unist point of an offset. */
export type PointAt = (offset: number) => { line: number; column: number; offset: number };

/** More delimiter runs than this in one paragraph go to remark: matching them is worse than quadratic. */
const MAX_RUNS = 100;

/** What one run of `*`, `_` or `~` can do, as micromark's tokenizers decide it. */
interface Run {
  char: number;
  /** The unmatched part, shrinking as matches take characters from either side. */
  from: number;
  to: number;
  open: boolean;
  close: boolean;
  active: boolean;
  closes: Array<{ start: number; end: number; type: 'emphasis' | 'strong' | 'delete' }>;
  opens: Array<{ start: number; end: number; type: 'emphasis' | 'strong' | 'delete' }>;
}

type Piece =
  | { kind: 'text'; value: string; start: number; end: number }
  | { kind: 'code'; value: string; start: number; end: number }
  | { kind: 'run'; run: Run };

const STAR = 42;
const UNDERSCORE = 95;
const TILDE = 126;
const BACKTICK = 96;
const BACKSLASH = 92;

const PUNCTUATION = /\p{P}|\p{S}/u;
const WHITESPACE = /\s/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;

/** micromark's character classes: 1 whitespace (or none), 2 punctuation, 0 anything else. */
function classify(text: string, index: number, lineStart: number, lineEnd: number): 0 | 1 | 2 {
  if (index < lineStart || index >= lineEnd) return 1;
  const c = text[index] as string;
  if (WHITESPACE.test(c)) return 1;
  if (PUNCTUATION.test(c)) return 2;
  return 0;
}

/**
 * Reads the phrasing content of the given lines (the last one's trailing blanks
 * are not content); undefined when it holds a construct this reader leaves to remark.
 */
export function readPhrasing(text: string, lines: readonly ContentLine[], pointAt: PointAt): PhrasingContent[] | undefined {
  const pieces: Piece[] = [];
  const runs: Run[] = [];
  const backticks = backtickRuns(text, lines);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] as ContentLine;
    let end = line.end;
    while (end > line.start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
    if (l < lines.length - 1) {
      // Two trailing blanks or a backslash make a hard break; a tab is left to remark too.
      const trailing = text.slice(end, line.end);
      if (trailing.length >= 2 || trailing.includes('\t') || (trailing === '' && text.charCodeAt(end - 1) === BACKSLASH)) return undefined;
    }
    let i = line.start;
    let textStart = i;
    const flushText = (upTo: number) => {
      if (upTo > textStart) pieces.push({ kind: 'text', value: text.slice(textStart, upTo), start: textStart, end: upTo });
    };
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 13) return undefined;
      if (c === BACKSLASH) {
        const next = text[i + 1];
        if (i + 1 < end && next !== undefined && ASCII_PUNCTUATION.test(next)) {
          // An escaped character is text; it merges with the text around it.
          flushText(i);
          pieces.push({ kind: 'text', value: next, start: i, end: i + 2 });
          i += 2;
          textStart = i;
          continue;
        }
        i++;
        continue;
      }
      if (c === BACKTICK) {
        let n = 1;
        while (i + n < end && text.charCodeAt(i + n) === BACKTICK) n++;
        const close = backticks.closing(i + n, n);
        if (close === undefined) {
          i += n;
          continue;
        }
        if (close.line !== l) return undefined;
        flushText(i);
        pieces.push({ kind: 'code', value: codeValue(text.slice(i + n, close.start)), start: i, end: close.start + n });
        i = close.start + n;
        textStart = i;
        continue;
      }
      if (c === STAR || c === UNDERSCORE || c === TILDE) {
        let n = 1;
        while (i + n < end && text.charCodeAt(i + n) === c) n++;
        if (c === TILDE && n > 2) {
          i += n;
          continue;
        }
        const before = classify(text, i - 1, line.start, end);
        const after = classify(text, i + n, line.start, end);
        let open: boolean;
        let close: boolean;
        if (c === TILDE) {
          open = after === 0 || (after === 2 && before !== 0);
          close = before === 0 || (before === 2 && after !== 0);
        } else {
          const nextChar = i + n < end ? text.charCodeAt(i + n) : -1;
          const prevChar = i - 1 >= line.start ? text.charCodeAt(i - 1) : -1;
          const o = after === 0 || (after === 2 && before !== 0) || nextChar === TILDE;
          const k = before === 0 || (before === 2 && after !== 0) || prevChar === TILDE;
          open = c === STAR ? o : o && (before !== 0 || !k);
          close = c === STAR ? k : k && (after !== 0 || !o);
        }
        flushText(i);
        const run: Run = { char: c, from: i, to: i + n, open, close, active: true, closes: [], opens: [] };
        runs.push(run);
        pieces.push({ kind: 'run', run });
        i += n;
        textStart = i;
        continue;
      }
      if (c === 60) {
        // "<" before a letter, "/", "!" or "?" may open raw HTML or an autolink.
        const next = text[i + 1] ?? '';
        if (/[A-Za-z/!?]/.test(next)) return undefined;
      } else if (c === 38) {
        if (ENTITY.test(text.slice(i, i + 40))) return undefined;
      } else if (c === 93) {
        // "](" or "][" may close a link or a reference.
        const next = text.charCodeAt(i + 1);
        if (next === 40 || next === 91) return undefined;
      } else if (c === 91) {
        if (text.charCodeAt(i + 1) === 94) return undefined;
      } else if (c === 33) {
        if (text.charCodeAt(i + 1) === 91) return undefined;
      } else if (c === 64) {
        // GFM autolink literals: e-mail addresses, www. and scheme:// links.
        return undefined;
      } else if (c === 58) {
        if (text.startsWith('//', i + 1)) return undefined;
      } else if (c === 46) {
        // "www." (any case) may start a GFM autolink literal.
        if (i >= 3 && (text.charCodeAt(i - 1) | 32) === 119 && (text.charCodeAt(i - 2) | 32) === 119 && (text.charCodeAt(i - 3) | 32) === 119) return undefined;
      }
      i++;
    }
    flushText(end);
    if (l < lines.length - 1) {
      // The line ending is text of its own position; the next line's indentation is not text.
      pieces.push({ kind: 'text', value: '\n', start: line.end, end: line.end + 1 });
    }
  }
  if (runs.length > MAX_RUNS) return undefined;
  // micromark resolves emphasis and strike-through in the order their first runs were read.
  if (runs.length > 0) resolve(runs, 0, runs.length, (runs[0] as Run).char === TILDE ? ['strikethrough', 'attention'] : ['attention', 'strikethrough']);
  return build(pieces, pointAt);
}

/** Backtick runs of a paragraph, for finding the run that closes a code span. */
function backtickRuns(text: string, lines: readonly ContentLine[]) {
  const byLength = new Map<number, Array<{ start: number; line: number }>>();
  let scanned = false;
  const scan = () => {
    scanned = true;
    lines.forEach((line, l) => {
      // Within the line only: a search past its end could cross the rest of the report.
      for (let i = line.start; i < line.end; i++) {
        if (text.charCodeAt(i) !== BACKTICK) continue;
        let n = 1;
        while (i + n < line.end && text.charCodeAt(i + n) === BACKTICK) n++;
        let list = byLength.get(n);
        if (list === undefined) byLength.set(n, (list = []));
        list.push({ start: i, line: l });
        i += n - 1;
      }
    });
  };
  return {
    /** The first run of exactly `length` backticks starting at or after `from`. */
    closing(from: number, length: number): { start: number; line: number } | undefined {
      if (!scanned) scan();
      const list = byLength.get(length);
      if (list === undefined) return undefined;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as { start: number }).start < from) lo = mid + 1;
        else hi = mid;
      }
      return list[lo];
    },
  };
}

/** A code span's value: one blank stripped from each side when both sides have one and it is not all blanks. */
function codeValue(inner: string): string {
  if (inner.length >= 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '') return inner.slice(1, -1);
  return inner;
}

type Resolver = 'attention' | 'strikethrough';

/** The resolvers micromark runs on the content of a matched span, in its order. */
const INSIDE_SPAN: readonly Resolver[] = ['attention', 'strikethrough'];

/**
 * micromark's attention and GFM strike-through resolvers over runs[lo, hi), in
 * `order`: each closer, left to right, takes the nearest opener it can; the runs
 * between them are resolved on their own and what is left of them becomes text.
 */
function resolve(runs: Run[], lo: number, hi: number, order: readonly Resolver[]): void {
  for (const resolver of order) {
    const strike = resolver === 'strikethrough';
    for (let c = lo; c < hi; c++) {
      const closer = runs[c] as Run;
      if ((closer.char === TILDE) !== strike) continue;
      while (closer.active && closer.close && closer.to > closer.from) {
        let o = c - 1;
        for (; o >= lo; o--) {
          const opener = runs[o] as Run;
          if (!opener.active || !opener.open || (opener.char === TILDE) !== strike || opener.to <= opener.from) continue;
          const openLength = opener.to - opener.from;
          const closeLength = closer.to - closer.from;
          if (strike) {
            if (openLength === closeLength) break;
            continue;
          }
          if (opener.char !== closer.char) continue;
          // The "multiple of 3" rule of CommonMark.
          if ((opener.close || closer.open) && closeLength % 3 !== 0 && (openLength + closeLength) % 3 === 0) continue;
          break;
        }
        if (o < lo) break;
        const opener = runs[o] as Run;
        const use = strike ? closer.to - closer.from : opener.to - opener.from > 1 && closer.to - closer.from > 1 ? 2 : 1;
        const type = strike ? 'delete' : use > 1 ? 'strong' : 'emphasis';
        opener.opens.push({ start: opener.to - use, end: opener.to, type });
        opener.to -= use;
        closer.closes.push({ start: closer.from, end: closer.from + use, type });
        closer.from += use;
        resolve(runs, o + 1, c, INSIDE_SPAN);
        for (let k = o + 1; k < c; k++) (runs[k] as Run).active = false;
      }
    }
    for (let k = lo; k < hi; k++) if (((runs[k] as Run).char === TILDE) === strike) (runs[k] as Run).active = false;
  }
}

/** Builds the mdast: matched delimiters become nodes, everything else text, merged as mdast-util-from-markdown merges it. */
function build(pieces: readonly Piece[], pointAt: PointAt): PhrasingContent[] {
  type Parent = { children: PhrasingContent[]; node?: Emphasis | Strong | Delete };
  const root: Parent = { children: [] };
  const stack: Parent[] = [root];
  let top = root;
  const addText = (value: string, start: number, end: number) => {
    const last = top.children[top.children.length - 1];
    if (last?.type === 'text' && last.position !== undefined) {
      last.value += value;
      last.position.end = pointAt(end);
      return;
    }
    const node: Text = { type: 'text', value, position: { start: pointAt(start), end: pointAt(end) } };
    top.children.push(node);
  };
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      addText(piece.value, piece.start, piece.end);
      continue;
    }
    if (piece.kind === 'code') {
      top.children.push({ type: 'inlineCode', value: piece.value, position: { start: pointAt(piece.start), end: pointAt(piece.end) } });
      continue;
    }
    const run = piece.run;
    for (const close of run.closes) {
      const node = top.node;
      if (node?.position !== undefined) node.position.end = pointAt(close.end);
      stack.pop();
      top = stack[stack.length - 1] as Parent;
    }
    if (run.to > run.from) addText(String.fromCharCode(run.char).repeat(run.to - run.from), run.from, run.to);
    for (let k = run.opens.length - 1; k >= 0; k--) {
      const open = run.opens[k] as Run['opens'][number];
      const node = { type: open.type, children: [], position: { start: pointAt(open.start), end: pointAt(open.end) } } as Emphasis | Strong | Delete;
      top.children.push(node);
      top = { children: node.children, node };
      stack.push(top);
    }
  }
  return root.children;
}
