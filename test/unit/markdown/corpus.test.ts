/**
 * Conformance of the Markdown reader against every real report of the shared
 * corpus: finding counts equal the corpus README, no report yields an error,
 * every review survives a JSON round trip, and per-report expectations written
 * by reading the reports cover each format era and special case.
 */
import { describe, expect, it } from 'vitest';
import { Review, type ReconciliationEvent } from '../../../server/src/model/review.js';
import { defuseForParser } from '../../../server/src/reports/markdown/defuse.js';
import { extractReviewShaFromHtml } from '../../../server/src/reports/markdown/readMarkdownReport.js';
import { corpusAvailable, corpusCounts, corpusFiles, corpusReader, corpusReportNames, findingOf, reviewOf } from './corpus.js';

const read = corpusReader();
const review = (name: string) => reviewOf(read(name));
const event = (events: ReconciliationEvent[], source: ReconciliationEvent['source']) => events.filter((e) => e.source === source);

describe.skipIf(!corpusAvailable)('the corpus of real reports', () => {
  const names = corpusReportNames();
  const counts = corpusAvailable ? corpusCounts() : new Map();

  it('has every report of the README table', () => {
    expect(names.length).toBe(27);
    expect([...counts.keys()].sort()).toEqual(names);
  });

  describe.each(names)('%s', (name) => {
    it('has the README finding counts by severity', () => {
      const r = review(name);
      const expected = counts.get(name);
      const actual = {
        critical: r.findings.filter((f) => f.severity === 'critical').length,
        important: r.findings.filter((f) => f.severity === 'important').length,
        suggestion: r.findings.filter((f) => f.severity === 'suggestion').length,
      };
      expect(actual).toEqual(expected);
    });

    it('reads without error or warning problems', () => {
      const problems = read(name).problems.filter((p) => p.severity !== 'info');
      expect(problems).toEqual([]);
    });

    it('round-trips through JSON unchanged', () => {
      const r = review(name);
      const again = Review.parse(JSON.parse(JSON.stringify(r)));
      expect(again).toStrictEqual(r);
    });

    it('reaches the Markdown parser unchanged (no hostile-input guard fires)', () => {
      const { text } = corpusFiles(name);
      expect(defuseForParser(text, 0, text.length) === text).toBe(true);
    });

    it('gives every finding a unique id, a title, a span and its header line', () => {
      const r = review(name);
      expect(new Set(r.findings.map((f) => f.id)).size).toBe(r.findings.length);
      for (const f of r.findings) {
        expect(f.title, f.id).not.toBe('');
        expect(f.span?.startLine, f.id).toBeGreaterThan(0);
        expect(f.span!.endLine, f.id).toBeGreaterThanOrEqual(f.span!.startLine);
        const line = corpusFiles(name).text.split('\n')[f.span!.startLine - 1];
        expect(f.raw && line?.includes(f.raw.split('\n')[0]!.slice(0, 20)), f.id).toBeTruthy();
      }
    });
  });

  describe('E1 bracketed findings (20260313-120000-app-controller-create-delete-limavm)', () => {
    const name = '20260313-120000-app-controller-create-delete-limavm.md';
    it('reads the minimal header', () => {
      const r = review(name);
      expect(r).toMatchObject({
        kind: 'review',
        date: '2026-03-13T12:00',
        branch: { name: 'app-controller-create-delete-limavm' },
        verdict: { label: 'rework' },
        source: { format: 'markdown', era: 'E1' },
      });
      expect(r.reviewers.map((x) => [x.family, x.model])).toEqual([
        ['claude', 'Claude Opus 4.6'],
        ['codex', 'Codex GPT 5.4'],
        ['gemini', 'Gemini 3.1 Pro'],
      ]);
      expect(r.reviewedCommit).toBeUndefined();
    });
    it('reads `**[CRITICAL] file:line — title** [agents]` with Problem:/Fix: paragraphs under `## 1. Consolidated Review`', () => {
      const r = review(name);
      expect(r.findings.map((f) => f.id)).toEqual([
        'critical-1', 'critical-2', 'critical-3',
        'important-1', 'important-2', 'important-3', 'important-4', 'important-5',
        'suggestion-1', 'suggestion-2',
      ]);
      const c1 = findingOf(r, 'critical-1');
      expect(c1).toMatchObject({
        idStyle: 'bracket',
        ordinal: 1,
        title: 'DeleteOwnedResources strips LimaVM finalizer, leaking VM on disk',
        locations: [{ path: 'app_controller.go', pathKind: 'basename', ranges: [{ start: 58, end: 58 }] }],
        agents: [{ model: 'Codex GPT 5.4' }, { model: 'Gemini 3.1 Pro' }],
        fix: { label: 'Fix' },
      });
      expect(c1.body.startsWith('Problem: `base.DeleteOwnedResources()`')).toBe(true);
      expect(c1.fix?.markdown.startsWith('Fix: Do not use `DeleteOwnedResources` for LimaVM.')).toBe(true);
      expect(findingOf(r, 'critical-3').locations[0]?.ranges).toEqual([{ start: 73, end: 88 }]);
    });
    it('keeps the wrapper subsections and the numbered H2 sections', () => {
      const r = review(name);
      expect(r.sections.map((s) => [s.heading, s.kind])).toEqual([
        ['Executive Summary', 'executive-summary'],
        ['Testing Assessment', 'testing-assessment'],
        ['Documentation Assessment', 'documentation-assessment'],
        ['2. Agent Performance Retro', 'retro'],
        ['3. Skill Improvement Recommendations', 'process-notes'],
      ]);
      expect(r.summary?.startsWith('This branch wires the App controller')).toBe(true);
    });
    it('reads the appendix per agent and never as consolidated findings', () => {
      const r = review(name);
      expect(r.appendix.map((a) => a.agent.model)).toEqual(['Claude Opus 4.6', 'Codex GPT 5.4', 'Gemini 3.1 Pro']);
      expect(r.appendix[0]?.markdown).toContain('### **[CRITICAL] lima.yaml:38 — Hardcoded developer home directory**');
      // Codex's own IMPORTANT at app_controller.go:71 is the consolidated important-2.
      expect(event(findingOf(r, 'important-2').reconciliation, 'appendix')).toEqual([
        expect.objectContaining({ agent: expect.objectContaining({ model: 'Codex GPT 5.4' }), from: 'important', to: 'important', verb: 'kept' }),
      ]);
    });
  });

  describe('E2 numbered findings', () => {
    it('reads struck-through findings, the Updated row and `*(deferred to upstream)*` (msys2)', () => {
      const r = review('20260318-173320-msys2.md');
      expect(r.findings.map((f) => f.id)).toEqual([
        'important-1', 'important-2', 'important-3',
        'suggestion-1', 'suggestion-2-struck', 'suggestion-3-struck', 'suggestion-4', 'suggestion-2', 'suggestion-3',
      ]);
      expect(r.updated?.startsWith('2026-03-18 -- findings fixed post-review')).toBe(true);
      expect(r.verdict).toMatchObject({ label: 'merge-as-is', rationale: 'remaining items deferred to upstream Lima fixes' });
      expect(r.wallClock).toEqual({ seconds: 896, raw: '14 min 56 s' });
      const i1 = findingOf(r, 'important-1');
      expect(i1).toMatchObject({
        idStyle: 'number',
        notes: ['(deferred to upstream)'],
        tagRaw: '(important, regression)',
        category: 'regression',
        locations: [{ path: 'limavm_lifecycle.go', ranges: [{ start: 507, end: 509 }] }],
      });
      expect(i1.struck).toBeUndefined();
      const i2 = findingOf(r, 'important-2');
      expect(i2).toMatchObject({
        title: 'Signal failure leaves VM driver alive',
        struck: { kind: 'struck' },
        resolution: { action: 'fixed' },
      });
      expect(i2.struck?.reason).toMatch(/^FIXED: both `stopInstance` and `handleRestartNeeded`/);
      expect(findingOf(r, 'suggestion-2')).toMatchObject({ title: "`filepath.Glob` less robust than Lima's `ReadDir` approach", ordinal: 5 });
      expect(findingOf(r, 'suggestion-2-struck').struck?.kind).toBe('struck');
    });

    it('takes the reviewed commit from the HTML, else from the tip of the oldest-first E2 commit list (msys2)', () => {
      expect(review('20260318-173320-msys2.md').reviewedCommit).toMatchObject({ sha: '2d01084040296a98eebe687435205e7bcd04ba99', source: 'html' });
      expect(reviewOf(read('20260318-173320-msys2.md', false)).reviewedCommit).toEqual({
        sha: '2d01084',
        source: 'commits',
        note: 'tip of the 3 listed commits: the row reads oldest-first, as reports of era E2 write it',
      });
    });

    it('reads H3 severity sections under `## Consolidated Review` and `[Agent, verified]` (pr-242, 03-21)', () => {
      const r = review('20260321-203726-pr-242.md');
      const i2 = findingOf(r, 'important-2');
      expect(i2.agents).toEqual([
        { raw: 'Gemini 3.1 Pro', family: 'gemini', model: 'Gemini 3.1 Pro' },
        { raw: 'verified', role: 'verified' },
      ]);
      expect(i2.fix?.label).toBe('Fix');
      expect(i2.fix?.diffs.map((d) => d.format)).toEqual(['unified-context', 'unified-context']);
      expect(event(i2.reconciliation, 'finding-body')).toEqual([
        expect.objectContaining({ agent: expect.objectContaining({ family: 'gemini' }), from: 'critical', to: 'important', verb: 'flagged' }),
      ]);
      const s1 = findingOf(r, 'suggestion-1');
      expect(s1.fix).toMatchObject({ label: 'Fix (if desired)', diffs: [{ format: 'plusminus' }] });
      expect(findingOf(r, 'important-1').locations[0]?.anchorText?.startsWith('waitAfterKill := func() {')).toBe(true);
      expect(r.pr).toMatchObject({ number: 242, title: 'Run Lima BATS tests on Windows via MSYS2' });
      expect(r.repository).toEqual({ slug: 'rancher-sandbox/rancher-desktop-daemon', url: 'https://github.com/rancher-sandbox/rancher-desktop-daemon' });
    });

    it('reads `(important, regression)` after the agents and "X rated this …" sentences (pr-242 round 8)', () => {
      const r = review('20260323-161334-pr-242.md');
      expect(r.round).toEqual({ number: 8, raw: '8' });
      expect(r.wallClock?.seconds).toBe(22 * 60 + 20);
      const i1 = findingOf(r, 'important-1');
      expect(i1).toMatchObject({ tagRaw: '(important, regression)', agents: [{ model: 'Codex GPT 5.4' }, { model: 'Gemini 3.1 Pro' }] });
      expect(event(i1.reconciliation, 'finding-body').map((e) => [e.agent.family, e.from, e.to])).toEqual([
        ['gemini', 'critical', 'important'],
        ['codex', 'important', 'important'],
      ]);
      expect(event(i1.reconciliation, 'finding-body')[0]?.reason).toMatch(/^The actual severity is important: `StatusBroken`/);
    });

    it('reads two citations, a Resolution with no table and a reversed commit list (pr-10070)', () => {
      const r = review('20260327-152954-pr-10070.md');
      expect(findingOf(r, 'important-1').locations.map((l) => [l.path, l.ranges])).toEqual([
        ['settingsValidator.ts', [{ start: 671, end: 690 }]],
        ['wsl.ts', [{ start: 780, end: 782 }]],
      ]);
      expect(r.resolution).toMatchObject({ addressed: '2026-04-06', commit: 'Retroactively marked as addressed', items: [] });
      expect(r.reviewedCommit).toMatchObject({ sha: '944856727', source: 'commits' });
      expect(r.sections.at(-1)).toMatchObject({ heading: 'Resolution', kind: 'resolution' });
    });

    it('reads Mode, `(pass 2)` notes, comma ranges and two-pass appendix entries (pr-4637)', () => {
      const r = review('20260401-213317-pr-4637.md');
      expect(r.mode).toEqual({ kind: 'thorough', passes: 2, raw: 'Thorough (2 passes)' });
      const c1 = findingOf(r, 'critical-1');
      expect(c1).toMatchObject({ notes: ['(pass 2)'], category: 'regression', agents: [{}, {}, {}] });
      expect(event(c1.reconciliation, 'appendix')).toContainEqual(
        expect.objectContaining({ agent: expect.objectContaining({ family: 'codex' }), pass: 2, from: 'important', to: 'critical', verb: 'promoted' }),
      );
      expect(findingOf(r, 'critical-2').locations[0]).toMatchObject({
        path: 'pkg/downloader/downloader.go',
        pathKind: 'repo-relative',
        ranges: [{ start: 282, end: 285 }, { start: 389, end: 402 }],
      });
      expect(r.appendix.map((a) => `${a.agent.model}#${a.pass}`)).toEqual(['Claude#1', 'Claude#2', 'Codex#1', 'Codex#2', 'Gemini#1', 'Gemini#2']);
    });
  });

  describe('E3 lettered findings', () => {
    it('reads letter ids, `(downgraded from …)` notes, the Reconciliation statement and the Resolution table (pr-295)', () => {
      const r = review('20260412-171333-pr-295.md');
      expect(r.findings.map((f) => f.id)).toEqual(['I1', 'I2', 'I3', 'I4', ...Array.from({ length: 12 }, (_, i) => `S${i + 1}`)]);
      const i4 = findingOf(r, 'I4');
      expect(i4).toMatchObject({ idStyle: 'letter', ordinal: 4, notes: ['(downgraded from critical)'], resolution: { action: 'fixed', date: '2026-04-12' } });
      expect(event(i4.reconciliation, 'retro-reconciliation')).toEqual([
        expect.objectContaining({ agent: expect.objectContaining({ family: 'gemini' }), pass: 1, agentLocalId: 'C2', from: 'critical', to: 'important', verb: 'downgraded' }),
      ]);
      expect(event(i4.reconciliation, 'finding-body')[0]).toMatchObject({ from: 'critical', to: 'important', verb: 'framed' });
      expect(event(findingOf(r, 'S10').reconciliation, 'retro-reconciliation')[0]).toMatchObject({ agentLocalId: 'I2', from: 'important', to: 'suggestion' });
      expect(findingOf(r, 'I3').resolution).toMatchObject({ action: 'skipped', raw: 'Skipped' });
      expect(findingOf(r, 'S5').resolution?.action).toBe('commented');
      expect(findingOf(r, 'S3').fix).toMatchObject({ label: 'Fix (either of two patterns already used elsewhere in this file)', options: expect.arrayContaining([expect.stringContaining('server-side apply')]) });
      expect(findingOf(r, 'S3').fix?.options).toHaveLength(2);
      expect(findingOf(r, 'S2').fix?.replacementCode.map((b) => b.lang)).toEqual(['go']);
      // A diff with no "Fix" label is still the fix.
      expect(findingOf(r, 'S6').fix).toMatchObject({ label: '', diffs: [{ format: 'unified-context' }] });
      expect(r.resolution?.items.map((i) => `${i.ref.kind}:${i.ref.id}:${i.action}`).slice(-2)).toEqual(['testing-gap:1-8:skipped', 'documentation-gap:5:documentation-updated']);
      expect(r.resolution?.commit).toBe('`a4ee48f Address review round 3 findings for PR #295`');
      // The agents' own findings, written `**I1. title — \`loc\`**` in the appendix, land on the consolidated ones.
      expect(event(findingOf(r, 'I1').reconciliation, 'appendix').map((e) => `${e.agent.family}:${e.agentLocalId}`)).toEqual(['claude:I1', 'codex:I2']);
      // The Commits row is newest-first; the HTML's blob links name its oldest commit, 536ccb2, where 5 of the 7 cited files do not exist.
      expect(r.reviewedCommit).toMatchObject({ sha: 'c484dab', source: 'commits' });
      expect(r.reviewedCommit?.note).toContain('the HTML rendering\'s blob links name the oldest, 536ccb2, not the tip');
    });

    it('reads multi-location headers, `[A] [B]` agent groups, fix options and body sentences (pr-309)', () => {
      const r = review('20260415-015141-pr-309.md');
      expect(r.round).toEqual({ number: 4, of: 'PR #309', raw: '4 (of PR #309)' });
      const i1 = findingOf(r, 'I1');
      expect(i1.locations.map((l) => [l.path, l.ranges.map((x) => `${x.start}-${x.end}`)])).toEqual([
        ['pkg/service/controllers/manager.go', ['105-112', '200-202']],
        ['cmd/rdd/set.go', ['490-505']],
        ['pkg/service/controllers/discovery.go', ['270-289']],
      ]);
      expect(i1.agents.map((a) => a.model)).toEqual(['Codex GPT 5.4', 'Claude Opus 4.6']);
      expect(i1.fix).toMatchObject({ label: 'Fix options, in order of preference' });
      expect(i1.fix?.options).toHaveLength(3);
      expect(i1.fix?.options[0]).toMatch(/^Move `registerDiscovery` before `MarkControlPlaneReady`/);
      expect(event(i1.reconciliation, 'retro-reconciliation')).toEqual([
        expect.objectContaining({ agent: expect.objectContaining({ family: 'claude' }), pass: 1, from: 'suggestion', to: 'important', verb: 'promoted' }),
      ]);
      expect(event(i1.reconciliation, 'finding-body')).toContainEqual(
        expect.objectContaining({ agent: expect.objectContaining({ family: 'claude' }), agentLocalId: 'S1', from: 'suggestion', to: 'important' }),
      );
      expect(findingOf(r, 'I2').locations.at(-1)).toMatchObject({ path: 'pkg/controllers/app/engine/controllers/sync_volumes.go', ranges: [] });
      expect(findingOf(r, 'S1').reconciliation.map((e) => e.source)).toContain('retro-reconciliation');
      expect(findingOf(r, 'I1').resolution?.reason).toMatch(/^already in HEAD before round 4/);
      expect(r.sections.map((s) => s.kind)).toContain('unresolved-feedback');
    });

    it('reads `(Round 4 S6 unaddressed)` style prior-round references (pr-336 round 5)', () => {
      const r = review('20260422-125913-pr-336.md');
      expect(findingOf(r, 'S1')).toMatchObject({ notes: ['(Round 4 S6 unaddressed)'], priorRefs: [{ round: 4, localId: 'S6', relation: 'unaddressed' }] });
      expect(findingOf(r, 'S2')).toMatchObject({
        priorRefs: [{ round: 4, localId: 'S3', relation: 'partially-unaddressed' }],
        locations: [{ path: 'bats/tests/20-service/', pathKind: 'directory', ranges: [] }],
      });
      expect(findingOf(r, 'S3').priorRefs).toEqual([{ round: 4, localId: 'S1', relation: 'related', raw: '(Round 4 S1 related)' }]);
      const s8 = findingOf(r, 'S8');
      expect(s8.agents).toEqual([]);
      expect(s8.priorRefs.map((p) => p.localId)).toEqual(['S2', 'S4']);
      expect(findingOf(r, 'I1').locations[0]?.ranges).toEqual([{ start: 485, end: 497 }, { start: 527, end: 535 }]);
      expect(findingOf(r, 'I3')).toMatchObject({ tagRaw: '(important, gap)', category: 'gap' });
      expect(findingOf(r, 'S4').category).toBe('code clarity');
      expect(event(findingOf(r, 'S6').reconciliation, 'retro-reconciliation')[0]).toMatchObject({ from: 'important', to: 'suggestion', verb: 'downgraded' });
      expect(findingOf(r, 'S2').resolution?.action).toBe('test-written');
    });

    it('reads effort in Reviewers, italic body tags and "Demoted from …" (pr-336 round 6)', () => {
      const r = review('20260422-150402-pr-336.md');
      expect(r.reviewers.map((x) => x.effort)).toEqual(['xhigh', 'high', 'default']);
      expect(r.wallClock).toEqual({ seconds: 21 * 60 + 57, raw: '`21 min 57 s`' });
      expect(findingOf(r, 'I1')).toMatchObject({ tagRaw: '(important, regression — `Classify` is new in this PR.)', category: 'regression' });
      const s1 = findingOf(r, 'S1');
      expect(event(s1.reconciliation, 'finding-body')[0]).toMatchObject({ agent: { family: 'codex' }, from: 'important', to: 'suggestion', verb: 'demoted' });
      expect(event(s1.reconciliation, 'finding-body')[0]?.reason).toMatch(/^pre-Round-6 the already-running branch/);
      expect(event(findingOf(r, 'S2').reconciliation, 'retro-reconciliation')[0]).toMatchObject({ agentLocalId: 'I3', from: 'important', to: 'suggestion' });
      expect(findingOf(r, 'I2').fix?.label).toBe('Fix options, in increasing scope');
      expect(r.reviewedCommit).toMatchObject({ sha: 'fca9713cb26b6e2fdba149e3e87f3dfc34e01b8c', source: 'html' });
    });

    it('reads `Round 3 (of target)`, `(extends round 2 S2)` and two prior rounds in one note (pr-333)', () => {
      const r = review('20260428-102700-pr-333.md');
      expect(r.round).toEqual({ number: 3, of: 'target', raw: '3 (of target)' });
      expect(r.branch).toBeUndefined();
      expect(findingOf(r, 'S3').priorRefs).toEqual([{ round: 2, localId: 'S2', relation: 'extends', raw: '(extends round 2 S2)' }]);
      expect(findingOf(r, 'S8').priorRefs.map((p) => `${p.round}/${p.localId}/${p.relation}`)).toEqual(['2/S6/unaddressed', '1/S5/unaddressed']);
      expect(findingOf(r, 'S7').locations.map((l) => l.path)).toEqual([
        'pkg/controllers/app/engine/controllers/engine_reconciler.go',
        'docs/design/bootstrap.md',
      ]);
      expect(findingOf(r, 'I1').tagRaw).toBe('`(important, regression)`');
    });

    it('reads a commit-qualified citation and a md that is ahead of its HTML (pr-10176)', () => {
      const r = review('20260428-162004-pr-10176.md');
      expect(findingOf(r, 'S4').locations).toEqual([
        { raw: 'scripts/dependencies/lima.ts', path: 'scripts/dependencies/lima.ts', pathKind: 'repo-relative', ranges: [] },
        {
          raw: '27b856a46:scripts/dependencies/lima.ts:168-172',
          path: 'scripts/dependencies/lima.ts',
          pathKind: 'commit-qualified',
          ranges: [{ start: 168, end: 172 }],
          commit: '27b856a46',
        },
      ]);
      expect(findingOf(r, 'I1').priorRefs).toEqual([{ round: 4, localId: 'I2', relation: 'unaddressed', raw: '(round 4 I2 unaddressed)' }]);
      expect(findingOf(r, 'S9').locations[0]?.ranges).toHaveLength(7);
      expect(r.findings.map((f) => f.id)).toContain('S15');
      expect(r.reviewedCommit?.source).toBe('html');
      expect(r.reviewedCommit?.sha).toBe(extractReviewShaFromHtml(corpusFiles('20260428-162004-pr-10176.md').html ?? ''));
    });

    it('reads a branch review with six reviewers and hours in the wall clock (fix-ga-sock-reconnect)', () => {
      const r = review('20260515-184528-fix-ga-sock-reconnect.md');
      expect(r.pr).toBeUndefined();
      expect(r.round).toMatchObject({ number: 1, of: 'fix/ga-sock-reconnect' });
      expect(r.branch?.name).toBe('fix/ga-sock-reconnect');
      expect(r.reviewers.map((x) => x.family)).toEqual(['claude', 'codex', 'gemini', 'qwen', 'gemma', 'glm']);
      expect(r.wallClock?.seconds).toBe(3600 + 33 * 60 + 50);
      const s2 = findingOf(r, 'S2');
      expect(event(s2.reconciliation, 'retro-reconciliation').map((e) => `${e.agent.family}:${e.agentLocalId}:${e.from}->${e.to}`)).toEqual([
        'gemini:I1:important->suggestion',
        'qwen:C1:critical->suggestion',
      ]);
      expect(event(findingOf(r, 'I1').reconciliation, 'retro-reconciliation').map((e) => `${e.agent.family}:${e.agentLocalId}:${e.verb}`)).toEqual([
        'gemini:I2:kept as',
        'claude:S2:kept as',
      ]);
    });

    it('reads criticals, `also`/`and`-joined citations and five reviewers (pr-5013)', () => {
      const r = review('20260519-084740-pr-5013.md');
      expect(findingOf(r, 'C2').agents.map((a) => a.family)).toEqual(['claude', 'codex', 'gemini', 'gemma', 'qwen']);
      expect(findingOf(r, 'I3').locations.map((l) => [l.path, l.pathKind])).toEqual([
        ['pkg/windows/autounattend/template.xml', 'repo-relative'],
        ['poc-windows-guest/autounattend.xml', 'repo-relative'],
        ['run.sh', 'basename'],
      ]);
      expect(findingOf(r, 'S6').locations).toEqual([{ raw: 'poc-windows-guest/', path: 'poc-windows-guest/', pathKind: 'directory', ranges: [] }]);
      expect(event(findingOf(r, 'C1').reconciliation, 'finding-body').map((e) => `${e.agent.family}:${e.from}`)).toEqual(['codex:important', 'claude:critical']);
      expect(event(findingOf(r, 'I3').reconciliation, 'finding-body').map((e) => `${e.agent.family}:${e.from}`)).toEqual([
        'gemini:critical',
        'codex:important',
        'claude:important',
      ]);
    });

    it('reads a branch review with `(of inspect-tab)` and an author with a name (inspect-tab)', () => {
      const r = review('20260521-165806-inspect-tab.md');
      expect(r.round).toMatchObject({ number: 1, of: 'inspect-tab' });
      expect(r.author).toMatchObject({ login: 'endemics', name: 'Gildas Le Nadan', url: 'https://github.com/endemics' });
      expect(r.date).toBe('2026-05-21T17:17');
      expect(findingOf(r, 'I4').locations[0]?.ranges).toEqual([
        { start: 58, end: 58 },
        { start: 61, end: 61 },
        { start: 145, end: 145 },
        { start: 147, end: 147 },
      ]);
    });

    it('reads a near-zero review whose Critical and Important sections say None (pr-10420)', () => {
      const r = review('20260610-120801-pr-10420.md');
      expect(r.findings.map((f) => f.id)).toEqual(['S1']);
      expect(r.round).toMatchObject({ number: 2, of: 'PR #10420' });
      expect(read('20260610-120801-pr-10420.md').problems).toEqual([]);
    });
  });

  describe('E4 Review SHA', () => {
    it('reads the Review SHA and out-of-scope commits (pr-10637 round 1)', () => {
      const r = review('20260718-122026-pr-10637.md');
      expect(r.reviewedCommit).toEqual({ sha: 'f3f048283a6dc750994e22251c897e7701ad8f00', source: 'header', raw: '`f3f048283a6dc750994e22251c897e7701ad8f00`' });
      expect(r.commits.map((c) => c.sha)).toEqual(['f3f048283', '3642c6d75', '5d074b397']);
      expect(r.round).toMatchObject({ number: 1, of: '#10637' });
      const s3 = event(findingOf(r, 'S3').reconciliation, 'retro-reconciliation')[0];
      expect(s3).toMatchObject({ agent: { model: 'Gemini 3.1 Pro' }, categoryChange: { from: 'regression', to: 'gap' }, to: 'suggestion' });
      expect(findingOf(r, 'I1').resolution?.action).toBe('fixed');
    });

    it('reads a dropped reviewer, Prior-Round Fixes Verified and an appendix with unbalanced fences (pr-10637 round 2)', () => {
      const r = review('20260718-160125-pr-10637.md');
      expect(r.reviewers[2]).toEqual({ family: 'gemini', model: 'Gemini 3.1 Pro', effort: 'default', excluded: 'dropped, quota', raw: 'Gemini 3.1 Pro (effort: default — dropped, quota)' });
      expect(r.sections.map((s) => s.kind)).toContain('prior-round-fixes');
      expect(r.appendix.map((a) => a.agent.model)).toEqual(['Claude Opus 4.8', 'Codex GPT 5.6 Sol', 'Gemini 3.1 Pro', 'Gemini 3.5 Flash']);
      expect(r.resolution?.items.length).toBeGreaterThan(0);
      expect(findingOf(r, 'S2').locations[0]).toMatchObject({ path: 'background.ts', pathKind: 'basename', ranges: [{ start: 432, end: 432 }] });
      // Claude's own S1 sits under "#### Suggestions" inside a bare fence it left open.
      expect(event(findingOf(r, 'S4').reconciliation, 'appendix')[0]).toMatchObject({ agentLocalId: 'S1', from: 'suggestion', to: 'suggestion' });
    });

    it('reads the last two rounds of the series (pr-10637 rounds 3 and 4)', () => {
      const r3 = review('20260719-002635-pr-10637.md');
      expect(r3.reviewedCommit?.sha).toBe('56ea5760037239bb1ce45927617dd39d520f7e98');
      expect(r3.findings.map((f) => f.id)).toEqual(['S1', 'S2']);
      const r4 = review('20260719-173822-pr-10637.md');
      expect(r4.wallClock?.seconds).toBe(3600 + 42 * 60 + 31);
      expect(findingOf(r4, 'S2').agents.map((a) => a.model)).toEqual(['Claude Opus 4.8', 'Gemini 3.1 Pro', 'Gemini 3.5 Flash']);
    });

    it('reads a bold-paragraph retro and its `**Reconciliation.**` clauses (pr-5337)', () => {
      const r = review('20260726-214230-pr-5337.md');
      expect(r.verdict?.label).toBe('rework');
      expect(r.reviewers[0]).toMatchObject({ family: 'claude', model: 'Claude Opus 5', effort: 'xhigh' });
      const recon = (id: string) => event(findingOf(r, id).reconciliation, 'retro-reconciliation').map((e) => `${e.agent.model}:${e.agentLocalId}:${e.from}->${e.to}`);
      expect(recon('I1')).toEqual(['Gemini 3.5 Flash:C1:critical->important']);
      expect(recon('S1')).toEqual(['Gemini 3.5 Flash:I2:important->suggestion', 'Gemini 3.1 Pro:I1:important->suggestion']);
      expect(recon('I3')).toEqual(['Codex:S1:suggestion->important', 'Gemini 3.5 Flash:S1:suggestion->important']);
      expect(recon('S5')).toEqual(['Claude:I4:important->suggestion']);
    });

    it('reads Fixed marks and a Resolution table with a Reason column (pr-10757 round 1)', () => {
      const r = review('20260801-001927-pr-10757.md');
      expect(r.reviewedCommit).toMatchObject({ sha: 'fb8c2d09eea97f97bf462d3eb7f5d76c9901521a', source: 'header' });
      expect(findingOf(r, 'S1').resolution).toMatchObject({ action: 'fixed', reason: 'Six sites in practice, not two; all classified' });
      expect(findingOf(r, 'S8').resolution?.action).toBe('skipped');
    });

    it('reads Status, per-finding **Skipped.** marks, [orchestrator] and a re-anchored Review SHA (pr-10757 round 2)', () => {
      const r = review('20260801-175630-pr-10757.md');
      expect(r.reviewedCommit).toEqual({
        sha: 'ea5527494f5457fa49f7edfb64e4500682a7296c',
        source: 'header',
        note: 'agents reviewed `4f25dd6e4`; see Status',
        raw: '`ea5527494f5457fa49f7edfb64e4500682a7296c` (agents reviewed `4f25dd6e4`; see Status)',
      });
      expect(r.sections.find((s) => s.kind === 'status')?.markdown).toMatch(/^The agents reviewed `4f25dd6e4`/);
      expect(findingOf(r, 'S4').agents).toEqual([{ raw: 'orchestrator', role: 'orchestrator' }]);
      expect(findingOf(r, 'S1').resolution).toMatchObject({ action: 'skipped', reason: 'Left for a follow-up; nothing blocks the merge and the PR stops growing here' });
      expect(findingOf(r, 'S1').body).toContain('**Skipped.** Left for a follow-up');
      expect(findingOf(r, 'I1').resolution?.action).toBe('commented');
      expect(event(findingOf(r, 'S1').reconciliation, 'retro-reconciliation')[0]).toMatchObject({ agent: { family: 'claude' }, from: 'important', to: 'suggestion' });
      expect(r.reviewedCommit?.sha).toBe(extractReviewShaFromHtml(corpusFiles('20260801-175630-pr-10757.md').html ?? ''));
    });
  });

  describe('E5 repro blocks (pr-909)', () => {
    it('reads repro, repro-output and git-patch blocks', () => {
      const r = review('20261002-190503-pr-909.md');
      expect(r.source?.era).toBe('E5');
      expect(r.round).toMatchObject({ number: 1, of: 'target' });
      const i1 = findingOf(r, 'I1');
      expect(i1.blocks.map((b) => [b.info, b.role])).toEqual([
        ['ts', 'snippet'],
        ['bash repro', 'repro'],
        ['text repro-output', 'repro-output'],
        ['diff patch', 'patch'],
      ]);
      expect(i1.fix?.diffs).toEqual([
        expect.objectContaining({ format: 'git-patch', files: ['pkg/rancher-desktop/utils/__tests__/logging.spec.ts'] }),
      ]);
      expect(i1.snippet?.text.startsWith('      if ([paths.stdout_log')).toBe(true);
      expect(event(findingOf(r, 'S4').reconciliation, 'retro-reconciliation').map((e) => `${e.agent.family}:${e.pass}:${e.from}->${e.to}`)).toEqual([
        'codex:1:important->suggestion',
        'gemini:1:important->suggestion',
      ]);
    });
  });

  describe('documents that are not reviews', () => {
    it('reads the architecture review without a header table', () => {
      const r = review('20260321-architecture-review.md');
      expect(r).toMatchObject({ kind: 'architecture', date: '2026-03-21', findings: [] });
      expect(r.sections.map((s) => s.heading)).toContain('Findings');
    });
    it('reads the supply-chain scan, whose "Critical — …" heading is not a severity section', () => {
      const r = review('20260712-232447-supply-chain.md');
      expect(r).toMatchObject({ kind: 'supply-chain', findings: [], verdict: { label: 'other' }, extraHeader: { Kind: 'Supply chain scan' } });
      expect(r.verdict?.rationale).toMatch(/^28 open issues, 5 critical — /);
      expect(r.reviewedCommit).toMatchObject({ sha: 'bf27d8700e0b7fe44d646c8634c0a3fb37e249c2', source: 'html' });
    });
    it('reads the weekly CI failures report', () => {
      const r = review('20260728-003507-ci-failures-2026-W30.md');
      expect(r).toMatchObject({ kind: 'ci-failures', findings: [], period: '2026-W30 (Mon 2026-07-20 – Sun 2026-07-26)' });
      expect(r.verdict?.rationale).toBe('424 failed jobs: 406 on `main`, 68 known flakes, 4 proven, 355 quarantined');
    });
  });
});
