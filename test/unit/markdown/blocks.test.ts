/**
 * The line-level block reader and the inline reader build the same mdast as
 * remark-parse with GFM, positions included: on every report of the corpus, on
 * random Markdown-like text, and on the cases random text found. Speed is
 * measured by `npm run bench`, not here.
 */
import fc from 'fast-check';
import type { Nodes, RootContent } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { expandDeferred, readBlocks } from '../../../server/src/reports/markdown/blocks.js';
import { type ContentLine, readPhrasing } from '../../../server/src/reports/markdown/inline.js';
import { createSource } from '../../../server/src/reports/markdown/source.js';
import { corpusAvailable, corpusFiles, corpusReportNames } from './corpus.js';

const remark = unified().use(remarkParse).use(remarkGfm);

/** A node as plain data: type, positions, values and children (reading lazy children). */
function shape(node: Nodes): unknown {
  const out: Record<string, unknown> = { type: node.type, start: node.position?.start, end: node.position?.end };
  for (const key of ['value', 'lang', 'meta', 'depth', 'ordered', 'start', 'spread', 'checked', 'url', 'title', 'alt', 'identifier', 'align'] as const) {
    if (key in node) out[`_${key}`] = (node as unknown as Record<string, unknown>)[key];
  }
  if ('children' in node) out.children = (node.children as Nodes[]).map(shape);
  return out;
}

const expected = (text: string) => shape(remark.parse(text));
const actual = (text: string) => {
  const root = readBlocks(createSource(text), 0, text.length);
  // What the outline relies on: blocks left unparsed hold no heading and no definition.
  for (const node of root.children) {
    if (node.type !== 'deferredBlocks') continue;
    expect(node.blocks().filter((b) => b.type === 'heading' || b.type === 'definition' || b.type === 'footnoteDefinition')).toEqual([]);
  }
  return shape({ ...root, children: expandDeferred(root.children) });
};

