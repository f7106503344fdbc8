/**
 * Resolves cited paths against the workspace. Reports often cite a bare file
 * name (`app_controller.go:58`) or a path without its leading folders
 * (`tracker/apitracker.go` for `src/go/guestagent/pkg/tracker/apitracker.go`):
 * a unique file ending so wins; among several, the files changed by the
 * review's commits (when git knows them); a cited directory is a directory;
 * otherwise the location stays unresolved, is never shown on a file that does
 * not exist, and the report says why.
 */
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { changedByCommits, runGit, type GitRunner } from '../git/gitRunner.js';
import type { Location, Review } from '../model/review.js';
import type { ReportProblem } from '../reports/readResult.js';
import { RealPaths } from '../store/realPaths.js';

/** Directories never searched for cited files. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** Stop listing a workspace past this many files: resolution then uses what was listed. */
const MAX_FILES = 200_000;

// The git runner lives in git/; re-exported so existing imports keep working.
export { runGit, type GitRunner } from '../git/gitRunner.js';
/** At most this many of a review's commits are asked about (a report may list any number). */
const MAX_COMMITS = 5_000;

/** The files of one workspace folder, listed lazily, by base name. */
export class WorkspaceFiles {
  private listing?: Promise<{ all: Set<string>; dirs: Set<string>; byName: Map<string, string[]> }>;
  private readonly changedByCommit = new Map<string, Promise<Set<string> | undefined>>();

  constructor(
    readonly root: string,
    /** How this folder's git is run; also used to check a report's reviewed commit. */
    readonly git: GitRunner = runGit,
  ) {}

  /** Kinds of cited paths looked up since the last `invalidate`: many reports of a batch cite the same files. */
  private kinds = new Map<string, 'file' | 'directory' | undefined>();
  /** Real paths resolved since the last `invalidate`, for the same reason. */
  realPaths = new RealPaths();

  /** Forgets the listing and every look-up, so the next ones see files added, removed or relinked since. */
  invalidate(): void {
    this.listing = undefined;
    this.kinds = new Map();
    this.realPaths = new RealPaths();
  }

  /** Workspace-relative paths (with '/') of every file named `name`. */
  async named(name: string): Promise<string[]> {
    return (await this.list()).byName.get(name) ?? [];
  }

  /** True when the workspace-relative path is a listed file. */
  async has(relative: string): Promise<boolean> {
    return (await this.list()).all.has(relative);
  }

  /**
   * What is on disk at a workspace-relative path: the listing leaves out ignored
   * files and stops at a size limit, so a cited path is also looked up directly.
   */
  async kindOnDisk(relative: string): Promise<'file' | 'directory' | undefined> {
    if (relative.startsWith('../') || relative === '..' || path.posix.isAbsolute(relative)) return undefined;
    if (this.kinds.has(relative)) return this.kinds.get(relative);
    let kind: 'file' | 'directory' | undefined;
    try {
      // Synchronous: a stat takes microseconds, and every cited path of a report is looked up.
      const stat = statSync(path.join(this.root, relative));
      kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : undefined;
    } catch {
      kind = undefined;
    }
    this.kinds.set(relative, kind);
    return kind;
  }

  /** True when the workspace-relative path is a folder holding listed files. */
  async hasDirectory(relative: string): Promise<boolean> {
    return (await this.list()).dirs.has(relative.replace(/\/+$/, ''));
  }

  /** Files whose path ends with `/suffix` (the suffix has at least one folder). */
  async endingWith(suffix: string): Promise<string[]> {
    const name = suffix.slice(suffix.lastIndexOf('/') + 1);
    return (await this.named(name)).filter((file) => file.endsWith(`/${suffix}`));
  }

  /** Files changed by any of the commits, workspace-relative, asked of git in one batch; undefined when git cannot tell. */
  changedBy(shas: readonly string[]): Promise<Set<string> | undefined> {
    const wanted = [...new Set(shas)].slice(0, MAX_COMMITS);
    const key = wanted.join(' ');
    let changed = this.changedByCommit.get(key);
    if (!changed) {
      changed = changedByCommits(this.git, this.root, wanted).then((byCommit) => (byCommit ? new Set([...byCommit.values()].flat()) : undefined));
      this.changedByCommit.set(key, changed);
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
    const dirs = new Set<string>();
    const byName = new Map<string, string[]>();
    for (const file of files) {
      for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) dirs.add(file.slice(0, slash));
      const name = file.slice(file.lastIndexOf('/') + 1);
      const list = byName.get(name);
      if (list) list.push(file);
      else byName.set(name, [file]);
    }
    return { all, dirs, byName };
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
 * Sets `resolvedPath` on each location whose path is not a workspace file as
 * written but names one by its ending, marks cited folders as directories, or
 * sets `unresolved` with the reason; returns a problem for each one left
 * unresolved. `placeOf` finds where a location is written in the report.
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
      // A path as written is looked up on disk first: listing the workspace is needed only for the others.
      const onDisk = await files.kindOnDisk(normalised);
      if (onDisk === 'file') continue;
      if (onDisk === 'directory' && location.ranges.length === 0) {
        location.pathKind = 'directory';
        continue;
      }
      const nested = normalised.includes('/');
      const candidates = nested ? await files.endingWith(normalised) : await files.named(normalised);
      if (candidates.length === 1) {
        location.resolvedPath = candidates[0];
        continue;
      }
      const chosen = candidates.length > 1 ? await pickChanged(candidates, review, files) : undefined;
      if (chosen) {
        location.resolvedPath = chosen;
        continue;
      }
      if (nested && candidates.length === 0) {
        // A file the review saw that is gone now (deleted or moved away): the finding still
        // stands, so placing shows it on its report, marked outdated, never on the missing file.
        problems.push({
          severity: 'info',
          code: 'missing-path',
          message: `Finding ${finding.id}: no file "${normalised}" in the workspace, and no file path ends so; the finding is shown on this report`,
          ...placeOf(location),
        });
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
  // Never hand git anything but a hex id.
  const changed = (await files.changedBy(shas.filter((sha) => /^[0-9a-f]{4,64}$/i.test(sha)))) ?? new Set<string>();
  const matching = candidates.filter((candidate) => changed.has(candidate));
  return matching.length === 1 ? matching[0] : undefined;
}
