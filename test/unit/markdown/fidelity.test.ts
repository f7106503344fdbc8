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
