/**
 * The Neovim plugin, for real: a headless Neovim with client-neovim/ on
 * 'runtimepath' (as lazy.nvim, packer and vim-plug put it there) runs
 * require('deep-review').setup() and each :DeepReview subcommand on a fresh
 * copy of examples/workspace, one test per command.
 *
 * Commands that wrap a server feature (hover, fixes, triage, rounds, the report
 * link) first check that the server advertises it in its initialize result: a
 * server that stopped advertising one fails the test, with the reason.
 * Needs `nvim` on PATH, except under CI=true, where its absence fails (see
 * neovim.test.ts).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InitializeResult } from 'vscode-languageserver-protocol';
import { startClient } from '../support/lspClient.js';
import { copyExample, NVIM, PLUGIN_DIR, SERVER_ENTRY, reached, runNeovim, step, useTemporaryDirs, waited, type Step } from '../support/neovim.js';

const ROUND2 = '.deep-review/20261103-150000-pr-12.json';
const LATEST = ['src/cache.ts:47:S3', 'src/server.ts:13:S2', 'src/server.ts:48:I2', 'src/util/retry.ts:39:I1', 'src/util/retry.ts:49:S1'];

/** What the server advertises in its initialize result (the same server Neovim starts). */
async function advertised(): Promise<InitializeResult['capabilities']> {
  // Spawned, so its shutdown cannot leave a request of the server pending in this process.
  const client = await startClient({ folders: [], waitForScan: false, spawn: true });
  try {
    return client.initializeResult!.capabilities;
  } finally {
    await client.close();
  }
}
const capabilities = await advertised();
const commands = capabilities.executeCommandProvider?.commands ?? [];

/** A test of a command wrapping a server feature: the server must advertise it (the plugin checks the same). */
function guarded(name: string, needs: { command?: string; capability?: 'hoverProvider' }, body: () => void) {
  const missing = needs.command && !commands.includes(needs.command) ? `the command ${needs.command}` : needs.capability && !capabilities[needs.capability] ? `${needs.capability}` : undefined;
  it(name, () => {
    expect(missing, `the server does not advertise ${missing} in its initialize result`).toBeUndefined();
    body();
  });
}

const temporary = useTemporaryDirs();

/** Runs Neovim with the plugin set up with `setup` (no debounce unless given). */
function run(root: string, setup: Record<string, unknown>, steps: Step[]) {
  return runNeovim(root, { via: 'rtp', setup: { debounceMs: 0, ...setup } }, steps);
}

const notified = (r: ReturnType<typeof run>) => r.results.notifications.map((n) => n.message);
const cursorLine = 'return vim.api.nvim_win_get_cursor(0)[1]';

