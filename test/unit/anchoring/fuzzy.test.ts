import { describe, expect, it } from 'vitest';
import { computeTextIndex, parseAnchor } from '../../../server/src/anchoring/anchorText.js';
import { findFuzzy } from '../../../server/src/anchoring/fuzzy.js';

const lines = Array.from({ length: 600 }, (_, i) => (i % 5 === 0 ? `func step${i}(ctx context.Context) error {` : i % 5 === 4 ? '}' : `\tvalue${i} := load(ctx, "key-${i}")`));
const unique = ['\tif retries > limit {', '\t\tpanic("the retry budget is spent, give up now")', '\t} else { retries++ }'];
lines.splice(500, 3, ...unique);
const snippet = (at: number) => parseAnchor(lines.slice(at, at + 3).map((line) => `${line} // edited`).join('\n'))!;

describe('finding a snippet by likeness', () => {
  it('finds the window most like an edited snippet, near the expected line first, else anywhere', () => {
    const index = computeTextIndex(lines);
    expect(findFuzzy(index, snippet(100), 0.8, 100)).toMatchObject({ start: 100, end: 102 });
    // Nothing near line 10 is alike: the one alike window anywhere wins.
    expect(findFuzzy(index, snippet(500), 0.8, 10)).toMatchObject({ start: 500, end: 502 });
    expect(findFuzzy(index, parseAnchor('nothing like any line of this text at all')!, 0.8, 10)).toBeUndefined();
  });

  it('answers every search in one text as it would in a fresh one (the shared tables are left empty)', () => {
    const shared = computeTextIndex(lines);
    for (const [at, near] of [[100, 100], [500, 10], [300, 590], [100, 100]] as const) {
      const fresh = findFuzzy(computeTextIndex(lines), snippet(at), 0.8, near);
      expect(findFuzzy(shared, snippet(at), 0.8, near), `snippet at ${at}`).toEqual(fresh);
    }
    expect(shared.fuzzy!.want.every((count) => count === 0) && shared.fuzzy!.have.every((count) => count === 0)).toBe(true);
  });
});
