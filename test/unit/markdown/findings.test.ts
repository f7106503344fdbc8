/**
 * Consolidated findings in every written form of FORMAT.md §5: id styles,
 * header-line grammar, citations, agents, tags and notes, snippets, fixes,
 * fenced-block roles, strike-through and per-finding resolution marks.
 */
import { describe, expect, it } from 'vitest';
import { findings, only } from './fixtures.js';

const important = (line: string, body = '') => only(`## Important Issues\n\n${line}\n\n${body}`);
const locs = (citation: string) => important(`I1. **Title** — ${citation} [Claude Opus 4.7]`).locations;

describe('id styles', () => {
  it('reads lettered ids as written', () => {
    const all = findings('## Critical Issues\n\nC1. **A** — `a.go:1`\n\n## Important Issues\n\nI1. **B** — `b.go:2`\n\nI2. **C** — `c.go:3`\n');
    expect(all.map((f) => [f.id, f.severity, f.idStyle, f.ordinal])).toEqual([
      ['C1', 'critical', 'letter', 1],
      ['I1', 'important', 'letter', 1],
      ['I2', 'important', 'letter', 2],
    ]);
  });

  it('names numbered findings after their section and written number', () => {
    const all = findings('## Important Issues\n\n1. **A** — `a.go:1` [Claude Opus 4.6] (important, regression)\n\nBody.\n\n2. **B** -- `b.go:2` [Codex GPT 5.4]\n\n## Suggestions\n\n1. **C** — `c.go:3`\n');
    expect(all.map((f) => [f.id, f.idStyle, f.ordinal, f.title])).toEqual([
      ['important-1', 'number', 1, 'A'],
      ['important-2', 'number', 2, 'B'],
      ['suggestion-1', 'number', 1, 'C'],
    ]);
    expect(all[0]?.body).toBe('Body.');
  });

  it('names bracketed findings after their section and position, with the citation from the bold title', () => {
    const all = findings('### Critical Findings\n\n**[CRITICAL] app_controller.go:58 — Finalizer stripped** [Codex GPT 5.4, Gemini 3.1 Pro]\n\nProblem: x.\n\nFix: y.\n\n---\n\n**[CRITICAL] a.go:1 + b.go:2 — Second** [Claude Opus 4.6]\n');
    expect(all.map((f) => [f.id, f.idStyle, f.title])).toEqual([
      ['critical-1', 'bracket', 'Finalizer stripped'],
      ['critical-2', 'bracket', 'Second'],
    ]);
    expect(all[0]?.locations).toEqual([{ raw: 'app_controller.go:58', path: 'app_controller.go', pathKind: 'basename', ranges: [{ start: 58, end: 58 }] }]);
    expect(all[1]?.locations.map((l) => l.path)).toEqual(['a.go', 'b.go']);
    expect(all[0]?.body).toBe('Problem: x.\n\nFix: y.');
  });

  it('reads the id inside the bold, with a citation and tag swallowed by it', () => {
    const f = important('**I1. Panic recovery does not wake — `pkg/w.go:117-121` (important, regression)**');
    expect(f).toMatchObject({ id: 'I1', title: 'Panic recovery does not wake', tagRaw: '(important, regression)' });
    expect(f.locations[0]?.ranges).toEqual([{ start: 117, end: 121 }]);
  });

  it('does not read a bold lead-in of a numbered body list as a finding', () => {
    const all = findings('## Suggestions\n\nS4. **Two concerns** — `a.go:1`\n\n1. **Hardcoded directory**: text\n2. **Swallowed error**: text\n\nS5. **Next** — `b.go:2`\n');
    expect(all.map((f) => f.id)).toEqual(['S4', 'S5']);
    expect(all[0]?.body).toContain('1. **Hardcoded directory**: text');
  });

  it('keeps a plain item of a list of numbered findings in the body of the finding before it', () => {
    const all = findings('## Important Issues\n\n1. **A** — `a.go:1` [Claude Opus 4.6]\n2. A plain remark.\n3. **B** — `b.go:2` [Claude Opus 4.6]\n');
    expect(all.map((f) => [f.id, f.body])).toEqual([
      ['important-1', '2. A plain remark.'],
      ['important-3', ''],
    ]);
  });

  it('ends a finding body at a --- separator and at a heading', () => {
    const all = findings('## Suggestions\n\nS1. **A** — `a.go:1`\n\nBody A.\n\n---\n\n## Design Observations\n\nNot a body.\n');
    expect(all[0]?.body).toBe('Body A.');
    expect(all[0]?.span).toEqual({ startLine: 9, endLine: 11 });
  });
});

