/**
 * Report fidelity on reports the reader had not seen (issue "Report fidelity on
 * reports we have not seen"): each test is written from one item of that issue,
 * with a fixture of its own where the corpus does not show the pattern.
 */
import { describe, expect, it } from 'vitest';
import type { ReconciliationEvent } from '../../../server/src/model/review.js';
import { findings, only, read, report, reviewOf } from './fixtures.js';

const appendixEvents = (events: ReconciliationEvent[]) => events.filter((e) => e.source === 'appendix').map((e) => `${e.agent.model}:${e.agentLocalId ?? '-'}:${e.from}->${e.to}`);

/** A report with consolidated sections and an appendix of the agents' own reviews. */
function withAppendix(consolidated: string, appendix: string): string {
  return report(`${consolidated.trim()}\n\n## Appendix: Original Reviews\n\n${appendix.trim()}\n`);
}

describe('appendix findings in the forms agents write them', () => {
  it('reads a header wholly in bold: 1. **title — `path:94-126` (important, regression)**', () => {
    const r = reviewOf(
      withAppendix(
        '## Important Issues\n\nI1. **Cleanup races the watcher** — `pkg/a/watch.go:94-126` [Codex GPT 5.4]\n\nBody.',
        '### [Codex GPT 5.4]\n\n## Findings\n\n1. **Cleanup races the watcher goroutine — `pkg/a/watch.go:94-126` (important, regression)**\n\nText.',
      ),
    );
    expect(appendixEvents(r.findings[0]!.reconciliation)).toEqual(['Codex GPT 5.4:-:important->important']);
  });

  it('reads H5 headings, bold or not: ##### I1. **title** — `loc` (...) and ##### C1. title — `loc`', () => {
    const r = reviewOf(
      withAppendix(
        '## Important Issues\n\nI1. **Restart bypasses cleanup** — `cmd/shutdown.go:81` [Gemini 3.5 Flash]\n\nBody.\n\nI2. **Tray clicks schedule relaunches** — `main/tray.ts:97-100` [Gemini 3.5 Flash]\n\nBody.',
        '### [Gemini 3.5 Flash]\n\n#### Critical Issues\n\n##### C1. Restart bypasses process cleanup when crashed — `cmd/shutdown.go:81`\n\nText.\n\n#### Important Issues\n\n##### I1. **Duplicate tray clicks schedule relaunches** — `main/tray.ts:97-100` (important, regression)\n\nText.',
      ),
    );
    expect(appendixEvents(r.findings[0]!.reconciliation)).toEqual(['Gemini 3.5 Flash:C1:critical->important']);
    expect(appendixEvents(r.findings[1]!.reconciliation)).toEqual(['Gemini 3.5 Flash:I1:important->important']);
  });

  it('reads locations written as Markdown links: [path](/abs/path/to/file):N-M', () => {
    const r = reviewOf(
      withAppendix(
        '## Suggestions\n\nS1. **PID file read twice** — `pkg/lifecycle.go:68-70` [Codex GPT 5.4]\n\nBody.',
        '### [Codex GPT 5.4]\n\nS1. **The PID file is read twice** — [pkg/lifecycle.go](/Users/me/git/repo/pkg/lifecycle.go):68-70 (suggestion, gap)\n\nS2. **Another** — [lifecycle.go:90](/Users/me/git/repo/pkg/lifecycle.go#L90) (suggestion, gap)',
      ),
    );
    expect(appendixEvents(r.findings[0]!.reconciliation)).toEqual(['Codex GPT 5.4:S1:suggestion->suggestion']);
  });
});

describe('locations', () => {
  it('reads bare un-backticked citations and their range continuations: rsync.go:72-80, 120-136', () => {
    const f = only('## Important Issues\n\nI1. **Copies twice** — rsync.go:72-80, 120-136 [Claude Opus 4.7]\n\nBody.');
    expect(f.locations).toEqual([
      { raw: 'rsync.go:72-80, 120-136', path: 'rsync.go', pathKind: 'basename', ranges: [{ start: 72, end: 80 }, { start: 120, end: 136 }] },
    ]);
    expect(f.agents.map((a) => a.model)).toEqual(['Claude Opus 4.7']);
  });

  it('reads approximate ranges and marks them: `defaults.go:~325-340`', () => {
    const f = only('## Suggestions\n\nS1. **Defaults drift** — `pkg/defaults.go:~325-340` [Claude Opus 4.7]\n\nBody.');
    expect(f.locations[0]).toMatchObject({ path: 'pkg/defaults.go', ranges: [{ start: 325, end: 340, approximate: true }] });
  });
});

