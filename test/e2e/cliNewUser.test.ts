// What a new user hits first on the command line: closed pipes, a folder without reviews, notices, columns, escapes.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

const sessions = useSessions();
let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.dispose();
  ws = undefined;
});

function run(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** Runs `node BIN args | head -1` in bash; returns the node side's exit status and its stderr. */
function runIntoHead(args: string[], cwd: string) {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('bash', ['-c', `${quoted} 2>"$ERR" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ERR: `${cwd}/stderr.txt` },
  });
  const err = spawnSync('cat', [`${cwd}/stderr.txt`], { encoding: 'utf8' }).stdout;
  return { status: Number(result.stdout.trim()), err };
}

function markdownReport(findings: number): string {
  const items = Array.from({ length: findings }, (_, i) => `I${i + 1}. **Finding number ${i + 1} has a title** — \`src/a.ts:${i + 1}\` [Claude Opus 4.7]\n\nA body for finding ${i + 1}.\n`);
  return `# Deep Review: PR #7\n\n| Field | Value |\n|---|---|\n| Date | 2026-11-01 |\n| PR | #7 |\n| Round | 1 |\n\n## Important Issues\n\n${items.join('\n')}`;
}

describe('closed pipes', () => {
  it('findings | head and import | head end quietly with status 0', () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', numberedLines(3000));
    ws.write('.deep-review/r.json', review(7, 1, Array.from({ length: 3000 }, (_, i) => finding(`I${i + 1}`, 'important', 'src/a.ts', i + 1))));
    ws.write('report.md', markdownReport(1500));
    const findings = runIntoHead(['findings', ws.root], ws.root);
    expect(findings).toEqual({ status: 0, err: '' });
    const imported = runIntoHead(['import', ws.path('report.md')], ws.root);
    expect(imported).toEqual({ status: 0, err: '' });
  });
});

describe('a folder without a review directory', () => {
  it('check and findings say there is none instead of reading the tree', () => {
    ws = new TempWorkspace();
    ws.write('package.json', { name: 'x' });
    ws.write('node_modules/dep/package.json', { name: 'dep' });
    ws.write('docs/notes.md', '# Notes\n');
    const expected = `deep-review-lsp: No review directory: ${ws.root} has no .deep-review/ (give a workspace folder that holds .deep-review/, or the review directory itself)\n`;
    expect(run(['check', ws.root])).toEqual({ code: 1, out: '', err: expected });
    expect(run(['findings', ws.root])).toEqual({ code: 1, out: '', err: expected });
    expect(run(['check'], ws.root).err).toBe(
      'deep-review-lsp: No review directory: this folder has no .deep-review/ (give a workspace folder that holds .deep-review/, or the review directory itself)\n',
    );
  });
});

describe('check and findings tell what the editor tells', () => {
  const resolution = { action: 'fixed' as const, raw: 'Fixed in 4d2c1e0: the retry loop now checks the context before every attempt' };

  it('an all-resolved round is said, and --show-resolved lists it with its whole resolved tag', () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', numberedLines(20));
    const long = `A title long enough to fill a terminal line: ${'word '.repeat(40)}end`;
    ws.write('.deep-review/r6.json', review(336, 6, [finding('I1', 'important', 'src/a.ts', 3, 3, { title: long, resolution }), finding('S1', 'suggestion', 'src/a.ts', 5, 5, { resolution })]));
    const check = run(['check', ws.root]);
    expect(check.code).toBe(0);
    expect(check.out).toContain('.deep-review/r6.json: 2 findings of PR #336 round 6 are resolved (--show-resolved shows them)\n');
    expect(check.out).toContain('0 finding(s) shown');
    const shown = run(['check', ws.root, '--show-resolved']);
    expect(shown.out).not.toContain('are resolved');
    const rows = shown.out.split('\n').filter((line) => line.startsWith('src/a.ts'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.endsWith(`(resolved: ${resolution.raw})`)).toBe(true);
    expect(rows[0]).toContain('A title long enough to fill a terminal line: word');
    expect(rows[0]).toContain('…');
    const vimgrep = run(['findings', ws.root, '--show-resolved']);
    expect(vimgrep.out.split('\n')[0]).toBe(`src/a.ts:3:1:important I1: ${long} (PR #336 round 6) (resolved: ${resolution.raw})`);
    expect(run(['findings', ws.root]).err).toBe('.deep-review/r6.json: 2 findings of PR #336 round 6 are resolved (--show-resolved shows them)\n');
  });

  it('a latest round with no valid finding leaves the previous round listed, and says why', () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', numberedLines(20));
    ws.write('.deep-review/r1.json', review(5, 1, [finding('I1', 'important', 'src/a.ts', 3)]));
    ws.write('.deep-review/r2.json', review(5, 2, [finding('I1', 'important', 'src/a.ts', 3, 3, { struck: { kind: 'invalid' } })]));
    const check = run(['check', ws.root]);
    expect(check.out).toContain('src/a.ts:3:1  important  I1  PR #5 round 1  I1 title');
    expect(check.out).toContain(
      '.deep-review/r2.json: PR #5 round 2 has no valid finding (its only finding is struck or invalid), so the findings of PR #5 round 1 are shown',
    );
  });

  it('the vimgrep column is the column of the diagnostic the server publishes (1-based)', async () => {
    const w = sessions.workspace({
      'src/a.ts': 'function f() {\n  if (x) {\n\t\treturn 1;\n  }\n}\n',
      '.deep-review/r.json': review(5, 1, [finding('I1', 'important', 'src/a.ts', 2, 3), finding('I2', 'important', 'src/a.ts', 3), finding('S1', 'suggestion', 'src/a.ts', 40)]),
    });
    const c = await sessions.client({ folders: [w.root], settings: { debounceMs: 0 } });
    const fromServer = c
      .diagnosticsFor(w.path('src/a.ts'))
      .map((d) => `src/a.ts:${d.range.start.line + 1}:${d.range.start.character + 1}:${d.code}`)
      .sort();
    const fromCli = run(['findings', w.root])
      .out.trim()
      .split('\n')
      .map((line) => line.replace(/^(src\/a\.ts:\d+:\d+):\w+ (\w+):.*$/, '$1:$2'))
      .sort();
    expect(fromCli).toEqual(fromServer);
    expect(fromCli).toEqual(['src/a.ts:2:3:I1', 'src/a.ts:3:3:I2', 'src/a.ts:6:1:S1']);
    // The line past the end says so, as the diagnostic does.
    expect(run(['findings', w.root]).out).toContain('S1: S1 title (cited line 40 is past the end of the file, which has 6 lines) (PR #5 round 1)');
  });

  it('a cited full path that does not exist gets a note, as a bare name does', () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', numberedLines(20));
    ws.write('.deep-review/r.json', review(5, 1, [finding('I1', 'important', 'src/gone/b.ts', 3), finding('I2', 'important', 'nowhere.ts', 3), finding('I3', 'important', 'src/a.ts', 3)]));
    const check = run(['check', ws.root]);
    expect(check.err).toMatch(/^\.deep-review\/r\.json:\d+:\d+: info: Finding I1: no file "src\/gone\/b\.ts" in the workspace, and no file path ends so; the finding is shown on this report$/m);
    expect(check.err).toMatch(/^\.deep-review\/r\.json:\d+:\d+: info: Finding I2: No file named "nowhere\.ts" in the workspace; it is not shown on a file$/m);
    expect(check.err).not.toContain('I3');
  });
});