describe('header line', () => {
  it('keeps the header line as written', () => {
    expect(important('I1. **T** — `a.go:1` [Claude Opus 4.7]').raw).toBe('I1. **T** — `a.go:1` [Claude Opus 4.7]');
  });
  it('accepts a location-less header, with agents only or nothing at all', () => {
    expect(important('I1. **T** — [Claude Opus 4.6]')).toMatchObject({ locations: [], agents: [{ model: 'Claude Opus 4.6' }] });
    expect(important('I1. **T**')).toMatchObject({ locations: [], agents: [] });
  });
  it('accepts the tag before or after the agents, and agents in backticks', () => {
    expect(important('1. **T** — `a.go:1` (important, regression) [Claude Opus 4.6]')).toMatchObject({ category: 'regression', agents: [{ family: 'claude' }] });
    expect(important('I1. **T** — `a.go:1` `[Claude Opus 4.6]`')).toMatchObject({ agents: [{ model: 'Claude Opus 4.6' }] });
  });
  it('hands prose that follows the agents on the same line to the body', () => {
    const f = important('I1. **T** — `a.go:1` [Claude Opus 4.6]. `deleteAllOfType` calls it.', 'More.');
    expect(f.body).toBe('`deleteAllOfType` calls it.\nMore.');
    expect(f.agents).toHaveLength(1);
  });
});

describe('citations', () => {
  it.each([
    ['`pkg/cli/exit/exit.go:57-66`', [{ path: 'pkg/cli/exit/exit.go', pathKind: 'repo-relative', ranges: [{ start: 57, end: 66 }] }]],
    ['`limavm_controller.go:515`', [{ path: 'limavm_controller.go', pathKind: 'basename', ranges: [{ start: 515, end: 515 }] }]],
    ['`a/b.ts:529–535`', [{ path: 'a/b.ts', ranges: [{ start: 529, end: 535 }] }]],
    ['`m.go:105-112,200-202`', [{ path: 'm.go', ranges: [{ start: 105, end: 112 }, { start: 200, end: 202 }] }]],
    ['`d.ts:92,98,239`', [{ path: 'd.ts', ranges: [{ start: 92, end: 92 }, { start: 98, end: 98 }, { start: 239, end: 239 }] }]],
    ['`cmd/rdd/service.go:98-110, 262-282`', [{ path: 'cmd/rdd/service.go', ranges: [{ start: 98, end: 110 }, { start: 262, end: 282 }] }]],
    ['`pkg/yqlib/operator_multiply_test.go`', [{ path: 'pkg/yqlib/operator_multiply_test.go', pathKind: 'repo-relative', ranges: [] }]],
    ['`bats/tests/20-service/`', [{ path: 'bats/tests/20-service/', pathKind: 'directory', ranges: [] }]],
    ['`cmd/rdd/service.go:99` … `:267`', [{ path: 'cmd/rdd/service.go', ranges: [{ start: 99, end: 99 }] }, { raw: ':267', path: 'cmd/rdd/service.go', ranges: [{ start: 267, end: 267 }] }]],
    ['`a.go:1`, `b.go:2`', [{ path: 'a.go' }, { path: 'b.go' }]],
    ['`a.go:1`; `b.go:2`', [{ path: 'a.go' }, { path: 'b.go' }]],
    ['`template.xml:171`, also `poc/autounattend.xml:171` and `run.sh:59-60`', [{ path: 'template.xml' }, { path: 'poc/autounattend.xml' }, { path: 'run.sh', ranges: [{ start: 59, end: 60 }] }]],
    ['`old.go:3` vs `new.go:4`', [{ path: 'old.go' }, { path: 'new.go' }]],
    ['`27b856a46:scripts/dependencies/lima.ts:168-172`', [{ path: 'scripts/dependencies/lima.ts', pathKind: 'commit-qualified', commit: '27b856a46', ranges: [{ start: 168, end: 172 }] }]],
    ['commit `ae6bc38`', [{ raw: 'commit `ae6bc38`', pathKind: 'non-file', commit: 'ae6bc38', ranges: [] }]],
    ['PR title and body', [{ raw: 'PR title and body', pathKind: 'non-file', ranges: [] }]],
    ['`PR description`', [{ raw: 'PR description', pathKind: 'non-file', ranges: [] }]],
  ])('reads %s', (citation, expected) => {
    const got = locs(citation);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toMatchObject(e));
  });

  it('reads a commit-qualified citation inside a note', () => {
    const f = important('S4. **Gone** — `scripts/lima.ts` (deleted lines per diff vs `27b856a46:scripts/lima.ts:168-172`) [Claude Opus 4.7]');
    expect(f.locations.map((l) => l.pathKind)).toEqual(['repo-relative', 'commit-qualified']);
    expect(f.notes).toEqual(['(deleted lines per diff vs `27b856a46:scripts/lima.ts:168-172`)']);
  });
});

