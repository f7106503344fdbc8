// The fix engine on small texts: every diff style, tabs against spaces, ambiguous and conflicting hunks, already applied, new and deleted files, paths outside the workspace.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeFixFiles, computeFixStatus, resolveInside } from '../../../server/src/fixes/computeFix.js';
import { parseFixDiff } from '../../../server/src/fixes/parseDiff.js';
import { applyTextEdits, computeLineEdits } from '../../../server/src/fixes/textEdits.js';
import { Reasons, type FileChange, type FileState, type FixStatus, type FixTarget } from '../../../server/src/fixes/types.js';
import type { FixDiff } from '../../../server/src/model/review.js';

const ROOT = path.resolve('/workspace');
const FILE = path.join(ROOT, 'src/app.go');

/** Runs the engine on one file of the finding (or the files the diff names). */
function run(diff: FixDiff, texts: Record<string, string | undefined>, near?: FixTarget['near'], outside: string[] = []): FixStatus {
  const targets: FixTarget[] = [{ file: FILE, ...(near ? { near } : {}) }];
  const listed = computeFixFiles(diff, ROOT, targets);
  if ('error' in listed) return { state: 'refused', reason: listed.error };
  const files = new Map<string, FileState>();
  for (const file of listed.files) {
    const relative = path.relative(ROOT, file);
    files.set(file, { inside: !outside.includes(relative), ...(texts[relative] === undefined ? {} : { text: texts[relative] }) });
  }
  return computeFixStatus({ diff, root: ROOT, targets, files });
}

function applied(status: FixStatus, file = FILE): string {
  if (status.state !== 'applicable') throw new Error(`not applicable: ${JSON.stringify(status)}`);
  const change = status.changes.find((c) => c.file === file);
  if (change?.kind !== 'modify') throw new Error(`no edit of ${file}`);
  expect(applyTextEdits(change.before, change.edits)).toBe(change.after);
  return change.after;
}

const GO = ['package app', '', 'func run() error {', '\tif err := step(); err != nil {', '\t\treturn err', '\t}', '\treturn nil', '}', ''].join('\n');

