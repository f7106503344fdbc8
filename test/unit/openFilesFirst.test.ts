// The reports naming a file open in the editor are read before the others, and
// that file is handed on for publishing as soon as they are: the real review
// workspace over real files, its batches recorded as they are applied.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../server/src/store/reviewStore.js';
import { ReviewWorkspace } from '../../server/src/store/reviewWorkspace.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

const spaces: TempWorkspace[] = [];
afterEach(() => spaces.splice(0).forEach((space) => space.dispose()));

const SETTINGS = { directory: '.deep-review', debounceMs: 0, maxFileSizeKb: 1024, rounds: 'latest' as const, showResolved: false, cacheReports: false };

async function scan(open: string[]) {
  const w = new TempWorkspace();
  spaces.push(w);
  w.write('src/open.ts', numberedLines(20));
  for (let i = 1; i <= 12; i++) {
    w.write(`src/other${i}.ts`, numberedLines(20));
    // Two reports cite the open file, among ten that do not.
    const cites = i === 4 || i === 9 ? [finding(`I${i}`, 'important', 'src/open.ts', i)] : [];
    w.write(`.deep-review/pr-${i}.json`, review(i, 1, [...cites, finding(`S${i}`, 'suggestion', `src/other${i}.ts`, 2)]));
  }
  const batches: { partial: boolean; files: string[]; findingsOnOpen: number }[] = [];
  let workspace: ReviewWorkspace | undefined;
  workspace = new ReviewWorkspace(SETTINGS, (changes: ChangeSet, batch) => {
    batches.push({ partial: Boolean(batch.partial), files: [...changes.files].map((f) => f.slice(w.root.length + 1)).sort(), findingsOnOpen: workspace!.store.findingsForFile(w.path('src/open.ts')).length });
  }, () => undefined);
  workspace.openFiles = () => open.map((file) => w.path(file));
  await workspace.addFolder(w.root);
  await workspace.dispose();
  return batches;
}

describe('open files first', () => {
  it('hands on an open file once the reports naming it are read, before the others are', async () => {
    const batches = await scan(['src/open.ts']);
    expect(batches[0]).toEqual({ partial: true, files: ['src/open.ts'], findingsOnOpen: 2 });
    expect(batches).toHaveLength(2);
    expect(batches[1]!.partial).toBe(false);
    expect(batches[1]!.files).toHaveLength(12);
    expect(batches[1]!.files).not.toContain('src/open.ts');
  });

  it('reads everything in one batch when nothing is open', async () => {
    const batches = await scan([]);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.files).toHaveLength(13);
  });
});
