// Fix code actions and commands over real JSON-RPC: lazy resolve, disabled actions with reasons, apply through workspace/applyEdit, apply-all without conflicts, new files, and nothing ever outside the workspace.
import { symlinkSync, writeFileSync, readFileSync, existsSync, mkdtempSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag, type CodeAction, type ClientCapabilities, type Diagnostic } from 'vscode-languageserver-protocol';
import { defaultCapabilities, type TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, review } from '../support/workspace.js';

const sessions = useSessions();

const GO = ['package app', '', 'func run() error {', '\tif err := step(); err != nil {', '\t\treturn err', '\t}', '\treturn nil', '}', ''].join('\n');

/** A modern client: resolves edits lazily, shows disabled actions, takes versioned edits and file operations. */
function fullCapabilities(): ClientCapabilities {
  const caps = defaultCapabilities();
  return {
    ...caps,
    workspace: { ...caps.workspace, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'delete'] } },
    textDocument: { ...caps.textDocument, codeAction: { resolveSupport: { properties: ['edit'] }, disabledSupport: true, dataSupport: true } },
  };
}

/** An older client: no resolve, no disabled actions, plain `changes` edits. */
function plainCapabilities(): ClientCapabilities {
  const caps = defaultCapabilities();
  return { ...caps, workspace: { ...caps.workspace, applyEdit: true } };
}

function diff(text: string, format: 'plusminus' | 'unified-context' | 'git-patch' = 'plusminus') {
  return { fix: { label: 'Fix', markdown: '', options: [], diffs: [{ format, text }], replacementCode: [] } };
}

async function start(files: Record<string, string | object>, capabilities = fullCapabilities()) {
  const w = sessions.workspace(files);
  const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 }, capabilities });
  return { w, c };
}

function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  if (line === -1) throw new Error(`no ${needle}`);
  return line;
}

/** The fix actions at a line: other features (open in report, triage, rounds) contribute their own actions there too. */
async function actionsAt(c: TestClient, file: string, line: number, diagnostics: Diagnostic[] = c.diagnosticsFor(file)): Promise<CodeAction[]> {
  const all = await c.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri: pathToFileURL(file).toString() },
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    context: { diagnostics: diagnostics.filter((d) => d.range.start.line <= line && line <= d.range.end.line) },
  });
  return all.filter((a) => a.title.startsWith('Apply fix') || a.title.startsWith('Apply all fixes'));
}

