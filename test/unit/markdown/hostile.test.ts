/**
 * Reports built to make a Markdown reader slow: 100k link reference
 * definitions, one huge paragraph of links, a huge header table whose cells
 * need remark. Each is read right and in bounded time; no timing assertions
 * here (bench/hostileMarkdown.js measures them): sized so that the reader as it
 * was (whole-text parses, micromark's quadratic paragraph) overran the timeout.
 */
import type { Nodes, RootContent } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { expandDeferred, readBlocks } from '../../../server/src/reports/markdown/blocks.js';
import { createSource, plainText } from '../../../server/src/reports/markdown/source.js';
import { read } from './fixtures.js';

const TIMEOUT = { timeout: 120_000 };

function blocksOf(text: string): RootContent[] {
  const root = readBlocks(createSource(text), 0, text.length);
  return expandDeferred(root.children);
}

function all(nodes: readonly Nodes[], type: string): Nodes[] {
  const found: Nodes[] = [];
  const visit = (node: Nodes) => {
    if (node.type === type) found.push(node);
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  for (const node of nodes) visit(node);
  return found;
}

/** `count` definitions between a paragraph that uses two of them and one that uses another. */
function definitions(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => `[r${i}]: https://example.com/${i} "Title ${i}"`);
  return `# Deep Review: PR #1\n\nSee [r7] and [the last][r${count - 1}].\n\n${lines.join('\n')}\n\nAlso [R3][], and [missing].\n`;
}

const remark = unified().use(remarkParse).use(remarkGfm);
const shape = (node: Nodes): unknown => {
  const { position, ...rest } = node as Nodes & { children?: Nodes[] };
  return { ...rest, start: position?.start.offset, end: position?.end.offset, ...('children' in node ? { children: (node.children as Nodes[]).map(shape) } : {}) };
};

describe('link reference definitions', () => {
  it('a few hundred read exactly as remark reads them', () => {
    const text = definitions(300);
    expect(blocksOf(text).map(shape)).toEqual(remark.parse(text).children.map(shape));
  });

  it('100k definitions (2.2 MB) are read without a whole-text parse, and the references resolve', TIMEOUT, () => {
    const text = definitions(100_000);
    expect(text.length).toBeGreaterThan(2_200_000);
    const blocks = blocksOf(text);
    expect(blocks.filter((b) => b.type === 'definition')).toHaveLength(100_000);
    expect(blocks[100_001]).toMatchObject({ type: 'definition', identifier: 'r99999', url: 'https://example.com/99999', title: 'Title 99999' });
    const references = all(blocks, 'linkReference') as Array<Nodes & { identifier: string; referenceType: string }>;
    expect(references.map((r) => [r.identifier, r.referenceType])).toEqual([
      ['r7', 'shortcut'],
      ['r99999', 'full'],
      ['r3', 'collapsed'],
    ]);
    expect(plainText(blocks[blocks.length - 1]!)).toBe('Also R3, and [missing].');
    expect(read(text).review).toBeDefined();
  });
});

describe('one huge paragraph', () => {
  it('of links (10k lines, 0.35 MB) is read in slices of lines, every link kept', TIMEOUT, () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `see [w${i}](https://x.example/${i}) and more`);
    const text = `# Deep Review: PR #1\n\n## Executive Summary\n\n${lines.join('\n')}\n`;
    const blocks = blocksOf(text);
    const paragraph = blocks.find((b) => b.type === 'paragraph')!;
    const links = all([paragraph], 'link') as Array<Nodes & { url: string }>;
    expect(links).toHaveLength(10_000);
    expect(links[2_345]!.url).toBe('https://x.example/2345');
    expect(plainText(paragraph)).toBe(lines.map((_, i) => `see w${i} and more`).join('\n'));
    // Positions point into the original text.
    const link = links[9_999]!;
    expect(text.slice(link.position!.start.offset, link.position!.end.offset)).toBe('[w9999](https://x.example/9999)');
    expect(read(text).review?.sections.find((s) => s.kind === 'executive-summary')?.markdown.length).toBeGreaterThan(350_000);
  });

  it('on one line of 3.9 MB is kept as its text', TIMEOUT, () => {
    const words = Array.from({ length: 300_000 }, (_, i) => `[w${i}](u) x`).join(' ');
    const text = `# Deep Review: PR #1\n\n${words}\n`;
    expect(text.length).toBeGreaterThan(3_900_000);
    const paragraph = blocksOf(text).find((b) => b.type === 'paragraph')!;
    expect(plainText(paragraph)).toBe(words);
    expect(read(text).review).toBeDefined();
  });
});

describe('a huge header table', () => {
  it('whose cells need remark (40k rows, some without a closing pipe) is read by batches of rows', TIMEOUT, () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => (i % 7 === 3 ? `| Field ${i} | see [v${i}](https://x.example/${i})` : `| **Field ${i}** | see [v${i}](https://x.example/${i}) |`));
    const text = `# Deep Review: PR #1\n\n| Field | Value |\n|---|---|\n${rows.join('\n')}\n\n## Executive Summary\n\nDone.\n`;
    expect(text.length).toBeGreaterThan(1_900_000);
    const table = blocksOf(text).find((b) => b.type === 'table')!;
    expect(table.type === 'table' && table.children).toHaveLength(40_001);
    if (table.type !== 'table') return;
    for (const i of [0, 3, 39_999]) {
      const [name, value] = table.children[i + 1]!.children;
      expect(plainText(name!)).toBe(`Field ${i}`);
      expect(plainText(value!)).toBe(`see v${i}`);
      const link = all([value!], 'link')[0] as Nodes & { url: string };
      expect(link.url).toBe(`https://x.example/${i}`);
      expect(text.slice(link.position!.start.offset, link.position!.end.offset)).toBe(`[v${i}](https://x.example/${i})`);
    }
    const result = read(text);
    expect(result.review).toBeDefined();
    // As a header, only its first rows are read, and the report says so where the rest starts.
    const problem = result.problems.find((p) => p.code === 'header-too-long');
    expect(problem?.message).toBe('The header table has 40001 rows; only the first 500 are read.');
    expect(text.slice(problem!.offset, problem!.offset + 20)).toBe('| **Field 499** | se');
    expect(Object.keys(result.review!.extraHeader ?? {})).toHaveLength(500);
  });

  it('a small one reads as remark reads it', () => {
    const rows = Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? `| F${i} | [v](u${i})` : `| **F${i}** | [v](u${i}) | extra |`));
    const text = `| Field | Value |\n|:--|--:|\n${rows.join('\n')}\n\nafter\n`;
    expect(blocksOf(text).map(shape)).toEqual(remark.parse(text).children.map(shape));
  });
});
