import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let client: TestClient | undefined;
let ws: TempWorkspace | undefined;
const sessions = useSessions();

const hasGit = (() => {
  try {
    execFileSync('git', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' }).trim();
}

describe('paths written as a bare file name', () => {
  it('a unique match in the workspace wins', async () => {
    ws = sessions.workspace();
    ws.write('pkg/controller/app_controller.go', numberedLines(80));
    ws.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'app_controller.go', 58)]));
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 } });
    expect(client.diagnosticsFor(ws.path('pkg/controller/app_controller.go')).map((d) => `${d.code}@${d.range.start.line + 1}`)).toEqual(['I1@58']);
  });

  it('no match, or several the commits cannot tell apart: unresolved, and the report says so', async () => {
    ws = sessions.workspace();
    ws.write('a/util.go', numberedLines(10));
    ws.write('b/util.go', numberedLines(10));
    ws.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'util.go', 3), finding('I2', 'important', 'gone.go', 3)]));
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 } });
    expect(client.diagnosticsFor(ws.path('a/util.go'))).toEqual([]);
    expect(client.diagnosticsFor(ws.path('.deep-review/r.json')).map((d) => d.message)).toEqual([
      'Finding I1: "util.go" matches 2 files (a/util.go, b/util.go) and the review\'s commits do not tell which; it is not shown on a file',
      'Finding I2: No file named "gone.go" in the workspace; it is not shown on a file',
    ]);
  });

  it.skipIf(!hasGit)('among several matches, the file changed by the review\'s commits wins (git)', async () => {
    ws = sessions.workspace();
    ws.write('a/util.go', numberedLines(10));
    ws.write('b/util.go', numberedLines(10));
    git(ws.root, 'init', '-q');
    git(ws.root, 'add', '.');
    git(ws.root, 'commit', '-qm', 'base');
    ws.write('b/util.go', numberedLines(12));
    git(ws.root, 'commit', '-qam', 'change b');
    const sha = git(ws.root, 'rev-parse', 'HEAD');
    ws.write('.deep-review/r.json', review(1, 1, [finding('I1', 'important', 'util.go', 11)], { commits: [{ sha: sha.slice(0, 9), subject: 'change b' }] }));
    client = await sessions.client({ folders: [ws.root], settings: { debounceMs: 0 } });
    expect(client.diagnosticsFor(ws.path('b/util.go')).map((d) => d.code)).toEqual(['I1']);
    expect(client.diagnosticsFor(ws.path('a/util.go'))).toEqual([]);
  });
});
