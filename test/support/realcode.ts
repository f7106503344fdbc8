/**
 * The real code cited by corpus reports (../shared/realcode, never copied into
 * the repository): each covered report's files at the reviewed and a later
 * commit, made into a two-commit git repository or plain folders for a test,
 * and `git diff review later` read as the truth of where each cited line went.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './lspClient.js';
import { TempWorkspace } from './workspace.js';

const run = promisify(execFile);

/** The realcode folder beside the repository. */
export const REALCODE_DIR = path.resolve(REPO_ROOT, '../shared/realcode');
/** The corpus reports the realcode folders belong to. */
export const REPORTS_DIR = path.resolve(REPO_ROOT, '../shared/corpus/reports');
/** True when both are there. */
export const realcodeAvailable = existsSync(path.join(REALCODE_DIR, 'README.md')) && existsSync(REPORTS_DIR);

/** One cited file of SOURCE.json. */
export interface SourceFile {
  path: string;
  review: boolean;
  later: boolean;
  citedAs?: string;
  alsoCitedAs?: string[];
}

/** A covered report: its realcode folder and SOURCE.json. */
export interface Covered {
  dir: string;
  report: string;
  reviewedCommit: string;
  laterCommit: string;
  files: SourceFile[];
}

/** Every covered report, by folder name. */
export function coveredReports(): Covered[] {
  if (!realcodeAvailable) return [];
  return readdirSync(REALCODE_DIR)
    .filter((name) => existsSync(path.join(REALCODE_DIR, name, 'SOURCE.json')))
    .sort()
    .map((name) => {
      const source = JSON.parse(readFileSync(path.join(REALCODE_DIR, name, 'SOURCE.json'), 'utf8')) as Omit<Covered, 'dir'>;
      return { ...source, dir: path.join(REALCODE_DIR, name) };
    });
}

/** A fixed identity and dates, and no system or user configuration: every run makes the same commits. */
function gitEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.invalid',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.invalid',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

/** Runs git with a fixed identity and dates, so every run makes the same commits. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const env = gitEnvironment();
  const { stdout } = await run('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Makes `root` a repository with commits tagged `review` and `later` (README of realcode); returns their ids. */
export async function buildHistory(covered: Covered, root: string): Promise<{ review: string; later: string }> {
  await git(root, ['init', '-q']);
  cpSync(path.join(covered.dir, 'review'), root, { recursive: true });
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-qm', `review: ${covered.reviewedCommit}`]);
  await git(root, ['tag', 'review']);
  await git(root, ['rm', '-rqf', '.']);
  if (existsSync(path.join(covered.dir, 'later'))) cpSync(path.join(covered.dir, 'later'), root, { recursive: true });
  await git(root, ['add', '-A']);
  await git(root, ['commit', '-q', '--allow-empty', '-m', `later: ${covered.laterCommit}`]);
  await git(root, ['tag', 'later']);
  return { review: (await git(root, ['rev-parse', 'review'])).trim(), later: (await git(root, ['rev-parse', 'later'])).trim() };
}

/** Copies one side (review/ or later/) into a plain folder. */
export function copySide(covered: Covered, side: 'review' | 'later', root: string): void {
  mkdirSync(root, { recursive: true });
  if (existsSync(path.join(covered.dir, side))) cpSync(path.join(covered.dir, side), root, { recursive: true });
}

/** Writes the report (and its HTML rendering) into `root/.deep-review/`, with `rewrite` applied to both. */
export function copyReport(covered: Covered, root: string, rewrite: (text: string) => string = (t) => t): string {
  const target = path.join(root, '.deep-review', covered.report);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, rewrite(readFileSync(path.join(REPORTS_DIR, covered.report), 'utf8')));
  const html = path.join(REPORTS_DIR, covered.report.replace(/\.md$/, '.html'));
  if (existsSync(html)) writeFileSync(target.replace(/\.md$/, '.html'), rewrite(readFileSync(html, 'utf8')));
  return target;
}

/** Replaces every abbreviation (7+ hex digits) of the given commits by the same length of `local`. */
export function rewriteCommits(text: string, upstream: readonly string[], local: string): string {
  const wanted = upstream.filter((sha) => /^[0-9a-f]{7,40}$/i.test(sha)).map((sha) => sha.toLowerCase());
  return text.replace(/\b[0-9a-f]{7,40}\b/gi, (run) => {
    const lower = run.toLowerCase();
    return wanted.some((sha) => sha.startsWith(lower) || lower.startsWith(sha)) ? local.slice(0, run.length) : run;
  });
}

