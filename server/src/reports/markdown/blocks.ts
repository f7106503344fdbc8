/**
 * The mdast of a part of a report, built line by line where Markdown is plain
 * and by remark only where it is not. remark-parse with GFM reads about half a
 * megabyte a second and its cost per call is high, so sending a whole report
 * through it is what made large reports slow. Most of a report is paragraphs,
 * ATX headings, `---` separators, fenced code, tight lists of one-paragraph
 * items (numbered finding headers, fix options) and tables with piped rows at
 * the top level; those are read here, exactly as micromark reads them, and the
 * inline content of a paragraph, heading or table cell is read only when
 * something asks for its children. Any other block (other lists and tables,
 * block quotes, HTML, setext headings, indented code) is cut out with the text
 * around it up to a line where a new top-level block certainly starts, and
 * parsed by remark on its own, or, when that text can hold no heading and no
 * block left open, only once a reader asks for it (most such text is in
 * sections that are kept as Markdown and never read as nodes). Link reference
 * definitions reach across the whole text: single-line ones are read here, and
 * every slice handed to remark gets the definitions of the labels it uses
 * appended, so no report is parsed whole. A paragraph remark must read is read
 * in slices of whole lines, because micromark's time grows with the square of
 * a paragraph's length.
 */
import type { Code, Definition, Heading, List, ListItem, Nodes, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, Text, ThematicBreak } from 'mdast';
import type { Node } from 'unist';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import {
  htmlEnd,
  isBlankChar,
  isBlankLine,
  isClosingFence,
  isDelimiterRow,
  isListMarker,
  isOrderedMarker,
  isSetextUnderline,
  isThematicBreak,
  lineEndIn,
  listMarker,
  openTableRow,
  SPACE,
  TAB,
  type TableCellSpan,
  tableRow,
  trimEnd,
} from './blockLines.js';
import { defuseSlice } from './defuse.js';
import { type ContentLine, type PointAt, readPhrasing } from './inline.js';
import { lineAt, type Source } from './source.js';

/**
 * Top-level blocks not parsed yet: a list, a table or the like, with the text
 * around it, that holds no heading. Its position spans its text from the first
 * to the last character that is not blank, which is all a section's Markdown
 * needs; `blocks()` parses it.
 */
export interface DeferredBlocks extends Node {
  type: 'deferredBlocks';
  /** The blocks, parsed on the first call. */
  blocks(): RootContent[];
}

declare module 'mdast' {
  interface RootContentMap {
    deferredBlocks: DeferredBlocks;
  }
}

/** The nodes with any deferred blocks parsed in their place. */
export function expandDeferred(nodes: readonly RootContent[]): RootContent[] {
  const out: RootContent[] = [];
  for (const node of nodes) {
    if (node.type !== 'deferredBlocks') out.push(node);
    else for (const block of node.blocks()) out.push(block);
  }
  return out;
}

type Parse = (from: number, to: number) => Root;
/** remark on text[a, b) followed by text[c, d) (b ends a line, c starts one); positions are right for the second piece only. */
type ParseJoined = (a: number, b: number, c: number, d: number) => Root;

/** Reads `text.slice(start, end)` into mdast whose offsets and lines are relative to `start`. */
export function readBlocks(source: Source, start: number, end: number): Root {
  // One processor per part: sharing one across reads would be module-level state.
  const processor = unified().use(remarkParse).use(remarkGfm);
  const baseLine = lineIndexAt(source, start);
  const pointAt: PointAt = (offset) => {
    const line = lineIndexAt(source, offset);
    return { line: line - baseLine + 1, column: offset - (source.lineStarts[line] ?? 0) + 1, offset: offset - start };
  };
  let definitionsFor: (from: number, to: number) => string = () => '';
  // remark on a slice, with its positions moved to the part's coordinates. It sees a
  // defused copy of hostile text of the same length, so offsets still point into the original,
  // followed by the definitions of the labels the slice uses (their nodes are dropped).
  const parse: Parse = (from, to) => {
    const slice = defuseSlice(source.text, from, to);
    const suffix = definitionsFor(from, to);
    let root = processor.parse(slice + suffix);
    if (suffix !== '') {
      const own = root.children.filter((node) => (node.position?.start.offset ?? 0) < slice.length);
      // A block left open at the end of the slice would take the definitions in: read it without them.
      if (own.some((node) => (node.position?.end.offset ?? 0) > slice.length)) root = processor.parse(slice);
      else root = { ...root, children: own, position: { start: root.position!.start, end: pointAtIn(slice, slice.length) } };
    }
    const offset = from - start;
    const lines = lineIndexAt(source, from) - baseLine;
    if (offset !== 0 || lines !== 0) shift(root, offset, lines);
    return root;
  };
  const parseJoined: ParseJoined = (a, b, c, d) => {
    const head = defuseSlice(source.text, a, b);
    const root = processor.parse(head + defuseSlice(source.text, c, d) + definitionsFor(c, d));
    const headLines = lineIndexAt(source, b) - lineIndexAt(source, a);
    shift(root, c - start - head.length, lineIndexAt(source, c) - baseLine - headLines);
    return root;
  };
  const scanner = new BlockScanner(source.text, start, end, parse, pointAt, parseJoined);
  definitionsFor = (from, to) => scanner.definitionsFor(from, to);
  const children = scanner.read(start);
  if (scanner.definitions) scanner.rereadWithDefinitions();
  return { type: 'root', children, position: { start: pointAt(start), end: pointAt(end) } };
}

