/**
 * Hostile workspaces for tests: a git repository whose configuration names a
 * marker-writing script for every helper git knows, so a test can prove that
 * none of them ever runs.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import type { TempWorkspace } from './workspace.js';

/** Runs the system git in a test's repository, as the test's own set-up (never through the server). */
export function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' }).trim();
}

/** True when a system git is on PATH. */
export const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

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

