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

  it('resolves a path whose leading folders the report dropped by its unique ending', async () => {
    const ws = new TempWorkspace();
    try {
      ws.write('src/go/guestagent/pkg/tracker/apitracker.go', 'x');
      ws.write('pkg/rancher-desktop/main/dashboardServer/index.ts', 'x');
      ws.write('pkg/rancher-desktop/main/other/index.ts', 'x');
      ws.write('a/util/x.go', 'x');
      ws.write('b/util/x.go', 'x');
      const review = reviewCiting('tracker/apitracker.go', 'dashboardServer/index.ts', 'util/x.go', 'racker/apitracker.go');
      const problems = await resolveLocations(review, new WorkspaceFiles(ws.root, noGit), () => ({ offset: 0, length: 0 }));
      expect(review.findings.map((f) => f.locations[0]!.resolvedPath)).toEqual([
        'src/go/guestagent/pkg/tracker/apitracker.go',
        'pkg/rancher-desktop/main/dashboardServer/index.ts',
        undefined,
        undefined,
      ]);
      expect(problems.map((p) => p.message)).toEqual([
        'Finding S3: "util/x.go" matches 2 files (a/util/x.go, b/util/x.go) and the review\'s commits do not tell which; it is not shown on a file',
        'Finding S4: no file "racker/apitracker.go" in the workspace, and no file path ends so; the finding is shown on this report',
      ]);
    } finally {
      ws.dispose();
    }
  });

  it('reads a cited folder without a trailing slash as a directory, and finds ignored files on disk', async () => {
    const ws = new TempWorkspace();
    const git: GitRunner = async (_cwd, args) => (args[0] === 'ls-files' ? 'pkg/windows/autounattend/autounattend.go\0' : undefined);
    try {
      ws.write('pkg/windows/autounattend/autounattend.go', 'x');
      ws.write('gen/ignored.go', 'x'); // on disk, but not in git's listing (ignored)
      const review = reviewCiting('pkg/windows/autounattend', 'gen/ignored.go');
      review.findings[0]!.locations[0]!.ranges = [];
      const problems = await resolveLocations(review, new WorkspaceFiles(ws.root, git), () => ({ offset: 0, length: 0 }));
      expect(review.findings[0]!.locations[0]).toMatchObject({ path: 'pkg/windows/autounattend', pathKind: 'directory' });
      expect(review.findings[1]!.locations[0]!.unresolved).toBeUndefined();
      expect(problems).toEqual([]);
    } finally {
      ws.dispose();
    }
  });

  it('leaves a cited full path that exists nowhere to placement, which shows it on the report, with a note', async () => {
    const ws = new TempWorkspace();
    try {
      ws.write('src/present.go', 'x');
      const review = reviewCiting('pkg/gone/missing.go');
      const problems = await resolveLocations(review, new WorkspaceFiles(ws.root, noGit), () => ({ offset: 5, length: 9 }));
      // Not unresolved: the placer finds the file gone and shows the finding on its report (test/e2e/anchoring.test.ts).
      expect(review.findings[0]!.locations[0]!.unresolved).toBeUndefined();
      expect(problems).toEqual([
        {
          severity: 'info',
          code: 'missing-path',
          message: 'Finding S1: no file "pkg/gone/missing.go" in the workspace, and no file path ends so; the finding is shown on this report',
          offset: 5,
          length: 9,
        },
      ]);
    } finally {
      ws.dispose();
    }
  });
});
