// node bench/hostileMarkdown.js [OUT_DIR] (after `npm run build`): the Markdown
// reader on reports built to be slow (100k link reference definitions, one huge
// paragraph, a huge header table), each at full size and at a quarter of it, in
// ms and ms per MB (the goal: about 1 s per MB at most, and linear: a quarter
// of the size takes about a quarter of the time). OUT_DIR is another build's
// server/out, to compare with it (default: this checkout's).
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const HEAD = '# Deep Review: PR #1\n\n| Field | Value |\n|---|---|\n| **Date** | 2026-01-01 |\n| **PR** | #1 |\n\n';

/** The hostile reports by name: each takes a target size in characters. */
export const HOSTILE = {
  'definitions (100k at 2.2 MB)': (size) => {
    const parts = [HEAD, 'See [r7].\n\n'];
    for (let i = 0, n = 0; n < size; i++) {
      const line = `[r${i}]: https://e.example/${i}\n`;
      parts.push(line);
      n += line.length;
    }
    return parts.join('');
  },
  'one paragraph of words (3.9 MB)': (size) => {
    const parts = [HEAD, '## Executive Summary\n\n'];
    for (let i = 0, n = 0; n < size; i++) {
      const line = `word${i} and some more words ${i % 10 === 0 ? '\n' : ''}`;
      parts.push(line);
      n += line.length;
    }
    return parts.join('');
  },
  'one paragraph of links (1 MB)': (size) => {
    const parts = [HEAD, '## Executive Summary\n\n'];
    for (let i = 0, n = 0; n < size; i++) {
      const line = `see [w${i}](https://x.example/${i}) more\n`;
      parts.push(line);
      n += line.length;
    }
    return parts.join('');
  },
  'header table (2.7 MB)': (size) => {
    const parts = ['# Deep Review: PR #1\n\n| Field | Value |\n|---|---|\n'];
    for (let i = 0, n = 0; n < size; i++) {
      const line = `| **Field${i}** | value ${i} |\n`;
      parts.push(line);
      n += line.length;
    }
    return parts.join('');
  },
  'header table with links, last row open (2.7 MB)': (size) => {
    const parts = ['# Deep Review: PR #1\n\n| Field | Value |\n|---|---|\n'];
    for (let i = 0, n = 0; n < size; i++) {
      const line = `| **Field${i}** | [v${i}](https://x.example/${i}) |\n`;
      parts.push(line);
      n += line.length;
    }
    parts.push('| last | row without a closing pipe\n');
    return parts.join('');
  },
};

const SIZES = {
  'definitions (100k at 2.2 MB)': 2_200_000,
  'one paragraph of words (3.9 MB)': 3_900_000,
  'one paragraph of links (1 MB)': 1_000_000,
  'header table (2.7 MB)': 2_700_000,
  'header table with links, last row open (2.7 MB)': 2_700_000,
};

function elapsed(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? path.resolve(process.argv[2]) : path.join(here, '..', 'server', 'out');
  const { readMarkdownReport } = await import(pathToFileURL(path.join(out, 'reports', 'markdown', 'readMarkdownReport.js')).toString());
  // Warm up the reader on a small report of each kind first.
  for (const make of Object.values(HOSTILE)) readMarkdownReport(make(20_000), { fileName: 'warm.md' });
  for (const [name, make] of Object.entries(HOSTILE)) {
    const size = SIZES[name];
    const quarter = make(size / 4);
    const full = make(size);
    const q = elapsed(() => readMarkdownReport(quarter, { fileName: 'q.md' }));
    const f = elapsed(() => readMarkdownReport(full, { fileName: 'f.md' }));
    const mb = full.length / 1e6;
    console.log(`${name.padEnd(48)} ${f.toFixed(0).padStart(7)} ms  ${(f / mb).toFixed(0).padStart(6)} ms/MB  (quarter: ${q.toFixed(0)} ms, ratio ${(f / q).toFixed(1)}x)`);
  }
}
