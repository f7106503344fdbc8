// The safe git runner against a repository whose configuration tries to make git run programs.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changedByCommits, createGitRunner, findGit, safeArguments } from '../../server/src/git/gitRunner.js';
import { hostileRepository } from '../support/hostile.js';
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
    for (const args of [['checkout', '.'], ['fetch'], ['commit', '-m', 'x'], ['status'], ['-c', 'core.pager=x', 'log'], ['config', 'core.fsmonitor', 'x'], ['config', '--get', 'a.b', '--add']]) {
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

  it('starts no git process in a folder outside any repository, and finds one made there later', async () => {
    const tools = new TempWorkspace();
    const space = new TempWorkspace();
    spaces.push(tools, space);
    // A stand-in git on PATH that records each start and answers like git.
    const log = tools.path('started.log');
    tools.write('bin/git', `#!/bin/sh\necho "$@" >> ${log}\nexec ${systemGit} "$@"\n`);
    chmodSync(tools.path('bin/git'), 0o755);
    const oldPath = process.env.PATH;
    process.env.PATH = [tools.path('bin'), oldPath].join(path.delimiter);
    try {
      space.write('a.txt', 'a\n');
      expect(await createGitRunner()(space.root, ['ls-files'])).toBeUndefined();
      expect(existsSync(log)).toBe(false);
      execFileSync(systemGit!, ['init', '-q'], { cwd: space.root });
      expect(await createGitRunner()(space.root, ['ls-files', '--others'])).toBe('a.txt\n');
      expect(readFileSync(log, 'utf8')).toContain('ls-files');
    } finally {
      process.env.PATH = oldPath;
    }
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
