/**
 * The VS Code extension's own logic, without VS Code (which cannot be
 * downloaded here): which server it starts, the arguments palette commands get,
 * and the status bar text.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCommandArguments } from '../../client-vscode/src/commandArgs.js';
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
});