describe('diff styles', () => {
  it('applies bare -/+ lines written with spaces to a tab-indented file, keeping its tabs', () => {
    const diff: FixDiff = { format: 'plusminus', text: '-        return err\n+        return fmt.Errorf("step: %w", err)' };
    expect(applied(run(diff, { 'src/app.go': GO }))).toBe(GO.replace('\t\treturn err', '\t\treturn fmt.Errorf("step: %w", err)'));
  });

  it('applies bare lines whose indentation was dropped, and new lines deeper than the matched ones', () => {
    const diff: FixDiff = { format: 'plusminus', text: '-return nil\n+if done {\n+    return nil\n+}\n+return errNotDone' };
    expect(applied(run(diff, { 'src/app.go': GO }))).toBe(GO.replace('\treturn nil\n', '\tif done {\n\t\treturn nil\n\t}\n\treturn errNotDone\n'));
  });

  it('applies a context diff without headers', () => {
    const diff: FixDiff = { format: 'unified-context', text: ' func run() error {\n-    if err := step(); err != nil {\n+    if err := step(ctx); err != nil {\n         return err' };
    expect(applied(run(diff, { 'src/app.go': GO }))).toBe(GO.replace('step()', 'step(ctx)'));
  });

  it('applies @@ hunks whose line numbers have drifted', () => {
    const diff: FixDiff = { format: 'unified-hunks', text: '@@ -40,3 +40,3 @@\n \t}\n-\treturn nil\n+\treturn cleanup()\n }' };
    expect(applied(run(diff, { 'src/app.go': GO }))).toBe(GO.replace('\treturn nil', '\treturn cleanup()'));
  });

  it('applies a git patch over several files, creating one and deleting another', () => {
    const text = [
      'diff --git a/src/app.go b/src/app.go',
      'index 1111111..2222222 100644',
      '--- a/src/app.go',
      '+++ b/src/app.go',
      '@@ -7,2 +7,2 @@ func run() error {',
      '-\treturn nil',
      '+\treturn finish()',
      ' }',
      'diff --git a/src/finish.go b/src/finish.go',
      'new file mode 100644',
      'index 0000000..3333333',
      '--- /dev/null',
      '+++ b/src/finish.go',
      '@@ -0,0 +1,3 @@',
      '+package app',
      '+',
      '+func finish() error { return nil }',
      'diff --git a/src/old.go b/src/old.go',
      'deleted file mode 100644',
      'index 4444444..0000000',
      '--- a/src/old.go',
      '+++ /dev/null',
      '@@ -1,1 +0,0 @@',
      '-package app',
    ].join('\n');
    const diff: FixDiff = { format: 'git-patch', text, files: ['src/app.go', 'src/finish.go', 'src/old.go'] };
    const status = run(diff, { 'src/app.go': GO, 'src/old.go': 'package app\n' });
    expect(applied(status)).toBe(GO.replace('\treturn nil', '\treturn finish()'));
    const changes = (status as { changes: FileChange[] }).changes;
    expect(changes.map((c) => [c.kind, path.relative(ROOT, c.file)])).toEqual([
      ['modify', 'src/app.go'],
      ['create', 'src/finish.go'],
      ['delete', 'src/old.go'],
    ]);
    expect(changes[1]).toMatchObject({ after: 'package app\n\nfunc finish() error { return nil }\n' });
  });

  it('reads hand-written git patches whose hunk counts are wrong', () => {
    const text = 'diff --git a/src/app.go b/src/app.go\n--- a/src/app.go\n+++ b/src/app.go\n@@ -1,9 +1,9 @@\n-\treturn nil\n+\treturn done()\n';
    expect(parseFixDiff({ format: 'git-patch', text })).toEqual({
      files: [{ path: 'src/app.go', kind: 'modify', hunks: [{ oldStart: 1, lines: [{ kind: 'remove', text: '\treturn nil' }, { kind: 'add', text: '\treturn done()' }] }] }],
    });
  });

  it('splits a diff at elisions and locates each part in order', () => {
    const diff: FixDiff = { format: 'unified-context', text: ' func run() error {\n-\tif err := step(); err != nil {\n+\tif err := step(ctx); err != nil {\n ...\n-\treturn nil\n+\treturn ctx.Err()' };
    expect(parseFixDiff(diff)).toMatchObject({ files: [{ hunks: [{}, {}] }] });
    expect(applied(run(diff, { 'src/app.go': GO }))).toBe(GO.replace('step()', 'step(ctx)').replace('\treturn nil', '\treturn ctx.Err()'));
  });

  it('keeps a CRLF file CRLF and edits only the changed lines', () => {
    const crlf = GO.replace(/\n/g, '\r\n');
    const status = run({ format: 'plusminus', text: '-\treturn nil\n+\treturn ok()' }, { 'src/app.go': crlf });
    expect(applied(status)).toBe(crlf.replace('\treturn nil', '\treturn ok()'));
    const change = (status as { changes: FileChange[] }).changes[0] as Extract<FileChange, { kind: 'modify' }>;
    expect(change.edits).toEqual([{ range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } }, newText: '\treturn ok()\r\n' }]);
  });
});

