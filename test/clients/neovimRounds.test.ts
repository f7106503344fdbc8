/**
 * Triage and the next round in a real headless Neovim 0.7: a finding dismissed
 * through its code action (the reason picked from the server's prompt), then a
 * round started through the "Start review round" code action with the stand-in
 * round command; the new round's summary arrives and the dismissal carries over.
 * Skipped without `nvim` on PATH, except under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const nvim = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'nvim')).find((candidate) => existsSync(candidate));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** I1's title as code actions show it: cut at 60 characters. */
const I1_TITLE = '`retry` still retries 4xx answers that can never succeed (r…';

interface Results {
  asked: { message: string; actions: { title: string }[] }[];
  messages: string[];
  progress: string[];
  steps: { name: string; reached: boolean; diagnostics: string[] }[];
  actions?: string[];
  round?: { status?: string; summary?: string; error?: string };
  error?: string;
}

it.runIf(!nvim && process.env.CI !== 'true')('needs nvim on PATH (skipped without it)', (ctx) => {
  const why = 'nvim is not on PATH: the Neovim triage and round test is skipped (install Neovim 0.7 or later to run it)';
  console.warn(why);
  ctx.skip(why);
});

describe.runIf(nvim || process.env.CI === 'true')('Neovim: triage and the next round', () => {
  it('dismisses a finding through a code action and starts round 3 through another', () => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'deep-review-nvim-rounds-')));
    dirs.push(base);
    const root = path.join(base, 'workspace');
    cpSync(path.join(repo, 'examples/workspace'), root, { recursive: true });
    // Round 3, as the stand-in command will "produce" it: S1 fixed, I1 raised again.
    const round2 = JSON.parse(readFileSync(path.join(root, '.deep-review/20261103-150000-pr-12.json'), 'utf8')) as { round: unknown; date?: string; findings: { id: string }[] };
    round2.round = { number: 3 };
    round2.date = '2026-11-05T10:00';
    round2.findings = round2.findings.filter((f) => f.id !== 'S1');
    mkdirSync(path.join(root, 'incoming'));
    writeFileSync(path.join(root, 'incoming/round3.json'), JSON.stringify(round2));
    const home = path.join(base, 'home');
    const plan = {
      module: path.join(repo, 'client-neovim/deep_review.lua'),
      results: path.join(base, 'results.json'),
      timeoutMs: 10_000,
      file: 'src/util/retry.ts',
      line: 39,
      dismiss: 'I1',
      fixed: 'S1',
      dismissTitle: `Dismiss I1: ${I1_TITLE}`,
      startTitle: 'Start review round 3 of PR #12',
      setup: {
        cmd: [process.execPath, path.join(repo, 'bin/deep-review-lsp.js'), '--stdio'],
        settings: {
          deepReview: {
            debounceMs: 0,
            triageAuthor: 'nvim user',
            roundCommand: [process.execPath, path.join(repo, 'test/fixtures/round-command.mjs'), 'report', 'incoming/round3.json', '.deep-review/round{nextRound}.json'],
          },
        },
      },
    };
    writeFileSync(path.join(base, 'plan.json'), JSON.stringify(plan));
    const run = spawnSync(nvim!, ['--headless', '--clean', '-c', `luafile ${path.join(repo, 'test/clients/neovim-rounds.lua')}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 40_000,
      env: {
        ...process.env,
        DEEP_REVIEW_NVIM_PLAN: path.join(base, 'plan.json'),
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_DATA_HOME: path.join(home, 'data'),
        XDG_STATE_HOME: path.join(home, 'state'),
        XDG_CACHE_HOME: path.join(home, 'cache'),
      },
    });
    const log = `${run.status} ${run.stdout} ${run.stderr}`;
    expect(existsSync(plan.results), log).toBe(true);
    const results = JSON.parse(readFileSync(plan.results, 'utf8')) as Results;
    expect(results.error, log).toBeFalsy();
    expect(results.actions, JSON.stringify(results.actions)).toEqual(expect.arrayContaining([`Accept I1: ${I1_TITLE}`, plan.dismissTitle, plan.startTitle]));
    expect(results.asked[0]).toMatchObject({ message: `Dismiss I1: ${I1_TITLE}? Choose a reason`, actions: [{ title: 'false positive' }, { title: "won't fix" }, { title: 'later' }] });
    const steps = Object.fromEntries(results.steps.map((s) => [s.name, s]));
    for (const name of ['open', 'dismissed', 'round finished', 'summary', 'new round shown']) expect(steps[name]?.reached, `${name}: ${JSON.stringify(results)}`).toBe(true);
    expect(steps.dismissed!.diagnostics).not.toContain('39:I1');
    expect(results.round).toMatchObject({ status: 'finished' });
    expect(results.messages, JSON.stringify(results.messages)).toContain('Round 3: 1 important, 2 suggestions (1 dismissed earlier); 1 fixed since round 2' /* S4 is withdrawn */);
    expect(results.progress[0]).toBe('begin');
    expect(results.progress.at(-1)).toBe('end');
    // The dismissal carried over to round 3; S1 is gone.
    expect(steps['new round shown']!.diagnostics.some((d) => d.endsWith(':I1') || d.endsWith(':S1'))).toBe(false);
    const triage = JSON.parse(readFileSync(path.join(root, '.deep-review/triage.json'), 'utf8')) as { findings: Record<string, { state: string; reason: string; by: string; round: number }> };
    expect(Object.values(triage.findings)).toEqual([expect.objectContaining({ state: 'dismissed', reason: 'false positive', by: 'nvim user', round: 2 })]);
  });
});
