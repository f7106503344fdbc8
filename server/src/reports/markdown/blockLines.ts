/**
 * Line-level recognisers of Markdown block syntax for the block reader: blank
 * lines, thematic breaks, setext underlines, list markers, table rows, closing
 * fences and the ends of HTML blocks, each as CommonMark and GFM (as micromark
 * implements them) define it. Each works on `text[start, end)` without copying.
 */
import type { Html } from 'mdast';

export const SPACE = 32;
export const TAB = 9;

/** The end of the line starting at `pos` (before its newline), at most `end`. */
export function lineEndIn(text: string, pos: number, end: number): number {
  const newline = text.indexOf('\n', pos);
  return newline === -1 || newline >= end ? end : newline;
}

/** `end` moved back over trailing blanks (spaces and tabs), not before `start`. */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

/** A blank or a line ending. */
export function isBlankChar(c: number): boolean {
  return c === SPACE || c === TAB || c === 10 || c === 13;
}

/** Only blanks (a carriage return counts as the line ending it is). */
export function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== 13) return false;
  }
  return true;
}

/** Three or more `char` (`-`, `*` or `_`) with only blanks between and after: `---`, `* * *`. */
export function isThematicBreak(text: string, i: number, end: number, char: string): boolean {
  let count = 0;
  for (let j = i; j < end; j++) {
    const c = text[j];
    if (c === char) count++;
    else if (c !== ' ' && c !== '\t') return false;
  }
  return count >= 3;
}

/** A run of `char` (`=` or `-`) followed only by blanks. */
export function isSetextUnderline(text: string, i: number, end: number, char: string): boolean {
  let j = i;
  while (j < end && text[j] === char) j++;
  return trimEnd(text, j, end) === j;
}

/** One to nine digits, `.` or `)`, then a blank or the line end. */
export function isOrderedMarker(text: string, i: number, end: number): boolean {
  let j = i;
  while (j < end && j - i < 10 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
  if (j === i || j - i > 9) return false;
  const c = text[j];
  if (c !== '.' && c !== ')') return false;
  return j + 1 === end || text[j + 1] === ' ' || text[j + 1] === '\t';
}

/** A list item marker at the start of a line (bullet or ordered), at the left margin. */
export function isListMarker(text: string, i: number, end: number): boolean {
  const c = text[i];
  if (c === '-' || c === '*' || c === '+') return i + 1 === end || text[i + 1] === ' ' || text[i + 1] === '\t';
  return c !== undefined && c >= '0' && c <= '9' && isOrderedMarker(text, i, end);
}

/** The marker of a list item line at the left margin: its kind ("-", "1." or "1)" style), its number, where it ends. */
export function listMarker(text: string, i: number, end: number): { kind: string; number: number | null; end: number } | undefined {
  const c = text[i];
  if (c === '-' || c === '*' || c === '+') return i + 1 < end && text[i + 1] === ' ' ? { kind: c, number: null, end: i + 1 } : undefined;
  let j = i;
  while (j < end && j - i < 10 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
  const delimiter = text[j];
  if (j === i || j - i > 9 || (delimiter !== '.' && delimiter !== ')') || text[j + 1] !== ' ' || j + 1 >= end) return undefined;
  return { kind: delimiter, number: Number.parseInt(text.slice(i, j), 10), end: j + 1 };
}

/** A table cell as written: from its leading pipe to the next one (the last to the line end), and its trimmed content. */
export interface TableCellSpan {
  start: number;
  end: number;
  contentStart: number;
  contentEnd: number;
}

/**
 * The cells of a table row that starts with a pipe and ends with one (then only
 * blanks); undefined for any other row. A backslash escapes the next character,
 * so `\|` does not end a cell; code spans do not protect pipes.
 */
export function tableRow(text: string, start: number, end: number): TableCellSpan[] | undefined {
  const last = trimEnd(text, start, end) - 1;
  if (last <= start || text[last] !== '|') return undefined;
  let backslashes = 0;
  while (text[last - 1 - backslashes] === '\\') backslashes++;
  if (backslashes % 2 === 1) return undefined;
  const cells: TableCellSpan[] = [];
  let cellStart = start;
  for (const pipe of unescapedPipes(text, start, last)) {
    cells.push(cellSpan(text, cellStart, pipe === last ? end : pipe, pipe));
    cellStart = pipe;
  }
  return cells.length > 0 ? cells : undefined;
}

/**
 * The cells of a table body row that starts with a pipe but does not end with
 * one (`| c | d`): the last cell runs to the line end, as GFM reads it.
 * Undefined for a row that ends with a pipe (see tableRow) or holds only one.
 */
export function openTableRow(text: string, start: number, end: number): TableCellSpan[] | undefined {
  const last = trimEnd(text, start, end) - 1;
  if (last <= start) return undefined;
  const cells: TableCellSpan[] = [];
  let cellStart = start;
  for (const pipe of unescapedPipes(text, start, last)) {
    if (pipe === last) return undefined;
    cells.push(cellSpan(text, cellStart, pipe, pipe));
    cellStart = pipe;
  }
  cells.push(cellSpan(text, cellStart, end, last + 1));
  return cells;
}

/** Positions of the pipes after `start` up to `last` that no backslash escapes. */
function unescapedPipes(text: string, start: number, last: number): number[] {
  const pipes: number[] = [];
  for (let i = start + 1; i <= last; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '|') pipes.push(i);
  }
  return pipes;
}

function cellSpan(text: string, cellStart: number, cellEnd: number, contentLimit: number): TableCellSpan {
  let contentStart = cellStart + 1;
  while (contentStart < contentLimit && (text[contentStart] === ' ' || text[contentStart] === '\t')) contentStart++;
  return { start: cellStart, end: cellEnd, contentStart, contentEnd: trimEnd(text, contentStart, contentLimit) };
}

export function isDelimiterRow(text: string, i: number, end: number): boolean {
  let dash = false;
  for (let j = i; j < end; j++) {
    const c = text[j];
    if (c === '-') dash = true;
    else if (c !== '|' && c !== ':' && c !== ' ' && c !== '\t') return false;
  }
  return dash;
}

/** A line that closes a fence of `size` × `char`: up to three blanks, at least as many marks, then only blanks. */
export function isClosingFence(text: string, start: number, end: number, char: number, size: number): boolean {
  let i = start;
  while (i < end && i - start < 4 && text.charCodeAt(i) === SPACE) i++;
  if (i - start > 3) return false;
  let j = i;
  while (j < end && text.charCodeAt(j) === char) j++;
  if (j - i < size) return false;
  return trimEnd(text, j, end) === j;
}

/** How an HTML block of kinds 1 to 5 ends, and whether it has; undefined for the kinds a blank line ends. */
export function htmlEnd(node: Html): { closed: boolean; test: (line: string) => boolean } | undefined {
  // The block may be indented by up to three blanks.
  const value = node.value.replace(/^[ \t]+/, '');
  const raw = /^<(?:script|pre|style|textarea)(?:[\s>]|$)/i.test(value)
    ? { re: /<\/(?:script|pre|style|textarea)>/i, from: 1 }
    : value.startsWith('<!--')
      ? { re: /-->/, from: 4 }
      : value.startsWith('<![CDATA[')
        ? { re: /\]\]>/, from: 9 }
        : value.startsWith('<?')
          ? { re: /\?>/, from: 2 }
          : /^<![A-Za-z]/.test(value)
            ? { re: />/, from: 2 }
            : undefined;
  if (raw === undefined) return undefined;
  return { closed: raw.re.test(value.slice(raw.from)), test: (line) => raw.re.test(line) };
}