const events = (events: ReconciliationEvent[]) => events.map((e) => `${e.agent.model}:${e.agentLocalId ?? '-'}:${e.from}->${e.to}:${e.source}`);
const retro = (statement: string) => `## Agent Performance Retro\n\n**Reconciliation.** ${statement}`;
const REVIEWERS = ['| **Date** | 2026-04-22 15:04 |', '| **Reviewers** | Claude Opus 4.7 (effort: xhigh), Codex GPT 5.4 (effort: high), Gemini 3.5 Flash (effort: default) |'];

describe('reconciliation linking: the retro\'s explicit mappings first', () => {
  it('takes `Claude S6 (...) → promoted to **I5** because ...`, and the appendix adds no second event for Claude S6', () => {
    const r = reviewOf(
      report(
        `## Important Issues\n\nI5. **Stale comment misleads callers** — \`pkg/watch.go:10-12\` [Claude Opus 4.7]\n\nBody.\n\n${retro('Claude S6 (stale comment in `watch.go`) → promoted to **I5** because the comment misleads every caller.')}\n\n## Appendix: Original Reviews\n\n### [Claude Opus 4.7]\n\nS6. **Stale comment in watch loop** — \`pkg/watch.go:10-12\` (suggestion, gap)`,
        REVIEWERS,
      ),
    );
    expect(events(r.findings[0]!.reconciliation)).toEqual(['Claude:S6:suggestion->important:retro-reconciliation']);
  });

  it('takes `Claude I3 (...) → **S5** (...)`', () => {
    const r = reviewOf(report(`## Suggestions\n\nS5. **Message asymmetry** — \`a.go:3\` [Claude Opus 4.7]\n\nBody.\n\n${retro('Claude I3 (`watchUntil` asymmetry) → **S5** (message symmetry only).')}`, REVIEWERS));
    expect(events(r.findings[0]!.reconciliation)).toEqual(['Claude:I3:important->suggestion:retro-reconciliation']);
  });

  it('takes clauses with two subjects, naming a reviewer by the short name the report gives it (`Flash`)', () => {
    const r = reviewOf(
      report(`## Critical Issues\n\nC1. **Data loss on restart** — \`a.go:3\` [Codex GPT 5.4, Gemini 3.5 Flash]\n\nBody.\n\n${retro('Codex I1 and Flash I1 were raised as important and consolidated into C1.')}`, REVIEWERS),
    );
    expect(events(r.findings[0]!.reconciliation)).toEqual(['Codex:I1:important->merged:retro-reconciliation', 'Gemini 3.5 Flash:I1:important->merged:retro-reconciliation']);
  });

  it('takes splits (`Flash\'s S1 was split: ... merged into S1`) and design-observation promotions', () => {
    const r = reviewOf(
      report(
        `## Important Issues\n\nI3. **Retries lose data** — \`r.go:9\` [Gemini 3.5 Flash]\n\nBody.\n\n## Suggestions\n\nS1. **Timeout too short** — \`t.go:4\` [Gemini 3.5 Flash]\n\nBody.\n\n${retro("Flash's S1 was split: the timeout half merged into S1, the rest dropped. Flash's design observation on retries was promoted to I3 because it loses data.")}`,
        REVIEWERS,
      ),
    );
    expect(events(r.findings[1]!.reconciliation)).toEqual(['Gemini 3.5 Flash:S1:suggestion->merged:retro-reconciliation']);
    expect(events(r.findings[0]!.reconciliation)).toEqual(['Gemini 3.5 Flash:-:design-observation->important:retro-reconciliation']);
  });

  it('takes "+1 dup" merges: the duplicate named after the target was merged into it', () => {
    const r = reviewOf(report(`## Suggestions\n\nS2. **Log level too low** — \`log.go:7\` [Codex GPT 5.4, Claude Opus 4.7]\n\nBody.\n\n${retro('Codex S3 (log level) → S2 (+1 dup: Claude S1).')}`, REVIEWERS));
    expect(events(r.findings[0]!.reconciliation)).toEqual(['Codex:S3:suggestion->suggestion:retro-reconciliation', 'Claude:S1:suggestion->merged:retro-reconciliation']);
  });

  it('lets an agent finding the retro drops as a false positive yield no event, even where it would match', () => {
    const r = reviewOf(
      report(
        `## Suggestions\n\nS1. **Quoting in the timeout wrapper** — \`scripts/run.sh:200-204\` [Gemini 3.5 Flash]\n\nBody.\n\n${retro('Gemini 3.5 Flash C1 (bash syntax error) rejected as a false positive after reading the script.')}\n\n## Appendix: Original Reviews\n\n### [Gemini 3.5 Flash]\n\nC1. **Syntax error in the timeout wrapper** — \`scripts/run.sh:202\` (critical, regression)`,
        REVIEWERS,
      ),
    );
    expect(r.findings[0]!.reconciliation).toEqual([]);
  });

  it('completes a retro event that names no id from the agent finding it describes: one event, never two', () => {
    const r = reviewOf(
      report(
        `## Suggestions\n\nS1. **A re-assert cannot restore the record** — \`scanner.go:353-354\` [Claude Opus 4.7]\n\nBody.\n\n${retro("One severity change: Claude's `reassert` sentinel finding, important → suggestion S1, because the leak predates the change.")}\n\n## Appendix: Original Reviews\n\n### [Claude Opus 4.7]\n\nI1. **\`reassert\` treats the sentinel as nothing to do** — \`scanner.go:370\` (important, gap)`,
        REVIEWERS,
      ),
    );
    expect(events(r.findings[0]!.reconciliation)).toEqual(['Claude:I1:important->suggestion:retro-reconciliation']);
  });
});

