// The safe git runner against a repository whose configuration tries to make git run programs.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changedByCommits, createGitRunner, findGit, safeArguments } from '../../server/src/git/gitRunner.js';
import { TempWorkspace } from '../support/workspace.js';

const systemGit = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

const spaces: TempWorkspace[] = [];
afterEach(() => {
  for (const space of spaces.splice(0)) space.dispose();
});

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' }).trim();
}

/** A repository whose .git/config points every helper git knows at a script that writes a marker. */
export function hostileRepository(space: TempWorkspace): { marker: string; shas: string[] } {
  const marker = space.path('ran.txt');
  space.write('a/util.go', 'package a\n');
  space.write('b/util.go', 'package b\n');
  space.write('.gitattributes', '* filter=evil diff=evil\n');
  git(space.root, 'init', '-q');
  git(space.root, 'add', '.');
  git(space.root, 'commit', '-qm', 'base');
  space.write('b/util.go', 'package b\n// changed\n');
  git(space.root, 'commit', '-qam', 'change b');
  const shas = [git(space.root, 'rev-parse', 'HEAD~1'), git(space.root, 'rev-parse', 'HEAD')];
  space.write('a/util.go', 'package a\n// dirty\n');
  const script = space.write('evil.sh', `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat\n`);
  chmodSync(script, 0o755);
  space.write('hooks/post-checkout', `#!/bin/sh\necho hook >> '${marker}'\n`);
  chmodSync(space.path('hooks/post-checkout'), 0o755);
  // A git planted in the workspace, which a PATH with "." or a workspace folder would find first.
  space.write('bin/git', `#!/bin/sh\necho planted-git >> '${marker}'\n`);
  chmodSync(space.path('bin/git'), 0o755);
  for (const [key, value] of [
    ['core.fsmonitor', script],
    ['core.hooksPath', space.path('hooks')],
    ['core.pager', script],
    ['pager.log', script],
    ['diff.external', script],
    ['diff.evil.command', script],
    ['diff.evil.textconv', script],
    ['filter.evil.clean', script],
    ['filter.evil.smudge', script],
    ['log.showSignature', 'true'],
    ['gpg.program', script],
    ['core.sshCommand', script],
    ['credential.helper', `!${script}`],
  ] as const) {
    git(space.root, 'config', key, value);
  }
  return { marker, shas };
}

describe.runIf(systemGit)('the safe git runner', () => {
  it('runs the repository\'s plumbing without running any program its configuration names', async () => {
    const space = new TempWorkspace();
    spaces.push(space);
    const { marker, shas } = hostileRepository(space);
    const run = createGitRunner();
    const oldPath = process.env.PATH;
    process.env.PATH = ['.', space.path('bin'), oldPath].join(path.delimiter);
    try {
      const listed = await run(space.root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
      expect(listed?.split('\0').filter(Boolean).sort()).toEqual(['.gitattributes', 'a/util.go', 'b/util.go', 'bin/git', 'evil.sh', 'hooks/post-checkout']);
      expect(await run(space.root, ['diff', 'HEAD', '--', 'a/util.go'])).toContain('+// dirty');
      expect(await run(space.root, ['log', '-p', '-1'])).toContain('+// changed');
      expect(await run(space.root, ['show', `${shas[1]}:b/util.go`])).toBe('package b\n// changed\n');
      const changed = await changedByCommits(run, space.root, [shas[1]!.slice(0, 9), 'deadbeef1', shas[0]!]);
      expect([...(changed?.values() ?? [])]).toEqual([['b/util.go'], ['.gitattributes', 'a/util.go', 'b/util.go']]);
    } finally {
      process.env.PATH = oldPath;
    }
    expect(existsSync(marker) ? readFileSync(marker, 'utf8') : 'nothing ran').toBe('nothing ran');
    // The same plumbing run plainly does run the repository's programs: the repository is really hostile.
    execFileSync('git', ['diff', 'HEAD'], { cwd: space.root, stdio: 'ignore' });
    expect(readFileSync(marker, 'utf8')).toMatch(/evil\.sh/);
  });

  it('refuses subcommands that write or reach the network, without running git', async () => {
    const space = new TempWorkspace();
    spaces.push(space);
    const { marker } = hostileRepository(space);
    const run = createGitRunner();
    for (const args of [['checkout', '.'], ['fetch'], ['commit', '-m', 'x'], ['status'], ['-c', 'core.pager=x', 'log']]) {
      expect(await run(space.root, args)).toBeUndefined();
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('finds git on PATH outside the workspace, never "." or a workspace directory', async () => {
    const space = new TempWorkspace();
    spaces.push(space);
    space.write('bin/git', '#!/bin/sh\n');
    chmodSync(space.path('bin/git'), 0o755);
    const found = await findGit(space.root, ['.', 'relative/bin', space.path('bin'), path.dirname(systemGit!)].join(path.delimiter), 'linux');
    expect(found).toBe(path.join(execFileSync('realpath', [path.dirname(systemGit!)], { encoding: 'utf8' }).trim(), 'git'));
    expect(await findGit(space.root, space.path('bin'), 'linux')).toBeUndefined();
  });

  it('a missing git turns the feature off: undefined, never a failure', async () => {
    const run = createGitRunner();
    const oldPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(await run(process.cwd(), ['ls-files'])).toBeUndefined();
    } finally {
      process.env.PATH = oldPath;
    }
  });
});

describe('safe git arguments', () => {
  it('put the overrides before the subcommand and switch off external diffs and textconv', () => {
    const argv = safeArguments(['log', '-1']);
    expect(argv.slice(0, 2)).toEqual(['--no-pager', '--no-optional-locks']);
    expect(argv).toContain('core.fsmonitor=false');
    expect(argv).toContain('core.hooksPath=/dev/null');
    expect(argv.slice(argv.indexOf('log'))).toEqual(['log', '--no-ext-diff', '--no-textconv', '-1']);
  });
});
