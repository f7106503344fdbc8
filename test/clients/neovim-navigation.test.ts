/**
 * Hover and go-to-definition in a real headless Neovim: K on a finding's line
 * opens a float with its card, and go-to-definition on a citation in a report
 * file lands on the cited code. The driver (neovim-driver.lua with
 * neovim-navigation-steps.lua) records what Neovim showed.
 *
 * Needs `nvim` (0.7 or later) on PATH; without it the tests are skipped, except
 * with CI=true, where a missing nvim fails (neovim.test.ts says so).
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_REPORTS, corpusReports, needCorpus, quotedCodeLines } from '../support/corpusReports.js';
import { NVIM, REPO, runNeovim as runPlan, step, useTemporaryDirs, type Step, type StepRecord } from '../support/neovim.js';

const repo = REPO;
const navigationSteps = path.join(repo, 'test/clients/neovim-navigation-steps.lua');
const nvim = NVIM;
const temporary = useTemporaryDirs();

function freshRoot(): string {
  return path.join(temporary.make(), 'workspace');
}

/** Runs Neovim (the old entry, with the navigation steps) through the steps; each named step must have got there. */
function runNeovim(root: string, steps: Step[]): { step: (name: string) => StepRecord; log: string } {
  const run = runPlan(root, { via: 'module', setup: { settings: { deepReview: { debounceMs: 0 } } }, stepModules: [navigationSteps] }, steps);
  return {
    log: run.log,
    step: (name) => {
      const found = step(run, name);
      expect(found.reached, `step "${name}" did not get there\n${run.log}`).toBe(true);
      return found;
    },
  };
}

describe.runIf(nvim)('Neovim: hover and go to definition', () => {
  it('shows the finding card in a float on K, and jumps from a report citation to the cited code', () => {
    const root = freshRoot();
    cpSync(path.join(repo, 'examples/workspace'), root, { recursive: true });
    const report = '.deep-review/20261103-150000-pr-12.json';
    const run = runNeovim(root, [
      { op: 'edit', path: 'src/util/retry.ts' },
      { op: 'ready', name: 'ready' },
      { op: 'wait', name: 'diagnostics', expect: ['src/cache.ts:47:S3', 'src/server.ts:13:S2', 'src/server.ts:48:I2', 'src/util/retry.ts:39:I1', 'src/util/retry.ts:49:S1'] },
      { op: 'cursor', name: 'on I1', search: 'lastError = err;' },
      { op: 'hover', name: 'hover I1' },
      { op: 'edit', path: report },
      { op: 'ready', name: 'report ready' },
      { op: 'cursor', name: 'on the citation', search: '"path": "src/util/retry.ts"', offset: 10 },
      { op: 'definition', name: 'jump' },
    ]);
    const card = run.step('hover I1').lines!.join('\n');
    expect(card).toContain('I1 · Important');
    expect(card).toContain('`retry` still retries 4xx answers that can never succeed');
    expect(card).toContain('PR #12 · round 2 of 2');
    expect(card).toContain('History: R1');
    expect(card).toContain('Report: ');
    // Short enough to read in a float without scrolling through pages.
    expect(run.step('hover I1').lines!.length).toBeLessThanOrEqual(50);
    const jump = run.step('jump');
    expect(jump.file).toBe('src/util/retry.ts');
    expect(jump.line).toBe(39);
  });

  it('jumps from a shortened citation in a real Markdown report of PR #10637 to the cited line', (ctx) => {
    if (!needCorpus(ctx)) return;
    const root = freshRoot();
    mkdirSync(path.join(root, '.deep-review'), { recursive: true });
    const rounds = corpusReports(/-pr-10637\.md$/);
    for (const round of rounds) writeFileSync(path.join(root, '.deep-review', round.name), round.text);
    // Filler, with the code the rounds quote at the lines they cite (findings are placed by their quoted code).
    // Every other file the rounds cite exists too, so the reports carry no "no file" notes (the
    // wait below compares every diagnostic, and such notes may be published after the findings).
    const alsoCited = [
      'pkg/rancher-desktop/backend/kube/lima.ts',
      'pkg/rancher-desktop/pages/KubernetesError.vue',
      'pkg/rancher-desktop/pages/containers/ContainerInfo.vue',
      'pkg/rancher-desktop/components/ContainerStats.vue',
      'pkg/rancher-desktop/pages/volumes/files/_name.vue',
      'pkg/rancher-desktop/main/tray.ts',
      'pkg/rancher-desktop/components/DiagnosticsButtonRun.vue',
      'pkg/rancher-desktop/components/Preferences/navigateClick.ts',
      'background.ts',
    ];
    for (const file of ['pkg/rancher-desktop/window/preferences.ts', 'pkg/rancher-desktop/window/index.ts', 'pkg/rancher-desktop/config/private-label.js', ...alsoCited]) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), quotedCodeLines(rounds, file, 400));
    }
    expect(existsSync(CORPUS_REPORTS)).toBe(true);
    const run = runNeovim(root, [
      { op: 'edit', path: '.deep-review/20260719-173822-pr-10637.md' },
      { op: 'ready', name: 'ready' },
      // Round 4's findings published: the reports are read.
      { op: 'wait', name: 'read', expect: ['pkg/rancher-desktop/config/private-label.js:52:S2', 'pkg/rancher-desktop/window/preferences.ts:101:S1'] },
      { op: 'cursor', name: 'on the citation', search: 'window/index.ts:69', offset: 2 },
      { op: 'hover', name: 'hover citation' },
      { op: 'definition', name: 'jump' },
    ]);
    expect(run.step('hover citation').lines!.join('\n')).toContain('`window/index.ts:69` today: [pkg/rancher-desktop/window/index.ts:69]');
    const jump = run.step('jump');
    expect(jump.file).toBe('pkg/rancher-desktop/window/index.ts');
    expect(jump.line).toBe(69);
    expect(jump.text).toBe('// line 69');
  });
});
