// Hostile or unlucky file-system events: the review directory re-created, a directory named like a report, the open-file limit.
import { mkdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const sessions = useSessions();
const codes = (c: TestClient, file: string) => c.diagnosticsFor(file).map((d) => `${d.code}@${d.range.start.line + 1}`);

describe('the review directory deleted and re-created', () => {
  it('is watched again after rm -rf .deep-review && mkdir .deep-review', async () => {
    const { w, c } = await sessions.start({ 'a.ts': numberedLines(30), '.deep-review/r1.json': review(3, 1, [finding('I1', 'important', 'a.ts', 4)]) });
    const a = w.path('a.ts');
    expect(codes(c, a)).toEqual(['I1@4']);
    for (let i = 0; i < 3; i++) {
      rmSync(w.path('.deep-review'), { recursive: true, force: true });
      mkdirSync(w.path('.deep-review'));
      await c.waitForDiagnostics(a, (d) => d.length === 0, `the findings of the removed directory gone (${i})`);
      w.write('.deep-review/r1.json', review(3, 1, [finding('I1', 'important', 'a.ts', 5 + i)]));
      await c.waitForDiagnostics(a, (d) => codes(c, a).join() === `I1@${5 + i}`, `the report in the re-created directory read (${i})`);
    }
  });
});
