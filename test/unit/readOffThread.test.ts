// Large reports are read in a worker thread: the result must be the reader's own, for every corpus report.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readReviewText } from '../../server/src/reports/readReviewText.js';
import { REPO_ROOT } from '../support/lspClient.js';
import { corpusAvailable, corpusFiles, corpusReportNames } from './markdown/corpus.js';

// The worker exists only in the compiled server (npm test builds it first).
const compiled = path.join(REPO_ROOT, 'server/out/reports/readOffThread.js');

describe('reading off the main thread', () => {
  it('has a compiled worker to run', () => {
    expect(existsSync(compiled), 'server/out is missing: run `npm run build` (npm test does)').toBe(true);
  });

  it('gives the same result as the reader on the same thread, for the corpus reports and a broken JSON', async () => {
    const { readReviewTextOffThread } = (await import(pathToFileURL(compiled).href)) as typeof import('../../server/src/reports/readOffThread.js');
    // A worker starts in about a second on a loaded machine: a few reports of each size are enough.
    const names = corpusReportNames();
    const cases: [string, string, string | undefined][] = [names[0], names[Math.floor(names.length / 2)], names[names.length - 1]].filter((n): n is string => n !== undefined).map((name) => {
      const { text, html } = corpusFiles(name);
      return [name, text, html];
    });
    expect(cases.length > 0 || !corpusAvailable).toBe(true);
    cases.push(['broken.json', '{ "schemaVersion": 1, ', undefined], ['example.json', readFileSync(path.join(REPO_ROOT, 'examples/workspace/.deep-review/20261103-150000-pr-12.json'), 'utf8'), undefined]);
    for (const [name, text, html] of cases) {
      const inWorker = await readReviewTextOffThread(name, text, html, 0);
      expect(JSON.parse(JSON.stringify(inWorker)), name).toEqual(JSON.parse(JSON.stringify(await readReviewText(name, text, html))));
    }
  });
});
