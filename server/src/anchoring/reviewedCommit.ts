/**
 * Checks a report's reviewed commit against the local repository: when the
 * commits its Commits row lists are there, the tip is the one the others lead
 * to (git merge-base --independent), whatever order the row was written in.
 * Git only ever receives hex commit ids, through the injected runner.
 */
import type { Review } from '../model/review.js';
import type { GitRunner } from '../git/gitRunner.js';

/** Most listed commits looked up in git; a longer row is left as the reader chose. */
const MAX_COMMITS = 40;
const HEX = /^[0-9a-f]{4,40}$/i;

/**
 * Replaces a reviewed commit read from the Commits row or the HTML links by the
 * tip git finds among the listed commits, when git knows at least two of them
 * and exactly one is not an ancestor of another. Mutates the review.
 */
export async function refineReviewedCommit(review: Review, root: string, git: GitRunner): Promise<void> {
  const chosen = review.reviewedCommit;
  if (chosen === undefined || (chosen.source !== 'commits' && chosen.source !== 'html')) return;
  const listed = review.commits.map((c) => c.sha).filter((sha) => HEX.test(sha));
  if (listed.length < 1 || listed.length > MAX_COMMITS) return;
  const known: Array<{ listed: string; full: string }> = [];
  for (const sha of listed) {
    const out = await git(root, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]);
    const full = out?.trim();
    if (full !== undefined && /^[0-9a-f]{40,64}$/i.test(full)) known.push({ listed: sha, full });
  }
  const out = known.length >= 2 ? await git(root, ['merge-base', '--independent', ...known.map((k) => k.full)]) : undefined;
  const tips = (out ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const tip = tips.length === 1 ? known.find((k) => k.full === tips[0]) : undefined;
  if (tip === undefined) {
    await preferCommitWithCitedPaths(review, root, git, known);
    return;
  }
  const agrees = tip.full.startsWith(chosen.sha) || chosen.sha.startsWith(tip.full);
  review.reviewedCommit = {
    sha: tip.full,
    source: 'git',
    note: `the listed commit ${tip.listed} that the other ${known.length - 1} of ${listed.length} lead to in the local repository${agrees ? '' : `; the report alone pointed at ${chosen.sha.slice(0, 12)} (${chosen.note ?? chosen.source})`}`,
    ...(chosen.raw !== undefined ? { raw: chosen.raw } : {}),
  };
}

/** Most commits whose trees are listed to find the one holding every cited path. */
const MAX_TREES = 5;

/**
 * When git cannot order the listed commits, the reviewed commit should at least
 * hold the files the report cites: HTML links can name the oldest commit, where
 * half of them do not exist yet. Switches to a known listed commit under which
 * every cited path exists when the chosen one lacks some.
 */
async function preferCommitWithCitedPaths(review: Review, root: string, git: GitRunner, known: Array<{ listed: string; full: string }>): Promise<void> {
  const chosen = review.reviewedCommit;
  if (chosen === undefined || !HEX.test(chosen.sha) || known.length === 0) return;
  const cited = [
    ...new Set(
      review.findings.flatMap((f) =>
        f.locations.filter((l) => l.pathKind === 'repo-relative' || l.resolvedPath !== undefined).map((l) => (l.resolvedPath ?? l.path ?? '').replace(/^\.\//, '')),
      ),
    ),
  ].filter((p) => p !== '' && !p.startsWith('../'));
  if (cited.length === 0) return;
  const present = async (full: string): Promise<number | undefined> => {
    const tree = await git(root, ['ls-tree', '-r', '--name-only', '-z', full]);
    if (tree === undefined) return undefined;
    const files = new Set(tree.split('\0'));
    return cited.filter((p) => files.has(p)).length;
  };
  const own = (await git(root, ['rev-parse', '--verify', '--quiet', `${chosen.sha}^{commit}`]))?.trim();
  const ownCount = own !== undefined && /^[0-9a-f]{40,64}$/i.test(own) ? await present(own) : undefined;
  if (ownCount === undefined || ownCount === cited.length) return;
  for (const candidate of known.slice(0, MAX_TREES)) {
    if (candidate.full === own) continue;
    if ((await present(candidate.full)) !== cited.length) continue;
    review.reviewedCommit = {
      sha: candidate.full,
      source: 'git',
      note: `the listed commit ${candidate.listed}, under which all ${cited.length} cited paths exist; ${cited.length - ownCount} of them do not exist at ${chosen.sha.slice(0, 12)} (${chosen.note ?? chosen.source})`,
      ...(chosen.raw !== undefined ? { raw: chosen.raw } : {}),
    };
    return;
  }
}
