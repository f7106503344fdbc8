/**
 * Applying a fix in a real Neovim: a headless Neovim (0.7 or later) loads
 * client-neovim/deep_review.lua on a small workspace, asks for code actions with
 * its own vim.lsp.buf.code_action (the choice made in place of the user through
 * vim.ui.select), resolves and applies the edit, and the buffer changes; then the
 * finding says it is fixed in the working tree. Driven by neovim-driver.lua.
 *
 * Skipped without `nvim` on PATH, except with CI=true, where that fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NVIM, runNeovim, step, useTemporaryDirs } from '../support/neovim.js';
import { finding, review } from '../support/workspace.js';

const nvim = NVIM;
const temporary = useTemporaryDirs();

const GO = ['package app', '', 'func run() error {', '\tif err := step(); err != nil {', '\t\treturn err', '\t}', '\treturn nil', '}', ''].join('\n');

describe('Neovim applies a fix through its code action', () => {
  it('finds nvim, or says why this test does not run', (ctx) => {
    if (nvim) return;
    if (process.env.CI === 'true') throw new Error('nvim is not on PATH, and CI=true requires the Neovim client tests');
    ctx.skip('nvim is not on PATH: the Neovim fix test is skipped');
  });

  it.runIf(nvim)('changes the buffer, keeps its tabs, and the finding then says it is fixed in the working tree', () => {
    const root = path.join(temporary.make(), 'workspace');
    const write = (relative: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), text);
    };
    write('src/app.go', GO);
    const fix = { label: 'Fix', markdown: '', options: [], replacementCode: [], diffs: [{ format: 'plusminus' as const, text: '-        return err\n+        return fmt.Errorf("step: %w", err)' }] };
    write('.deep-review/r1.json', `${JSON.stringify(review(5, 1, [finding('I1', 'important', 'src/app.go', 5, 5, { title: 'Wrap the error', fix })]), null, 2)}\n`);

    const run = runNeovim(root, { via: 'module', setup: { settings: { deepReview: { debounceMs: 0 } } } }, [
      { op: 'edit', path: 'src/app.go' },
      { op: 'wait', name: 'finding', expect: ['src/app.go:5:I1'] },
      { op: 'code_action', name: 'apply', line: 5, title: 'Apply fix I1', expect: '\t\treturn fmt.Errorf("step: %w", err)' },
      { op: 'wait', name: 'fixed', expect: ['src/app.go:5:I1'], contains: 'fixed in working tree' },
    ]);
    const log = run.log;

    const apply = step(run, 'apply');
    // Other features offer their actions on the line too (open in report, triage, rounds): the fix is the one fix offered.
    expect(apply?.offered, log).toContain('Apply fix I1: Wrap the error');
    expect(apply?.offered?.filter((title) => title.startsWith('Apply fix') || title.startsWith('Apply all fixes')), log).toEqual(['Apply fix I1: Wrap the error']);
    expect(apply?.reached, log).toBe(true);
    expect(apply?.lines?.join('\n')).toBe(GO.replace('\t\treturn err', '\t\treturn fmt.Errorf("step: %w", err)').replace(/\n$/, ''));
    // The buffer took the edit; the file on disk is the user's to save.
    expect(readFileSync(path.join(root, 'src/app.go'), 'utf8')).toBe(GO);

    const fixed = step(run, 'fixed');
    expect(fixed?.reached, log).toBe(true);
    expect(fixed?.diagnostics?.[0]?.message).toBe('Wrap the error [Claude Opus 4.7] (PR #5 round 1) — fixed in working tree, awaiting re-review');
    expect(fixed?.diagnostics?.[0]?.severity).toBe(4);
  });
});
