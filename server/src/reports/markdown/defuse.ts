/**
 * Guards the Markdown parser against input that makes it slow. micromark takes
 * quadratic time on a paragraph with thousands of emphasis delimiters that
 * cannot pair ("a_ a_ a_ …": 30 kB take two seconds) and super-linear time, and
 * deep recursion, on deeply nested list items or block quotes ("- - - - …").
 * Reports never need either, so before parsing, the excess is replaced by
 * characters of the same length that carry no Markdown meaning. Offsets do not
 * move, and every text the reader keeps is sliced from the original, so only
 * the parse of a hostile report changes.
 */
import { scanLines } from './layout.js';

/** Delimiters of one kind per paragraph before the paragraph's are neutralised. */
const MAX_DELIMITERS = 400;
/** Nested containers (list items, quotes) on one line before deeper markers are neutralised. */
const MAX_NESTING = 12;
/** A list marker or quote this far right is flattened: indentation nests containers too. */
const MAX_MARKER_COLUMN = 32;

const NEUTRAL: ReadonlyMap<string, string> = new Map([
  ['*', '\u2217'],
  ['_', '\u2017'],
  ['~', '\u223c'],
  ['[', '\u27e6'],
  [']', '\u27e7'],
  ['`', '\u02cb'],
  ['<', '\u2039'],
]);

/** The text to hand the parser for `text.slice(from, to)`: the original unless it is hostile. */
export function defuseForParser(text: string, from: number, to: number): string {
  const slice = defuseSlice(text, from, to);
  if (slice === text.slice(from, to)) return text;
  return text.slice(0, from) + slice + text.slice(to);
}

/** `text.slice(from, to)` as the parser should see it: hostile runs replaced, same length. */
export function defuseSlice(text: string, from: number, to: number): string {
  let out: string[] | undefined;
  const replace = (index: number, char: string) => {
    out ??= text.slice(from, to).split('');
    out[index - from] = char;
  };
  let block: Array<[number, number]> = [];
  const flush = () => {
    if (block.length === 0) return;
    const counts = new Map<string, number>();
    for (const [start, end] of block) {
      for (let i = start; i < end; i++) {
        const c = text[i] as string;
        if (NEUTRAL.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    }
    for (const [c, n] of counts) {
      if (n <= MAX_DELIMITERS) continue;
      const neutral = NEUTRAL.get(c) as string;
      for (const [start, end] of block) for (let i = start; i < end; i++) if (text[i] === c) replace(i, neutral);
    }
    block = [];
  };
  scanLines(text, from, to, (line, start, end, inFence) => {
    if (inFence || line.trim() === '') {
      flush();
      return;
    }
    block.push([start, end]);
    flattenContainers(line, start, replace);
  });
  flush();
  return out === undefined ? text.slice(from, to) : out.join('');
}

/** Replaces container markers beyond the nesting or column limits with blanks. */
function flattenContainers(line: string, start: number, replace: (index: number, char: string) => void): void {
  let i = 0;
  let depth = 0;
  for (;;) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    const c = line[i];
    let markerEnd = -1;
    if (c === '>') markerEnd = i + 1;
    else if ((c === '-' || c === '*' || c === '+') && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) markerEnd = i + 1;
    else if (c !== undefined && c >= '0' && c <= '9') {
      let j = i;
      while (j < line.length && j - i < 9 && (line[j] as string) >= '0' && (line[j] as string) <= '9') j++;
      if ((line[j] === '.' || line[j] === ')') && (j + 1 === line.length || line[j + 1] === ' ' || line[j + 1] === '\t')) markerEnd = j + 1;
    }
    if (markerEnd === -1) return;
    depth++;
    if (depth > MAX_NESTING || i > MAX_MARKER_COLUMN) {
      for (let k = i; k < markerEnd; k++) replace(start + k, ' ');
    }
    i = markerEnd;
  }
}
