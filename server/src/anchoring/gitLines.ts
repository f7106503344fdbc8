/**
 * The git step: how a file's lines moved from the reviewed commit to the
 * working tree, from one `git diff` per commit and file, cached until the file
 * changes. A missing git, repository or commit turns the step off.
 */
import * as path from 'node:path';
import type { GitRunner } from '../git/gitRunner.js';
import { parseUnifiedHunks, type LineMap } from './lineMap.js';

/** Only these ever reach git as a revision: a hex object id. */
const HEX_SHA = /^[0-9a-f]{7,64}$/i;
/** A commit git did not know is asked about again after this long (it may have been fetched). */
const RECHECK_MISSING_MS = 60_000;
/** Diffs kept; the oldest is dropped beyond this. */
const MAX_DIFFS = 1000;

/** Line maps from reviewed commits to the working tree, through git. */
export class GitLineMaps {
  private readonly commits = new Map<string, { full: Promise<string | undefined>; until: number }>();
  private readonly diffs = new Map<string, { diskText: string; map: Promise<LineMap | undefined> }>();

  constructor(
    private readonly git: GitRunner,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The map from `sha`'s version of `file` to `diskText` (the file on disk now);
   * undefined when git cannot tell (no git, not a repository, unknown commit,
   * file added or deleted since, binary).
   */
  async lineMap(root: string, sha: string, file: string, diskText: string): Promise<LineMap | undefined> {
    if (!HEX_SHA.test(sha)) return undefined;
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) return undefined;
    const full = await this.commit(root, sha);
    if (!full) return undefined;
    const key = `${root}\u0000${full}\u0000${relative}`;
    const cached = this.diffs.get(key);
    if (cached && cached.diskText === diskText) return cached.map;
    const map = this.git(root, ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '-U0', full, '--', relative]).then((out) =>
      out === undefined ? undefined : parseUnifiedHunks(out),
    );
    this.diffs.delete(key);
    this.diffs.set(key, { diskText, map });
    if (this.diffs.size > MAX_DIFFS) this.diffs.delete(this.diffs.keys().next().value!);
    return map;
  }

  /** The full id of a commit git knows, or undefined. */
  private commit(root: string, sha: string): Promise<string | undefined> {
    const key = `${root}\u0000${sha.toLowerCase()}`;
    const known = this.commits.get(key);
    const now = this.now();
    if (known && now < known.until) return known.full;
    const full = this.git(root, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]).then((out) => {
      const id = out?.trim();
      return id && HEX_SHA.test(id) ? id : undefined;
    });
    // A found commit is kept for good; a missing one is asked about again later.
    const entry = { full, until: now + RECHECK_MISSING_MS };
    this.commits.set(key, entry);
    void full.then((id) => {
      if (id) entry.until = Number.POSITIVE_INFINITY;
    });
    return full;
  }
}