describe('the block reader', () => {
  // The whole corpus through remark too: seconds alone, much longer beside the rest of the suite on a busy machine.
  it.skipIf(!corpusAvailable)('reads every report of the corpus as remark does', { timeout: 120_000 }, () => {
    for (const name of corpusReportNames()) {
      const { text } = corpusFiles(name);
      expect(actual(text), name).toEqual(expected(text));
    }
  });

  it.each([
    ['a list item whose fence is still open at a blank line', '+ ```\n\n_'],
    ['an indented HTML comment left open at a blank line', ' <!--\n\n,'],
    ['a list item whose fence is still open where a block quote starts', '1. ~~~\n\n> x\n\n- <!--\n\n[^1]: y\n'],
    ['a fence left open to the end', '```go x  y \ncode\n\n'],
    ['an ATX heading with a closing sequence and trailing blanks', '  # Title  ##  \nnext'],
    ['setext headings and a table interrupting a paragraph', 'Title\n===\n\npara\na | b\n--|--\n| c | d |\n\ntext\n---\n'],
    ['a paragraph with a hard break and a blank-indented continuation', 'para  \n  line two  \n\nx'],
    ['a link reference definition used before it is defined', 'See [the docs].\n\n- item\n\n[the docs]: https://example.com\n'],
    ['a numbered finding list with a fenced block in an item', '1. **A** — `a.go:1`\n\n   ```go\n   x := 1\n\n   ```\n\n2. **B**\n\nI1. **C**\n'],
    ['CRLF line endings', '# T\r\n\r\nI1. **A** — `a.go:1`\r\n\r\n```go\r\nx\r\n```\r\n'],
    ['a setext heading underlined before a CRLF, after a list', '- a\n\nFix:\n- \r\n\n  - nested\n'],
    ['footnote definitions, which may interrupt a paragraph', '**\n[^1]:\n\na\n[^2]: x\n\nb [^2]\n'],
    ['numbered finding headers, each a list of one item', '1. **A** — `a.go:1` [Claude Opus 4.6]  \n\n```go\nx\n```\n\n2. **B** — `b.go:2`\n\n\nBody.\n'],
    ['tight lists of one-line items', '- a\n- **b** `c`\n\nText.\n\n3) x\n7) y\n\n* p\n+ q\n\nEnd'],
    ['lists under a paragraph, with indented and lazy continuation lines', 'Fix options, in order of preference:\n1. One\n   more `x`\n2. Two\nlazy\n\nText\n- a\n  b\n\nEnd'],
    ['lists that only remark reads', 'Para\n2. not a list\n\n10. a\n    - nested\n\n1. a\n       code-like\n\n- a\n\n  b\n\nEnd'],
    ['tables with piped rows: alignment, empty cells, escaped pipes, pipes in code spans, ragged rows', '| **Date** | 2026-04-22 |  \n|:---|--:|\n| **Round** | 4 (of PR #309) |\n||  |\n| \\| a | `b|c` | d |\n| e |\n\n| x |\n|:-:|\n'],
    ['tables that only remark reads', '| a | b |\n|---|---|---|\n\na | b\n--|--\n\n| a |\n|---|\nrow without pipes\n\n| a |\n|---|\n| b \\|\n'],
    ['lists that are not one-line items', '- [ ] task\n\nA\n\n- a\n\n- b\n\nB\n\n- a\n  more\n\nC\n\n1. \t<b>\n\nD\n\n-     code\n\nE\n\n- a\n- - -\n'],
  ])('reads %s as remark does', (_, text) => {
    expect(actual(text)).toEqual(expected(text));
  });

  it('leaves a list unparsed until asked, spanning its text', () => {
    const text = '## Design\n\n- one\n- two\n\n  more\n\nAfter.\n';
    const root = readBlocks(createSource(text), 0, text.length);
    expect(root.children.map((n) => n.type)).toEqual(['heading', 'deferredBlocks', 'paragraph']);
    const deferred = root.children[1];
    expect(text.slice(deferred?.position?.start.offset, deferred?.position?.end.offset)).toBe('- one\n- two\n\n  more');
    expect(shape({ ...root, children: expandDeferred(root.children) })).toEqual(expected(text));
  });

  it('parses at once a list that may hold a heading, an open fence or a definition', () => {
    for (const text of ['- a\n## b\n', '- a\nb\n---\n', '- a\n```\n\nB\n```\n', '- a\n<!--\n\nB\n', '- a\n\n  [x]: /u\n\nB [x]\n']) {
      const root = readBlocks(createSource(text), 0, text.length);
      expect(root.children.some((n) => n.type === 'deferredBlocks'), text).toBe(false);
      expect(shape(root), text).toEqual(expected(text));
    }
  });

  const BLOCK_TOKENS = [
    '\n', '\n\n', ' ', '  ', '   ', '    ', '\t', 'a', 'word', 'I1. ', '**', '*', '_', '~', '~~', '~~~', '`', '``', '```', '```go',
    '#', '## ', '# ', '---', '***', '- ', '* ', '+ ', '1. ', '2) ', '10. ', '[ ] ', '> ', '|', '| a | b |', '|---|---|', '--|--', '[', ']', '(', ')',
    '[x](y)', '<b>', '<div>', '<!--', '-->', '<?x', '?>', '<script>', '</script>', '&amp;', '\\', '=', '===', 'é', '🙂', '.', ':', '—', '|:-:|', '| `a|b` |',
    'www.x.com', 'a@b.c', 'http://x.y', '[^1]', '[^1]:', '[a]: /u', '\r\n',
    // Single-line definitions the block reader reads itself, their uses, and table rows without a closing pipe.
    '[a]', '[A]: <u v> "t"', "[b]: /w 'x'", '[b]: /w (y)', '[b][]', '[x][a]', '| c', '| c | d', '"t"',
  ];

  it('reads random Markdown-like text as remark does', () => {
    const text = fc.array(fc.constantFrom(...BLOCK_TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        let want: unknown;
        try {
          want = expected(t);
        } catch {
          // remark's development build (the one tests load) asserts on a few odd inputs,
          // such as "*\n[ ] ~~~"; there is nothing to compare with.
          return;
        }
        expect(actual(t)).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the inline reader', () => {
  /** Content lines of a paragraph written at the left margin. */
  const linesOf = (text: string): ContentLine[] => {
    const out: ContentLine[] = [];
    let start = 0;
    for (const line of text.split('\n')) {
      let first = start;
      while (text[first] === ' ' || text[first] === '\t') first++;
      out.push({ start: first, end: start + line.length });
      start += line.length + 1;
    }
    return out;
  };
  const read = (text: string) => {
    const source = createSource(text);
    const pointAt = (offset: number) => {
      const line = text.slice(0, offset).split('\n').length;
      return { line, column: offset - (source.lineStarts[line - 1] ?? 0) + 1, offset };
    };
    const children = readPhrasing(text, linesOf(text), pointAt);
    return children === undefined ? undefined : children.map(shape);
  };
  /** remark's phrasing of the text, when the text is one paragraph (and remark's development build reads it). */
  const remarkPhrasing = (text: string) => {
    let blocks: RootContent[];
    try {
      blocks = remark.parse(text).children;
    } catch {
      return undefined;
    }
    const block = blocks[0];
    return blocks.length === 1 && block?.type === 'paragraph' ? block.children.map(shape) : undefined;
  };

  it('reads the lines findings are made of without remark', () => {
    for (const text of [
      'I1. **Finding 1: a timeout is ignored** — `pkg/controller/file1.go:1-7` [Claude Opus 4.7, Codex GPT 5.4]',
      'The retry loop does not check `ctx.Err()`, so it keeps retrying (round 2 S3 unaddressed).',
      '~~2. **Struck** -- FIXED: done.~~',
      '*(suggestion, gap — old.)*',
      '**Skipped.** Later, in `x_y`.',
      'Fix options, in order\nof preference:',
      '~a *b~ c*, ~~*d*~~ and *~e~*',
    ]) {
      const read1 = read(text);
      expect(read1, text).toBeDefined();
      expect(read1, text).toEqual(remarkPhrasing(text));
    }
  });

  it('leaves links, autolinks, HTML, entities and hard breaks to remark', () => {
    for (const text of ['a [b](c)', 'see https://example.com', 'a <b>x</b>', 'a &amp; b', 'a  \nb', 'a\\\nb', '`a\nb`']) {
      expect(read(text), text).toBeUndefined();
    }
  });

  const INLINE_TOKENS = [
    'a', 'b', 'word', ' ', '  ', '\n', '*', '**', '***', '_', '__', '~', '~~', '~~~', '\\~', '`', '``', '.', ',', '(', ')', '—', 'é', '🙂', '\\', '\\*',
    '\\_', '\\`', '"', '!', '?', '-', ':', 'x_y', '[', ']', '\t', '。', '¡', '$', '+', '=', '<', '>', '&', ';',
  ];

  it('reads random paragraphs as remark does whenever it reads them', () => {
    // The first character keeps the text a paragraph; blank lines would end it.
    const paragraph = fc
      .array(fc.constantFrom(...INLINE_TOKENS), { maxLength: 30 })
      .map((parts) => `P${parts.join('')}`.split('\n').map((line, i) => (i > 0 && line.trim() === '' ? `q${line}` : line)).join('\n'));
    fc.assert(
      fc.property(paragraph, (text) => {
        const theirs = remarkPhrasing(text);
        const mine = theirs === undefined ? undefined : read(text);
        if (mine !== undefined) expect(mine).toEqual(theirs);
      }),
      { numRuns: 3000 },
    );
  });
});
