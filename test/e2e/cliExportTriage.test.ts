/**
 * `export --format sarif` and the triage file: a dismissed finding is exported
 * with a suppression carrying its reason; a triage file that cannot be read is
 * said on stderr and exports every finding unsuppressed.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Finding } from '../../server/src/model/review.js';
import { computeFingerprint } from '../../server/src/store/fingerprint.js';
import { BIN } from '../support/lspClient.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.dispose();
  ws = undefined;
});

function exportSarif(root: string) {
  const result = spawnSync(process.execPath, [BIN, 'export', root, '--format', 'sarif'], { encoding: 'utf8' });
  const log = JSON.parse(result.stdout) as { runs: { results: { ruleId: string; message: { text: string }; suppressions?: { kind: string; justification?: string }[] }[] }[] };
  return { code: result.status, err: result.stderr, results: log.runs[0]!.results };
}

describe('export --format sarif with a triage file', () => {
  const i1 = finding('I1', 'important', 'src/a.ts', 3);
  const s1 = finding('S1', 'suggestion', 'src/a.ts', 7);

  it('exports a dismissed finding with a suppression and its reason', () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', numberedLines(10));
    ws.write('.deep-review/r.json', review(5, 1, [i1, s1]));
    const fingerprint = computeFingerprint(Finding.parse(i1));
    const decision = { state: 'dismissed', reason: 'false positive', at: '2026-12-01T10:00:00Z', by: 'tester', round: 1 };
    ws.write('.deep-review/triage.json', { triageVersion: 1, findings: { [fingerprint]: { ...decision, finding: { id: 'I1', title: 'I1 title' }, history: [] } } });
    const { code, err, results } = exportSarif(ws.root);
    expect(err).not.toMatch(/triage/);
    expect(code).toBe(0);
    expect(results).toHaveLength(2);
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'false positive' }]);
    expect(suppressed[0]!.message.text).toContain('I1 title');
    expect(results.find((r) => !r.suppressions)!.message.text).toContain('S1 title');
  });

  it('says when the triage file cannot be used, and exports every finding unsuppressed', () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', numberedLines(10));
    ws.write('.deep-review/r.json', review(5, 1, [i1, s1]));
    ws.write('.deep-review/triage.json', '{ "version": 1, "findings": ');
    const { code, err, results } = exportSarif(ws.root);
    expect(code).toBe(0);
    expect(err).toMatch(/^\.deep-review\/triage\.json: /m);
    expect(results.filter((r) => r.suppressions)).toEqual([]);
  });
});

describe('check and findings with a triage file', () => {
  const i1 = finding('I1', 'important', 'src/a.ts', 3);
  const s1 = finding('S1', 'suggestion', 'src/a.ts', 7);
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };

  it('leave out a dismissed finding, say so on stderr, and list it with --show-dismissed', () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', numberedLines(10));
    ws.write('.deep-review/r.json', review(5, 1, [i1, s1]));
    const fingerprint = computeFingerprint(Finding.parse(i1));
    ws.write('.deep-review/triage.json', {
      triageVersion: 1,
      findings: { [fingerprint]: { state: 'dismissed', reason: 'false positive', at: '2026-12-01T10:00:00Z', by: 'tester', round: 1, finding: { id: 'I1', title: 'I1 title' }, history: [] } },
    });
    const vimgrep = run('findings', ws.root);
    expect(vimgrep.code).toBe(0);
    expect(vimgrep.out.trim().split('\n')).toEqual([expect.stringMatching(/^src\/a\.ts:7:\d+:suggestion S1: /)]);
    expect(vimgrep.err).toContain('1 finding(s) dismissed in .deep-review/triage.json not listed (--show-dismissed lists them)');
    const all = run('findings', ws.root, '--show-dismissed');
    expect(all.out.trim().split('\n')).toHaveLength(2);
    expect(all.err).not.toContain('dismissed');
    const check = run('check', ws.root);
    expect(check.code).toBe(0);
    expect(check.out).toContain('S1');
    expect(check.out).not.toMatch(/\bI1\b/);
    expect(check.out).toContain('1 finding(s) shown');
  });
});
