/**
 * The Resolution section and reconciliation events, in the forms of
 * FORMAT.md §6 and §7.
 */
import { describe, expect, it } from 'vitest';
import { report, reviewOf } from './fixtures.js';

const FINDINGS = `
## Important Issues

I1. **Race** — \`a.go:10-20\` [Codex GPT 5.4] [Claude Opus 4.6]

I2. **Leak** — \`b.go:5\` [Gemini 3.1 Pro]

## Suggestions

S1. **Nit** — \`c.go:1\` [Claude Opus 4.6]

S2. **Style** — \`d.go:2\` [Gemini 3.1 Pro, Gemini 3.5 Flash]

S3. **Doc** — \`e.go:3\` [Codex GPT 5.4]
`;

const retro = (statement: string) => reviewOf(report(`${FINDINGS}\n## Agent Performance Retro\n\n### Summary\n\n| | Claude |\n|---|---|\n| Downgraded | 1 (I→S) |\n\n${statement}\n`));
const eventsOf = (statement: string, id: string) =>
  retro(statement)
    .findings.find((f) => f.id === id)
    ?.reconciliation.map((e) => `${e.agent.model ?? e.agent.raw}|${e.pass ?? ''}|${e.agentLocalId ?? ''}|${e.from ?? ''}->${e.to}|${e.verb ?? ''}`);

