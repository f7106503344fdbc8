// What the diagnostics and the hover say about a finding's fixes: "fixed in working tree" per setting, and one line per fix.
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { computeFindingDiagnostics, type FindingPlacements } from '../../../server/src/features/diagnostics.js';
import { pathToFileURL } from 'node:url';
import { computeFindingFixStatuses, computeFixSummary, describeFixStatus, isFixedInWorkingTree, type CandidateStatus } from '../../../server/src/features/fixStatus.js';
import { FileTexts } from '../../../server/src/store/fileTexts.js';
import { TempWorkspace } from '../../support/workspace.js';
import { computeFixCandidates } from '../../../server/src/fixes/candidates.js';
import { Finding, Review } from '../../../server/src/model/review.js';
import { parseSettings } from '../../../server/src/settings.js';
import type { PlacedFinding } from '../../../server/src/store/reviewStore.js';

function placedFinding(input: Partial<Finding> = {}): PlacedFinding {
  const finding = Finding.parse({ id: 'I1', severity: 'important', title: 'Wrap the error', locations: [{ path: 'src/app.go', ranges: [{ start: 5, end: 5 }] }], ...input });
  const review = Review.parse({ schemaVersion: 1, findings: [finding] });
  return {
    key: 'r1.json#I1',
    finding,
    review,
    report: { file: '/w/.deep-review/r1.json', root: '/w', id: 'r1', problems: [], stale: false },
    roundLabel: 'PR #5 round 1',
    primary: { file: '/w/src/app.go', range: { start: 5, end: 5 }, location: finding.locations[0]! },
    related: [],
  };
}

function diagnosticsWith(setting: string | undefined, fixed: boolean) {
  const settings = parseSettings(setting ? { fixedInWorkingTree: setting } : {}).settings;
  const placements: FindingPlacements = { placed: placedFinding(), primary: { method: 'cited', range: { start: { line: 4, character: 0 }, end: { line: 4, character: 9 } } }, related: [], fixed };
  return computeFindingDiagnostics([placements], settings, { relatedInformation: false, codeDescription: false });
}

describe('fixed in the working tree', () => {
  it('fades to a hint by default, and says so', () => {
    const [d] = diagnosticsWith(undefined, true);
    expect(d).toMatchObject({ message: 'Wrap the error (PR #5 round 1) — fixed in working tree, awaiting re-review', severity: DiagnosticSeverity.Hint, tags: [DiagnosticTag.Unnecessary] });
  });

  it('keeps its severity with "show", disappears with "hide", and is like any other with "unchanged"', () => {
    expect(diagnosticsWith('show', true)[0]).toMatchObject({ message: 'Wrap the error (PR #5 round 1) — fixed in working tree, awaiting re-review', severity: DiagnosticSeverity.Warning });
    expect(diagnosticsWith('show', true)[0]?.tags).toBeUndefined();
    expect(diagnosticsWith('hide', true)).toEqual([]);
    expect(diagnosticsWith('unchanged', true)[0]).toMatchObject({ message: 'Wrap the error (PR #5 round 1)', severity: DiagnosticSeverity.Warning });
    expect(diagnosticsWith(undefined, false)[0]).toMatchObject({ message: 'Wrap the error (PR #5 round 1)', severity: DiagnosticSeverity.Warning });
  });

  it('refuses an unknown setting and keeps the previous one', () => {
    expect(parseSettings({ fixedInWorkingTree: 'faded' }).errors).toEqual([
      'deepReview.fixedInWorkingTree: Invalid option: expected one of "hint"|"show"|"hide"|"unchanged"; keeping "hint"',
    ]);
  });
});

