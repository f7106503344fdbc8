/**
 * The Neovim client, for real: a headless Neovim loads client-neovim/deep_review.lua
 * (the old single-file entry, kept for dofile set-ups; it loads the plugin),
 * which starts the built server on a fresh copy of examples/workspace. The Lua
 * driver (neovim-driver.lua) waits with vim.wait for the diagnostics each step
 * expects and writes what it saw; these tests assert on that record.
 *
 * Needs `nvim` (0.7 or later) on PATH. Without it the tests are skipped, except
 * with CI=true, where a missing nvim fails: CI must run them.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_SERVER, copyExample, NVIM, runNeovim as runPlan, useTemporaryDirs, waited, type SeenDiagnostic, type Step } from '../support/neovim.js';
import { readMarkdownReport } from '../../server/src/reports/markdown/readMarkdownReport.js';

const nvim = NVIM;
const builtServer = BUILT_SERVER;
const repo = path.resolve(BUILT_SERVER, '../../..');
/** The real reports, beside the repository (absent outside this workspace: that test is skipped). */
const corpus = path.resolve(repo, '../shared/corpus/reports');

const ROUND2 = '.deep-review/20261103-150000-pr-12.json';

/** vim.diagnostic.severity values (the same numbers as LSP's DiagnosticSeverity). */
const WARN = 2;
const INFO = 3;
const HINT = 4;

/** The diagnostics of the example with the default settings: round 2's open findings. */
const LATEST = [
  'src/cache.ts:47:S3',
  'src/server.ts:13:S2',
  'src/server.ts:48:I2',
  'src/util/retry.ts:39:I1',
  'src/util/retry.ts:49:S1',
];

const temporary = useTemporaryDirs();

function exampleWorkspace(): string {
  return copyExample(temporary.make());
}

/** Runs Neovim with the old entry set up from `deepReview` settings, as its users wrote it. */
function runNeovim(root: string, deepReview: Record<string, unknown>, steps: Step[]) {
  return runPlan(root, { via: 'module', setup: { settings: { deepReview: { debounceMs: 0, ...deepReview } } } }, steps);
}

const byCode = (seen: SeenDiagnostic[], file: string, code: string) => {
  const found = seen.find((d) => d.file === file && d.code === code);
  expect(found, `${file} ${code}`).toBeDefined();
  return found!;
};

/** Review JSON text of a round with only some findings kept, and optionally renumbered. */
function derivedRound(root: string, from: string, keep: string[], round?: number): string {
  const review = JSON.parse(readFileSync(path.join(root, from), 'utf8')) as {
    round: { number: number; raw?: string };
    findings: { id: string }[];
  };
  review.findings = review.findings.filter((f) => keep.includes(f.id));
  if (round !== undefined) review.round = { number: round };
  return `${JSON.stringify(review, null, 2)}\n`;
}

