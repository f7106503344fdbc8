// The README's install: `npm install -g .` in a fresh clone puts a working command on the PATH (offline, from npm's cache).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/lspClient.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The files a fresh clone has: tracked and new ones, none that git ignores (no node_modules, no build output). */
function freshClone(): string {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const clone = mkdtempSync(path.join(tmpdir(), 'drl-clone-'));
  temps.push(clone);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const target = path.join(clone, file);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      copyFileSync(path.join(REPO_ROOT, file), target);
    } catch {
      // Listed but deleted in the working tree: a clone of the commit would not have it either.
    }
  }
  return clone;
}

/** The environment without the npm settings of an `npm test` this may run under. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

describe('install', () => {
  it('npm install -g . in a fresh clone installs a working deep-review-lsp', { timeout: 300_000 }, () => {
    const clone = freshClone();
    const prefix = mkdtempSync(path.join(tmpdir(), 'drl-prefix-'));
    temps.push(prefix);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const install = spawnSync(npm, ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '.'], {
      cwd: clone,
      encoding: 'utf8',
      env: cleanEnv(),
    });
    expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
    const bin = path.join(prefix, 'bin', 'deep-review-lsp');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const check = spawnSync(bin, ['check', path.join(clone, 'examples', 'workspace')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain('2 readable, 0 invalid; 5 finding(s) shown');
    // The README's quickfix tip: the command on the PATH, run in the workspace.
    const vimgrep = spawnSync('deep-review-lsp', ['findings', '--format', 'vimgrep'], {
      cwd: path.join(clone, 'examples', 'workspace'),
      encoding: 'utf8',
      env: { ...cleanEnv(), PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    expect(vimgrep.stdout).toMatch(/^src\/util\/retry\.ts:39:5:important I1: /m);
  });
});
