/**
 * Resolves cited paths against the workspace. Reports often cite a bare file
 * name (`app_controller.go:58`): a unique match in the workspace wins; among
 * several, the files changed by the review's commits (when git knows them);
 * otherwise the location stays unresolved and the report says why.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Location, Review } from '../model/review.js';
import type { ReportProblem } from '../reports/readResult.js';

/** Directories never searched for cited files. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** Stop listing a workspace past this many files: resolution then uses what was listed. */
const MAX_FILES = 200_000;

/** Runs git; resolves undefined when git is missing or fails. */
export type GitRunner = (cwd: string, args: string[]) => Promise<string | undefined>;

/** The real git, without a shell, with a time limit. */
export const runGit: GitRunner = (cwd, args) =>
  new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => resolve(error ? undefined : stdout));
  });

/** The files of one workspace folder, listed lazily, by base name. */
export class WorkspaceFiles {
  private listing?: Promise<{ all: Set<string>; byName: Map<string, string[]> }>;
  private readonly changedByCommit = new Map<string, Promise<string[] | undefined>>();

  constructor(
    readonly root: string,
    private readonly git: GitRunner = runGit,
  ) {}

  /** Forgets the listing, so the next look-up sees files added or removed since. */
  invalidate(): void {
    this.listing = undefined;
  }

  /** Workspace-relative paths (with '/') of every file named `name`. */
  async named(name: string): Promise<string[]> {
    return (await this.list()).byName.get(name) ?? [];
  }

  /** True when the workspace-relative path is a listed file. */
  async has(relative: string): Promise<boolean> {
    return (await this.list()).all.has(relative);
  }

  /** True when the workspace-relative path is a file or directory of the workspace (listed, or present though ignored). */
  async exists(relative: string): Promise<boolean> {
    if (await this.has(relative)) return true;
    try {
      await fs.stat(path.join(this.root, relative));
      return true;
    } catch {
      return false;
    }
  }

  /** Files changed by a commit, workspace-relative; undefined when git cannot tell. */
  changedBy(sha: string): Promise<string[] | undefined> {
    let changed = this.changedByCommit.get(sha);
    if (!changed) {
      changed = this.git(this.root, ['show', '--name-only', '--pretty=format:', '--no-renames', sha, '--']).then((out) =>
        out === undefined ? undefined : out.split('\n').filter(Boolean),
      );
      this.changedByCommit.set(sha, changed);
    }
    return changed;
  }

  private list() {
    this.listing ??= this.readListing();
    return this.listing;
  }

  private async readListing() {
    const fromGit = await this.git(this.root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    const files = fromGit !== undefined ? fromGit.split('\0').filter(Boolean) : await walk(this.root);
    const all = new Set(files);
    const byName = new Map<string, string[]>();
    for (const file of files) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const list = byName.get(name);
      if (list) list.push(file);
      else byName.set(name, [file]);
    }
    return { all, byName };
  }
}

async function walk(root: string): Promise<string[]> {
  const found: string[] = [];
  const queue = [''];
  while (queue.length > 0 && found.length < MAX_FILES) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) queue.push(relative);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        found.push(relative);
      }
    }
  }
  return found;
}

/**
 * Sets `resolvedPath` on each location written as a bare file name, or
 * `unresolved` with the reason; returns a problem for each one left unresolved.
 * `placeOf` finds where a location is written in the report.
 */
export async function resolveLocations(
  review: Review,
  files: WorkspaceFiles,
  placeOf: (location: Location) => { offset: number; length: number },
): Promise<ReportProblem[]> {
  const problems: ReportProblem[] = [];
  for (const finding of review.findings) {
    for (const location of finding.locations) {
      const cited = location.path;
      if (!cited || location.unresolved || location.resolvedPath || location.pathKind === 'non-file' || location.pathKind === 'directory') continue;
      const normalised = path.posix.normalize(cited.replace(/\\/g, '/')).replace(/^\.\//, '');
      if (normalised.includes('/')) {
        // Said as a bare name's miss is said: otherwise a typo or a moved file goes unnoticed.
        if (!(await files.exists(normalised))) {
          problems.push({
            severity: 'info',
            code: 'missing-path',
            message: `Finding ${finding.id}: the cited file "${normalised}" does not exist in the workspace`,
            ...placeOf(location),
          });
        }
        continue;
      }
      if (await files.has(normalised)) continue;
      const candidates = await files.named(normalised);
      if (candidates.length === 1) {
        location.resolvedPath = candidates[0];
        continue;
      }
      const chosen = candidates.length > 1 ? await pickChanged(candidates, review, files) : undefined;
      if (chosen) {
        location.resolvedPath = chosen;
        continue;
      }
      location.unresolved =
        candidates.length === 0
          ? `No file named "${normalised}" in the workspace`
          : `"${normalised}" matches ${candidates.length} files (${candidates.slice(0, 3).join(', ')}${candidates.length > 3 ? ', ...' : ''}) and the review's commits do not tell which`;
      problems.push({
        severity: 'info',
        code: 'unresolved-path',
        message: `Finding ${finding.id}: ${location.unresolved}; it is not shown on a file`,
        ...placeOf(location),
      });
    }
  }
  return problems;
}

async function pickChanged(candidates: string[], review: Review, files: WorkspaceFiles): Promise<string | undefined> {
  const shas = [...review.commits.map((commit) => commit.sha), ...(review.reviewedCommit ? [review.reviewedCommit.sha] : [])];
  const changed = new Set<string>();
  for (const sha of shas) {
    if (!/^[0-9a-f]{4,64}$/i.test(sha)) continue; // never hand git anything but a hex id
    for (const file of (await files.changedBy(sha)) ?? []) changed.add(file);
  }
  const matching = candidates.filter((candidate) => changed.has(candidate));
  return matching.length === 1 ? matching[0] : undefined;
}