describe('Neovim client (client-neovim/deep_review.lua)', () => {
  it('finds nvim, or says why its tests do not run', (ctx) => {
    if (nvim) return;
    if (process.env.CI === 'true') {
      throw new Error('nvim is not on PATH, and CI=true requires the Neovim client tests; .ci/run installs Debian\'s neovim');
    }
    const why = 'nvim is not on PATH: the Neovim client tests are skipped (install Neovim 0.7 or later to run them)';
    console.warn(why);
    ctx.skip(why);
  });

  describe.runIf(nvim)('with a real Neovim', { timeout: 120_000 }, () => {
    it('has a built server to start', () => {
      expect(existsSync(builtServer), 'server/out/main.js is missing: run `npm run build` (npm test does)').toBe(true);
    });

    it('shows the latest round\'s open findings on their cited lines, in opened and unopened files', () => {
      const root = exampleWorkspace();
      const run = runNeovim(root, {}, [
        { op: 'edit', path: 'src/cache.ts', name: 'open' },
        { op: 'wait', name: 'latest', expect: LATEST },
      ]);

      expect(run.results.nvim.major * 100 + run.results.nvim.minor).toBeGreaterThanOrEqual(7);
      expect(run.results.steps.find((s) => s.name === 'open')?.clients).toEqual(['deep-review']);
      const seen = waited(run, 'latest');
      for (const d of seen) expect(d.source).toBe('deep-review');

      const i1 = byCode(seen, 'src/util/retry.ts', 'I1');
      expect(i1.severity).toBe(WARN);
      expect(i1.endLine).toBeGreaterThanOrEqual(43);
      expect(i1.message).toContain('`retry` still retries 4xx answers that can never succeed');
      expect(i1.message).toContain('GPT 5.5');
      expect(i1.message).toContain('Gemini 3.1 Pro');
      expect(i1.message).toContain('PR #12 round 2');

      expect(byCode(seen, 'src/server.ts', 'I2').severity).toBe(WARN);
      expect(byCode(seen, 'src/cache.ts', 'S3').severity).toBe(INFO);
      expect(byCode(seen, 'src/server.ts', 'S2').message).toContain('round 1 S1 unaddressed');
      // S4 is withdrawn in the report and round 1 is not the latest round.
      expect(seen.some((d) => d.code === 'S4' || d.message.includes('round 1)'))).toBe(false);

      expect(run.results.stopped, 'the server should shut down when Neovim asks').toBe(true);
    });

    it('answers the server\'s settings: all rounds, a minimum severity and a severity map', () => {
      const root = exampleWorkspace();
      const run = runNeovim(root, { rounds: 'all', minimumSeverity: 'important', severityMap: { important: 'hint' } }, [
        { op: 'edit', path: 'src/server.ts' },
        {
          op: 'wait',
          name: 'all rounds, important and above',
          // Round 1's I2 is still open; its C1, I1 and I3 are resolved as fixed.
          expect: ['src/server.ts:48:I2', 'src/util/retry.ts:39:I1', 'src/util/retry.ts:39:I2'],
        },
      ]);
      const seen = waited(run, 'all rounds, important and above');
      for (const d of seen) expect(d.severity).toBe(HINT);
      expect(byCode(seen, 'src/util/retry.ts', 'I2').message).toContain('PR #12 round 1');
      expect(byCode(seen, 'src/util/retry.ts', 'I1').message).toContain('PR #12 round 2');
    });

    it('follows review files edited, added and deleted on disk while it runs', () => {
      const root = exampleWorkspace();
      const round3 = '.deep-review/20261105-090000-pr-12.json';
      const run = runNeovim(root, {}, [
        { op: 'edit', path: 'src/util/retry.ts' },
        { op: 'wait', name: 'start', expect: LATEST },
        // Round 2 edited in place: I2 and S3 no longer in it.
        { op: 'write', path: ROUND2, text: derivedRound(root, ROUND2, ['I1', 'S1', 'S2', 'S4']) },
        { op: 'wait', name: 'edited', expect: ['src/server.ts:13:S2', 'src/util/retry.ts:39:I1', 'src/util/retry.ts:49:S1'] },
        // A third round arrives and becomes the latest: only its finding shows.
        { op: 'write', path: round3, text: derivedRound(root, ROUND2, ['I1'], 3) },
        { op: 'wait', name: 'added', expect: ['src/util/retry.ts:39:I1'] },
        // Both later rounds go: round 1 is the latest again.
        { op: 'delete', path: round3 },
        { op: 'delete', path: ROUND2 },
        { op: 'wait', name: 'deleted', expect: ['src/server.ts:13:S1', 'src/util/retry.ts:39:I2'] },
      ]);
      waited(run, 'start');
      waited(run, 'edited');
      expect(waited(run, 'added')[0]?.message).toContain('PR #12 round 3');
      const round1 = waited(run, 'deleted');
      expect(byCode(round1, 'src/util/retry.ts', 'I2').message).toContain('PR #12 round 1');
      expect(byCode(round1, 'src/util/retry.ts', 'I2').severity).toBe(WARN);
      expect(byCode(round1, 'src/server.ts', 'S1').severity).toBe(INFO);
    });

    it('finds the workspace by the review directory the settings name', () => {
      const root = exampleWorkspace();
      renameSync(path.join(root, '.deep-review'), path.join(root, 'reviews'));
      const run = runNeovim(root, { directory: 'reviews' }, [
        { op: 'edit', path: 'src/cache.ts', name: 'open' },
        { op: 'wait', name: 'latest', expect: LATEST },
      ]);
      expect(run.results.steps.find((s) => s.name === 'open')?.clients).toEqual(['deep-review']);
      waited(run, 'latest');
    });

    it('starts no server for files outside a workspace with a review directory', () => {
      const root = exampleWorkspace();
      const elsewhere = path.join(path.dirname(root), 'other');
      mkdirSync(path.join(elsewhere, '.git'), { recursive: true });
      writeFileSync(path.join(elsewhere, 'notes.ts'), 'export const notes = 1;\n');
      // The example's .deep-review sits above `nested`, but nested/.git ends the walk first.
      mkdirSync(path.join(root, 'nested/.git'), { recursive: true });
      writeFileSync(path.join(root, 'nested/inner.ts'), 'export const inner = 1;\n');
      const run = runNeovim(root, {}, [
        { op: 'edit', path: path.join(elsewhere, 'notes.ts'), name: 'outside' },
        { op: 'edit', path: 'nested/inner.ts', name: 'nested repository' },
        { op: 'edit', path: 'src/server.ts', name: 'inside' },
        { op: 'edit', path: 'src/util/retry.ts', name: 'inside again' },
      ]);
      const clients = (name: string) => run.results.steps.find((s) => s.name === name)?.clients;
      expect(clients('outside')).toEqual([]);
      expect(clients('nested repository')).toEqual([]);
      expect(clients('inside')).toEqual(['deep-review']);
      expect(clients('inside again')).toEqual(['deep-review']);
      // One server per root, shared by every buffer under it.
      expect(run.results.started).toEqual([{ name: 'deep-review', root }]);
    });
    it.runIf(existsSync(corpus))('shows the latest round of a real PR series of Markdown reports dropped into .deep-review', () => {
      // The four rounds of PR #10637 from the report corpus, next to files at the cited paths.
      const base = temporary.make();
      const root = path.join(base, 'workspace');
      mkdirSync(path.join(root, '.deep-review'), { recursive: true });
      for (const name of ['20260718-122026-pr-10637.md', '20260718-160125-pr-10637.md', '20260719-002635-pr-10637.md', '20260719-173822-pr-10637.md']) {
        cpSync(path.join(corpus, name), path.join(root, '.deep-review', name));
      }
      // Filler, with the code the latest round quotes at the lines it cites (findings follow their quoted code).
      const latest = readMarkdownReport(readFileSync(path.join(corpus, '20260719-173822-pr-10637.md'), 'utf8'), { fileName: '20260719-173822-pr-10637.md' }).review!;
      // Every path the rounds cite exists, so the reports carry no "does not exist" notes.
      const cited = [
        'pkg/rancher-desktop/backend/kube/lima.ts',
        'pkg/rancher-desktop/pages/KubernetesError.vue',
        'pkg/rancher-desktop/pages/containers/ContainerInfo.vue',
        'pkg/rancher-desktop/pages/volumes/files/_name.vue',
        'pkg/rancher-desktop/main/tray.ts',
        'pkg/rancher-desktop/components/DiagnosticsButtonRun.vue',
        'pkg/rancher-desktop/components/Preferences/navigateClick.ts',
      ];
      for (const file of ['pkg/rancher-desktop/window/preferences.ts', 'pkg/rancher-desktop/config/private-label.js', 'pkg/rancher-desktop/components/ContainerStats.vue', ...cited]) {
        const lines = Array.from({ length: 400 }, (_, i) => `// line ${i + 1}`);
        for (const location of latest.findings.flatMap((f) => f.locations).filter((l) => l.path === file && l.anchorText && l.ranges[0])) {
          const quoted = location.anchorText!.split('\n');
          lines.splice(location.ranges[0]!.start - 1, quoted.length, ...quoted);
        }
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), lines.join('\n'));
      }
      const run = runNeovim(root, {}, [
        { op: 'edit', path: 'pkg/rancher-desktop/window/preferences.ts', name: 'open' },
        // Round 4 of 4 (0 C / 0 I / 2 S): round 1's I1 on ContainerStats.vue is no longer shown.
        // Also the notes of two earlier rounds on bare file names this workspace lacks (they arrive after the files').
        {
          op: 'wait',
          name: 'round 4',
          expect: [
            '.deep-review/20260718-160125-pr-10637.md:58:unresolved-path',
            '.deep-review/20260719-002635-pr-10637.md:41:unresolved-path',
            'pkg/rancher-desktop/config/private-label.js:52:S2',
            'pkg/rancher-desktop/window/preferences.ts:101:S1',
          ],
        },
      ]);
      const seen = waited(run, 'round 4');
      expect(byCode(seen, 'pkg/rancher-desktop/window/preferences.ts', 'S1').message).toContain('(PR #10637 round 4)');
      expect(byCode(seen, 'pkg/rancher-desktop/config/private-label.js', 'S2').message).toContain('[Claude Opus 4.8, Gemini 3.1 Pro, Gemini 3.5 Flash]');
    });
  });
});
