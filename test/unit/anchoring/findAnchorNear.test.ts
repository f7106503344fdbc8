// The windowed snippet search gives exactly the matches of the whole-text search
// that start in its zones, on random texts with repeats, blank lines and cut quotes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTextIndex, findAnchor, findAnchorNear, parseAnchor } from '../../../server/src/anchoring/anchorText.js';

const WORDS = ['a', 'b', 'x = 1', 'return err', '}', '', '  ', 'if (x) {', 'call(y);'];

describe('the snippet searched near the cited lines', () => {
  it('finds what the whole-text search finds there, in the same order', () => {
    let found = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 40 }),
        fc.nat(39),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ start: fc.integer({ min: -5, max: 45 }), length: fc.nat(6) }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (lines, from, length, zoneSpecs, indent) => {
          const quoted = lines.slice(from % lines.length, (from % lines.length) + length).map((line) => (indent ? `    ${line}` : line));
          const anchor = parseAnchor(quoted.join('\n'));
          if (!anchor || anchor.items.includes('gap')) return;
          const zones = zoneSpecs.map(({ start, length: l }) => ({ start, end: start + l }));
          const inZone = (start: number) => zones.some((zone) => start >= zone.start && start <= zone.end);
          const whole = findAnchor(computeTextIndex(lines), anchor).filter((match) => inZone(match.start));
          expect(findAnchorNear(lines, anchor, zones)).toEqual(whole);
          if (whole.length > 0) found++;
        },
      ),
      { numRuns: 2000 },
    );
    // The runs are not all empty: many snippets are found in their zones.
    expect(found).toBeGreaterThan(200);
  });
});
