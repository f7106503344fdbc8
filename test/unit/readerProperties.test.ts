/**
 * The readers that take input from files other than Markdown (review JSON, the
 * HTML companion, settings) and what the server puts on the wire: on random,
 * truncated and mutated input they never throw, never hang (the test timeout
 * catches a quadratic reader on these sizes) and stay within a memory bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, clampPosition, MAX_MESSAGE } from '../../server/src/features/wireText.js';
import { extractReviewShaFromHtml } from '../../server/src/reports/markdown/html.js';
import { readReviewJson } from '../../server/src/reports/reviewJson.js';
import { defaultSettings, directoryReason, parseSettings } from '../../server/src/settings.js';
import { finding, review } from '../support/workspace.js';

const VALID = JSON.stringify(
  review(4, 2, [finding('I1', 'important', 'src/a.ts', 3, 9, { body: 'Body with `code`.' }), finding('S1', 'suggestion', 'b.go', 1)]),
  null,
  2,
);

/** Heap growth around `run`, in MB, after collecting when the runtime allows it. */
function heapGrowthMb(run: () => void): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  run();
  gc?.();
  return (process.memoryUsage().heapUsed - before) / 1024 / 1024;
}

/** Every problem starts inside the text it was found in (or at its end, for "the file stops here"). */
function expectPlaced(text: string, problems: { offset: number; length: number }[]): void {
  for (const problem of problems) {
    expect(problem.offset).toBeGreaterThanOrEqual(0);
    expect(problem.offset).toBeLessThanOrEqual(text.length);
    expect(problem.length).toBeGreaterThanOrEqual(0);
  }
}

describe('review JSON reader', () => {
  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        expectPlaced(text, readReviewJson(text).problems);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value) ?? '';
        expectPlaced(text, readReviewJson(text).problems);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid review truncated or mutated anywhere', () => {
    fc.assert(
      fc.property(fc.nat(VALID.length), fc.nat(VALID.length), fc.string({ maxLength: 8 }), (cut, at, insert) => {
        const truncated = VALID.slice(0, cut);
        expectPlaced(truncated, readReviewJson(truncated).problems);
        const mutated = VALID.slice(0, at) + insert + VALID.slice(at + 1);
        expectPlaced(mutated, readReviewJson(mutated).problems);
      }),
      { numRuns: 400 },
    );
  });

  it('reads pathological input without a stack overflow and within a memory bound', () => {
    const cases = [
      '['.repeat(100_000),
      `{"schemaVersion": 1, "findings": [${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]}`,
      `{"schemaVersion": 1, "findings": [${Array.from({ length: 20_000 }, () => '{}').join(',')}]}`,
      `{"schemaVersion": 1, "title": "${'\\u0000'.repeat(100_000)}"}`,
    ];
    const growth = heapGrowthMb(() => {
      for (const text of cases) expectPlaced(text, readReviewJson(text).problems);
    });
    expect(growth).toBeLessThan(300);
  });
});

describe('HTML companion reader', () => {
  it('never throws and finds only 40-hex SHAs', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (html) => {
        const sha = extractReviewShaFromHtml(html);
        if (sha !== undefined) expect(sha).toMatch(/^[0-9a-f]{40}$/);
      }),
      { numRuns: 300 },
    );
  });

  it('stays linear on a near-miss link repeated a megabyte long', () => {
    const html = 'github.com/'.repeat(100_000) + '<a href="https://github.com/o/r/blob/' + 'a'.repeat(40) + '/x">';
    expect(extractReviewShaFromHtml(html)).toBe('a'.repeat(40));
  });
});

describe('settings reader', () => {
  it('never throws and always gives complete settings', () => {
    const keys = ['directory', 'rounds', 'showResolved', 'minimumSeverity', 'severityMap', 'debounceMs', 'maxFileSizeKb', 'diagnosticsMode', '__proto__', 'constructor'];
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...keys), fc.anything())), (raw) => {
        const { settings, errors } = parseSettings(raw, defaultSettings());
        expect(Object.keys(settings).sort()).toEqual(Object.keys(defaultSettings()).sort());
        expect(directoryReason(settings.directory)).toBeUndefined();
        for (const error of errors) expect(typeof error).toBe('string');
      }),
      { numRuns: 400 },
    );
  });

  it('accepts only directory names that stay inside the folder', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (directory) => {
        const { settings } = parseSettings({ directory });
        const kept = settings.directory;
        expect(kept.startsWith('/') || kept.startsWith('~') || kept.includes('\u0000') || kept.split(/[\\/]/).includes('..')).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});

describe('text on the wire', () => {
  it('never carries a C0 control other than tab and newline, and is bounded', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1500 }), (text) => {
        const clean = cleanText(text);
        // eslint-disable-next-line no-control-regex
        expect(clean).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        expect(clean.length).toBeLessThanOrEqual(MAX_MESSAGE + 40);
      }),
      { numRuns: 150 },
    );
    expect(cleanText('x'.repeat(MAX_MESSAGE * 3)).length).toBeLessThanOrEqual(MAX_MESSAGE + 40);
  });

  it('clamps every number to a valid LSP position', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.constant(9007199254740990)), (n) => {
        const p = clampPosition(n);
        expect(Number.isInteger(p) && p >= 0 && p <= 2 ** 31 - 1).toBe(true);
      }),
    );
  });
});