describe('refusals', () => {
  const filler = Array.from({ length: 10 }, (_, i) => `// ${i}`);
  const twice = ['func a() {', '\treturn nil', '}', ...filler, 'func b() {', '\treturn nil', '}', ''].join('\n');

  it('says the code is no longer there', () => {
    expect(run({ format: 'plusminus', text: '-\treturn errGone\n+\treturn errNew' }, { 'src/app.go': GO })).toEqual({ state: 'missing', reason: Reasons.missing });
    expect(Reasons.missing).toBe('the code it changes is no longer there');
  });

  it('refuses an ambiguous hunk, unless exactly one match is by the finding', () => {
    const diff: FixDiff = { format: 'plusminus', text: '-\treturn nil\n+\treturn err' };
    expect(run(diff, { 'src/app.go': twice })).toEqual({ state: 'refused', reason: 'ambiguous: 2 places match' });
    expect(applied(run(diff, { 'src/app.go': twice }, { start: 13, end: 15 }))).toBe(twice.replace('func b() {\n\treturn nil', 'func b() {\n\treturn err'));
  });

  it('says when the fix is already applied', () => {
    const diff: FixDiff = { format: 'plusminus', text: '-\treturn nil\n+\treturn finish()' };
    expect(run(diff, { 'src/app.go': GO.replace('\treturn nil', '\treturn finish()') })).toEqual({ state: 'applied', reason: 'already applied' });
  });

  it('applies all hunks or none: one hunk already there, one still to do', () => {
    const diff: FixDiff = { format: 'unified-hunks', text: '@@ -3 +3 @@\n-func run() error {\n+func run(ctx context.Context) error {\n@@ -7 +7 @@\n-\treturn nil\n+\treturn ctx.Err()' };
    const half = GO.replace('func run() error {', 'func run(ctx context.Context) error {');
    expect(run(diff, { 'src/app.go': half })).toEqual({ state: 'refused', reason: Reasons.partly(1, 2) });
  });

  it('refuses conflicting hunks: a second hunk whose code the first one changed is not found after it', () => {
    const diff: FixDiff = { format: 'unified-hunks', text: '@@ -7 +7 @@\n-\treturn nil\n+\treturn done()\n@@ -3 +3 @@\n-func run() error {\n+func run(ctx context.Context) error {' };
    expect(run(diff, { 'src/app.go': GO })).toEqual({ state: 'missing', reason: Reasons.missing });
  });

  it('refuses a fix that only adds lines without saying where', () => {
    expect(run({ format: 'plusminus', text: '+// Package app runs things.' }, { 'src/app.go': GO })).toEqual({ state: 'refused', reason: Reasons.noAnchor });
  });

  it('never writes outside the workspace folder, whatever the patch names', () => {
    for (const name of ['../etc/passwd', '/etc/passwd', 'src/../../x']) {
      const text = `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n@@ -1 +1 @@\n-a\n+b\n`;
      expect(run({ format: 'git-patch', text }, {})).toEqual({ state: 'refused', reason: `${name} is outside the workspace folder` });
    }
    expect(resolveInside(ROOT, 'src/app.go')).toBe(FILE);
    expect(resolveInside(ROOT, '../workspace-other/x')).toBeUndefined();
  });

  it('refuses a file whose real path leaves the workspace (a link)', () => {
    expect(run({ format: 'plusminus', text: '-\treturn nil\n+\treturn err' }, { 'src/app.go': GO }, undefined, ['src/app.go'])).toEqual({
      state: 'refused',
      reason: 'src/app.go is outside the workspace folder',
    });
  });

  it('refuses to create a file that exists with other content, and sees a created file as applied', () => {
    const text = 'diff --git a/src/new.go b/src/new.go\nnew file mode 100644\n--- /dev/null\n+++ b/src/new.go\n@@ -0,0 +1,1 @@\n+package app\n';
    expect(run({ format: 'git-patch', text }, { 'src/new.go': 'package other\n' })).toEqual({ state: 'refused', reason: 'src/new.go already exists' });
    expect(run({ format: 'git-patch', text }, { 'src/new.go': 'package app\n' })).toEqual({ state: 'applied', reason: 'already applied' });
  });

  it('refuses to delete a file that changed, and sees a deleted file as applied', () => {
    const text = 'diff --git a/src/old.go b/src/old.go\ndeleted file mode 100644\n--- a/src/old.go\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-package app\n';
    expect(run({ format: 'git-patch', text }, { 'src/old.go': 'package app\n\nfunc x() {}\n' })).toEqual({ state: 'refused', reason: Reasons.deletedChanged('src/old.go') });
    expect(run({ format: 'git-patch', text }, {})).toEqual({ state: 'applied', reason: 'already applied' });
  });

  it('says a diff that changes nothing changes nothing', () => {
    expect(run({ format: 'unified-context', text: ' a\n b' }, { 'src/app.go': GO })).toEqual({ state: 'refused', reason: Reasons.nothing });
  });
});