describe('the hover lines about fixes', () => {
  const placed = placedFinding({ fix: { label: 'Fix', markdown: '', options: [], replacementCode: [], diffs: [{ format: 'plusminus', text: '-a\n+b' }, { format: 'plusminus', text: '-c\n+d' }] } });
  const [first, second] = computeFixCandidates(placed.finding);

  it('say for each fix whether it applies, is applied, or why not', () => {
    const statuses: CandidateStatus[] = [
      { candidate: first!, status: { state: 'applied', reason: 'already applied' } },
      { candidate: second!, status: { state: 'refused', reason: 'ambiguous: 2 places match' } },
    ];
    expect(computeFixSummary(placed, statuses)).toEqual([
      'Fix (diff 1 of 2) already applied (fixed in working tree, awaiting re-review)',
      'Fix (diff 2 of 2) cannot be applied: ambiguous: 2 places match',
    ]);
    expect(isFixedInWorkingTree(statuses)).toBe(true);
    expect(describeFixStatus({ state: 'missing', reason: 'the code it changes is no longer there' })).toBe('Fix no longer applies: the code it changes is no longer there');
    expect(describeFixStatus({ state: 'applicable', changes: [] })).toBe('Fix applies: use the code action "Apply fix"');
  });

  it('say that code given instead of a diff is applied by hand', () => {
    const code = placedFinding({ fix: { label: 'Fix', markdown: '', options: [], diffs: [], replacementCode: [{ info: 'go', lang: 'go', role: 'fix', text: 'x := 1' }] } });
    expect(computeFixSummary(code, [])).toEqual(['Fix is code to write by hand, not a diff: no code action applies it']);
    expect(computeFixSummary(placedFinding(), [])).toEqual([]);
  });

  it('come from the blocks of a review that gives no fix.diffs, and name the options they belong to', () => {
    const fromBlocks = placedFinding({ blocks: [{ info: 'diff', lang: 'diff', role: 'fix', text: '-a\n+b' }, { info: 'go', lang: 'go', role: 'snippet', text: 'a' }] });
    expect(computeFixCandidates(fromBlocks.finding)).toEqual([{ option: 0, label: '', diff: { format: 'plusminus', text: '-a\n+b' } }]);
    const options = placedFinding({ fix: { label: 'Fix options', markdown: '', options: ['Either\n```diff\n-a\n+b\n```', 'Or\n```diff\n-c\n+d\n```'], replacementCode: [], diffs: [{ format: 'plusminus', text: '-a\n+b' }, { format: 'plusminus', text: '-c\n+d' }] } });
    expect(computeFixCandidates(options.finding).map((c) => c.label)).toEqual(['option 1', 'option 2']);
  });
});

describe('fix statuses asked again', () => {
  it('are remembered while the texts stay the same, and worked out again when one changes', async () => {
    const w = new TempWorkspace();
    try {
      const file = w.write('src/app.go', 'a\nb\nreturn err\nc\n');
      const finding = Finding.parse({
        id: 'I1',
        severity: 'important',
        title: 'Wrap the error',
        locations: [{ path: 'src/app.go', ranges: [{ start: 3, end: 3 }] }],
        fix: { label: 'Fix', markdown: '', options: [], replacementCode: [], diffs: [{ format: 'plusminus', text: '-return err\n+return wrap(err)' }] },
      });
      const review = Review.parse({ schemaVersion: 1, findings: [finding] });
      const placed: PlacedFinding = {
        key: 'r1.json#I1',
        finding,
        review,
        report: { file: w.path('.deep-review/r1.json'), root: w.root, id: 'r1', problems: [], stale: false },
        roundLabel: 'PR #5 round 1',
        primary: { file, range: { start: 3, end: 3 }, location: finding.locations[0]! },
        related: [],
      };
      const buffers = new Map<string, string>();
      const texts = new FileTexts((uri) => buffers.get(uri), () => [w.root]);
      const placements = { primary: { method: 'cited' as const, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 10 } } }, related: [] };
      const ask = async () => (await computeFindingFixStatuses({ texts, placer: undefined as never }, placed, { placements }))[0]!.status;
      const first = await ask();
      expect(first.state).toBe('applicable');
      expect(await ask()).toBe(first);
      buffers.set(pathToFileURL(file).toString(), 'a\nb\nreturn wrap(err)\nc\n');
      expect((await ask()).state).toBe('applied');
      buffers.delete(pathToFileURL(file).toString());
      const again = await ask();
      expect(again.state).toBe('applicable');
      expect(again).not.toBe(first);
      if (again.state === 'applicable') expect(again.changes[0]).toMatchObject({ kind: 'modify', after: 'a\nb\nreturn wrap(err)\nc\n' });
    } finally {
      w.dispose();
    }
  });
});
