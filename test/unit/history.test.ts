// Round history without a connection: links by prior-round references and fingerprints, statuses, round summaries, and the cache following report changes.
import { describe, expect, it } from 'vitest';
import type { FindingInput, ReviewInput } from '../../server/src/model/review.js';
import { readReviewJson } from '../../server/src/reports/reviewJson.js';
import { SeriesHistory } from '../../server/src/store/history.js';
import { ReviewStore } from '../../server/src/store/reviewStore.js';
import { historyLine } from '../../server/src/features/hoverCards.js';
import { finding, review } from '../support/workspace.js';

const ROOT = '/ws';

function storeWith(rounds: Record<string, ReviewInput>): ReviewStore {
  const store = new ReviewStore();
  for (const [name, input] of Object.entries(rounds)) set(store, name, input);
  return store;
}

function set(store: ReviewStore, name: string, input: ReviewInput): void {
  const text = JSON.stringify(input);
  store.setReport(`${ROOT}/.deep-review/${name}`, ROOT, { text, result: readReviewJson(text) });
}

function historyOf(store: ReviewStore, name: string, id: string) {
  const entry = store.report(`${ROOT}/.deep-review/${name}`)!;
  const found = entry.review!.findings.find((f) => f.id === id)!;
  return new SeriesHistory(store).historyOf(entry.seriesKey!, found)!;
}

const titled = (id: string, title: string, extra: Partial<FindingInput> = {}) => finding(id, 'suggestion', 'a.ts', 3, 3, { title, ...extra });

describe('SeriesHistory', () => {
  it('links by explicit prior-round references first, even across a change of title and severity', () => {
    const store = storeWith({
      '1.json': review(1, 1, [titled('S1', 'Slow loop')]),
      '2.json': review(1, 2, [finding('I1', 'important', 'a.ts', 9, 9, { title: 'Loop is quadratic', priorRefs: [{ round: 1, localId: 'S1', relation: 'unaddressed', raw: '(round 1 S1 unaddressed)' }] })]),
    });
    const history = historyOf(store, '2.json', 'I1');
    expect(history.status).toBe('persisting');
    expect(historyLine(history)).toBe('R1 S1 (Claude) → R2 I1 (promoted, unaddressed) open');
  });

  it('links by fingerprint, and by title and path when the quoted code changed; never by line numbers', () => {
    const anchored = (id: string, anchorText: string, line: number) =>
      titled(id, 'Leaks a handle', { locations: [{ path: 'a.ts', ranges: [{ start: line, end: line }], anchorText }] });
    const store = storeWith({
      '1.json': review(1, 1, [anchored('S3', 'open(x)', 3), titled('S4', 'Other thing')]),
      '2.json': review(1, 2, [anchored('S1', 'open(x)', 40)]),
      '3.json': review(1, 3, [anchored('S2', 'open(y)', 41), titled('S5', 'Different title on the same line', { locations: [{ path: 'a.ts', ranges: [{ start: 41, end: 41 }] }] })]),
    });
    expect(historyLine(historyOf(store, '3.json', 'S2'))).toBe('R1 S3 (Claude) → R2 S1 → R3 S2 open');
    expect(historyOf(store, '3.json', 'S2').steps.map((s) => s.link)).toEqual([undefined, 'fingerprint', 'title-and-path']);
    expect(historyOf(store, '3.json', 'S5').status).toBe('new');
  });

  it('says regressed when the earlier occurrence was marked fixed, or a round in between did not have it', () => {
    const store = storeWith({
      '1.json': review(1, 1, [titled('S1', 'Leak', { resolution: { action: 'fixed', raw: 'Fixed' } }), titled('S2', 'Gap')]),
      '2.json': review(1, 2, [titled('S1', 'Leak')]),
      '3.json': review(1, 3, [titled('S7', 'Gap')]),
    });
    expect(historyOf(store, '2.json', 'S1').status).toBe('regressed');
    expect(historyLine(historyOf(store, '3.json', 'S7'))).toBe('R1 S2 (Claude) → R3 S7 open');
    expect(historyOf(store, '3.json', 'S7').status).toBe('regressed');
  });

  it('keeps rounds the report names that are not loaded, in round order', () => {
    const store = storeWith({
      '5.json': review(1, 5, [titled('S8', 'Logs', { priorRefs: [
        { round: 4, localId: 'S4', relation: 'unaddressed', raw: '(Round 4 S2/S4 unaddressed)' },
        { round: 3, localId: 'S2', relation: 'unaddressed', raw: '(Round 3 S2 unaddressed)' },
      ] })]),
    });
    const history = historyOf(store, '5.json', 'S8');
    expect(historyLine(history)).toBe('R3 S2 (not in the workspace) → R4 S4 (unaddressed, not in the workspace) → R5 S8 (unaddressed) open');
    expect(history.status).toBe('persisting');
  });

  it('summarises what a round says became of the previous round\'s findings', () => {
    const store = storeWith({
      '1.json': review(1, 1, [titled('S1', 'Carried'), titled('S2', 'Fixed', { resolution: { action: 'fixed' } }), titled('S3', 'Verified'), titled('S4', 'Dropped'), titled('S5', 'Struck', { struck: { kind: 'withdrawn' } }), titled('S6', 'Fixed, then followed up', { resolution: { action: 'fixed' } })]),
      '2.json': review(1, 2, [titled('S1', 'Carried'), titled('I1', 'New bug from the fix', { priorRefs: [{ round: 1, localId: 'S6', relation: 'related', raw: '(from the round 1 S6 fix)' }] })], { sections: [{ heading: 'Prior-Round Fixes Verified', kind: 'prior-round-fixes', markdown: '- **S3 — verified** fixed. (S30 is another thing.)' }] }),
    });
    const summary = new SeriesHistory(store).summaryOf(store.report(`${ROOT}/.deep-review/2.json`)!)!;
    expect(summary).toMatchObject({ position: 2, count: 2, lastRound: 2 });
    expect(summary.outcomes.map((o) => [o.id, o.outcome, o.carriedAs])).toEqual([
      ['S1', 'carried', 'S1'],
      ['S2', 'fixed', undefined],
      ['S3', 'verified-fixed', undefined],
      ['S4', 'not-raised', undefined],
      ['S6', 'fixed', 'I1'],
    ]);
    expect(new SeriesHistory(store).summaryOf(store.report(`${ROOT}/.deep-review/1.json`)!)?.previous).toBeUndefined();
  });

  it('follows a series as its reports change', () => {
    const store = storeWith({ '1.json': review(1, 1, [titled('S1', 'Leak')]) });
    const history = new SeriesHistory(store);
    const key = store.report(`${ROOT}/.deep-review/1.json`)!.seriesKey!;
    expect(history.rounds(key)).toHaveLength(1);
    set(store, '2.json', review(1, 2, [titled('S9', 'Leak')]));
    const second = store.report(`${ROOT}/.deep-review/2.json`)!;
    expect(history.rounds(key)).toHaveLength(2);
    expect(history.historyOf(key, second.review!.findings[0]!)?.status).toBe('persisting');
    store.removeReport(`${ROOT}/.deep-review/1.json`);
    expect(history.historyOf(key, second.review!.findings[0]!)?.status).toBe('new');
  });
});
