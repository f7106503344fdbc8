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