describe('Resolution section', () => {
  const resolved = (table: string) =>
    reviewOf(report(`${FINDINGS}\n## Appendix: Original Reviews\n\n### [Claude]\n\nText.\n\n---\n\n## Resolution\n\n| | |\n|---|---|\n| **Addressed** | 2026-08-01 |\n| **Commit** | \`bb8a90a7b fix\` (amended into the original) |\n| **Scope** | I1, S1 |\n\n${table}\n\nNotes:\n- **S1 skipped**: later.\n`));

  it('reads the mini table and links rows to findings by "Important #N", "Suggestion SN" and "Important IN"', () => {
    const r = resolved(
      '| # | Finding | Action |\n|---|---------|--------|\n| 1 | Important #1: Race | Fixed |\n| 2 | Suggestion S3: Doc | Commented |\n| 3 | Important I2: Leak | Skipped (deferred to discovery-CM-cleanup pending-work) |\n| 4 | Testing Gap #2: race test | Test written |\n| 5 | Suggestion #2: Style | Auto-resolved by I2 |\n| 6 | Documentation Gap #1: docs | Documentation updated |',
    );
    expect(r.resolution).toMatchObject({ addressed: '2026-08-01', commit: '`bb8a90a7b fix` (amended into the original)', scope: 'I1, S1' });
    expect(r.resolution?.markdown).toContain('**S1 skipped**: later.');
    expect(r.resolution?.items.map((i) => [i.ref.kind, i.ref.id, i.action])).toEqual([
      ['important', '1', 'fixed'],
      ['suggestion', 'S3', 'commented'],
      ['important', 'I2', 'skipped'],
      ['testing-gap', '2', 'test-written'],
      ['suggestion', '2', 'auto-resolved'],
      ['documentation-gap', '1', 'documentation-updated'],
    ]);
    const res = (id: string) => r.findings.find((f) => f.id === id)?.resolution;
    expect(res('I1')).toEqual({ action: 'fixed', raw: 'Fixed', commit: '`bb8a90a7b fix` (amended into the original)', date: '2026-08-01' });
    expect(res('I2')).toMatchObject({ action: 'skipped', reason: 'deferred to discovery-CM-cleanup pending-work' });
    expect(res('S2')).toMatchObject({ action: 'auto-resolved', raw: 'Auto-resolved by I2' });
    expect(res('S3')?.action).toBe('commented');
    expect(res('S1')).toBeUndefined();
  });

  it('links each row of a long table to its own finding, by number, by id and by position', () => {
    const suggestions = Array.from({ length: 40 }, (_, i) => `S${i + 1}. **Nit ${i + 1}** — \`f${i}.go:1\` [Claude Opus 4.6]`).join('\n\n');
    const rows = Array.from({ length: 40 }, (_, i) => `| ${i + 1} | Suggestion ${i % 2 === 0 ? `#${i + 1}` : `S${i + 1}`}: Nit | ${i % 3 === 0 ? 'Skipped' : 'Fixed'} |`);
    const r = reviewOf(report(`## Suggestions\n\n${suggestions}\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n${rows.join('\n')}\n`));
    expect(r.findings.map((f) => `${f.id}:${f.resolution?.action}`)).toEqual(Array.from({ length: 40 }, (_, i) => `S${i + 1}:${i % 3 === 0 ? 'skipped' : 'fixed'}`));
  });

  it('reads a Reason column', () => {
    const r = resolved('| # | Finding | Action | Reason |\n|---|---|---|---|\n| 1 | Suggestion #1: Nit | Skipped | Out of scope |');
    expect(r.findings.find((f) => f.id === 'S1')?.resolution).toMatchObject({ action: 'skipped', reason: 'Out of scope' });
  });

  it('links "Important #N" to the N-th numbered finding', () => {
    const r = reviewOf(report('## Important Issues\n\n1. **A** — `a.go:1`\n\n2. **B** — `b.go:2`\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | Important #2: B | Fixed |\n'));
    expect(r.findings.map((f) => [f.id, f.resolution?.action])).toEqual([
      ['important-1', undefined],
      ['important-2', 'fixed'],
    ]);
  });

  it('keeps a prose Resolution placed after the Executive Summary as a section', () => {
    const r = reviewOf(report('## Executive Summary\n\nS.\n\n## Resolution\n\nI2 was fixed after this report, at `a424678c4`.\n\n' + FINDINGS));
    expect(r.resolution).toMatchObject({ items: [], markdown: 'I2 was fixed after this report, at `a424678c4`.' });
    expect(r.sections.map((s) => s.kind)).toEqual(['executive-summary', 'resolution']);
  });
});

describe('Reconciliation statement', () => {
  it.each([
    ['**Reconciliation.** Gemini C1 (template stall): critical → important I2. It stalls only once.'],
    ['**Reconciliation**: Gemini C1 (template stall): critical → important I2. It stalls only once.'],
    ['**Reconciliation** — Gemini C1 (template stall): critical → important I2. It stalls only once.'],
    ['Reconciliation: Gemini C1 (template stall): critical → important I2. It stalls only once.'],
    ['### Reconciliation\n\n- Gemini C1 (template stall): critical → important I2. It stalls only once.'],
  ])('reads %s', (statement) => {
    const r = retro(statement);
    const i2 = r.findings.find((f) => f.id === 'I2');
    expect(i2?.reconciliation).toEqual([
      {
        agent: { raw: 'Gemini', family: 'gemini', model: 'Gemini' },
        agentLocalId: 'C1',
        from: 'critical',
        to: 'important',
        verb: 'downgraded',
        reason: 'It stalls only once.',
        source: 'retro-reconciliation',
        raw: 'Gemini C1 (template stall): critical → important I2.',
      },
    ]);
  });

  it('reads arrows, verbs, passes, possessives and several agents per clause', () => {
    const statement = [
      '**Reconciliation** — Claude P1 `isEngineControllerEnabled` race: suggestion → important I1 (promoted; shared with Codex).',
      'Gemini pass-1 C2 (stall) downgraded from critical to important I2 — narrower than framed.',
      "Gemini 3.5 Flash's I2 and Gemini 3.1 Pro's I1 became S2 (suggestion) once the lock was read.",
      'Codex I1 (context asymmetry, graded Important) and Claude S4 both consolidated as S3 and downgraded to Suggestion.',
      "Codex's separator note: unnumbered → merged into S1.",
      'Gemini P1 invalid `@test` syntax: critical → dropped as false positive (file verified).',
      'Claude P1 stale-discovery cleanup: withdrawn by Claude itself during review.',
    ].join(' ');
    const r = retro(statement);
    const ev = (id: string) => r.findings.find((f) => f.id === id)?.reconciliation.map((e) => `${e.agent.model}|${e.pass ?? ''}|${e.agentLocalId ?? ''}|${e.from ?? ''}->${e.to}|${e.verb ?? ''}|${e.mergedInto ?? ''}`);
    expect(ev('I1')).toEqual(['Claude|1||suggestion->important|promoted|']);
    expect(r.findings.find((f) => f.id === 'I1')?.reconciliation[0]?.reason).toBe('promoted; shared with Codex');
    expect(ev('I2')).toEqual(['Gemini|1|C2|critical->important|downgraded|']);
    expect(ev('S2')).toEqual(['Gemini 3.5 Flash||I2|important->suggestion|became|', 'Gemini 3.1 Pro||I1|important->suggestion|became|']);
    expect(ev('S3')).toEqual(['Codex||I1|important->suggestion|consolidated as|', 'Claude||S4|suggestion->suggestion|consolidated as|']);
    expect(ev('S1')).toEqual(['Codex|||unnumbered->merged||S1']);
    // Dropped and withdrawn findings name no consolidated finding; they stay in the retro's Markdown.
    expect(r.findings.flatMap((f) => f.reconciliation).some((e) => e.to === 'dropped' || e.to === 'false-positive' || e.to === 'withdrawn')).toBe(false);
    expect(r.sections.find((s) => s.kind === 'retro')?.markdown).toContain('withdrawn by Claude itself');
  });

  it('resolves "Its" to the agent of the previous clause', () => {
    expect(eventsOf("**Reconciliation.** Gemini 3.5 Flash's C1 became I1 (important). Its I2 became S2 (suggestion).", 'S2')).toEqual([
      'Gemini 3.5 Flash||I2|important->suggestion|became',
    ]);
  });

  it('reads category relabels', () => {
    const r = retro('**Reconciliation.** Gemini 3.1 Pro\'s ContainerInfo finding (S2) was reclassified from "regression" to "gap": the literal was English before.');
    expect(r.findings.find((f) => f.id === 'S2')?.reconciliation[0]).toMatchObject({ categoryChange: { from: 'regression', to: 'gap' }, to: 'suggestion', verb: 'reclassified' });
  });
});

describe('reconciliation in a finding body', () => {
  const body = (text: string) => reviewOf(report(`## Suggestions\n\nS1. **T** — \`a.go:1\` [Codex GPT 5.4]\n\n${text}\n`)).findings[0]?.reconciliation ?? [];

  it('reads "Demoted from Claude\'s Important: …"', () => {
    expect(body("Demoted from Claude's Important: the fall-through does surface an error.")).toEqual([
      {
        agent: { raw: 'Claude', family: 'claude', model: 'Claude' },
        from: 'important',
        to: 'suggestion',
        verb: 'demoted',
        reason: 'the fall-through does surface an error.',
        source: 'finding-body',
        raw: "Demoted from Claude's Important: the fall-through does surface an error.",
      },
    ]);
  });

  it('reads "Downgraded from Gemini\'s CRITICAL to IMPORTANT: …"', () => {
    expect(body("Downgraded from Gemini's CRITICAL to IMPORTANT: it self-heals.")[0]).toMatchObject({ from: 'critical', to: 'important', verb: 'downgraded', reason: 'it self-heals.' });
  });

  it('reads ratings of several reviewers and the reason that follows', () => {
    const events = body('Gemini rated this critical; Codex and Claude graded it important. The actual severity is a suggestion: `x` is rare.');
    expect(events.map((e) => `${e.agent.family}:${e.from}->${e.to}:${e.verb}`)).toEqual([
      'gemini:critical->suggestion:rated',
      'codex:important->suggestion:graded',
      'claude:important->suggestion:graded',
    ]);
    expect(events[0]?.reason).toBe('The actual severity is a suggestion: `x` is rare.');
  });

  it('reads "independently flagged … (as S1 …)"', () => {
    expect(body('Codex originally traced this as Important; Claude independently flagged the same ordering (as S1 "`x` queries y").').map((e) => `${e.agent.family}:${e.agentLocalId ?? ''}:${e.from}`)).toEqual([
      'codex::important',
      'claude:S1:suggestion',
    ]);
  });
});

describe('reconciliation from the appendix', () => {
  it("matches an agent's own finding by reviewer, file and lines, and reports what became of its severity", () => {
    const r = reviewOf(
      report(`${FINDINGS}
## Appendix: Original Reviews

### [Gemini] — Pass 1

#### Critical Issues

C1. **Leak of b** — \`pkg/b.go:4-6\` (critical, regression)

#### Important Issues

I1. **Unrelated** — \`z.go:1\`

### [Codex] — Pass 1

**Findings**

**IMPORTANT** a.go:12 — Race in a
`),
    );
    const ev = (id: string) => r.findings.find((f) => f.id === id)?.reconciliation;
    expect(ev('I2')).toEqual([
      {
        agent: { raw: '[Gemini] — Pass 1', family: 'gemini', model: 'Gemini' },
        pass: 1,
        agentLocalId: 'C1',
        from: 'critical',
        to: 'important',
        verb: 'downgraded',
        source: 'appendix',
        raw: 'C1. **Leak of b** — `pkg/b.go:4-6` (critical, regression)',
      },
    ]);
    expect(ev('I1')?.map((e) => `${e.agent.family}:${e.from}->${e.to}:${e.verb}`)).toEqual(['codex:important->important:kept']);
    // Gemini's I1 cites a file no finding crediting Gemini cites.
    expect(r.findings.flatMap((f) => f.reconciliation).filter((e) => e.agentLocalId === 'I1')).toEqual([]);
  });

  it('matches citations by their paths, not by the file name alone', () => {
    const r = reviewOf(
      report(`## Important Issues

I1. **Race in the server** — \`./server/a.go:10-20\` [Claude Opus 4.6]

I2. **Race in the client** — \`client/a.go:10-20\` [Claude Opus 4.6]

## Appendix: Original Reviews

### [Claude] — Pass 1

C1. **Race in the server** — \`server/a.go:12\` (critical, regression)

S1. **Race in the client** — \`other/a.go:12\` (suggestion, gap)
`),
    );
    expect(r.findings.map((f) => [f.id, f.reconciliation.map((e) => `${e.agentLocalId}:${e.from}->${e.to}`)])).toEqual([
      ['I1', ['C1:critical->important']],
      ['I2', []],
    ]);
  });
});
