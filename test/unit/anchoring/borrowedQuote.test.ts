import { describe, expect, it } from 'vitest';
import { computeBorrowedQuote } from '../../../server/src/anchoring/borrowedQuote.js';
import { computeTextIndex, parseAnchor } from '../../../server/src/anchoring/anchorText.js';
import { computePlacement } from '../../../server/src/anchoring/placeLocation.js';
import { Review, type Location } from '../../../server/src/model/review.js';

const quoted = ['click() {', '  app.relaunch();', '  app.quit();', '}'].join('\n');
/** A review whose I2 quotes tray.ts:97-100 and whose S1 cites `cited` without a quote. */
function review(cited: { start: number; end: number }, donor: Partial<Location> = {}) {
  return Review.parse({
    schemaVersion: 1,
    findings: [
      { id: 'I2', severity: 'important', title: 'Quoted', locations: [{ path: 'src/tray.ts', ranges: [{ start: 97, end: 100 }], anchorText: quoted, ...donor }] },
      { id: 'S1', severity: 'suggestion', title: 'Unquoted', locations: [{ path: 'src/tray.ts', ranges: [cited] }] },
    ],
  });
}
const unquoted = (r: ReturnType<typeof review>) => r.findings[1]!.locations[0]!;

describe('a quote borrowed from another finding of the review', () => {
  it('is that finding’s quote of the very lines cited', () => {
    const r = review({ start: 98, end: 99 });
    expect(computeBorrowedQuote(unquoted(r), { start: 98, end: 99 }, r)).toEqual({ text: '  app.relaunch();\n  app.quit();', from: 'I2' });
  });

  it('is not taken from a quote of other lines, another file or commit, or one that elides code or has fewer lines than it cites', () => {
    for (const [cited, donor] of [
      [{ start: 99, end: 101 }, {}],
      [{ start: 98, end: 98 }, { path: 'src/other.ts' }],
      [{ start: 98, end: 98 }, { commit: 'abc1234' }],
      [{ start: 98, end: 98 }, { anchorText: 'click() {\n  ...\n}' }],
      [{ start: 98, end: 98 }, { anchorText: 'click() {\n  app.relaunch();\n}' }],
    ] as const) {
      const r = review(cited, donor);
      expect(computeBorrowedQuote(unquoted(r), cited, r), JSON.stringify(donor)).toBeUndefined();
    }
  });

  it('orphans cited lines whose borrowed quote is gone from the file, and says whose quote it was', () => {
    const r = review({ start: 98, end: 98 });
    const lines = Array.from({ length: 120 }, (_, i) => `line(${i + 1})`);
    const index = computeTextIndex(lines);
    const borrowed = computeBorrowedQuote(unquoted(r), { start: 98, end: 98 }, r)!;
    const p = computePlacement({ cited: { start: 98, end: 98 }, lines, index: () => index, anchor: parseAnchor(borrowed.text)!, quotedBy: borrowed.from, threshold: 0.8 });
    expect([p.method, p.note]).toEqual(['orphan', '(outdated: the code I2 quotes from the cited lines is no longer in this file; it was cited at line 98)']);
  });
});