describe('fix code actions', () => {
  it('offers the fix lazily, resolves a versioned edit, applies it through workspace/applyEdit and then says the finding is fixed', async () => {
    const { w, c } = await start({
      'src/app.go': GO,
      '.deep-review/r1.json': review(5, 1, [finding('I1', 'important', 'src/app.go', 5, 5, { title: 'Wrap the error', ...diff('-        return err\n+        return fmt.Errorf("step: %w", err)') })]),
    });
    const file = w.path('src/app.go');
    await c.open(file, GO, 'go');
    const [action, ...rest] = await actionsAt(c, file, lineOf(GO, 'return err'));
    expect(rest).toEqual([]);
    expect(action).toMatchObject({ title: 'Apply fix I1: Wrap the error', kind: 'quickfix', isPreferred: true, data: { resolver: 'fixes', kind: 'one', key: '.deep-review/r1.json#I1', option: 0 } });
    expect(action!.edit).toBeUndefined();
    expect(action!.diagnostics?.map((d) => d.code)).toEqual(['I1']);

    const resolved = await c.request<CodeAction>('codeAction/resolve', action);
    expect(resolved.edit).toEqual({
      documentChanges: [
        {
          textDocument: { uri: pathToFileURL(file).toString(), version: 1 },
          edits: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, newText: '\t\treturn fmt.Errorf("step: %w", err)\n' }],
        },
      ],
    });

    const result = await c.request('workspace/executeCommand', { command: 'deepReview.applyFix', arguments: [{ key: '.deep-review/r1.json#I1' }] });
    expect(result).toEqual({ key: '.deep-review/r1.json#I1', files: [pathToFileURL(file).toString()] });
    expect(c.textOf(file)).toBe(GO.replace('\t\treturn err', '\t\treturn fmt.Errorf("step: %w", err)'));
    expect(readFileSync(file, 'utf8')).toBe(GO); // the open buffer took the edit, not the disk

    const [fixed] = await c.waitForDiagnostics(file, (d) => String(d[0]?.message).includes('fixed in working tree') ?? false);
    expect(fixed!.message).toBe('Wrap the error [Claude Opus 4.7] (PR #5 round 1) — fixed in working tree, awaiting re-review');
    expect(fixed!.severity).toBe(DiagnosticSeverity.Hint);
    expect(fixed!.tags).toEqual([DiagnosticTag.Unnecessary]);
    const [again] = await actionsAt(c, file, lineOf(GO, 'return err'));
    expect(again).toMatchObject({ title: 'Apply fix I1: Wrap the error', disabled: { reason: 'Fix already applied (fixed in working tree, awaiting re-review)' } });
  });

  it('shows a fix that cannot apply as disabled with the reason, and refuses it as a command', async () => {
    const twice = GO + 'func other() error {\n\treturn nil\n}\n';
    const { w, c } = await start({
      'src/app.go': twice,
      '.deep-review/r1.json': review(5, 1, [
        finding('I1', 'important', 'src/app.go', 3, 3, { title: 'Gone', ...diff('-\treturn errGone\n+\treturn errNew') }),
        finding('I2', 'important', 'src/app.go', 3, 3, { title: 'Twice', ...diff('-\treturn nil\n+\treturn errDone') }),
      ]),
    });
    const file = w.path('src/app.go');
    const actions = await actionsAt(c, file, 2);
    expect(actions.map((a) => [a.title, a.disabled?.reason])).toEqual([
      ['Apply fix I1: Gone', 'Fix no longer applies: the code it changes is no longer there'],
      ['Apply fix I2: Twice', 'Fix cannot be applied: ambiguous: 2 places match'],
    ]);
    await expect(c.request('workspace/executeCommand', { command: 'deepReview.applyFix', arguments: [{ key: '.deep-review/r1.json#I1' }] })).rejects.toThrow(
      'Fix I1 cannot be applied: the code it changes is no longer there',
    );
    await expect(c.request('workspace/executeCommand', { command: 'deepReview.applyFix', arguments: [{ key: 'nope#I9' }] })).rejects.toThrow('No finding nope#I9 is shown');
    await expect(c.request('workspace/executeCommand', { command: 'deepReview.applyFix', arguments: [{}] })).rejects.toThrow('deepReview.applyFix needs [{ key, option? }]');
    expect(c.appliedEdits).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(twice);
  });

  it('gives older clients the edit at once, in `changes`, and leaves out what cannot apply', async () => {
    const { w, c } = await start(
      {
        'src/app.go': GO,
        '.deep-review/r1.json': review(5, 1, [
          finding('I1', 'important', 'src/app.go', 7, 7, { title: 'Return done', ...diff(' \t}\n-\treturn nil\n+\treturn done()', 'unified-context') }),
          finding('I2', 'important', 'src/app.go', 7, 7, { title: 'Gone', ...diff('-\treturn errGone\n+\treturn errNew') }),
        ]),
      },
      plainCapabilities(),
    );
    const file = w.path('src/app.go');
    const actions = await actionsAt(c, file, 6);
    expect(actions.map((a) => a.title)).toEqual(['Apply fix I1: Return done', 'Apply all fixes of this round (PR #5 round 1)']);
    expect(actions[1]!.command).toEqual({
      title: 'Apply all fixes of this round (PR #5 round 1)',
      command: 'deepReview.applyAllFixes',
      arguments: [{ report: pathToFileURL(w.path('.deep-review/r1.json')).toString() }],
    });
    expect(actions[0]).toMatchObject({
      title: 'Apply fix I1: Return done',
      isPreferred: true,
      edit: { changes: { [pathToFileURL(file).toString()]: [{ range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } }, newText: '\treturn done()\n' }] } },
    });
    expect(c.initializeResult?.capabilities.codeActionProvider).toBe(true);
  });

  it('applies all fixes of a file that do not conflict, each against the text the previous one left', async () => {
    const { w, c } = await start({
      'src/app.go': GO,
      '.deep-review/r1.json': review(5, 1, [
        finding('I1', 'important', 'src/app.go', 4, 4, { title: 'Pass ctx', ...diff('-\tif err := step(); err != nil {\n+\tif err := step(ctx); err != nil {') }),
        finding('I2', 'important', 'src/app.go', 7, 7, { title: 'Return done', ...diff('-\treturn nil\n+\treturn done()') }),
        finding('S1', 'suggestion', 'src/app.go', 7, 7, { title: 'Return ok', ...diff('-\treturn nil\n+\treturn ok()') }),
      ]),
    });
    const file = w.path('src/app.go');
    const actions = await actionsAt(c, file, 6);
    const all = actions.find((a) => a.title.startsWith('Apply all fixes in this file'));
    expect(all).toMatchObject({ title: 'Apply all fixes in this file (3)', data: { resolver: 'fixes', kind: 'file' } });
    expect(actions.map((a) => a.title)).toContain('Apply all fixes of this round (PR #5 round 1)');
    const resolved = await c.request<CodeAction>('codeAction/resolve', all);
    const edits = (resolved.edit?.documentChanges?.[0] as { edits: unknown[] }).edits;
    expect(edits).toHaveLength(2);

    const result = await c.request('workspace/executeCommand', { command: 'deepReview.applyAllFixes', arguments: [{ file: pathToFileURL(file).toString() }] });
    expect(result).toEqual({
      applied: ['.deep-review/r1.json#I1', '.deep-review/r1.json#I2'],
      skipped: [{ key: '.deep-review/r1.json#S1', reason: 'conflicts with an earlier fix (I1, I2)' }],
    });
    expect(readFileSync(file, 'utf8')).toBe(GO.replace('step()', 'step(ctx)').replace('\treturn nil', '\treturn done()'));
    await expect(c.request('workspace/executeCommand', { command: 'deepReview.applyAllFixes', arguments: [{ report: w.path('.deep-review/r1.json') }] })).resolves.toEqual({
      applied: [],
      skipped: [
        { key: '.deep-review/r1.json#I1', reason: 'already applied' },
        { key: '.deep-review/r1.json#I2', reason: 'already applied' },
        { key: '.deep-review/r1.json#S1', reason: 'the code it changes is no longer there' },
      ],
    });
    await expect(c.request('workspace/executeCommand', { command: 'deepReview.applyAllFixes', arguments: [{}] })).rejects.toThrow(
      'deepReview.applyAllFixes needs [{ file }] or [{ report }] (a file URI or absolute path)',
    );
  });

  it('applies all fixes of a round over several files', async () => {
    const { w, c } = await start({
      'src/app.go': GO,
      'src/b.go': GO,
      '.deep-review/r1.json': review(5, 1, [
        finding('I1', 'important', 'src/app.go', 7, 7, { title: 'Return done', ...diff('-\treturn nil\n+\treturn done()') }),
        finding('I2', 'important', 'src/b.go', 4, 4, { title: 'Pass ctx', ...diff('-\tif err := step(); err != nil {\n+\tif err := step(ctx); err != nil {') }),
      ]),
    });
    const [, round] = await actionsAt(c, w.path('src/app.go'), 6);
    expect(round).toMatchObject({ title: 'Apply all fixes of this round (PR #5 round 1)', data: { kind: 'round' } });
    const resolved = await c.request<CodeAction>('codeAction/resolve', round);
    expect(resolved.edit?.documentChanges?.map((d) => ('textDocument' in d ? path.basename(d.textDocument.uri) : d.kind))).toEqual(['app.go', 'b.go']);
    const result = await c.request('workspace/executeCommand', { command: 'deepReview.applyAllFixes', arguments: [{ report: pathToFileURL(w.path('.deep-review/r1.json')).toString() }] });
    expect(result).toEqual({ applied: ['.deep-review/r1.json#I1', '.deep-review/r1.json#I2'], skipped: [] });
    expect(readFileSync(w.path('src/app.go'), 'utf8')).toBe(GO.replace('\treturn nil', '\treturn done()'));
    expect(readFileSync(w.path('src/b.go'), 'utf8')).toBe(GO.replace('step()', 'step(ctx)'));
  });

  it('applies a git patch of the round that creates a file, where the client supports resource operations, and refuses it where not', async () => {
    const patch = [
      'diff --git a/src/app.go b/src/app.go',
      '--- a/src/app.go',
      '+++ b/src/app.go',
      '@@ -7,2 +7,2 @@',
      '-\treturn nil',
      '+\treturn finish()',
      ' }',
      'diff --git a/src/finish.go b/src/finish.go',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/src/finish.go',
      '@@ -0,0 +1,3 @@',
      '+package app',
      '+',
      '+func finish() error { return nil }',
    ].join('\n');
    const files = { 'src/app.go': GO, '.deep-review/r1.json': review(5, 1, [finding('I1', 'important', 'src/app.go', 7, 7, { title: 'Finish', ...diff(patch, 'git-patch') })]) };
    const plain = await start(files, { ...fullCapabilities(), workspace: { ...fullCapabilities().workspace, workspaceEdit: { documentChanges: true } } });
    const [refused] = await actionsAt(plain.c, plain.w.path('src/app.go'), 6);
    expect(refused).toMatchObject({ title: 'Apply fix I1: Finish', data: { resolver: 'fixes' } });
    await expect(plain.c.request('codeAction/resolve', refused)).rejects.toThrow('Fix I1 cannot be applied: the editor cannot create files through an edit, so src/finish.go is not created');

    const { w, c } = await start(files);
    await c.request('workspace/executeCommand', { command: 'deepReview.applyFix', arguments: [{ key: '.deep-review/r1.json#I1' }] });
    expect(readFileSync(w.path('src/finish.go'), 'utf8')).toBe('package app\n\nfunc finish() error { return nil }\n');
    expect(readFileSync(w.path('src/app.go'), 'utf8')).toBe(GO.replace('\treturn nil', '\treturn finish()'));
    expect(c.appliedEdits[0]!.edit.documentChanges?.map((d) => ('kind' in d ? d.kind : 'edit'))).toEqual(['edit', 'create', 'edit']);
  });

  describe('outside the workspace', () => {
    const outside: string[] = [];
    afterEach(() => {
      for (const dir of outside.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    it('never edits a file outside the workspace folder, by path or through a link', async () => {
      const away = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-away-')));
      outside.push(away);
      writeFileSync(path.join(away, 'secret.go'), GO);
      const escape = ['diff --git a/../secret.go b/../secret.go', '--- a/../secret.go', '+++ b/../secret.go', '@@ -7 +7 @@', '-\treturn nil', '+\treturn pwned()'].join('\n');
      const { w, c } = await start({
        'src/app.go': GO,
        '.deep-review/r1.json': review(5, 1, [
          finding('I1', 'important', 'src/app.go', 7, 7, { title: 'Escape', ...diff(escape, 'git-patch') }),
          finding('I2', 'important', 'src/app.go', 7, 7, {
            title: 'Through a link',
            ...diff('diff --git a/link/secret.go b/link/secret.go\n--- a/link/secret.go\n+++ b/link/secret.go\n@@ -7 +7 @@\n-\treturn nil\n+\treturn pwned()', 'git-patch'),
          }),
        ]),
      });
      symlinkSync(away, w.path('link'));
      const actions = await actionsAt(c, w.path('src/app.go'), 6);
      expect(actions.map((a) => a.disabled?.reason)).toEqual([
        'Fix cannot be applied: ../secret.go is outside the workspace folder',
        'Fix cannot be applied: link/secret.go is outside the workspace folder',
      ]);
      await expect(c.request('workspace/executeCommand', { command: 'deepReview.applyFix', arguments: [{ key: '.deep-review/r1.json#I2' }] })).rejects.toThrow(
        'link/secret.go is outside the workspace folder',
      );
      expect(c.appliedEdits).toEqual([]);
      expect(readFileSync(path.join(away, 'secret.go'), 'utf8')).toBe(GO);
      expect(existsSync(w.path('secret.go'))).toBe(false);
    });
  });
});
