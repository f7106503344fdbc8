// A round that would show nothing says why, once, in the editor: all its findings resolved, or none valid.
import { describe, expect, it } from 'vitest';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const sessions = useSessions();

const resolved = (id: string, line: number) => finding(id, 'important', 'src/a.ts', line, line, { resolution: { action: 'fixed', raw: 'Fixed in abc123' } });
const struck = (id: string, line: number) => finding(id, 'important', 'src/a.ts', line, line, { struck: { kind: 'invalid', reason: 'not reachable' } });

describe('round notices in the editor', () => {
  it('a workspace whose findings are all resolved says so once, as a message, a log line and a hint on the report', async () => {
    const { w, c } = await sessions.start({
      'src/a.ts': numberedLines(20),
      '.deep-review/r6.json': review(336, 6, [resolved('I1', 3), resolved('I2', 5), resolved('S1', 9)]),
    });
    const expected = '3 findings of PR #336 round 6 are resolved (showResolved shows them)';
    expect(c.diagnosticsFor(w.path('src/a.ts'))).toEqual([]);
    expect(c.messages.map((m) => m.message)).toEqual([expected]);
    expect(c.logs.some((line) => line.startsWith(expected))).toBe(true);
    expect(c.diagnosticsFor(w.path('.deep-review/r6.json')).map((d) => ({ code: d.code, severity: d.severity, message: d.message }))).toEqual([
      { code: 'all-resolved', severity: 4, message: expected },
    ]);
    // Another batch (a new unrelated report) does not repeat it.
    w.write('.deep-review/other.json', review(9, 1, [finding('I9', 'important', 'src/a.ts', 2)]));
    await c.waitForDiagnostics(w.path('src/a.ts'), (d) => d.length === 1);
    expect(c.messages.map((m) => m.message)).toEqual([expected]);
  });

  it('with showResolved the findings show as hints and nothing is said', async () => {
    const { w, c } = await sessions.start(
      { 'src/a.ts': numberedLines(20), '.deep-review/r6.json': review(336, 6, [resolved('I1', 3)]) },
      { debounceMs: 0, showResolved: true },
    );
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => d.code)).toEqual(['I1']);
    expect(c.messages).toEqual([]);
    expect(c.diagnosticsFor(w.path('.deep-review/r6.json'))).toEqual([]);
  });

  it('a latest round whose findings are all struck keeps the previous round shown, and says why', async () => {
    const { w, c } = await sessions.start({
      'src/a.ts': numberedLines(20),
      '.deep-review/r1.json': review(5, 1, [finding('I1', 'important', 'src/a.ts', 3), finding('S1', 'suggestion', 'src/a.ts', 8)]),
      '.deep-review/r2.json': review(5, 2, [struck('I1', 3)]),
    });
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => `${d.code} ${d.message}`)).toEqual([
      'I1 I1 title [Claude Opus 4.7] (PR #5 round 1)',
      'S1 S1 title [Claude Opus 4.7] (PR #5 round 1)',
    ]);
    const expected = 'PR #5 round 2 has no valid finding (its only finding is struck or invalid), so the findings of PR #5 round 1 are shown';
    expect(c.messages.map((m) => m.message)).toEqual([expected]);
    expect(c.diagnosticsFor(w.path('.deep-review/r2.json')).map((d) => d.message)).toEqual([expected]);
    // A round 3 with a valid finding takes over, and the hint on round 2 goes away.
    w.write('.deep-review/r3.json', review(5, 3, [finding('C1', 'critical', 'src/a.ts', 12)]));
    await c.waitForDiagnostics(w.path('src/a.ts'), (d) => d.length === 1 && d[0]?.code === 'C1');
    await c.waitForDiagnostics(w.path('.deep-review/r2.json'), (d) => d.length === 0);
  });

  it('a clean latest round (no finding at all) still hides the previous one', async () => {
    const { w, c } = await sessions.start({
      'src/a.ts': numberedLines(20),
      '.deep-review/r1.json': review(5, 1, [finding('I1', 'important', 'src/a.ts', 3)]),
      '.deep-review/r2.json': review(5, 2, []),
    });
    expect(c.diagnosticsFor(w.path('src/a.ts'))).toEqual([]);
    expect(c.messages).toEqual([]);
  });
});