describe('terminal escapes', () => {
  it('titles, ids and paths cannot drive the terminal in check and vimgrep output', () => {
    ws = new TempWorkspace();
    const evil = 'src/e\u001b[2Jvil.ts';
    ws.write(evil, numberedLines(5));
    ws.write(
      '.deep-review/r.json',
      review(5, 1, [
        finding('I1\u001b]0;owned\u0007', 'important', evil, 2, 2, {
          title: 'Title \u001b]52;c;Y2xpcA==\u0007 with \u202eevil\u202c bidi and \u009b31m C1 and \u0008 backspace',
        }),
      ]),
    );
    const outputs = [run(['check', ws.root]), run(['findings', ws.root]), run(['findings', ws.root, '--format', 'json'])];
    for (const { out, err } of outputs) {
      // eslint-disable-next-line no-control-regex
      expect(out + err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    expect(outputs[1]!.out).toBe(
      'src/e\\x1b[2Jvil.ts:2:1:important I1\\x1b]0;owned\\x07: Title \\x1b]52;c;Y2xpcA==\\x07 with \\u202eevil\\u202c bidi and \\x9b31m C1 and \\x08 backspace (PR #5 round 1)\n',
    );
    expect(outputs[0]!.out).toContain('src/e\\x1b[2Jvil.ts:2:1  important  I1\\x1b]0;owned\\x07');
    // The JSON is the same data, escaped.
    const [row] = JSON.parse(outputs[2]!.out) as { title: string; id: string; file: string }[];
    expect(row).toMatchObject({ file: evil, id: 'I1\u001b]0;owned\u0007', title: 'Title \u001b]52;c;Y2xpcA==\u0007 with \u202eevil\u202c bidi and \u009b31m C1 and \u0008 backspace' });
  });
});