/** One `-U0` hunk, 1-based as git prints it. */
interface TruthHunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

/** What `git diff review later` says became of cited lines `start`-`end` (1-based). */
export type Truth =
  | { kind: 'gone-file' }
  | { kind: 'gone-lines' }
  /** Acceptable first and last lines (1-based, inclusive bounds). */
  | { kind: 'lines'; start: [number, number]; end: [number, number] };

/** The hunks of one file between the two tags, from git itself. */
export async function truthHunks(root: string, file: string): Promise<TruthHunk[]> {
  const out = await git(root, ['diff', '--no-color', '--no-renames', '-U0', 'review', 'later', '--', file]);
  const hunks: TruthHunk[] = [];
  for (const match of out.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    hunks.push({ oldStart: Number(match[1]), oldCount: Number(match[2] ?? 1), newStart: Number(match[3]), newCount: Number(match[4] ?? 1) });
  }
  return hunks;
}

/**
 * Where cited lines are at the later commit: a line no hunk touches moved by
 * the lines added and removed above it. The first line may be anywhere from
 * the lines that replaced a changed first line down to the first line that
 * survived (the last line likewise); with no line surviving, the code is gone.
 */
export function computeTruth(hunks: readonly TruthHunk[], start: number, end: number): Truth {
  const holding = (line: number) => hunks.find((h) => h.oldCount > 0 && line >= h.oldStart && line < h.oldStart + h.oldCount);
  const mapLine = (line: number) =>
    line + hunks.filter((h) => (h.oldCount === 0 ? h.oldStart < line : h.oldStart + h.oldCount <= line)).reduce((sum, h) => sum + h.newCount - h.oldCount, 0);
  const survivors: number[] = [];
  for (let line = start; line <= end; line++) if (!holding(line)) survivors.push(line);
  if (survivors.length === 0) return { kind: 'gone-lines' };
  const first = mapLine(survivors[0]!);
  const last = mapLine(survivors[survivors.length - 1]!);
  const startHunk = holding(start);
  const endHunk = holding(end);
  const startLow = startHunk && startHunk.newCount > 0 ? startHunk.newStart : first;
  const endHigh = endHunk && endHunk.newCount > 0 ? endHunk.newStart + endHunk.newCount - 1 : last;
  return { kind: 'lines', start: [startLow, first], end: [last, endHigh] };
}

/** What SOURCE.json says about one covered report. */
export interface RealcodeSource {
  report: string;
  reviewedCommit: string;
  reviewedCommitFrom: string;
  laterCommit: string;
  files: Array<{ path: string; review: boolean; later: boolean; findings: string[]; citedAs?: string; alsoCitedAs?: string[] }>;
  notCopied?: Array<{ path: string; reason: string }>;
}

/** Folder names (report stems) of the covered reports. */
export function realcodeStems(): string[] {
  if (!realcodeAvailable) return [];
  return readdirSync(REALCODE_DIR)
    .filter((d) => existsSync(path.join(REALCODE_DIR, d, 'SOURCE.json')))
    .sort();
}

/** The SOURCE.json of a covered report. */
export function realcodeSource(stem: string): RealcodeSource {
  return JSON.parse(readFileSync(path.join(REALCODE_DIR, stem, 'SOURCE.json'), 'utf8')) as RealcodeSource;
}

/**
 * A workspace holding a two-commit git history of one report's files (tags
 * `review` and `later`), checked out at `review`. Commits are dated so SHAs are
 * the same every run.
 */
export function realcodeRepository(stem: string): TempWorkspace {
  const ws = new TempWorkspace('drl-realcode-');
  const dir = path.join(REALCODE_DIR, stem);
  const env = gitEnvironment();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  git('init', '-q');
  cpSync(path.join(dir, 'review'), ws.root, { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'review');
  git('tag', 'review');
  git('rm', '-rqf', '.');
  if (existsSync(path.join(dir, 'later'))) cpSync(path.join(dir, 'later'), ws.root, { recursive: true });
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'later');
  git('tag', 'later');
  git('checkout', '-q', 'review');
  return ws;
}
