/**
 * Applying a fix in a real Neovim: a headless Neovim (0.7 or later) loads
 * client-neovim/deep_review.lua on a small workspace, asks for code actions with
 * its own vim.lsp.buf.code_action (the choice made in place of the user through
 * vim.ui.select), resolves and applies the edit, and the buffer changes; then the
 * finding says it is fixed in the working tree. Driven by neovim-driver.lua.
 *
 * Skipped without `nvim` on PATH, except with CI=true, where that fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { finding, review } from '../support/workspace.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const driver = path.join(repo, 'test/clients/neovim-driver.lua');
const clientModule = path.join(repo, 'client-neovim/deep_review.lua');
const serverEntry = path.join(repo, 'bin/deep-review-lsp.js');

interface StepRecord {
  op: string;
  name: string;
  reached?: boolean;
  offered?: string[];
  lines?: string[];
  diagnostics?: { file: string; line: number; code: string; severity: number; message: string }[];
}

const nvim = (process.env.PATH ?? '')
  .split(path.delimiter)
  .map((dir) => path.join(dir, 'nvim'))
  .find((candidate) => existsSync(candidate));
const temporaryDirs: string[] = [];
afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const GO = ['package app', '', 'func run() error {', '\tif err := step(); err != nil {', '\t\treturn err', '\t}', '\treturn nil', '}', ''].join('\n');

describe('Neovim applies a fix through its code action', () => {
  it('finds nvim, or says why this test does not run', (ctx) => {
    if (nvim) return;
    if (process.env.CI === 'true') throw new Error('nvim is not on PATH, and CI=true requires the Neovim client tests');
    ctx.skip('nvim is not on PATH: the Neovim fix test is skipped');
  });

  it.runIf(nvim)('changes the buffer, keeps its tabs, and the finding then says it is fixed in the working tree', () => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'deep-review-nvim-fix-')));
    temporaryDirs.push(base);
    const root = path.join(base, 'workspace');
    const write = (relative: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), text);
    };
    write('src/app.go', GO);
    const fix = { label: 'Fix', markdown: '', options: [], replacementCode: [], diffs: [{ format: 'plusminus' as const, text: '-        return err\n+        return fmt.Errorf("step: %w", err)' }] };
    write('.deep-review/r1.json', `${JSON.stringify(review(5, 1, [finding('I1', 'important', 'src/app.go', 5, 5, { title: 'Wrap the error', fix })]), null, 2)}\n`);

    const home = path.join(base, 'home');
    const plan = {
      root,
      module: clientModule,
      results: path.join(base, 'results.json'),
      timeoutMs: 10_000,
      setup: { cmd: [process.execPath, serverEntry, '--stdio'], settings: { deepReview: { debounceMs: 0 } } },
      steps: [
        { op: 'edit', path: 'src/app.go' },
        { op: 'wait', name: 'finding', expect: ['src/app.go:5:I1'] },
        { op: 'code_action', name: 'apply', line: 5, title: 'Apply fix I1', expect: '\t\treturn fmt.Errorf("step: %w", err)' },
        { op: 'wait', name: 'fixed', expect: ['src/app.go:5:I1'], contains: 'fixed in working tree' },
      ],
    };
    const planFile = path.join(base, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const run = spawnSync(nvim!, ['--headless', '--clean', '-c', 'lua dofile(os.getenv("DEEP_REVIEW_NVIM_DRIVER"))'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 25_000,
      env: {
        ...process.env,
        DEEP_REVIEW_NVIM_DRIVER: driver,
        DEEP_REVIEW_NVIM_PLAN: planFile,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_DATA_HOME: path.join(home, 'data'),
        XDG_STATE_HOME: path.join(home, 'state'),
        XDG_CACHE_HOME: path.join(home, 'cache'),
      },
    });
    const lspLog = path.join(home, 'cache/nvim/lsp.log');
    const log = [`nvim exit ${run.status}`, run.stdout, run.stderr, existsSync(lspLog) ? readFileSync(lspLog, 'utf8') : ''].join('\n');
    expect(existsSync(plan.results), log).toBe(true);
    const results = JSON.parse(readFileSync(plan.results, 'utf8')) as { steps: StepRecord[]; error?: string };
    expect(results.error, log).toBeUndefined();
    const step = (name: string) => results.steps.find((s) => s.name === name);

    const apply = step('apply');
    // Other features offer their actions on the line too (open in report, triage, rounds): the fix is the one fix offered.
    expect(apply?.offered, log).toContain('Apply fix I1: Wrap the error');
    expect(apply?.offered?.filter((title) => title.startsWith('Apply fix') || title.startsWith('Apply all fixes')), log).toEqual(['Apply fix I1: Wrap the error']);
    expect(apply?.reached, log).toBe(true);
    expect(apply?.lines?.join('\n')).toBe(GO.replace('\t\treturn err', '\t\treturn fmt.Errorf("step: %w", err)').replace(/\n$/, ''));
    // The buffer took the edit; the file on disk is the user's to save.
    expect(readFileSync(path.join(root, 'src/app.go'), 'utf8')).toBe(GO);

    const fixed = step('fixed');
    expect(fixed?.reached, log).toBe(true);
    expect(fixed?.diagnostics?.[0]?.message).toBe('Wrap the error [Claude Opus 4.7] (PR #5 round 1) — fixed in working tree, awaiting re-review');
    expect(fixed?.diagnostics?.[0]?.severity).toBe(4);
    expect(run.status, log).toBe(0);
  });
});