describe('reconciliation linking: the appendix by title and credited agents', () => {
  it('lets a whole-file citation lose to a line-level one', () => {
    const r = reviewOf(
      withAppendix(
        '## Suggestions\n\nS1. **Package lacks a doc comment** — `pkg/a.go` [Claude Opus 4.7]\n\nBody.\n\nS2. **Shutdown hangs** — `pkg/a.go:10-20` [Claude Opus 4.7]\n\nBody.',
        '### [Claude Opus 4.7]\n\nC1. **Channel never closed** — `pkg/a.go:12` (critical, regression)',
      ),
    );
    expect(r.findings.map((f) => [f.id, appendixEvents(f.reconciliation)])).toEqual([
      ['S1', []],
      ['S2', ['Claude Opus 4.7:C1:critical->suggestion']],
    ]);
  });

  it('matches a consolidated finding whose only target is a commit by its title', () => {
    const r = reviewOf(
      withAppendix(
        '## Suggestions\n\nS1. **Commit message misdescribes the change** — commit `ae6bc38` [Codex GPT 5.4]\n\nBody.',
        '### [Codex GPT 5.4]\n\nI2. **The commit message misdescribes this change** (important, documentation)',
      ),
    );
    expect(appendixEvents(r.findings[0]!.reconciliation)).toEqual(['Codex GPT 5.4:I2:important->suggestion']);
  });

  it('matches the only finding of a file that credits the reviewer when the report moved its lines to a later commit', () => {
    const r = reviewOf(
      withAppendix(
        '## Important Issues\n\nI1. **A failed notification can never be retried** — `scanner.go:355` [Codex GPT 5.4]\n\nBody.\n\n## Suggestions\n\nS1. **Sentinel names an unknown owner** — `tracker.go:46` [Codex GPT 5.4]\n\nBody.',
        '### [Codex GPT 5.4]\n\nI1. **Reassert turns a post-expose failure into permanent success** — `scanner.go:372-375` (important, gap)',
      ),
    );
    expect(appendixEvents(r.findings[0]!.reconciliation)).toEqual(['Codex GPT 5.4:I1:important->important']);
  });
});