describe.runIf(NVIM)('Neovim plugin (client-neovim/ on runtimepath)', { timeout: 120_000 }, () => {
  it('completes :DeepReview subcommands and refuses an unknown one by name', () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'lua', name: 'all', code: "return vim.fn.getcompletion('DeepReview ', 'cmdline')" },
      { op: 'lua', name: 're', code: "return vim.fn.getcompletion('DeepReview re', 'cmdline')" },
      { op: 'ex', command: 'DeepReview frobnicate', name: 'unknown' },
    ]);
    expect(step(r, 'all').value).toEqual(['findings', 'next', 'prev', 'fix', 'history', 'dismiss', 'accept', 'reopen', 'round', 'cancel', 'report', 'reload']);
    expect(step(r, 're').value).toEqual(['reopen', 'report', 'reload']);
    expect(notified(r)).toContain(
      'deep-review: unknown subcommand "frobnicate"; one of: findings, next, prev, fix, history, dismiss, accept, reopen, round, cancel, report, reload',
    );
  });

  it('setup() maps plain options to server settings and attaches to buffers of every file type', () => {
    const root = copyExample(temporary.make());
    writeFileSync(path.join(root, 'NOTES'), 'no file type\n');
    const r = run(root, { rounds: 'all', minimumSeverity: 'important' }, [
      { op: 'edit', path: 'NOTES', name: 'no filetype' },
      { op: 'wait', name: 'all rounds, important and above', expect: ['src/server.ts:48:I2', 'src/util/retry.ts:39:I1', 'src/util/retry.ts:39:I2'] },
      { op: 'lua', name: 'settings', code: "return require('deep-review').session().clients()[1].config.settings" },
    ]);
    expect(step(r, 'no filetype').clients).toEqual(['deep-review']);
    waited(r, 'all rounds, important and above');
    expect(step(r, 'settings').value).toEqual({ deepReview: { debounceMs: 0, rounds: 'all', minimumSeverity: 'important' } });
  });

  it(':DeepReview findings fills the quickfix list with every open finding, most severe first (report problems are not findings)', () => {
    const root = copyExample(temporary.make());
    // A broken report: its problem is a diagnostic on the report file, not a finding.
    writeFileSync(path.join(root, '.deep-review/broken.json'), '{"schemaVersion": 1,');
    const r = run(root, {}, [
      { op: 'edit', path: 'src/cache.ts' },
      { op: 'until', name: 'problem', code: "for _, d in ipairs(DR.snapshot()) do if d.file == '.deep-review/broken.json' then return true end end" },
      { op: 'until', name: 'latest', code: "local n = 0; for _, d in ipairs(DR.snapshot()) do if not d.file:find('.deep-review/', 1, true) then n = n + 1 end end; return n == 5" },
      { op: 'ex', command: 'DeepReview findings', name: 'findings' },
      { op: 'until', name: 'quickfix', code: 'local q = DR.qflist(); if #q == 5 then return q end' },
      { op: 'lua', name: 'source', code: "return require('deep-review').session().last_findings_source" },
      { op: 'lua', name: 'title', code: "return vim.fn.getqflist({ title = 1 }).title" },
    ]);
    expect(step(r, 'findings').ok).toBe(true);
    const items = reached<{ file: string; line: number; type: string; text: string }[]>(r, 'quickfix');
    expect(items.map((i) => `${i.file}:${i.line}:${i.type}`)).toEqual([
      'src/server.ts:48:W',
      'src/util/retry.ts:39:W',
      'src/cache.ts:47:I',
      'src/server.ts:13:I',
      'src/util/retry.ts:49:I',
    ]);
    expect(items[1]!.text).toContain('I1');
    expect(items[1]!.text).toContain('`retry` still retries 4xx answers that can never succeed');
    expect(step(r, 'title').value).toBe('Deep Review findings');
    // From the server's list when it offers one, else from the diagnostics it published.
    expect(step(r, 'source').value).toBe(commands.includes('deepReview.listFindings') ? 'listFindings' : 'diagnostics');
  });

  it(':DeepReview next and prev jump between findings, wrapping around', () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'edit', path: 'src/server.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'search', text: 'import' },
      { op: 'ex', command: 'DeepReview next' },
      { op: 'lua', name: 'first', code: cursorLine },
      { op: 'ex', command: 'DeepReview next' },
      { op: 'lua', name: 'second', code: cursorLine },
      { op: 'ex', command: 'DeepReview next' },
      { op: 'lua', name: 'wrapped', code: cursorLine },
      { op: 'ex', command: 'DeepReview prev' },
      { op: 'lua', name: 'back', code: cursorLine },
    ]);
    expect([step(r, 'first').value, step(r, 'second').value, step(r, 'wrapped').value, step(r, 'back').value]).toEqual([13, 48, 13, 48]);
  });

  it('shows signs and virtual text, and leaves them out when configured so', () => {
    const signs = 'local b = vim.api.nvim_get_current_buf(); return #vim.fn.sign_getplaced(b, { group = "*" })[1].signs';
    const config = "local c = require('deep-review').session().clients()[1]; local o = vim.diagnostic.config(nil, vim.lsp.diagnostic.get_namespace(c.id)); return { signs = o.signs and true or false, virtual_text = o.virtual_text and true or false }";
    const steps: Step[] = [
      { op: 'edit', path: 'src/server.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'until', name: 'signs', code: `local n = (function() ${signs} end)(); if n > 0 then return n end` },
      { op: 'lua', name: 'config', code: config },
    ];
    const on = run(copyExample(temporary.make()), {}, steps);
    expect(reached<number>(on, 'signs')).toBe(2);
    expect(step(on, 'config').value).toEqual({ signs: true, virtual_text: true });

    const off = run(copyExample(temporary.make()), { diagnostics: { signs: false, virtual_text: false } }, [
      ...steps.slice(0, 2),
      { op: 'lua', name: 'signs', code: signs },
      { op: 'lua', name: 'config', code: config },
    ]);
    expect(step(off, 'signs').value).toBe(0);
    expect(step(off, 'config').value).toEqual({ signs: false, virtual_text: false });
  });

  it(':DeepReview reload re-reads the review files at once', () => {
    const root = copyExample(temporary.make());
    const review = JSON.parse(readFileSync(path.join(root, ROUND2), 'utf8')) as { findings: { id: string }[] };
    review.findings = review.findings.filter((f) => f.id === 'I1');
    const r = run(root, { debounceMs: 60_000 }, [
      { op: 'edit', path: 'src/server.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      // With a minute's debounce the server would not read this change during the test by itself.
      { op: 'write', path: ROUND2, text: `${JSON.stringify(review, null, 2)}\n` },
      { op: 'ex', command: 'DeepReview reload' },
      { op: 'wait', name: 'reloaded', expect: ['src/util/retry.ts:39:I1'] },
      { op: 'until', name: 'told', code: "for _, n in ipairs(DR.notifications) do if n.message == 'deep-review: review files reloaded' then return true end end" },
    ]);
    waited(r, 'reloaded');
    reached(r, 'told');
  });

  it(':checkhealth deep-review reports the server and its version, the review directory and what was read', () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'edit', path: 'src/server.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      // The server says what it read (deepReview/reportsRead) just after publishing.
      { op: 'until', name: 'read', code: "local s = require('deep-review').session(); return s.reports_read(s.clients()[1].id) == 2" },
      { op: 'ex', command: 'checkhealth deep-review', name: 'checkhealth' },
      { op: 'lua', name: 'report', code: 'return DR.buffer().text' },
    ]);
    expect(step(r, 'checkhealth').ok, String(step(r, 'checkhealth').error)).toBe(true);
    const report = String(step(r, 'report').value);
    expect(report).toContain(`deep-review-lsp 0.1.0 found: \`${process.execPath} ${SERVER_ENTRY} --stdio\``);
    expect(report).toContain(`${root}/.deep-review holds 2 report file(s)`);
    expect(report).toContain(`deep-review-lsp 0.1.0 on ${root}: 5 finding(s) shown`);
    expect(report).toContain('the server has read 2 report file(s)');
    expect(report).toContain('no problems in report files');
    expect(report).not.toMatch(/ERROR/);
  });

  it(':checkhealth deep-review says when the server command is missing', () => {
    const root = copyExample(temporary.make());
    const r = run(root, { cmd: ['no-such-deep-review-lsp', '--stdio'] }, [
      { op: 'edit', path: 'src/server.ts' },
      { op: 'ex', command: 'checkhealth deep-review' },
      { op: 'lua', name: 'report', code: 'return DR.buffer().text' },
    ]);
    const report = String(step(r, 'report').value);
    expect(report).toMatch(/ERROR:? `no-such-deep-review-lsp` is not executable/);
    expect(notified(r)).toContain('deep-review: `no-such-deep-review-lsp` is not executable; install deep-review-lsp or set cmd in setup()');
  });

  it(':help deep-review: the help file\'s tags are valid and every subcommand has one', () => {
    const root = copyExample(temporary.make());
    const docs = path.join(path.dirname(root), 'docs');
    mkdirSync(docs);
    cpSync(path.join(PLUGIN_DIR, 'doc'), path.join(docs, 'doc'), { recursive: true });
    const r = run(root, {}, [
      // :helptags fails on a duplicate tag, as plugin managers' help generation does.
      { op: 'ex', command: `helptags ${path.join(docs, 'doc')}`, name: 'helptags' },
      { op: 'ex', command: `set runtimepath+=${docs}` },
      { op: 'ex', command: 'help deep-review', name: 'help' },
      { op: 'lua', name: 'opened', code: 'return vim.fn.expand("%:t") .. ":" .. vim.fn.getline(".")' },
    ]);
    expect(step(r, 'helptags').ok, String(step(r, 'helptags').error)).toBe(true);
    expect(step(r, 'help').ok, String(step(r, 'help').error)).toBe(true);
    expect(String(step(r, 'opened').value)).toMatch(/^deep-review\.txt:.*\*deep-review\*/);
    const tags = readFileSync(path.join(docs, 'doc/tags'), 'utf8').split('\n').map((line) => line.split('\t')[0]);
    for (const name of ['findings', 'next', 'prev', 'fix', 'history', 'dismiss', 'accept', 'reopen', 'round', 'cancel', 'report', 'reload']) {
      expect(tags, `:DeepReview-${name}`).toContain(`:DeepReview-${name}`);
    }
    for (const tag of ['deep-review-setup', 'deep-review-options', 'deep-review-health', ':DeepReview']) expect(tags).toContain(tag);
  });

  guarded(':DeepReview history shows the hover card of the finding at the cursor in a float', { capability: 'hoverProvider' }, () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'edit', path: 'src/util/retry.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'search', text: 'lastError = err;' },
      { op: 'ex', command: 'DeepReview history' },
      { op: 'until', name: 'float', code: 'local f = DR.floats(); if #f > 0 then return f end' },
    ]);
    const floats = reached<string[]>(r, 'float');
    expect(floats.join('\n')).toContain('still retries 4xx answers that can never succeed');
  });

  guarded(':DeepReview fix applies the fix of the finding at the cursor', { command: 'deepReview.applyFix' }, () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'edit', path: 'src/util/retry.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'search', text: 'lastError = err;' },
      { op: 'ex', command: 'DeepReview fix' },
      { op: 'until', name: 'fixed', code: "local t = DR.buffer().text; if t:find('const permanent', 1, true) then return t end" },
    ]);
    const text = reached<string>(r, 'fixed');
    expect(text).toContain('if (permanent || attempt === options.attempts) break;');
  });

  guarded(':DeepReview dismiss hides the finding at the cursor, with the reason given', { command: 'deepReview.dismiss' }, () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'edit', path: 'src/util/retry.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'search', text: 'lastError = err;' },
      { op: 'ex', command: 'DeepReview dismiss retries are wanted here' },
      // Gone, or shown as no longer open (a hint): either way no longer a warning.
      {
        op: 'until',
        name: 'dismissed',
        code: "for _, d in ipairs(DR.snapshot()) do if d.code == 'I1' and d.severity < 4 then return nil end end; return true",
      },
    ]);
    reached(r, 'dismissed');
    expect(notified(r)).toContain('deep-review: I1 dismissed');
    expect(notified(r).filter((m) => m.includes('failed'))).toEqual([]);
  });

  guarded(':DeepReview accept records the finding at the cursor as accepted', { command: 'deepReview.accept' }, () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'edit', path: 'src/util/retry.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'search', text: 'lastError = err;' },
      { op: 'ex', command: 'DeepReview accept' },
      { op: 'until', name: 'accepted', code: "for _, n in ipairs(DR.notifications) do if n.message:find('accepted', 1, true) or n.message:find('failed', 1, true) then return n.message end end" },
    ]);
    expect(reached<string>(r, 'accepted')).toBe('deep-review: I1 accepted');
  });

  guarded(':DeepReview round starts the next round and shows its progress', { command: 'deepReview.newRound' }, () => {
    const root = copyExample(temporary.make());
    // The round command the user configures: here a script that writes round 3 with only I1.
    const review = JSON.parse(readFileSync(path.join(root, ROUND2), 'utf8')) as { round: unknown; findings: { id: string }[] };
    review.round = { number: 3 };
    review.findings = review.findings.filter((f) => f.id === 'I1');
    const script = path.join(path.dirname(root), 'round.js');
    writeFileSync(
      script,
      `require('fs').writeFileSync(${JSON.stringify(path.join(root, '.deep-review/20261105-090000-pr-12.json'))}, ${JSON.stringify(JSON.stringify(review))});\n`,
    );
    const r = run(root, { roundCommand: [process.execPath, script] }, [
      { op: 'edit', path: 'src/util/retry.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'ex', command: 'DeepReview round' },
      { op: 'wait', name: 'round 3', expect: ['src/util/retry.ts:39:I1'] },
      { op: 'until', name: 'ended', code: "for _, n in ipairs(DR.notifications) do if n.message == 'deep-review: the review round has ended' then return DR.messages() end end" },
    ]);
    expect(waited(r, 'round 3')[0]?.message).toContain('PR #12 round 3');
    // The server's progress, as echoed into :messages by the plugin.
    expect(reached<string>(r, 'ended')).toMatch(/deep-review: .+ - done/);
  });

  guarded(':DeepReview report opens the report at the finding under the cursor', { command: 'deepReview.openReport' }, () => {
    const root = copyExample(temporary.make());
    const r = run(root, {}, [
      { op: 'edit', path: 'src/util/retry.ts' },
      { op: 'wait', name: 'latest', expect: LATEST },
      { op: 'search', text: 'lastError = err;' },
      { op: 'ex', command: 'DeepReview report' },
      { op: 'until', name: 'report', code: `local b = DR.buffer(); if b.file == '${ROUND2}' then return b.line end` },
    ]);
    expect(reached<number>(r, 'report')).toBeGreaterThan(1);
  });
});
