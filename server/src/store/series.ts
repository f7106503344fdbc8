/**
 * Series and rounds: which reviews belong together, in which order, and how a
 * round is named to the user.
 */
import type { Review } from '../model/review.js';

/** The key that groups the rounds of one PR, branch or target within a workspace folder. */
export function computeSeriesKey(review: Review, reportId: string): string {
  if (review.series) return `series:${review.series}`;
  if (review.pr) return `pr:${review.pr.number}`;
  const of = review.round?.of?.match(/^(?:PR\s*#?|pr-|#)(\d+)$/i);
  if (of?.[1]) return `pr:${of[1]}`;
  if (review.branch) return `branch:${review.branch.name}`;
  if (review.target) return `target:${review.target}`;
  return `report:${reportId}`;
}

/** Orders the reviews of a series: by round, then date, then report name. */
export function compareRounds(
  a: { review: Review; id: string },
  b: { review: Review; id: string },
): number {
  const ra = a.review.round?.number ?? -1;
  const rb = b.review.round?.number ?? -1;
  if (ra !== rb) return ra - rb;
  const da = a.review.date ?? '';
  const db = b.review.date ?? '';
  if (da !== db) return da < db ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** "PR #336", "branch inspect-tab", the target, or "" when nothing is known. */
export function describeSeries(review: Review): string {
  return review.pr ? `PR #${review.pr.number}` : review.branch ? `branch ${review.branch.name}` : (review.target ?? '');
}

/** "PR #336 round 6", "branch inspect-tab round 1", "round 2", or "" when nothing is known. */
export function describeRound(review: Review): string {
  const subject = describeSeries(review);
  const round = review.round ? `round ${review.round.number}` : '';
  return [subject, round].filter(Boolean).join(' ');
}