/** The unist point at the end of a parsed text. */
function pointAtIn(text: string, offset: number): { line: number; column: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** A label as CommonMark matches it: blanks collapsed, case folded. */
function labelKey(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').replace(/^ | $/g, '').toLowerCase().toUpperCase();
}

/** Longest paragraph handed to remark in one piece: micromark's time grows with its square. */
const MAX_REMARK_PHRASING = 16 * 1024;

/** 0-based index of the line holding `offset`. */
function lineIndexAt(source: Source, offset: number): number {
  return lineAt(source, offset) - 1;
}

function shift(node: Nodes, offset: number, lines: number): void {
  const position = node.position;
  if (position) {
    position.start = { line: position.start.line + lines, column: position.start.column, offset: (position.start.offset ?? 0) + offset };
    position.end = { line: position.end.line + lines, column: position.end.column, offset: (position.end.offset ?? 0) + offset };
  }
  if ('children' in node) for (const child of node.children as Nodes[]) shift(child, offset, lines);
}

/** What a line starts when read at the top level. */
type LineKind = 'text' | 'heading' | 'fence' | 'break' | 'other';

class BlockScanner {
  /** A link reference or footnote definition was seen: its label reaches the whole text. */
  definitions = false;
  private readonly children: RootContent[] = [];
  /** Source text of each definition by label key ("^" before a footnote's); the first one wins. */
  private readonly definitionSources = new Map<string, string>();
  /** Blocks parsed by remark during the scan: read again with the definitions once all are known. */
  private readonly eager: Array<{ index: number; count: number; from: number; to: number }> = [];
  private paragraph: { lineStart: number; lines: ContentLine[] } | undefined;
  /** The first carriage return at or after the last place asked about (-1: none). */
  private carriageReturn = -2;

  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly end: number,
    private readonly parse: Parse,
    private readonly pointAt: PointAt,
    private readonly parseJoined: ParseJoined,
  ) {}

  read(from: number): RootContent[] {
    const { text, end } = this;
    let pos = from;
    while (pos < end) {
      const lineEnd = lineEndIn(text, pos, end);
      const next = lineEnd + 1;
      let i = pos;
      let column = 0;
      for (; i < lineEnd; i++) {
        const c = text.charCodeAt(i);
        if (c === SPACE) column++;
        else if (c === TAB) column += 4 - (column % 4);
        else break;
      }
      if (i === lineEnd) {
        this.closeParagraph();
        pos = next;
        continue;
      }
      const carriageReturn = this.hasCarriageReturn(pos, lineEnd);
      const paragraph = this.paragraph;
      if (paragraph !== undefined && column >= 4 && !carriageReturn) {
        // An indented line continues a paragraph; indented code cannot interrupt one.
        paragraph.lines.push({ start: i, end: lineEnd });
        pos = next;
        continue;
      }
      const kind: LineKind = carriageReturn || column >= 4 ? 'other' : this.kindOf(i, lineEnd, paragraph !== undefined);
      if (kind === 'text') {
        if (paragraph !== undefined) paragraph.lines.push({ start: i, end: lineEnd });
        else this.paragraph = { lineStart: pos, lines: [{ start: i, end: lineEnd }] };
        pos = next;
        continue;
      }
      if (kind === 'heading' || kind === 'break') {
        this.closeParagraph();
        this.children.push(kind === 'heading' ? this.heading(i, lineEnd) : this.thematicBreak(i, lineEnd));
        pos = next;
        continue;
      }
      if (kind === 'fence') {
        const fence = this.fence(pos, i, lineEnd);
        if (fence !== undefined) {
          this.closeParagraph();
          this.children.push(fence.node);
          pos = fence.next;
          continue;
        }
      }
      if (kind === 'other' && column < 4 && !carriageReturn && paragraph === undefined && text[i] === '[') {
        const definition = this.definition(i, lineEnd);
        if (definition !== undefined) {
          this.children.push(definition);
          pos = next;
          continue;
        }
      }
      if (column === 0) {
        const block = text[pos] === '|' ? (paragraph === undefined ? this.table(pos) : undefined) : this.list(pos, paragraph !== undefined);
        if (block !== undefined) {
          this.closeParagraph();
          this.children.push(block.node);
          pos = block.next;
          continue;
        }
      }
      // Anything else is left to remark, from the start of the block it belongs to.
      const blockStart = paragraph?.lineStart ?? pos;
      this.paragraph = undefined;
      pos = this.other(blockStart, blockStart);
    }
    this.closeParagraph();
    return this.children;
  }

  /** What the line starting at `i` (after at most three blanks) is, inside a paragraph or between blocks. */
  private kindOf(i: number, lineEnd: number, inParagraph: boolean): LineKind {
    const text = this.text;
    const c = text[i] as string;
    switch (c) {
      case '#': {
        let j = i;
        while (j < lineEnd && j - i < 7 && text[j] === '#') j++;
        const depth = j - i;
        return depth <= 6 && (j === lineEnd || text[j] === ' ' || text[j] === '\t') ? 'heading' : 'text';
      }
      case '`':
      case '~': {
        let j = i;
        while (j < lineEnd && text[j] === c) j++;
        return j - i >= 3 ? 'fence' : 'text';
      }
      case '>':
      case '<':
      case '|':
        return 'other';
      case '-':
      case '*':
      case '_':
      case '+':
      case '=': {
        if (c !== '+' && c !== '=' && isThematicBreak(text, i, lineEnd, c)) return inParagraph ? 'other' : 'break';
        const after = text[i + 1];
        if ((c === '-' || c === '*' || c === '+') && (i + 1 === lineEnd || after === ' ' || after === '\t')) return 'other';
        if (inParagraph && (c === '-' || c === '=') && isSetextUnderline(text, i, lineEnd, c)) return 'other';
        break;
      }
      case '[': {
        // A link reference definition starts a paragraph with "[label]:"; a GFM
        // footnote definition ("[^label]:") may even interrupt one.
        const line = text.slice(i, lineEnd);
        if (line.includes(']:') || (!inParagraph && !line.includes(']'))) return 'other';
        break;
      }
      default:
        if (c >= '0' && c <= '9' && isOrderedMarker(text, i, lineEnd)) return 'other';
    }
    // A table's delimiter row under a paragraph line turns that line into a table header.
    if (inParagraph && isDelimiterRow(text, i, lineEnd)) return 'other';
    return 'text';
  }

  private closeParagraph(): void {
    const paragraph = this.paragraph;
    if (paragraph === undefined) return;
    this.paragraph = undefined;
    const { lines } = paragraph;
    const first = lines[0] as ContentLine;
    const last = lines[lines.length - 1] as ContentLine;
    const node: Paragraph = { type: 'paragraph', children: [], position: { start: this.pointAt(first.start), end: this.pointAt(last.end) } };
    this.children.push(withLazyChildren(node, () => this.phrasing(lines, paragraph.lineStart, last.end)));
  }

  private heading(i: number, lineEnd: number): Heading {
    const text = this.text;
    let j = i;
    while (j < lineEnd && text[j] === '#') j++;
    const depth = (j - i) as Heading['depth'];
    let contentStart = j;
    while (contentStart < lineEnd && (text[contentStart] === ' ' || text[contentStart] === '\t')) contentStart++;
    let contentEnd = trimEnd(text, contentStart, lineEnd);
    // An optional closing sequence of "#", after a blank or alone, is not content.
    let k = contentEnd;
    while (k > contentStart && text[k - 1] === '#') k--;
    if (k < contentEnd && (k === contentStart || text[k - 1] === ' ' || text[k - 1] === '\t')) contentEnd = trimEnd(text, contentStart, k);
    const node: Heading = { type: 'heading', depth, children: [], position: { start: this.pointAt(i), end: this.pointAt(lineEnd) } };
    const lines: ContentLine[] = contentEnd > contentStart ? [{ start: contentStart, end: contentEnd }] : [];
    return withLazyChildren(node, () => (lines.length === 0 ? [] : this.phrasing(lines, this.lineStartOf(i), lineEnd)));
  }

  private thematicBreak(i: number, lineEnd: number): ThematicBreak {
    return { type: 'thematicBreak', position: { start: this.pointAt(i), end: this.pointAt(lineEnd) } };
  }

  /** A fenced code block opening on this line; undefined when it is not one this scanner reads exactly. */
  private fence(lineStart: number, i: number, lineEnd: number): { node: Code; next: number } | undefined {
    const { text, end } = this;
    const char = text.charCodeAt(i);
    let j = i;
    while (j < lineEnd && text.charCodeAt(j) === char) j++;
    const size = j - i;
    const info = text.slice(j, lineEnd);
    // A backtick fence's info cannot hold a backtick; escapes and entities in it are decoded by remark.
    if ((char === 96 && info.includes('`')) || info.includes('\\') || info.includes('&')) return undefined;
    const indent = i - lineStart;
    const lines: string[] = [];
    let pos = lineEnd + 1;
    let closeEnd = -1;
    while (pos < end) {
      const contentEnd = lineEndIn(text, pos, end);
      if (isClosingFence(text, pos, contentEnd, char, size)) {
        closeEnd = contentEnd;
        break;
      }
      let from = pos;
      while (from < contentEnd && from - pos < indent && text.charCodeAt(from) === SPACE) from++;
      if (from - pos < indent && from < contentEnd && text.charCodeAt(from) === TAB) return undefined;
      lines.push(text.slice(from, contentEnd));
      pos = contentEnd + 1;
    }
    const nodeEnd = closeEnd === -1 ? end : closeEnd;
    if (this.hasCarriageReturn(lineStart, nodeEnd)) return undefined;
    const trimmed = info.replace(/^[ \t]+/, '');
    const langEnd = trimmed.search(/[ \t]|$/);
    const lang = trimmed.slice(0, langEnd);
    const meta = trimmed.slice(langEnd).replace(/^[ \t]+/, '');
    const node: Code = {
      type: 'code',
      lang: lang === '' ? null : lang,
      meta: meta === '' ? null : meta,
      value: lines.join('\n'),
      position: { start: this.pointAt(i), end: this.pointAt(nodeEnd) },
    };
    return { node, next: closeEnd === -1 ? end : closeEnd + 1 };
  }

  /**
   * A tight list whose items are each one paragraph of plain text (continued on
   * indented or lazy lines), its markers at the left margin, ended by a blank
   * line and then a line at the left margin that is no list item (or the end):
   * numbered findings, "Fix options" and short bullet lists. Undefined for any
   * other list. `interrupting`: the list starts right under a paragraph line.
   */
  private list(from: number, interrupting: boolean): { node: List; next: number } | undefined {
    const { text, end } = this;
    const items: ListItem[] = [];
    let kind: string | undefined;
    let start: number | null = null;
    let pos = from;
    let next = end;
    for (;;) {
      let lineEnd = lineEndIn(text, pos, end);
      const marker = isThematicBreak(text, pos, lineEnd, text[pos] as string) ? undefined : listMarker(text, pos, lineEnd);
      if (marker === undefined || (kind !== undefined && marker.kind !== kind)) return undefined;
      if (kind === undefined) {
        kind = marker.kind;
        start = marker.number;
        // Only a bullet or a list starting at 1 may interrupt a paragraph.
        if (interrupting && start !== null && start !== 1) return undefined;
      }
      // The content: one to four blanks after the marker, then plain text (no task box, no other block).
      let content = marker.end;
      while (content < lineEnd && text.charCodeAt(content) === SPACE) content++;
      const blanks = content - marker.end;
      if (blanks === 0 || blanks > 4 || content === lineEnd || text.charCodeAt(content) === TAB || isBlankLine(text, content, lineEnd)) return undefined;
      if (this.kindOf(content, lineEnd, false) !== 'text' || /^\[[ xX]\](?:[ \t]|$)/.test(text.slice(content, content + 4))) return undefined;
      const lines: ContentLine[] = [{ start: content, end: lineEnd }];
      const lineStart = pos;
      const contentColumn = content - pos;
      // Lines that continue the item's paragraph, indented or lazy; another block ends the fast path.
      let blank = false;
      pos = lineEnd + 1;
      while (pos < end) {
        const continuationEnd = lineEndIn(text, pos, end);
        let i = pos;
        while (i < continuationEnd && text.charCodeAt(i) === SPACE) i++;
        if (i === continuationEnd || isBlankLine(text, i, continuationEnd)) {
          blank = true;
          break;
        }
        if (i === pos && listMarker(text, pos, continuationEnd)?.kind === kind) break;
        // Inside the item, indentation counts from its content; a lazy line counts from the margin.
        const indent = i - pos >= contentColumn ? i - pos - contentColumn : i - pos;
        if (text.charCodeAt(i) === TAB || (indent < 4 && this.kindOf(i, continuationEnd, true) !== 'text')) return undefined;
        lines.push({ start: i, end: continuationEnd });
        lineEnd = continuationEnd;
        pos = continuationEnd + 1;
      }
      const paragraph: Paragraph = { type: 'paragraph', children: [], position: { start: this.pointAt(content), end: this.pointAt(lineEnd) } };
      items.push({
        type: 'listItem',
        spread: false,
        checked: null,
        children: [withLazyChildren(paragraph, () => this.phrasing(lines, lineStart, lineEnd))],
        position: { start: this.pointAt(lineStart), end: this.pointAt(lineEnd) },
      });
      if (pos >= end) break;
      if (blank) {
        next = pos;
        break;
      }
    }
    // After the blank lines, a line at the left margin that no list item could take in.
    let after = next;
    while (after < end) {
      const lineEnd = lineEndIn(text, after, end);
      if (!isBlankLine(text, after, lineEnd)) break;
      after = lineEnd + 1;
    }
    if (after < end) {
      const c = text.charCodeAt(after);
      if (c === SPACE || c === TAB || isListMarker(text, after, lineEndIn(text, after, end))) return undefined;
    }
    const last = items[items.length - 1] as ListItem;
    if (this.hasCarriageReturn(from, Math.min(end, after))) return undefined;
    const node: List = {
      type: 'list',
      ordered: start !== null,
      start,
      spread: false,
      children: items,
      position: { start: this.pointAt(from), end: last.position?.end ?? this.pointAt(from) },
    };
    return { node, next };
  }

  /**
   * A GFM table whose rows all start and end with a pipe at the left margin,
   * ended by a blank line (or the end): the header table, the Resolution and
   * retro tables. Undefined for any other table. Its cells' inline content is
   * read when asked for, by remark for the whole table if a cell needs it.
   */
  private table(from: number): { node: Table; next: number } | undefined {
    const { text, end } = this;
    const headerEnd = lineEndIn(text, from, end);
    const header = tableRow(text, from, headerEnd);
    const delimiterStart = headerEnd + 1;
    if (header === undefined || delimiterStart >= end || text[delimiterStart] !== '|') return undefined;
    const delimiterEnd = lineEndIn(text, delimiterStart, end);
    const delimiter = tableRow(text, delimiterStart, delimiterEnd);
    if (delimiter === undefined || delimiter.length !== header.length) return undefined;
    const align: Table['align'] = [];
    for (const cell of delimiter) {
      const m = /^(:?)-+(:?)$/.exec(text.slice(cell.contentStart, cell.contentEnd));
      if (m === null) return undefined;
      align.push(m[1] && m[2] ? 'center' : m[1] ? 'left' : m[2] ? 'right' : null);
    }
    const rows: Array<{ start: number; end: number; cells: TableCellSpan[] }> = [{ start: from, end: headerEnd, cells: header }];
    let lastEnd = delimiterEnd;
    let pos = delimiterEnd + 1;
    while (pos < end) {
      const lineEnd = lineEndIn(text, pos, end);
      if (isBlankLine(text, pos, lineEnd)) break;
      const cells = text[pos] === '|' ? (tableRow(text, pos, lineEnd) ?? openTableRow(text, pos, lineEnd)) : undefined;
      if (cells === undefined) return undefined;
      rows.push({ start: pos, end: lineEnd, cells });
      lastEnd = lineEnd;
      pos = lineEnd + 1;
    }
    if (this.hasCarriageReturn(from, lastEnd)) return undefined;
    // A cell this reader cannot read is read by remark with the rows around it (up to
    // a few kilobytes) under the header and delimiter rows: rows do not depend on each
    // other, and remark takes super-linear time on a long table.
    const batchOf: number[] = [];
    const batches: Array<{ first: number; last: number; table?: Table | undefined; parsed: boolean }> = [];
    for (let r = 1; r < rows.length; r++) {
      const current = batches[batches.length - 1];
      if (current !== undefined && rows[r]!.end - rows[current.first]!.start <= MAX_REMARK_PHRASING) current.last = r;
      else batches.push({ first: r, last: r, parsed: false });
      batchOf[r] = batches.length - 1;
    }
    let headerTable: Table | undefined;
    const remarkCell = (r: number, c: number): PhrasingContent[] => {
      if (r === 0) {
        headerTable ??= this.parse(from, delimiterEnd).children.find((n): n is Table => n.type === 'table');
        return headerTable?.children[0]?.children[c]?.children ?? [];
      }
      const batch = batches[batchOf[r]!]!;
      if (!batch.parsed) {
        batch.parsed = true;
        batch.table = this.parseJoined(from, delimiterEnd + 1, rows[batch.first]!.start, rows[batch.last]!.end).children.find((n): n is Table => n.type === 'table');
      }
      return batch.table?.children[r - batch.first + 1]?.children[c]?.children ?? [];
    };
    const node: Table = {
      type: 'table',
      align,
      children: rows.map((row, r) => ({
        type: 'tableRow',
        children: row.cells.map((cell, c) => {
          const lines: ContentLine[] = cell.contentEnd > cell.contentStart ? [{ start: cell.contentStart, end: cell.contentEnd }] : [];
          const read = () =>
            lines.length === 0
              ? []
              : ((this.usesDefinitions(cell.contentStart, cell.contentEnd) ? undefined : readPhrasing(text, lines, this.pointAt)) ?? remarkCell(r, c));
          return withLazyChildren({ type: 'tableCell', children: [], position: { start: this.pointAt(cell.start), end: this.pointAt(cell.end) } } as TableCell, read);
        }),
        position: { start: this.pointAt(row.start), end: this.pointAt(row.end) },
      })),
      position: { start: this.pointAt(from), end: this.pointAt(lastEnd) },
    };
    return { node, next: Math.min(end, lastEnd + 1) };
  }

  /**
   * Parses with remark from `from` (where a top-level block starts) to the next
   * line that certainly starts a new top-level block: a line at the left margin,
   * after a blank line, that is no list item (a list goes on with its next item)
   * and starts no other container (a block quote or footnote definition: a code
   * or HTML block left open in a list item before one ends a line later).
   * Only an open fenced code block or HTML block reaches past such a line; if
   * the slice ends in one, it is parsed again from its start to past its end.
   */
  private other(from: number, searchFrom: number): number {
    for (;;) {
      const to = this.nextBoundary(searchFrom);
      // Without the line ending before the next block: a block left open at the end of
      // the text would take that line ending in, where the next line closes it before.
      let cut = to;
      if (to < this.end && this.text.charCodeAt(cut - 1) === 10) cut--;
      if (to < this.end && this.text.charCodeAt(cut - 1) === 13) cut--;
      cut = Math.max(from, cut);
      if (this.canDefer(from, cut)) {
        this.children.push(this.deferred(from, cut));
        return to;
      }
      const root = this.parse(from, cut);
      const nodes = root.children;
      this.noteDefinitions(root);
      const last = nodes[nodes.length - 1];
      const close = last !== undefined ? this.openBlockEnd(last, to) : undefined;
      const keep = last === undefined || close === undefined ? nodes.length : nodes.length - 1;
      if (keep > 0) this.eager.push({ index: this.children.length, count: keep, from, to: cut });
      for (let k = 0; k < keep; k++) this.children.push(nodes[k] as RootContent);
      if (last === undefined || close === undefined) return to;
      from = this.lineStartOf(this.absolute(last, 'start'));
      searchFrom = close;
    }
  }

  /**
   * Whether text[from, to) can be left unparsed: it holds no line that could be
   * a heading at the top level (an ATX heading or a setext underline), start a
   * fenced code or HTML block that stays open past its end, or define a link
   * reference. Each test is looser than Markdown's, so a false answer only costs a parse.
   */
  private canDefer(from: number, to: number): boolean {
    const text = this.text;
    // A carriage return ends a line too; such text is parsed at once rather than read line by line here.
    if (this.hasCarriageReturn(from, to)) return false;
    let pos = from;
    let previousBlank = true;
    while (pos < to) {
      const lineEnd = lineEndIn(text, pos, to);
      let i = pos;
      while (i < lineEnd && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
      const c = text[i];
      if (c === '#' || c === '`' || c === '~' || c === '<') return false;
      if ((c === '=' || c === '-') && !previousBlank && isSetextUnderline(text, i, lineEnd, c)) return false;
      if (text.slice(i, lineEnd).includes(']:')) return false;
      previousBlank = i === lineEnd || isBlankLine(text, i, lineEnd);
      pos = lineEnd + 1;
    }
    return true;
  }

  private deferred(from: number, to: number): DeferredBlocks {
    const text = this.text;
    let first = from;
    while (first < to && isBlankChar(text.charCodeAt(first))) first++;
    let last = to;
    while (last > first && isBlankChar(text.charCodeAt(last - 1))) last--;
    let blocks: RootContent[] | undefined;
    return {
      type: 'deferredBlocks',
      position: { start: this.pointAt(first), end: this.pointAt(last) },
      blocks: () => (blocks ??= this.parse(from, to).children),
    };
  }

  /** The start of the first line after `from` that certainly starts a top-level block, or the end. */
  private nextBoundary(from: number): number {
    const { text, end } = this;
    let pos = from;
    let blank = false;
    let first = true;
    while (pos < end) {
      const lineEnd = lineEndIn(text, pos, end);
      const c = text.charCodeAt(pos);
      const isBlank = isBlankLine(text, pos, lineEnd);
      if (!first && blank && !isBlank && c !== SPACE && c !== TAB && c !== 62 && c !== 91 && !isListMarker(text, pos, lineEnd)) return pos;
      first = false;
      blank = isBlank;
      pos = lineEnd + 1;
    }
    return end;
  }

  /**
   * When `node` (the last of a slice ending at `to`) is a fenced code or HTML
   * block left open by the cut, the offset just past the line that closes it
   * (or the end); undefined when it is closed.
   */
  private openBlockEnd(node: RootContent, to: number): number | undefined {
    const text = this.text;
    // At the end of the part an open block is simply open.
    if (to >= this.end) return undefined;
    const start = this.absolute(node, 'start');
    const nodeEnd = this.absolute(node, 'end');
    if (node.type === 'code') {
      const char = text.charCodeAt(start);
      if (char !== 96 && char !== 126) return undefined;
      let size = 0;
      while (text.charCodeAt(start + size) === char) size++;
      if (size < 3) return undefined;
      let lastLine = text.lastIndexOf('\n', nodeEnd - 1) + 1;
      if (text.charCodeAt(nodeEnd - 1) === 10) lastLine = nodeEnd;
      if (lastLine > start && isClosingFence(text, lastLine, nodeEnd, char, size)) return undefined;
      return this.lineAfter(to, (s, e) => isClosingFence(text, s, e, char, size));
    }
    if (node.type === 'html') {
      const marker = htmlEnd(node);
      if (marker === undefined) return undefined;
      if (marker.closed) return undefined;
      return this.lineAfter(to, (s, e) => marker.test(text.slice(s, e)));
    }
    return undefined;
  }

  /** The offset after the first line from `from` on that satisfies `test`, or the end. */
  private lineAfter(from: number, test: (start: number, end: number) => boolean): number {
    const { text, end } = this;
    let pos = from;
    while (pos < end) {
      const lineEnd = lineEndIn(text, pos, end);
      if (test(pos, lineEnd)) return Math.min(lineEnd + 1, end);
      pos = lineEnd + 1;
    }
    return end;
  }

  private noteDefinitions(root: Root): void {
    const visit = (node: Nodes): void => {
      if (node.type === 'definition' || node.type === 'footnoteDefinition') {
        this.definitions = true;
        const key = (node.type === 'footnoteDefinition' ? '^' : '') + labelKey(node.label ?? node.identifier);
        if (!this.definitionSources.has(key)) this.definitionSources.set(key, this.text.slice(this.absolute(node, 'start'), this.absolute(node, 'end')));
      } else if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table') {
        for (const child of node.children as Nodes[]) visit(child);
      }
    };
    visit(root);
  }

  /**
   * A link reference definition on one line, `[label]: destination "title"`,
   * in the forms that need no decoding (no escapes or entities, no title on
   * the next line); undefined for any other line, which remark then reads.
   */
  private definition(i: number, lineEnd: number): Definition | undefined {
    const text = this.text;
    const m = DEFINITION.exec(text.slice(i, lineEnd));
    if (m === null || m[1]!.trim() === '' || this.hasCarriageReturn(i, lineEnd)) return undefined;
    // A title may follow on the next line; and a label may not hold a bracket.
    const nextStart = lineEnd + 1;
    if (nextStart < this.end) {
      let j = nextStart;
      while (j < this.end && j - nextStart < 4 && text.charCodeAt(j) === SPACE) j++;
      const c = text[j];
      if (c === '"' || c === "'" || c === '(') return undefined;
    }
    const label = m[1]!;
    const key = labelKey(label);
    const url = m[2] !== undefined ? m[2] : (m[3] as string);
    const rawTitle = m[4] ?? m[5] ?? m[6];
    this.definitions = true;
    if (!this.definitionSources.has(key)) this.definitionSources.set(key, text.slice(i, lineEnd));
    return {
      type: 'definition',
      identifier: key.toLowerCase(),
      label,
      url,
      title: rawTitle === undefined ? null : rawTitle,
      position: { start: this.pointAt(i), end: this.pointAt(lineEnd) },
    };
  }

  /** The definitions of the labels `text[from, to)` uses, as text to append to it for remark ('' when none). */
  definitionsFor(from: number, to: number): string {
    if (!this.definitions || this.definitionSources.size === 0) return '';
    const picked = new Set<string>();
    const slice = this.text.slice(from, to);
    if (!slice.includes('[')) return '';
    for (const m of slice.matchAll(LABEL)) {
      const source = this.definitionSources.get((m[1] ? '^' : '') + labelKey(m[2]!));
      if (source !== undefined) picked.add(source);
    }
    return picked.size === 0 ? '' : `\n\n${[...picked].join('\n\n')}\n`;
  }

  /** Blocks remark read before every definition was known, read again where they use a label. */
  rereadWithDefinitions(): void {
    for (let k = this.eager.length - 1; k >= 0; k--) {
      const { index, count, from, to } = this.eager[k]!;
      if (this.definitionsFor(from, to) === '') continue;
      const nodes = this.parse(from, to).children;
      this.children.splice(index, count, ...nodes);
    }
  }

  private absolute(node: Nodes, side: 'start' | 'end'): number {
    return this.base + (node.position?.[side].offset ?? 0);
  }

  /** Whether a carriage return lies in [from, to); asked with increasing `from`, so the search stays linear. */
  private hasCarriageReturn(from: number, to: number): boolean {
    if (this.carriageReturn !== -1 && this.carriageReturn < from) this.carriageReturn = this.text.indexOf('\r', from);
    return this.carriageReturn !== -1 && this.carriageReturn < to;
  }

  private lineStartOf(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Phrasing content read here, or by remark when it holds more than this reader knows. */
  private phrasing(lines: readonly ContentLine[], from: number, to: number): PhrasingContent[] {
    const read = this.usesDefinitions(from, to) ? undefined : readPhrasing(this.text, lines, this.pointAt);
    if (read !== undefined) return read;
    if (to - from <= MAX_REMARK_PHRASING) return this.remarkPhrasing(from, to);
    // A long paragraph in slices of whole lines; a line ending between two slices is text.
    const out: PhrasingContent[] = [];
    let sliceStart = from;
    let k = 0;
    while (k < lines.length) {
      let last = k;
      while (last + 1 < lines.length && lines[last + 1]!.end - sliceStart <= MAX_REMARK_PHRASING) last++;
      const sliceEnd = lines[last]!.end;
      const line = lines[k]!;
      const part =
        last === k && sliceEnd - line.start > MAX_REMARK_PHRASING
          ? // One line longer than a slice is kept as its text: no report has such a line but a hostile one.
            [{ type: 'text', value: this.text.slice(line.start, trimEnd(this.text, line.start, line.end)), position: { start: this.pointAt(line.start), end: this.pointAt(trimEnd(this.text, line.start, line.end)) } } satisfies Text]
          : this.remarkPhrasing(sliceStart, sliceEnd);
      if (out.length > 0) appendText(out, '\n', lines[k - 1]!.end, lines[k - 1]!.end + 1, this.pointAt);
      for (const node of part) {
        if (node.type === 'text' && out[out.length - 1]?.type === 'text') appendText(out, node.value, node.position!.start.offset! + this.base, node.position!.end.offset! + this.base, this.pointAt);
        else out.push(node);
      }
      k = last + 1;
      sliceStart = k < lines.length ? lines[k]!.start : sliceEnd;
    }
    return out;
  }

  /** Whether labels in text[from, to) may be defined elsewhere, so only remark (with the definitions) reads them right. */
  private usesDefinitions(from: number, to: number): boolean {
    return this.definitions && this.definitionsFor(from, to) !== '';
  }

  private remarkPhrasing(from: number, to: number): PhrasingContent[] {
    // remark reads the whole line (with a list item's marker), so columns stay right.
    let block: RootContent | undefined = this.parse(from, to).children[0];
    while (block?.type === 'list' || block?.type === 'listItem') block = block.children[0];
    return block !== undefined && (block.type === 'paragraph' || block.type === 'heading') ? block.children : [];
  }
}

/** Appends text to the last node of `out` when it is text (as mdast merges adjacent text), else adds a text node. */
function appendText(out: PhrasingContent[], value: string, start: number, end: number, pointAt: PointAt): void {
  const last = out[out.length - 1];
  if (last?.type === 'text' && last.position !== undefined) {
    last.value += value;
    last.position.end = pointAt(end);
    return;
  }
  out.push({ type: 'text', value, position: { start: pointAt(start), end: pointAt(end) } });
}

/** `[label]: destination "title"` on one line, in the forms read without remark. */
const DEFINITION = /^\[([^\[\]\\&^][^\[\]\\&]{0,998})\]:[ \t]*(?:<([^<>\\&\n]*)>|([^\s<\\&()]+))(?:[ \t]+(?:"([^"\\&]*)"|'([^'\\&]*)'|\(([^()\\&]*)\)))?[ \t]*$/;
/** A bracketed label, or a footnote's (`[^1]`). */
const LABEL = /\[(\^?)([^\[\]]{1,999})\]/g;

/** Gives a paragraph, heading or table cell children that are read on first use. */
function withLazyChildren<T extends Paragraph | Heading | TableCell>(node: T, read: () => PhrasingContent[]): T {
  let children: PhrasingContent[] | undefined;
  Object.defineProperty(node, 'children', {
    enumerable: true,
    configurable: true,
    get: () => (children ??= read()),
    set: (value: PhrasingContent[]) => {
      children = value;
    },
  });
  return node;
}