describe('agents', () => {
  it('reads comma lists, several brackets and model families', () => {
    const f = important('I1. **T** — `a.go:1` [Claude Opus 4.6, Codex GPT 5.4] [Gemini 3.1 Pro] [Qwen 3.6 35B, Gemma4 31B, GLM-4.7 Flash]');
    expect(f.agents.map((a) => [a.family, a.model])).toEqual([
      ['claude', 'Claude Opus 4.6'],
      ['codex', 'Codex GPT 5.4'],
      ['gemini', 'Gemini 3.1 Pro'],
      ['qwen', 'Qwen 3.6 35B'],
      ['gemma', 'Gemma4 31B'],
      ['glm', 'GLM-4.7 Flash'],
    ]);
  });
  it.each([
    ['[orchestrator]', { role: 'orchestrator' }],
    ['[Consolidator]', { role: 'consolidator' }],
    ['[consolidator]', { role: 'consolidator' }],
    ['[consolidation]', { role: 'consolidator' }],
    ['[Gemini 3.1 Pro, verified]', { family: 'gemini' }],
    ['[Claude Opus 4.6 (as S5)]', { family: 'claude', model: 'Claude Opus 4.6', qualifier: 'as S5' }],
  ])('reads %s', (bracket, expected) => {
    expect(important(`I1. **T** — \`a.go:1\` ${bracket}`).agents[0]).toMatchObject(expected);
  });
  it('reads `(pass 2: [Claude Opus 4.6])` as a qualified agent', () => {
    const f = important('I1. **T** — `a.go:1` (pass 2: [Claude Opus 4.6])');
    expect(f.agents).toEqual([{ raw: 'Claude Opus 4.6', family: 'claude', model: 'Claude Opus 4.6', qualifier: 'pass 2' }]);
    expect(f.notes).toEqual(['(pass 2)']);
  });
  it('does not take a bracket that names no reviewer for attribution', () => {
    expect(important('I1. **T** — `a.go:1` [sic]')).toMatchObject({ agents: [], notes: ['[sic]'] });
  });
});

describe('tags and notes', () => {
  it('reads the tag in the header, on a plain or italic body line, or at the end of a paragraph', () => {
    expect(important('I1. **T** — `a.go:1` (important, gap)').tagRaw).toBe('(important, gap)');
    expect(important('I1. **T** — `a.go:1`', 'Body.\n\n(important, regression)')).toMatchObject({ tagRaw: '(important, regression)', category: 'regression', body: 'Body.\n\n(important, regression)' });
    expect(important('I1. **T** — `a.go:1`', '*(important, regression — `Classify` is new in this PR.)*')).toMatchObject({
      tagRaw: '(important, regression — `Classify` is new in this PR.)',
      category: 'regression',
    });
    expect(important('I1. **T** — `a.go:1`', 'It happens at much smaller values. (important, enhancement)').category).toBe('enhancement');
    expect(important('I1. **T** — `a.go:1` (gap)').category).toBe('gap');
    expect(important('I1. **T** — `a.go:1` (suggestion, code clarity)').category).toBe('code clarity');
  });
  it('keeps other parenthetical notes, plain or italic', () => {
    expect(important('1. **T** — `a.go:1` (important, regression) [Claude Opus 4.6] (pass 2)').notes).toEqual(['(pass 2)']);
    expect(important('I4. **T** — `a.go:1` [Gemini 3.1 Pro] (downgraded from critical — see Reconciliation)').notes).toEqual(['(downgraded from critical — see Reconciliation)']);
    expect(important('1. **T** [Codex GPT 5.4] *(deferred to upstream)*').notes).toEqual(['(deferred to upstream)']);
  });
  it.each([
    ['(round 5 S2 unaddressed)', [{ round: 5, localId: 'S2', relation: 'unaddressed' }]],
    ['(Round 4 S3 partially unaddressed)', [{ round: 4, localId: 'S3', relation: 'partially-unaddressed' }]],
    ['(extends round 2 S2)', [{ round: 2, localId: 'S2', relation: 'extends' }]],
    ['(round 7 S6 deferred)', [{ round: 7, localId: 'S6', relation: 'deferred' }]],
    ['(Round 4 S1 related)', [{ round: 4, localId: 'S1', relation: 'related' }]],
    ['(round 2 S6, round 1 S5 unaddressed)', [{ round: 2, localId: 'S6', relation: 'unaddressed' }, { round: 1, localId: 'S5', relation: 'unaddressed' }]],
    ['(Round 4 S2/S4 unaddressed)', [{ round: 4, localId: 'S2' }, { round: 4, localId: 'S4' }]],
    ['(R5-I3 regressed)', [{ round: 5, localId: 'I3', relation: 'regressed' }]],
  ])('reads the prior-round reference %s', (note, expected) => {
    const f = important(`S1. **T** — \`a.go:1\` [Claude Opus 4.7] ${note}`);
    expect(f.priorRefs).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(f.priorRefs[i]).toMatchObject({ ...e, raw: note }));
    expect(f.notes).toEqual([note]);
  });
  it('reads a prior-round reference inside a tag', () => {
    expect(important('S1. **T** — `a.go:1` (suggestion, enhancement, round 1 S5 unaddressed)')).toMatchObject({
      category: 'enhancement',
      priorRefs: [{ round: 1, localId: 'S5', relation: 'unaddressed' }],
    });
  });
});

