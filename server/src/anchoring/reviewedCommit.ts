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
  if (listed.length < 2 || listed.length > MAX_COMMITS) return;
  const known: Array<{ listed: string; full: string }> = [];
  for (const sha of listed) {
    const out = await git(root, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]);
    const full = out?.trim();
    if (full !== undefined && /^[0-9a-f]{40,64}$/i.test(full)) known.push({ listed: sha, full });
  }
  if (known.length < 2) return;
  const out = await git(root, ['merge-base', '--independent', ...known.map((k) => k.full)]);
  const tips = (out ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  if (tips.length !== 1) return;
  const tip = known.find((k) => k.full === tips[0]);
  if (tip === undefined) return;
  const agrees = tip.full.startsWith(chosen.sha) || chosen.sha.startsWith(tip.full);
  review.reviewedCommit = {
    sha: tip.full,
    source: 'git',
    note: `the listed commit ${tip.listed} that the other ${known.length - 1} of ${listed.length} lead to in the local repository${agrees ? '' : `; the report alone pointed at ${chosen.sha.slice(0, 12)} (${chosen.note ?? chosen.source})`}`,
    ...(chosen.raw !== undefined ? { raw: chosen.raw } : {}),
  };
}
