import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { BIN, REPO_ROOT } from '../support/lspClient.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.dispose();
  ws = undefined;
});

function run(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function sample(): TempWorkspace {
  ws = new TempWorkspace();
  ws.write('src/a.ts', numberedLines(20));
  ws.write('.deep-review/r1.json', review(5, 1, [finding('I1', 'important', 'src/a.ts', 3), finding('S1', 'suggestion', 'src/a.ts', 9)]));
  ws.write('.deep-review/r2.json', review(5, 2, [finding('C1', 'critical', 'src/a.ts', 12, 14)]));
  return ws;
}

describe('command line', () => {
  it('--version and --help', () => {
    expect(run(['--version']).out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('deep-review-lsp --stdio');
    expect(help.out).toContain('findings [DIR] [--format vimgrep|json]');
  });

  it('check lists the open findings of the latest rounds and exits 0', () => {
    const w = sample();
    const { code, out } = run(['check', w.root]);
    expect(code).toBe(0);
    expect(out).toContain('src/a.ts:12:1  critical  C1  PR #5 round 2  C1 title');
    expect(out).not.toContain('I1 title');
    expect(out).toContain('2 report file(s)');
    expect(out).toContain('2 readable, 0 invalid; 1 finding(s) shown');
  });

  it('check accepts the review directory itself, and exits 1 with located messages on an invalid file', () => {
    const w = sample();
    w.write('.deep-review/broken.json', '{"schemaVersion": 1,');
    const { code, err, out } = run(['check', w.path('.deep-review')]);
    expect(code).toBe(1);
    expect(err).toContain('.deep-review/broken.json:1:21: error: Invalid JSON:');
    expect(out).toContain('1 invalid');
  });

  it('findings --format vimgrep and json', () => {
    const w = sample();
    const vimgrep = run(['findings', '--format', 'vimgrep'], w.root);
    expect(vimgrep.out.trim().split('\n')).toEqual(['src/a.ts:12:1:critical C1: C1 title (PR #5 round 2)']);
    const json = JSON.parse(run(['findings', w.root, '--format', 'json']).out);
    expect(json).toEqual([
      expect.objectContaining({ file: 'src/a.ts', line: 12, severity: 'critical', id: 'C1', key: '.deep-review/r2.json#C1', report: '.deep-review/r2.json' }),
    ]);
  });

  it('usage errors say what is wrong and exit 2', () => {
    expect(run(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command "frobnicate"') });
    expect(run(['--bogus'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--bogus'") });
    expect(run(['findings', '.', '--format', 'xml'])).toMatchObject({ code: 2, err: expect.stringContaining('Unknown format "xml"') });
    expect(run(['check', '/does/not/exist'])).toMatchObject({ code: 1, err: expect.stringContaining('/does/not/exist is not a directory') });
  });

  it('the README demo starts the server on the example workspace and lists what it publishes', () => {
    const demo = spawnSync(process.execPath, [path.join(REPO_ROOT, 'examples/demo.js')], { encoding: 'utf8' });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('src/util/retry.ts\n    39:5  warning  I1  `retry` still retries 4xx answers');
    expect(demo.stdout).toContain('5 diagnostic(s) published.');
  });
});
