/**
 * The Neovim plugin's side of the commands being built on other branches
 * (hover, fixes, triage, rounds, the report link, the findings list), run in a
 * real headless Neovim against contractServer.mjs, a language server that
 * answers as the argument contract of server/src/protocol.ts says. Each test
 * checks what the user sees and the exact request the plugin sent. Once the
 * features are merged, neovimPlugin.test.ts runs the same commands against the
 * real server.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NVIM, reached, runNeovim, step, useTemporaryDirs, type Step } from '../support/neovim.js';

const contractServer = fileURLToPath(new URL('./contractServer.mjs', import.meta.url));
const KEY = '.deep-review/r.json#I1';
const temporary = useTemporaryDirs();

interface Logged {
  method: string;
  params: { command?: string; arguments?: unknown[]; workDoneToken?: string; position?: { line: number } };
}

/** A workspace with a review directory and one source file; runs Neovim with the plugin on the contract server. */
function run(steps: Step[]) {
  const base = temporary.make();
  const root = path.join(base, 'workspace');
  mkdirSync(path.join(root, '.deep-review'), { recursive: true });
  writeFileSync(path.join(root, '.deep-review/r.json'), '{\n  "schemaVersion": 1,\n  "findings": []\n}\n');
  writeFileSync(path.join(root, 'a.ts'), 'line 1\nline 2\nline 3\n');
  const logFile = path.join(base, 'contract.log');
  process.env.CONTRACT_LOG = logFile;
  const result = runNeovim(root, { via: 'rtp', setup: { cmd: [process.execPath, contractServer] } }, [
    { op: 'edit', path: 'a.ts' },
    { op: 'wait', name: 'finding', expect: ['a.ts:2:I1'] },
    { op: 'search', text: 'line 2' },
    ...steps,
  ]);
  const logged = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Logged)
    : [];
  const commands = logged.filter((l) => l.method === 'workspace/executeCommand').map((l) => l.params);
  return { ...result, root, logged, commands };
}

const notified = (r: ReturnType<typeof run>) => r.results.notifications.map((n) => n.message);

describe.runIf(NVIM)('Neovim plugin against the command contract', { timeout: 120_000 }, () => {
  it('history: the hover card at the cursor in a float', () => {
    const r = run([
      { op: 'ex', command: 'DeepReview history' },
      { op: 'until', name: 'float', code: 'local f = DR.floats(); if #f > 0 then return f end' },
    ]);
    expect(reached<string[]>(r, 'float').join('\n')).toContain('promoted from suggestion by the orchestrator');
    expect(r.logged.find((l) => l.method === 'textDocument/hover')?.params.position?.line).toBe(1);
  });

  it('fix: deepReview.applyFix with the key of the finding at the cursor, and the edit the server sends is applied', () => {
    const r = run([
      { op: 'ex', command: 'DeepReview fix' },
      { op: 'until', name: 'fixed', code: "local t = DR.buffer().text; if t:find('fixed by I1', 1, true) then return t end" },
    ]);
    expect(reached<string>(r, 'fixed')).toBe('line 1\nfixed by I1\nline 2\nline 3');
    expect(r.commands).toEqual([{ command: 'deepReview.applyFix', arguments: [{ key: KEY }] }]);
  });

  it('dismiss, reopen and accept: the key and the reason; the finding is shown dismissed, then open again', () => {
    const r = run([
      { op: 'ex', command: 'DeepReview dismiss not a bug here' },
      { op: 'until', name: 'dismissed', code: 'local d = DR.snapshot()[1]; if d and d.severity == 4 then return d.message end' },
      { op: 'ex', command: 'DeepReview reopen' },
      { op: 'until', name: 'reopened', code: 'local d = DR.snapshot()[1]; if d and d.severity == 2 then return d.message end' },
      { op: 'ex', command: 'DeepReview accept' },
      { op: 'until', name: 'accepted', code: "for _, n in ipairs(DR.notifications) do if n.message == 'deep-review: I1 accepted' then return true end end" },
    ]);
    expect(reached(r, 'dismissed')).toBe('I1 title (PR #1 round 1) (dismissed)');
    reached(r, 'reopened');
    reached(r, 'accepted');
    expect(r.commands).toEqual([
      { command: 'deepReview.dismiss', arguments: [{ key: KEY, reason: 'not a bug here' }] },
      { command: 'deepReview.reopen', arguments: [{ key: KEY }] },
      { command: 'deepReview.accept', arguments: [{ key: KEY }] },
    ]);
    expect(notified(r)).toEqual(expect.arrayContaining(['deep-review: I1 dismissed', 'deep-review: I1 reopened']));
  });

  it('round and cancel: deepReview.newRound for the current file, its progress in :messages, then deepReview.cancelRound', () => {
    const r = run([
      { op: 'ex', command: 'DeepReview round' },
      { op: 'until', name: 'ended', code: "for _, n in ipairs(DR.notifications) do if n.message == 'deep-review: the review round has ended' then return DR.messages() end end" },
      { op: 'ex', command: 'DeepReview cancel' },
      { op: 'until', name: 'cancelled', code: "for _, n in ipairs(DR.notifications) do if n.message == 'deep-review: review round cancelled' then return true end end" },
    ]);
    const messages = reached<string>(r, 'ended');
    // Progress reaches Neovim only on the workDoneToken the plugin sent with the request.
    expect(messages).toContain('deep-review: Review round 2');
    expect(messages).toContain('deep-review: Review round 2 - done');
    expect(r.commands[0]).toEqual({ command: 'deepReview.newRound', arguments: [{ file: pathToFileURL(path.join(r.root, 'a.ts')).toString() }] });
    expect(r.commands[1]).toEqual({ command: 'deepReview.cancelRound', arguments: [{}] });
  });

  it('report: deepReview.openReport with the key, and the location it answers is opened', () => {
    const r = run([
      { op: 'ex', command: 'DeepReview report' },
      { op: 'until', name: 'report', code: "local b = DR.buffer(); if b.file == '.deep-review/r.json' then return b.line end" },
    ]);
    expect(reached<number>(r, 'report')).toBe(3);
    expect(r.commands).toEqual([{ command: 'deepReview.openReport', arguments: [{ key: KEY }] }]);
  });

  it('findings: deepReview.listFindings when the server offers it, as the quickfix list', () => {
    const r = run([
      { op: 'ex', command: 'DeepReview findings' },
      { op: 'until', name: 'quickfix', code: 'local q = DR.qflist(); if #q > 0 then return q end' },
      { op: 'lua', name: 'source', code: "return require('deep-review').session().last_findings_source" },
    ]);
    expect(reached(r, 'quickfix')).toEqual([{ file: 'a.ts', line: 2, type: 'W', text: 'I1: I1 title (PR #1 round 1)' }]);
    expect(step(r, 'source').value).toBe('listFindings');
    expect(r.commands).toEqual([{ command: 'deepReview.listFindings', arguments: [{ all: true }] }]);
  });

  it('says so when there is no finding at the cursor', () => {
    const r = run([
      { op: 'search', text: 'line 3' },
      { op: 'ex', command: 'DeepReview dismiss' },
      { op: 'ex', command: 'DeepReview fix' },
    ]);
    expect(notified(r).filter((m) => m === 'deep-review: no finding at the cursor')).toHaveLength(2);
    expect(r.commands).toEqual([]);
  });
});
