/**
 * The report text and the parsed parts of it. Only the main part of a report and
 * its trailing Resolution are parsed into mdast (see blocks.ts: line by line
 * where the Markdown is plain, by remark elsewhere); every position is kept as
 * an absolute character offset into the whole report text, so problems and
 * spans point at the right place whichever part a node came from.
 */
import type { Nodes, Root } from 'mdast';
import { readBlocks } from './blocks.js';

/** The whole report text with a line index. */
export interface Source {
  readonly text: string;
  /** Offset of the first character of each line; lineStarts[0] is 0. */
  readonly lineStarts: readonly number[];
}

/** A slice of the report parsed by remark; node offsets are relative to `base`. */
export interface Part {
  readonly source: Source;
  readonly root: Root;
  readonly base: number;
}

/** Builds the line index of a report text. */
export function createSource(text: string): Source {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return { text, lineStarts };
}

/** 1-based line of an absolute offset. */
export function lineAt(source: Source, offset: number): number {
  const starts = source.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Offset just past the end of the line holding `offset` (before its newline). */
export function lineEndAt(source: Source, offset: number): number {
  const nl = source.text.indexOf('\n', offset);
  return nl === -1 ? source.text.length : nl;
}

/** Reads `text.slice(start, end)` of a report into mdast (CommonMark + GFM, as remark reads it). */
export function parsePart(source: Source, start: number, end: number): Part {
  return { source, root: readBlocks(source, start, end), base: start };
}

/** Absolute start offset of a node. */
export function startOf(part: Part, node: Nodes): number {
  return part.base + (node.position?.start.offset ?? 0);
}

/** Absolute end offset of a node. */
export function endOf(part: Part, node: Nodes): number {
  return part.base + (node.position?.end.offset ?? 0);
}

/** The report text a node was parsed from. */
export function sourceOf(part: Part, node: Nodes): string {
  return part.source.text.slice(startOf(part, node), endOf(part, node));
}

/** The Markdown of a table cell as written, without the pipes around it. */
export function cellSource(part: Part, cell: Nodes): string {
  let text = sourceOf(part, cell).trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  return text.trim();
}

/** Plain text of a node: the values of its text, code and inline-code descendants. */
export function plainText(node: Nodes): string {
  if (node.type === 'break') return '\n';
  if ('value' in node && typeof node.value === 'string' && node.type !== 'html') return node.value;
  if ('children' in node) {
    let out = '';
    for (const child of node.children as Nodes[]) out += plainText(child);
    return out;
  }
  return '';
}
