/**
 * The shared corpus of real deep-review reports, read from ../shared/corpus
 * beside the repository (never copied into it). Tests that need it skip with a
 * note when it is absent.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, Review } from '../../../server/src/model/review.js';
import type { ReadResult } from '../../../server/src/reports/readResult.js';
import { readMarkdownReport } from '../../../server/src/reports/markdown/readMarkdownReport.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The corpus directory. */
export const CORPUS_DIR = path.resolve(repoRoot, '../shared/corpus');
const REPORTS = path.join(CORPUS_DIR, 'reports');

/** True when the corpus is there to test against. */
export const corpusAvailable = existsSync(REPORTS) && existsSync(path.join(CORPUS_DIR, 'README.md'));

if (!corpusAvailable) {
  console.warn(`Skipping corpus tests: no report corpus at ${CORPUS_DIR} (expected ../shared/corpus beside the repository).`);
}

/** File names of the Markdown reports. */
export function corpusReportNames(): string[] {
  return corpusAvailable ? readdirSync(REPORTS).filter((f) => f.endsWith('.md')).sort() : [];
}

/** The text of a report and of its HTML rendering, when there is one. */
export function corpusFiles(name: string): { text: string; html?: string } {
  const text = readFileSync(path.join(REPORTS, name), 'utf8');
  const htmlPath = path.join(REPORTS, name.replace(/\.md$/, '.html'));
  return existsSync(htmlPath) ? { text, html: readFileSync(htmlPath, 'utf8') } : { text };
}

/** Critical / important / suggestion counts per report, from the README's table (columns C, I, S). */
export function corpusCounts(): Map<string, { critical: number; important: number; suggestion: number }> {
  const out = new Map<string, { critical: number; important: number; suggestion: number }>();
  const readme = readFileSync(path.join(CORPUS_DIR, 'README.md'), 'utf8');
  const lines = readme.split('\n');
  const headerIndex = lines.findIndex((l) => /^\|\s*File\s*\|/.test(l));
  const header = (lines[headerIndex] ?? '').split('|').map((c) => c.trim());
  const col = (name: string) => header.indexOf(name);
  for (const line of lines.slice(headerIndex + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((c) => c.trim());
    const file = /`([^`]+\.md)`/.exec(cells[col('File')] ?? '')?.[1];
    if (file === undefined) continue;
    out.set(file, {
      critical: Number(cells[col('C')]),
      important: Number(cells[col('I')]),
      suggestion: Number(cells[col('S')]),
    });
  }
  return out;
}

/** Reads corpus reports once per test file. */
export function corpusReader(): (name: string, withHtml?: boolean) => ReadResult {
  const cache = new Map<string, ReadResult>();
  return (name, withHtml = true) => {
    const key = `${name}|${withHtml}`;
    let result = cache.get(key);
    if (result === undefined) {
      const { text, html } = corpusFiles(name);
      result = readMarkdownReport(text, { fileName: name, ...(withHtml && html !== undefined ? { html } : {}) });
      cache.set(key, result);
    }
    return result;
  };
}

/** The review of a result, failing the test when there is none. */
export function reviewOf(result: ReadResult): Review {
  if (result.review === undefined) throw new Error(`no review: ${JSON.stringify(result.problems)}`);
  return result.review;
}

/** The finding with an id, failing the test when there is none. */
export function findingOf(review: Review, id: string): Finding {
  const finding = review.findings.find((f) => f.id === id);
  if (finding === undefined) throw new Error(`no finding ${id} in ${review.id}: ${review.findings.map((f) => f.id).join(', ')}`);
  return finding;
}
