/**
 * Placement on real code: every covered corpus report is loaded through the
 * real server over files of the reviewed commit and of a later one, with git
 * history and without, and each cited location is checked against the cited
 * lines (reviewed commit) or against `git diff review later` (later commit).
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { Finding, LineRange, Location } from '../../server/src/model/review.js';
import { readMarkdownReport } from '../../server/src/reports/markdown/readMarkdownReport.js';
import type { FindingDiagnosticData } from '../../server/src/features/diagnostics.js';
import { useSessions } from '../support/sessions.js';
import {
  buildHistory,
  computeTruth,
  copyReport,
  copySide,
  coveredReports,
  git,
  REALCODE_DIR,
  realcodeAvailable,
  REPORTS_DIR,
  rewriteCommits,
  truthHunks,
  type Covered,
} from '../support/realcode.js';

if (!realcodeAvailable) {
  console.warn(`Skipping real-code placement tests: no ${REALCODE_DIR} or ${REPORTS_DIR} (expected ../shared beside the repository).`);
}

const sessions = useSessions();
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-real-')));
  temps.push(dir);
  return dir;
}

type Side = 'review' | 'later';
interface Tally {
  right: number;
  /** Right, and with the right last line too. */
  exact: number;
  total: number;
  byMethod: Map<string, number>;
  wrong: string[];
}
const tallies = new Map<string, Tally>();

function tally(name: string): Tally {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { right: 0, exact: 0, total: 0, byMethod: new Map(), wrong: [] }));
  return t;
}

/** One cited range as the store places it: locations in order, each range in order. */
interface Cited {
  file: string;
  location: Location;
  range?: LineRange;
}

