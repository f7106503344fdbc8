/**
 * The real code cited by corpus reports, read from ../shared/realcode beside the
 * repository (never copied into it): each report's SOURCE.json, and a git
 * history built from its review/ and later/ folders as realcode/README.md explains.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TempWorkspace } from './workspace.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The realcode directory. */
export const REALCODE_DIR = path.resolve(repoRoot, '../shared/realcode');

/** True when the real code is there to test against; under CI its absence fails. */
export const realcodeAvailable = existsSync(path.join(REALCODE_DIR, 'README.md'));

if (!realcodeAvailable) {
  if (process.env.CI === 'true') throw new Error(`No real code at ${REALCODE_DIR} (expected ../shared/realcode beside the repository)`);
  console.warn(`Skipping real-code tests: no real code at ${REALCODE_DIR} (expected ../shared/realcode beside the repository).`);
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
  const env = {
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