describe('snippets, blocks and fixes', () => {
  const fence = (info: string, text: string) => `\`\`\`${info}\n${text}\n\`\`\``;

  it('takes a first block as the snippet and the first location\'s anchor text, without a path comment', () => {
    const f = important('I1. **T** — `pkg/a.go:10-12`, `b.go:3`', fence('go', '// pkg/a.go:10-12\nfoo()\nbar()') + '\n\nProse.');
    expect(f.snippet).toEqual({ info: 'go', lang: 'go', role: 'snippet', text: '// pkg/a.go:10-12\nfoo()\nbar()' });
    expect(f.locations[0]?.anchorText).toBe('foo()\nbar()');
    expect(f.locations[1]?.anchorText).toBeUndefined();
  });
  it('does not take a block after prose as the snippet', () => {
    expect(important('I1. **T** — `a.go:1`', 'Prose.\n\n' + fence('go', 'x()')).snippet).toBeUndefined();
  });
  it.each([
    ['Fix: do it.', 'Fix'],
    ['**Fix:** do it.', 'Fix'],
    ['**Fix**: do it.', 'Fix'],
    ['Fix (optional): do it.', 'Fix (optional)'],
    ['Fix (follow-up): do it.', 'Fix (follow-up)'],
    ['Fix — make `KillTree` return nil:', 'Fix'],
  ])('reads the fix label of "%s"', (paragraph, label) => {
    const f = important('I1. **T** — `a.go:1`', `Problem.\n\n${paragraph}`);
    expect(f.fix).toMatchObject({ label, markdown: paragraph, diffs: [], options: [] });
  });
  it('does not read "Fixed." or "Two cheap fixes:" as a fix label', () => {
    expect(important('I1. **T** — `a.go:1`', 'Fixed. Done.').fix).toBeUndefined();
    expect(important('I1. **T** — `a.go:1`', 'Two cheap fixes:').fix).toBeUndefined();
  });
  it('reads numbered fix options', () => {
    const f = important('I1. **T** — `a.go:1`', 'Fix options, in order of preference:\n1. Move it.\n2. Precompute it\n   across lines.\n3. Guard it.');
    expect(f.fix).toMatchObject({ label: 'Fix options, in order of preference', options: ['Move it.', 'Precompute it\nacross lines.', 'Guard it.'] });
  });
  it.each([
    ['plusminus', fence('diff', '-old()\n+new()')],
    ['unified-context', fence('diff', ' keep()\n-old()\n+new()')],
    ['unified-hunks', fence('diff', '@@ -10,2 +10,2 @@\n-old()\n+new()')],
    ['git-patch', fence('diff patch', 'diff --git a/x.ts b/x.ts\nindex 1..2 100644\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-a\n+b')],
    ['git-patch', fence('diff', 'diff --git a/y.go b/y.go\n--- a/y.go\n+++ b/y.go\n@@ -1 +1 @@\n-a\n+b')],
  ])('classifies a %s diff after the label', (format, block) => {
    const f = important('I1. **T** — `a.go:1`', `Fix:\n\n${block}`);
    expect(f.fix?.diffs.map((d) => d.format)).toEqual([format]);
    expect(f.blocks.at(-1)?.role).toBe(format === 'git-patch' && block.includes('diff patch') ? 'patch' : 'fix');
  });
  it('names the files of a git patch', () => {
    const f = important('I1. **T** — `a.go:1`', `Fix:\n\n${fence('diff patch', 'diff --git a/x.ts b/x.ts\nnew file mode 100644\ndiff --git a/y.ts b/y.ts')}`);
    expect(f.fix?.diffs[0]?.files).toEqual(['x.ts', 'y.ts']);
  });
  it('keeps code given as the fix as replacement code', () => {
    const f = important('I1. **T** — `a.go:1`', `Fix: split it:\n\n${fence('go', 'apply()')}`);
    expect(f.fix?.replacementCode).toEqual([{ info: 'go', lang: 'go', role: 'fix', text: 'apply()' }]);
  });
  it('takes a diff without a Fix label as the fix, with an empty label', () => {
    const f = important('I1. **T** — `a.go:1`', `Prose.\n\n${fence('diff', '-a\n+b')}`);
    expect(f.fix).toMatchObject({ label: '', diffs: [{ format: 'plusminus' }] });
  });
  it('gives repro blocks their roles', () => {
    const f = important('I1. **T** — `a.go:1`', `Prose.\n\n${fence('bash repro', 'run')}\n\n${fence('text repro-output', '$ run\nok')}\n\n${fence('go repro', 'func TestX() {}')}`);
    expect(f.blocks.map((b) => [b.info, b.lang, b.role])).toEqual([
      ['bash repro', 'bash', 'repro'],
      ['text repro-output', 'text', 'repro-output'],
      ['go repro', 'go', 'repro'],
    ]);
  });
});