describe('line edits', () => {
  it('are the smallest whole-line replacements, also at the end of a file without a final newline', () => {
    expect(computeLineEdits('a\nb\nc', 'a\nb\nd')).toEqual([{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, newText: 'd' }]);
    expect(computeLineEdits('a\nb\n', 'a\nx\ny\nb\n')).toEqual([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'x\ny\n' }]);
  });
});

describe('fixes that only add lines', () => {
  it('are seen as applied once applied, though their old lines are still together', () => {
    const diff: FixDiff = { format: 'unified-context', text: '     state.a = null;\n     state.b = null;\n+    state.c = {};' };
    const text = 'function reset(state) {\n  state.a = null;\n  state.b = null;\n}\n';
    const after = applied(run(diff, { 'src/app.go': text }));
    expect(after).toBe('function reset(state) {\n  state.a = null;\n  state.b = null;\n  state.c = {};\n}\n');
    expect(run(diff, { 'src/app.go': after })).toEqual({ state: 'applied', reason: 'already applied' });
  });
});

describe('fixes that only add lines, where the same lines are elsewhere', () => {
  it('apply by the finding, not where the added line is already there', () => {
    const diff: FixDiff = { format: 'unified-context', text: '     state.a = null;\n     state.b = null;\n+    state.c = {};' };
    const filler = Array.from({ length: 10 }, (_, i) => `  // ${i}`);
    const text = ['function a(state) {', '  state.a = null;', '  state.b = null;', '  state.c = {};', '}', ...filler, 'function b(state) {', '  state.a = null;', '  state.b = null;', '}', ''].join('\n');
    const after = applied(run(diff, { 'src/app.go': text }, { start: 15, end: 18 }));
    expect(after).toBe(text.replace('  state.b = null;\n}', '  state.b = null;\n  state.c = {};\n}'));
    expect(run(diff, { 'src/app.go': after }, { start: 15, end: 18 })).toEqual({ state: 'applied', reason: 'already applied' });
    expect(applied(run(diff, { 'src/app.go': text }))).toBe(after);
  });
});

describe('a diff without file names on a finding that cites several files', () => {
  it('applies to the cited file that holds its old lines', () => {
    const other = path.join(ROOT, 'src/other.go');
    const diff: FixDiff = { format: 'plusminus', text: '-\tcleanup()\n+\tdefer cleanup()' };
    const targets: FixTarget[] = [{ file: FILE }, { file: other }];
    const files = new Map<string, FileState>([
      [FILE, { inside: true, text: GO }],
      [other, { inside: true, text: 'package app\n\nfunc x() {\n\tcleanup()\n}\n' }],
    ]);
    const status = computeFixStatus({ diff, root: ROOT, targets, files });
    expect(applied(status, other)).toBe('package app\n\nfunc x() {\n\tdefer cleanup()\n}\n');
  });
});

describe('headers', () => {
  it('reads ---/+++ file headers without diff --git, and a removed "--" comment as a removed line', () => {
    expect(parseFixDiff({ format: 'unified-hunks', text: '--- a/src/x.sql\n+++ b/src/x.sql\n@@ -1 +1 @@\n-select 1;\n+select 2;' })).toMatchObject({ files: [{ path: 'src/x.sql', kind: 'modify' }] });
    expect(parseFixDiff({ format: 'plusminus', text: '--- old comment\n+-- new comment' })).toEqual({
      files: [{ kind: 'modify', hunks: [{ lines: [{ kind: 'remove', text: '-- old comment' }, { kind: 'add', text: '-- new comment' }] }] }],
    });
  });
});