function citedRanges(finding: Finding, covered: Covered, exists: (relative: string) => boolean, isDirectory: (relative: string) => boolean): Cited[] {
  const out: Cited[] = [];
  for (const location of finding.locations) {
    if (!location.path || location.unresolved || location.pathKind === 'non-file' || location.pathKind === 'directory') continue;
    let file = location.path.replace(/^\.\//, '');
    // A cited folder without a trailing slash is a directory once the workspace shows it is one: never placed on a file.
    if (location.ranges.length === 0 && isDirectory(file)) continue;
    if (!file.includes('/')) {
      // A bare name resolves to the one file of that name, when the workspace has it.
      const match = covered.files.find((f) => f.citedAs === file || f.alsoCitedAs?.includes(file) || path.posix.basename(f.path) === file);
      if (!match || !exists(match.path)) continue;
      file = match.path;
    }
    if (location.ranges.length === 0) out.push({ file, location });
    for (const range of location.ranges) out.push({ file, location, range });
  }
  return out;
}

interface Placed {
  line: number;
  endLine: number;
  method?: string;
  message: string;
  uri: string;
}

async function placeReport(covered: Covered, side: Side, withGit: boolean) {
  const root = tempDir();
  let rewrite: ((text: string) => string) | undefined;
  const { text, html } = {
    text: readFileSync(path.join(REPORTS_DIR, covered.report), 'utf8'),
    html: (() => {
      try {
        return readFileSync(path.join(REPORTS_DIR, covered.report.replace(/\.md$/, '.html')), 'utf8');
      } catch {
        return undefined;
      }
    })(),
  };
  const parsed = readMarkdownReport(text, { fileName: covered.report, ...(html !== undefined ? { html } : {}) }).review!;
  let truthRoot: string;
  if (withGit) {
    const ids = await buildHistory(covered, root);
    await git(root, ['checkout', '-q', side]);
    // The upstream commits are not in this history: the report's reviewed commit (as the reader
    // took it, and as SOURCE.json has it) is made to name the local `review` commit.
    const upstream = [covered.reviewedCommit, ...(parsed.reviewedCommit ? [parsed.reviewedCommit.sha] : [])];
    rewrite = (t) => rewriteCommits(t, upstream, ids.review);
    truthRoot = root;
  } else {
    copySide(covered, side, root);
    truthRoot = tempDir();
    await buildHistory(covered, truthRoot);
  }
  const report = copyReport(covered, root, rewrite);
  const c = await sessions.client({ folders: [root], settings: { debounceMs: 0, showResolved: true } });
  const exists = (relative: string) => {
    try {
      readFileSync(path.join(root, relative));
      return true;
    } catch {
      return false;
    }
  };
  const isDirectory = (relative: string) => {
    try {
      return statSync(path.join(root, relative)).isDirectory();
    } catch {
      return false;
    }
  };
  return { root, report, parsed, client: c, exists, isDirectory, truthRoot };
}

async function checkReport(covered: Covered, side: Side, withGit: boolean): Promise<void> {
  const { root, report, parsed, client, exists, isDirectory, truthRoot } = await placeReport(covered, side, withGit);
  const t = tally(`${side} commit, ${withGit ? 'with git' : 'without git'}`);
  const reportUri = pathToFileURL(report).toString();
  const counted = new Set(covered.files.filter((f) => f.review).map((f) => f.path));
  const hunks = new Map<string, Awaited<ReturnType<typeof truthHunks>>>();
  const laterFiles = new Set(covered.files.filter((f) => f.later).map((f) => f.path));
  const seen = new Map<string, number>();
  for (const finding of parsed.findings) {
    const n = (seen.get(finding.id) ?? 0) + 1;
    seen.set(finding.id, n);
    if (finding.struck || n > 1) continue;
    const cited = citedRanges(finding, covered, exists, isDirectory);
    if (cited.length === 0) continue;
    const key = `.deep-review/${covered.report}#${finding.id}`;
    const primaryUri = pathToFileURL(path.join(root, cited[0]!.file)).toString();
    const diagnostic = [...(client.diagnostics.get(primaryUri) ?? []), ...(client.diagnostics.get(reportUri) ?? [])].find(
      (d: Diagnostic) => (d.data as FindingDiagnosticData | undefined)?.key === key,
    );
    expect(diagnostic, `${covered.report} ${finding.id}: a diagnostic`).toBeDefined();
    const placed: Placed[] = [
      {
        line: diagnostic!.range.start.line,
        endLine: diagnostic!.range.end.line,
        method: (diagnostic!.data as FindingDiagnosticData).placement,
        message: typeof diagnostic!.message === 'string' ? diagnostic!.message : diagnostic!.message.value,
        uri: primaryUri,
      },
      ...(diagnostic!.relatedInformation ?? []).map((r) => ({ line: r.location.range.start.line, endLine: r.location.range.end.line, message: r.message, uri: r.location.uri })),
    ];
    expect(placed.length, `${covered.report} ${finding.id}: one placement per cited range`).toBe(cited.length);
    for (const [i, entry] of cited.entries()) {
      if (!entry.range || !counted.has(entry.file)) continue;
      const got = placed[i]!;
      const what = `${finding.id} ${entry.file}:${entry.range.start}-${entry.range.end}`;
      const outdated = got.method === 'orphan' || got.method === 'file-gone' || /\(outdated: /.test(got.message);
      let right: boolean;
      let exact: boolean | undefined;
      let expected = '';
      if (side === 'review') {
        const lines = readFileSync(path.join(covered.dir, 'review', entry.file), 'utf8').split(/\r?\n/).length;
        right = !outdated && got.line === entry.range.start - 1 && got.endLine === Math.min(entry.range.end, lines) - 1;
      } else if (!laterFiles.has(entry.file)) {
        right = i === 0 ? got.method === 'file-gone' : /no longer exists/.test(got.message);
      } else {
        if (!hunks.has(entry.file)) hunks.set(entry.file, await truthHunks(truthRoot, entry.file));
        const truth = computeTruth(hunks.get(entry.file)!, entry.range.start, entry.range.end);
        expected = truth.kind === 'lines' ? ` want ${truth.start.join('..')}-${truth.end.join('..')}` : ` want ${truth.kind}`;
        if (truth.kind === 'lines') {
          // Right: it starts where the cited code starts now and does not run past it. Exact: its last line is right too.
          right = !outdated && got.line + 1 >= truth.start[0] && got.line + 1 <= truth.start[1] && got.endLine + 1 <= truth.end[1];
          exact = right && got.endLine + 1 >= truth.end[0];
        } else {
          // Every cited line changed: an orphan, or the very same code found where it moved to.
          right = outdated || sameCode(covered, entry, got);
        }
      }
      t.total++;
      const method = got.method ?? (outdated ? 'outdated' : 'related');
      t.byMethod.set(method, (t.byMethod.get(method) ?? 0) + 1);
      if (right) t.right++;
      if (exact ?? right) t.exact++;
      else t.wrong.push(`${right ? '(first line right) ' : ''}${covered.report.replace(/\.md$/, '')} ${what} -> ${got.line + 1}-${got.endLine + 1} (${method})${expected} ${got.message.slice(0, 90)}`);
    }
  }
}

/** True when the placed lines hold the cited lines' code of the reviewed commit, whitespace aside. */
function sameCode(covered: Covered, entry: Cited, got: Placed): boolean {
  const squash = (lines: string[]) => lines.join('').replace(/\s+/g, '');
  const before = readFileSync(path.join(covered.dir, 'review', entry.file), 'utf8').split(/\r?\n/).slice(entry.range!.start - 1, entry.range!.end);
  const after = readFileSync(path.join(covered.dir, 'later', entry.file), 'utf8').split(/\r?\n/).slice(got.line, got.endLine + 1);
  return squash(before) === squash(after);
}

const GOALS: Record<Side, number> = { review: 0.95, later: 0.9 };
/**
 * What the test holds each case to: the rates measured, so a change that
 * places fewer findings right fails. Measured: 100% and 100% with git, 98.1%
 * (103/105) at the reviewed commit and 94.1% (96/102) at the later one
 * without. Without git the later commit stays short of the rest: a snippet
 * found a line or three off its citation reads as the citation being off,
 * not as the code having moved (nothing short of the reviewed text tells the
 * two apart), and a citation that quotes nothing, where no other finding
 * quotes its lines either, can only be shown where it was.
 */
const FLOORS: Record<string, number> = { 'review true': 0.95, 'later true': 0.9, 'review false': 0.95, 'later false': 0.94 };

describe.skipIf(!realcodeAvailable)('placement on the real code of the corpus', () => {
  const covered = coveredReports();

  for (const withGit of [true, false]) {
    for (const side of ['review', 'later'] as const) {
      it(`places the findings of every covered report at the ${side} commit, ${withGit ? 'with' : 'without'} git`, async () => {
        for (const one of covered) await checkReport(one, side, withGit);
        const t = tally(`${side} commit, ${withGit ? 'with git' : 'without git'}`);
        const rate = t.right / t.total;
        console.log(
          `placement at the ${side} commit ${withGit ? 'with' : 'without'} git: ${t.right}/${t.total} = ${(rate * 100).toFixed(1)}% ` +
            `(goal ${GOALS[side] * 100}%); last line right too: ${t.exact}/${t.total} = ${((t.exact / t.total) * 100).toFixed(1)}%; by method: ${[...t.byMethod].map(([m, n]) => `${m} ${n}`).join(', ')}` +
            (t.wrong.length > 0 ? `\n  not exactly right:\n  ${t.wrong.join('\n  ')}` : ''),
        );
        expect(t.total).toBeGreaterThan(100);
        expect(rate).toBeGreaterThanOrEqual(FLOORS[`${side} ${withGit}`]!);
      }, 120_000);
    }
  }
});

describe.runIf(process.env.CI === 'true')('the real code under CI', () => {
  it('is there', () => {
    expect(realcodeAvailable, `${REALCODE_DIR} and ${REPORTS_DIR} must exist under CI`).toBe(true);
  });
});