describe('findings', () => {
  it('resolves the finding a Resolution row names by a bare lettered id: | 1 | C1: `Thing` throws … | Fixed |', () => {
    const r = reviewOf(report('## Critical Issues\n\nC1. **`Thing` throws on empty input** — `a.go:3` [Claude Opus 4.7]\n\nBody.\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | C1: `Thing` throws on empty input | Fixed |\n'));
    expect(r.findings[0]!.resolution).toMatchObject({ action: 'fixed', raw: 'Fixed' });
  });

  it('warns at its place about a Resolution row that names no finding, instead of dropping it silently', () => {
    const text = report('## Suggestions\n\nS1. **A** — `a.go:1`\n\n## Resolution\n\n| # | Finding | Action |\n|---|---|---|\n| 1 | The flaky test | Fixed |\n| 2 | S9: gone | Skipped |\n');
    const problems = read(text).problems.map((p) => [p.severity, p.message, text.slice(p.offset, p.offset + p.length)]);
    expect(problems).toEqual([
      ['warning', 'The Resolution row "The flaky test" names no finding this reader recognises; write it as "Important #1", "Suggestion S3" or "C1: title". It is kept in the Resolution section only.', '| 1 | The flaky test | Fixed |'],
      ['warning', 'The Resolution row "S9: gone" names no suggestion finding of this report; its resolution is not applied.', '| 2 | S9: gone | Skipped |'],
    ]);
  });

  it('takes a code block after a lead-in ending in ":" as the fix, with no Fix label', () => {
    const f = only('## Suggestions\n\nS1. **Every failure logs at Warn** — `pkg/log.go:10-14` [Claude Opus 4.7]\n\n```go\nlog.Warn(err)\n```\n\nOnly the expected error is benign; keep it at `Warn` and raise the rest to `log.Error`:\n\n```go\nif errors.Is(err, errBenign) {\n\tlog.Warn(err)\n} else {\n\tlog.Error(err)\n}\n```');
    expect(f.blocks.map((b) => b.role)).toEqual(['snippet', 'fix']);
    expect(f.fix).toMatchObject({ label: '', replacementCode: [{ lang: 'go' }] });
    expect(f.fix?.markdown.startsWith('Only the expected error is benign')).toBe(true);
    expect(f.locations[0]?.anchorText).toBe('log.Warn(err)');
  });

  it('does not take code after a lead-in that only shows it as the fix', () => {
    const f = only('## Suggestions\n\nS1. **Caller ignores the error** — `pkg/log.go:10-14` [Claude Opus 4.7]\n\nBody.\n\nThe caller does this:\n\n```go\nrun()\n```');
    expect(f.fix).toBeUndefined();
  });

  it('reads an inline `Fix:` inside a one-line suggestion', () => {
    const f = only('## Suggestions\n\nS4. **Indent stripped twice** — `gen.go:40` [Codex GPT 5.4]. The two-space indent is removed by both helpers. Fix: `strings.TrimPrefix(line, "  ")`.');
    expect(f.fix).toEqual({ label: 'Fix', markdown: 'Fix: `strings.TrimPrefix(line, "  ")`.', options: [], diffs: [], replacementCode: [] });
  });

  it('keeps agents, location and tag of a title-only strikethrough followed by a verdict word', () => {
    const all = findings('## Important Issues\n\n1. **Kept** — `a.go:1` [Claude Opus 4.6] (important, gap)\n\n2. ~~**Manual deletion deadlocks**~~ **INVALID** — `limavm_controller.go:149,89-101` (important, regression) [Gemini 3.1 Pro]\n\nThe finalizer is removed first.');
    expect(all[1]).toMatchObject({
      id: 'important-2',
      title: 'Manual deletion deadlocks',
      struck: { kind: 'invalid' },
      agents: [{ model: 'Gemini 3.1 Pro' }],
      tagRaw: '(important, regression)',
      locations: [{ path: 'limavm_controller.go', ranges: [{ start: 149, end: 149 }, { start: 89, end: 101 }] }],
    });
  });

  it('keeps a first line such as `// net.fetch throws …` in the anchor text; only a comment that is wholly a path is dropped', () => {
    const kept = only('## Suggestions\n\nS1. **Unhandled rejection** — `net.ts:5-6` [Claude Opus 4.7]\n\n```ts\n// net.fetch throws on a closed socket\nawait net.fetch(url);\n```');
    expect(kept.locations[0]?.anchorText).toBe('// net.fetch throws on a closed socket\nawait net.fetch(url);');
    const dropped = only('## Suggestions\n\nS1. **Unhandled rejection** — `net.ts:5` [Claude Opus 4.7]\n\n```ts\n// src/net.ts:5\nawait net.fetch(url);\n```');
    expect(dropped.locations[0]?.anchorText).toBe('await net.fetch(url);');
  });

  it('reads references to earlier rounds in the prose: "Round 9 I2 already noted …", "… as round 1\'s S8"', () => {
    const f = only("## Suggestions\n\nS8. **Scope creep** — `a.go:1` [Claude Opus 4.7]\n\nRound 9 I2 already noted the missing guard. Declining it on the same grounds as round 1's S8 is consistent.");
    expect(f.priorRefs.map((p) => [p.round, p.localId, p.relation])).toEqual([
      [9, 'I2', 'related'],
      [1, 'S8', 'related'],
    ]);
  });

  it('attaches the snippet to the location whose lines it quotes, not always the first', () => {
    const byComment = only('## Suggestions\n\nS1. **Stale freshness** — `cmd/rdd/service.go:99-108`, `pkg/service/cmd/service.go:40-44` [Claude Opus 4.7]\n\n```go\n// pkg/service/cmd/service.go\nfunc StartTime() (time.Time, error) {\n```');
    expect(byComment.locations.map((l) => l.anchorText)).toEqual([undefined, 'func StartTime() (time.Time, error) {']);
    const byLanguage = only('## Suggestions\n\nS1. **Mismatch** — `docs/guide.md:3`, `pkg/run.go:20-21` [Claude Opus 4.7]\n\n```go\nfunc run() {\n}\n```');
    expect(byLanguage.locations.map((l) => l.anchorText)).toEqual([undefined, 'func run() {\n}']);
  });

  it('gives no anchor text to a block the body presents as proposed or missing code, or one quoting a file the finding does not cite', () => {
    const proposed = only('## Suggestions\n\nS1. **Missing nil check** — `pkg/run.go:20` [Claude Opus 4.7]. Add this guard:\n\n```go\nif cfg == nil {\n\treturn errNoConfig\n}\n```');
    expect(proposed.locations[0]?.anchorText).toBeUndefined();
    expect(proposed.fix?.replacementCode.map((b) => b.lang)).toEqual(['go']);
    const elsewhere = only("## Suggestions\n\nS7. **Missing `defineOptions`** — `ContainerInspect.vue:1` [Claude Opus 4.7]\n\n```ts\n// ContainerLogs.vue:46\ndefineOptions({ name: 'ContainerLogs' });\n```");
    expect(elsewhere.locations[0]?.anchorText).toBeUndefined();
  });

  it('says so at its place when the Reconciliation statement names a finding the report does not have', () => {
    const text = report(`## Suggestions\n\nS1. **A** — \`a.go:1\` [Claude Opus 4.7]\n\n${retro('Claude I3 (`watchUntil` asymmetry) → **S5** (message symmetry only).')}`, REVIEWERS);
    const problems = read(text).problems;
    expect(problems.map((p) => [p.severity, p.code, p.message])).toEqual([
      ['warning', 'reconciliation-target', "The Reconciliation statement says Claude I3 became S5, but this report has no finding S5; the event is kept in the retro's text only."],
    ]);
    expect(text.slice(problems[0]!.offset, problems[0]!.offset + problems[0]!.length)).toBe('Claude I3 (`watchUntil` asymmetry) → **S5** (message symmetry only).');
  });

  it("says so at its place when a reviewer's own lettered finding in the appendix cannot be read", () => {
    const text = withAppendix('## Suggestions\n\nS1. **A** — `a.go:1` [Claude Opus 4.7]', '### [Claude Opus 4.7]\n\n**S3. Unclosed bold title — `a.go:1`\n');
    const problems = read(text).problems;
    expect(problems.map((p) => [p.severity, p.code, text.slice(p.offset, p.offset + p.length)])).toEqual([['info', 'appendix-finding', '**S3. Unclosed bold title — `a.go:1`']]);
  });
});
