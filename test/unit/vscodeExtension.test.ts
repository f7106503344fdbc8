/**
 * The VS Code extension's own logic, without VS Code (which cannot be
 * downloaded here): which server it starts, the arguments palette commands get,
 * and the status bar text.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCommandArguments } from '../../client-vscode/src/commandArgs.js';
import { computeFindingPicks } from '../../client-vscode/src/findingPicks.js';
import { chooseServer } from '../../client-vscode/src/serverPath.js';
import { computeStatus } from '../../client-vscode/src/status.js';
import { ALL_COMMANDS } from '../../server/src/protocol.js';

describe('VS Code extension', () => {
  const ext = '/ext';
  const bundled = path.join(ext, 'dist/server.mjs');
  const checkout = path.join('/', 'bin/deep-review-lsp.js');

  it('starts the configured server, else the bundled one, else the checkout\'s, else the command on PATH', () => {
    const all = (file: string) => [bundled, checkout].includes(file);
    expect(chooseServer('  /opt/drl/bin/deep-review-lsp.js ', ext, all)).toEqual({ kind: 'module', module: '/opt/drl/bin/deep-review-lsp.js', from: 'setting' });
    expect(chooseServer('', ext, all)).toEqual({ kind: 'module', module: bundled, from: 'bundled' });
    expect(chooseServer('', ext, (f) => f === checkout)).toEqual({ kind: 'module', module: checkout, from: 'checkout' });
    expect(chooseServer('', ext, () => false)).toEqual({ kind: 'command', command: 'deep-review-lsp' });
  });

  it('gives palette commands the finding under the cursor or the active file', () => {
    const here = { findingsAtCursor: ['.deep-review/r.json#I1', '.deep-review/r.json#S2'], fileUri: 'file:///w/src/a.ts' };
    for (const command of ['deepReview.dismiss', 'deepReview.accept', 'deepReview.reopen', 'deepReview.applyFix', 'deepReview.openReport']) {
      expect(computeCommandArguments(command, [], here)).toEqual({ args: [{ key: '.deep-review/r.json#I1' }] });
      expect(computeCommandArguments(command, [], { findingsAtCursor: [] })).toEqual({ error: 'Put the cursor on a deep-review finding first.' });
    }
    expect(computeCommandArguments('deepReview.newRound', [], here)).toEqual({ args: [{ file: 'file:///w/src/a.ts' }] });
    expect(computeCommandArguments('deepReview.applyAllFixes', [], { findingsAtCursor: [] })).toEqual({ args: [{}] });
    expect(computeCommandArguments('deepReview.listFindings', [], here)).toEqual({ args: [{ all: true }] });
    expect(computeCommandArguments('deepReview.reload', [], here)).toEqual({ args: [] });
    // A code action's command carries its own arguments: they are passed on untouched.
    expect(computeCommandArguments('deepReview.applyFix', [{ key: 'k', option: 2 }], here)).toEqual({ args: [{ key: 'k', option: 2 }] });
    // Every server command has an answer.
    for (const command of ALL_COMMANDS) expect(computeCommandArguments(command, [], here)).toHaveProperty('args');
  });

  it('counts only deep-review diagnostics in the status bar, by severity', () => {
    const status = computeStatus([
      { source: 'deep-review', severity: 1 },
      { source: 'deep-review', severity: 1 },
      { source: 'deep-review', severity: 2 },
      { source: 'eslint', severity: 0 },
      { severity: 0 },
    ]);
    expect(status).toEqual({ text: 'Deep Review $(warning) 2 $(info) 1', tooltip: '3 open deep-review finding(s): 2 warning, 1 information', count: 3 });
    expect(computeStatus([{ source: 'eslint', severity: 0 }])).toEqual({ text: '$(check) Deep Review', tooltip: 'No open deep-review findings', count: 0 });
  });

  it('lists findings from the palette most severe first, each leading to its place', () => {
    const picks = computeFindingPicks([
      { id: 'S1', severity: 'suggestion', title: 'small', uri: 'file:///w/a.ts', range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } } },
      { id: 'I1', severity: 'important', title: 'big', file: 'file:///w/b.ts', line: 10, round: 'PR #1 round 2' },
      { id: 'C1', severity: 'critical', title: 'worst', location: { uri: 'file:///w/c.ts', range: { start: { line: 0, character: 0 } } } },
      { id: 'X', severity: 'critical', title: 'no file' },
      'junk',
    ]);
    expect(picks).toEqual([
      { label: 'C1: worst', description: 'critical', detail: '/w/c.ts:1', uri: 'file:///w/c.ts', line: 0 },
      { label: 'I1: big', description: 'important · PR #1 round 2', detail: '/w/b.ts:10', uri: 'file:///w/b.ts', line: 9 },
      { label: 'S1: small', description: 'suggestion', detail: '/w/a.ts:5', uri: 'file:///w/a.ts', line: 4 },
    ]);
    expect(computeFindingPicks(null)).toEqual([]);
  });
});
