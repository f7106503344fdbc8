// The store's index of related locations: which files' findings point into a file, kept right as rounds come and go.
import { describe, expect, it } from 'vitest';
import type { ReviewInput } from '../../server/src/model/review.js';
import { readReviewJson } from '../../server/src/reports/reviewJson.js';
import { ReviewStore } from '../../server/src/store/reviewStore.js';
import { finding, review } from '../support/workspace.js';

const ROOT = '/ws';
const set = (store: ReviewStore, name: string, input: ReviewInput) => {
  const text = JSON.stringify(input);
  store.setReport(`${ROOT}/.deep-review/${name}`, ROOT, { text, result: readReviewJson(text) });
};
const citing = (store: ReviewStore, file: string) => [...store.filesCitingAsRelated(`${ROOT}/${file}`)].map((f) => f.slice(ROOT.length + 1)).sort();
const withRelated = (id: string, primary: string, related: string) =>
  finding(id, 'important', primary, 3, 3, { locations: [{ path: primary, ranges: [{ start: 3, end: 3 }] }, { path: related, ranges: [{ start: 5, end: 5 }] }] });

describe('files citing a file as a related location', () => {
  it('follows the shown round of each series', () => {
    const store = new ReviewStore();
    set(store, 'pr1-r1.json', review(1, 1, [withRelated('I1', 'a.ts', 'shared.ts')]));
    set(store, 'pr2-r1.json', review(2, 1, [withRelated('I1', 'b.ts', 'shared.ts')]));
    expect(citing(store, 'shared.ts')).toEqual(['a.ts', 'b.ts']);
    expect(citing(store, 'a.ts')).toEqual([]);
    // Round 2 of PR 1 no longer cites shared.ts: only PR 2's finding points into it now.
    set(store, 'pr1-r2.json', review(1, 2, [withRelated('I1', 'a.ts', 'other.ts')]));
    expect(citing(store, 'shared.ts')).toEqual(['b.ts']);
    expect(citing(store, 'other.ts')).toEqual(['a.ts']);
    store.removeReport(`${ROOT}/.deep-review/pr1-r2.json`);
    expect(citing(store, 'shared.ts')).toEqual(['a.ts', 'b.ts']);
  });
});
