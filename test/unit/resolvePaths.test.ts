import { describe, expect, it } from 'vitest';
import { Review } from '../../server/src/model/review.js';
import { resolveLocations, WorkspaceFiles, type GitRunner } from '../../server/src/anchoring/resolvePaths.js';
import { TempWorkspace } from '../support/workspace.js';

const noGit: GitRunner = async () => undefined;

function reviewCiting(...paths: string[]) {
  return Review.parse({
    schemaVersion: 1,
    commits: [{ sha: 'abc1234' }],
    findings: paths.map((p, i) => ({ id: `S${i + 1}`, severity: 'suggestion', title: 't', locations: [{ path: p, ranges: [{ start: 1, end: 1 }] }] })),
  });
}

describe('resolving bare file names', () => {
  it('works without git: the workspace is walked (skipping node_modules and .git)', async () => {
    const ws = new TempWorkspace();
    try {
      ws.write('src/deep/only.go', 'x');
      ws.write('node_modules/pkg/only2.go', 'x');
      const review = reviewCiting('only.go', 'only2.go', 'src/deep/only.go');
      const problems = await resolveLocations(review, new WorkspaceFiles(ws.root, noGit), () => ({ offset: 0, length: 0 }));
      expect(review.findings.map((f) => f.locations[0]!.resolvedPath)).toEqual(['src/deep/only.go', undefined, undefined]);
      expect(problems.map((p) => p.message)).toEqual(['Finding S2: No file named "only2.go" in the workspace; it is not shown on a file']);
    } finally {
      ws.dispose();
    }
  });

  it('without git, several matches stay unresolved and say which files matched', async () => {
    const ws = new TempWorkspace();
    try {
      for (const dir of ['a', 'b', 'c', 'd']) ws.write(`${dir}/util.go`, 'x');
      const review = reviewCiting('util.go');
      const problems = await resolveLocations(review, new WorkspaceFiles(ws.root, noGit), () => ({ offset: 3, length: 7 }));
      expect(problems).toEqual([
        {
          severity: 'info',
          code: 'unresolved-path',
          message: 'Finding S1: "util.go" matches 4 files (a/util.go, b/util.go, c/util.go, ...) and the review\'s commits do not tell which; it is not shown on a file',
          offset: 3,
          length: 7,
        },
      ]);
    } finally {
      ws.dispose();
    }
  });

  it('never hands git anything but a hex commit id', async () => {
    const ws = new TempWorkspace();
    const calls: string[][] = [];
    const git: GitRunner = async (_cwd, args) => {
      calls.push(args);
      return args[0] === 'ls-files' ? 'a/x.go\0b/x.go\0' : '';
    };
    try {
      const review = Review.parse({
        schemaVersion: 1,
        commits: [{ sha: '--output=/tmp/owned' }, { sha: 'deadbeef' }],
        findings: [{ id: 'S1', severity: 'suggestion', title: 't', locations: [{ path: 'x.go', ranges: [] }] }],
      });
      await resolveLocations(review, new WorkspaceFiles(ws.root, git), () => ({ offset: 0, length: 0 }));
      expect(calls.filter((args) => args[0] === 'log')).toEqual([
        ['log', '--no-walk=unsorted', '--ignore-missing', '--name-only', '--no-renames', '--format=%x00%H', 'deadbeef', '--'],
      ]);
    } finally {
      ws.dispose();
    }
  });
});
