// Hover card text without a connection: what a card leaves out and folds, fix options, reconciliation rows, report citations and the hover format a client gets.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Finding, Review } from '../../server/src/model/review.js';
import { computeCitationCard, computeFindingCard } from '../../server/src/features/hoverCards.js';
import { computeHoverFormat } from '../../server/src/features/hover.js';
import { computeReportCitations, resolveCitation } from '../../server/src/features/reportCitations.js';
import type { ReportEntry } from '../../server/src/store/reviewStore.js';

const report = { uri: 'file:///ws/.deep-review/r.md', line: 12, label: '.deep-review/r.md:12' };
const baseReview = Review.parse({ schemaVersion: 1, pr: { number: 3 }, round: { number: 1 } });

function card(finding: Partial<Finding>, format: 'markdown' | 'plaintext' = 'markdown') {
  return computeFindingCard({ finding: Finding.parse({ id: 'S1', severity: 'suggestion', title: 'T', ...finding }), review: baseReview, report, related: [] }, format);
}

describe('computeFindingCard', () => {
  it('lists fix options, and shows replacement code as a block', () => {
    const text = card({ fix: { label: 'Fix options, in order of preference', markdown: '', options: ['Guard the call.', 'Remove the call.'], diffs: [], replacementCode: [{ info: 'go', lang: 'go', role: 'fix', text: 'return nil' }] } });
    expect(text).toContain('**Fix options, in order of preference**\n1. Guard the call.\n2. Remove the call.\n```go\nreturn nil\n```');
  });

  it('folds a long diff with a pointer to the report', () => {
    const diff = Array.from({ length: 40 }, (_, i) => `+line ${i}`).join('\n');
    const text = card({ fix: { label: 'Fix', markdown: '', options: [], diffs: [{ format: 'plusminus', text: diff }], replacementCode: [] } });
    expect(text).toContain('+line 23\n```\n… 16 more lines in the report at .deep-review/r.md:12');
    expect(text).not.toContain('+line 24');
  });

  it('never cuts a fenced block of the body in the middle of its fence', () => {
    const code = Array.from({ length: 30 }, (_, i) => `x${i}`).join('\n');
    const text = card({ body: `Intro.\n\n\`\`\`bash repro\n${code}\n\`\`\`\n\nAfter.` });
    expect(text).toContain('Intro.');
    expect(text).not.toContain('x0');
    expect(text).toContain('… [the rest is in the report at .deep-review/r.md:12](file:///ws/.deep-review/r.md#L12)');
  });

  it('merges the readings of one reconciliation event into one row', () => {
    const event = { agent: { family: 'codex' as const, raw: 'Codex' }, from: 'important', to: 'suggestion' };
    const text = card({ reconciliation: [{ ...event, source: 'retro-table' }, { ...event, agentLocalId: 'I1', reason: 'Latent', source: 'appendix' }] as never }, 'plaintext');
    expect(text.match(/Codex/g)).toHaveLength(1);
    expect(text).toContain('  Codex I1: important, demoted to suggestion (Latent)');
  });

  it('escapes table cells and link labels', () => {
    const text = card({ reconciliation: [{ agent: { raw: 'A|B' }, from: 'x', to: 'merged', mergedInto: 'I2', reason: 'a | b', source: 'json' }] as never });
    expect(text).toContain('| A\\|B |  | x | merged into I2 | a \\| b |');
  });
});

describe('computeCitationCard', () => {
  it('shows at most twelve of the placed lines', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `l${i + 1}`);
    const text = computeCitationCard('a.ts:2-20', { uri: 'file:///ws/a.ts', line: 2, label: 'a.ts:2' }, { method: 'cited', range: { start: { line: 1, character: 0 }, end: { line: 19, character: 3 } } }, lines, 'typescript', 'markdown');
    expect(text).toContain('```typescript\nl2\n');
    expect(text).toContain('l13\n```\n… 7 more lines');
    expect(text).not.toContain('l14');
  });
});

describe('computeHoverFormat', () => {
  it('takes the first format the client names that we write, and plain text when it names none', () => {
    expect(computeHoverFormat({ textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } })).toBe('markdown');
    expect(computeHoverFormat({ textDocument: { hover: { contentFormat: ['plaintext', 'markdown'] } } })).toBe('plaintext');
    expect(computeHoverFormat({})).toBe('plaintext');
  });
});

describe('report citations', () => {
  const entry = (text: string, findings: unknown[] = []): ReportEntry => ({
    file: '/ws/.deep-review/r.md',
    root: '/ws',
    id: 'r',
    text,
    problems: [],
    stale: false,
    review: Review.parse({ schemaVersion: 1, findings }),
  });

  it('reads code spans with line numbers, and leaves prose, bare names without lines and directories alone', () => {
    const text = 'See `a/b.ts:3-4`, `c.go:7`, `Makefile`, `dir/`, `not a path:3`, `:5` and ``x.ts:1``.';
    expect(computeReportCitations(entry(text)).map((c) => text.slice(c.offset, c.offset + c.length))).toEqual(['a/b.ts:3-4', 'c.go:7', 'x.ts:1']);
  });

  it('never resolves a citation outside the workspace folder', async () => {
    const text = '`../../etc/passwd:1` and `/etc/passwd:1` and `x/../../y.ts:2`';
    const all = computeReportCitations(entry(text));
    const resolved = await Promise.all(all.map((c) => resolveCitation(entry(text), c, async () => true)));
    expect(resolved.every((r) => r === undefined)).toBe(true);
  });

  it('resolves a shortened path below the directories of the report\'s own citations, and follows no link out of the workspace', async () => {
    const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-cite-')));
    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-outside-')));
    try {
      mkdirSync(path.join(root, 'pkg/app/window'), { recursive: true });
      writeFileSync(path.join(root, 'pkg/app/window/index.ts'), 'x\n');
      writeFileSync(path.join(outside, 'secret.ts'), 'secret\n');
      symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'pkg/app/window/link.ts'));
      const text = '`pkg/app/window/prefs.ts:1` and `window/index.ts:69` and `window/link.ts:1`';
      const e = { ...entry(text, [{ id: 'S1', severity: 'suggestion', title: 't', locations: [{ path: 'pkg/app/window/prefs.ts', ranges: [{ start: 1, end: 1 }] }] }]), root };
      const citations = computeReportCitations(e);
      expect(citations[0]!.finding?.id).toBe('S1');
      const exists = async (file: string) => existsSync(file);
      const shortened = await resolveCitation(e, citations[1]!, exists);
      expect(shortened?.file).toBe(path.join(root, 'pkg/app/window/index.ts'));
      expect(shortened?.range).toEqual({ start: 69, end: 69 });
      expect(await resolveCitation(e, citations[2]!, exists)).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
