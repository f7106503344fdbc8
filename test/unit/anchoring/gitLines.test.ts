import { describe, expect, it } from 'vitest';
import { GitLineMaps } from '../../../server/src/anchoring/gitLines.js';
import type { GitRunner } from '../../../server/src/anchoring/resolvePaths.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIFF = '--- a/src/a.go\n+++ b/src/a.go\n@@ -2,0 +3,1 @@\n+added\n';

/** A git that knows one commit and answers one diff, recording every call. */
function fakeGit(known: boolean): { git: GitRunner; calls: string[][] } {
  const calls: string[][] = [];
  const git: GitRunner = async (_cwd, args) => {
    calls.push(args);
    if (args[0] === 'rev-parse') return known ? `${SHA}\n` : undefined;
    if (args[0] === 'diff') return DIFF;
    return undefined;
  };
  return { git, calls };
}

describe('the git step', () => {
  it('runs one diff per commit and file text, with a hex id and the path after --', async () => {
    const { git, calls } = fakeGit(true);
    const maps = new GitLineMaps(git);
    const map = await maps.lineMap('/w', '0123456', '/w/src/a.go', 'text v1');
    expect(map?.mapSpan({ start: 4, end: 4 })).toEqual({ kind: 'kept', span: { start: 5, end: 5 }, moved: true });
    await maps.lineMap('/w', '0123456', '/w/src/a.go', 'text v1');
    expect(calls).toEqual([
      ['rev-parse', '--verify', '--quiet', '0123456^{commit}'],
      ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '-U0', SHA, '--', 'src/a.go'],
    ]);
    await maps.lineMap('/w', '0123456', '/w/src/a.go', 'text v2');
    expect(calls).toHaveLength(3);
  });

  it('is off, without failing, for an unknown commit, a non-hex id or a file outside the folder', async () => {
    const { git, calls } = fakeGit(false);
    let now = 0;
    const maps = new GitLineMaps(git, () => now);
    expect(await maps.lineMap('/w', '0123456', '/w/a.go', 't')).toBeUndefined();
    expect(await maps.lineMap('/w', '0123456', '/w/b.go', 't')).toBeUndefined();
    expect(calls).toHaveLength(1); // the missing commit is remembered
    now = 120_000;
    await maps.lineMap('/w', '0123456', '/w/a.go', 't');
    expect(calls).toHaveLength(2); // and asked about again later, in case it was fetched
    expect(await maps.lineMap('/w', '--output=/tmp/x', '/w/a.go', 't')).toBeUndefined();
    expect(await maps.lineMap('/w', 'HEAD', '/w/a.go', 't')).toBeUndefined();
    expect(await maps.lineMap('/w', '0123456', '/elsewhere/a.go', 't')).toBeUndefined();
    expect(calls).toHaveLength(2);
  });
});