describe('strike-through and resolution marks', () => {
  it('reads a whole struck header with "-- FIXED: …"', () => {
    const f = important('~~2. **Signal failure leaves VM driver alive** -- FIXED: both now call `stopInstanceForcibly`.~~');
    expect(f).toMatchObject({
      id: 'important-2',
      title: 'Signal failure leaves VM driver alive',
      struck: { kind: 'struck', reason: 'FIXED: both now call `stopInstanceForcibly`.' },
      resolution: { action: 'fixed', reason: 'both now call `stopInstanceForcibly`.' },
    });
  });
  it('reads a struck title marked INVALID', () => {
    expect(important('2. ~~**Manual LimaVM deletion deadlocks**~~ **INVALID** — the finalizer is removed first.')).toMatchObject({
      id: 'important-2',
      title: 'Manual LimaVM deletion deadlocks',
      struck: { kind: 'invalid', reason: 'the finalizer is removed first.' },
    });
  });
  it('reads a withdrawn finding', () => {
    expect(important('**[IMPORTANT] a.go:1 — Leak** [Gemini 3.1 Pro]', 'Problem: x.\n\n*(Withdrawn — not an issue.)*').struck).toEqual({ kind: 'withdrawn', reason: 'Withdrawn — not an issue.' });
  });
  it('gives a struck finding that keeps an old number a -struck id beside the renumbered live one', () => {
    const all = findings('## Suggestions\n\n1. **A** — `a.go:1`\n\n~~2. **B** -- FIXED: done.~~\n\n2. **C** — `c.go:3`\n');
    expect(all.map((f) => f.id)).toEqual(['suggestion-1', 'suggestion-2-struck', 'suggestion-2']);
  });
  it.each([
    ['**Skipped.** Left for a follow-up.', { action: 'skipped', reason: 'Left for a follow-up.' }],
    ['**Fixed.**', { action: 'fixed' }],
    ['**Fixed** (wording only).', { action: 'fixed', reason: '(wording only).' }],
    ['**Documented.** The doc comment says so.', { action: 'documented', reason: 'The doc comment says so.' }],
  ])('reads the mark "%s"', (mark, expected) => {
    const f = important('I1. **T** — `a.go:1`', `Fix: x.\n\n${mark}`);
    expect(f.resolution).toMatchObject({ ...expected, raw: mark.replace(/\*\*/g, '') });
    expect(f.fix?.markdown).toBe('Fix: x.');
  });
});
