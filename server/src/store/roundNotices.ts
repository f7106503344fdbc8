/**
 * Which rounds of a series are shown, and what the user is told when a visible
 * round shows nothing: a round whose findings are all resolved says so (they
 * are hidden unless asked for), and a latest round whose findings are all
 * struck or invalid does not hide the round before it.
 */
import type { Review } from '../model/review.js';
import { describeRound } from './series.js';

/** Something worth telling about a round that would otherwise show nothing. */
export type RoundNotice =
  /** Every finding of the round is resolved, and resolved findings are hidden. */
  | { kind: 'all-resolved'; round: string; resolved: number }
  /** The latest round has findings but none is valid; an earlier round is shown instead. */
  | { kind: 'no-valid-finding'; round: string; struck: number; shown: string };

/** The visible rounds of a series and the notices keyed by report file. */
export interface VisibleRounds<T> {
  visible: T[];
  notices: Map<string, RoundNotice>;
}

/**
 * Picks the rounds to show from a series ordered oldest first. With `latest`,
 * the latest round that has a valid (not struck) finding, or that has no
 * finding at all (a clean round really is the news); a newer round whose
 * findings are all struck gets a notice naming the round shown instead.
 */
export function computeVisibleRounds<T extends { file: string; review: Review }>(
  members: readonly T[],
  visibility: { rounds: 'latest' | 'all'; showResolved: boolean },
): VisibleRounds<T> {
  const notices = new Map<string, RoundNotice>();
  let visible: T[];
  if (visibility.rounds === 'all' || members.length === 0) {
    visible = [...members];
  } else {
    let chosen = members.length - 1;
    while (chosen > 0 && onlyStruck(members[chosen]!.review)) chosen--;
    const shown = members[chosen]!;
    visible = [shown];
    for (let i = chosen + 1; i < members.length; i++) {
      const skipped = members[i]!;
      notices.set(skipped.file, {
        kind: 'no-valid-finding',
        round: describeRound(skipped.review) || skipped.file,
        struck: skipped.review.findings.length,
        shown: describeRound(shown.review) || shown.file,
      });
    }
  }
  if (!visibility.showResolved) {
    for (const entry of visible) {
      const valid = entry.review.findings.filter((finding) => !finding.struck);
      const resolved = valid.filter((finding) => finding.resolution).length;
      if (resolved > 0 && resolved === valid.length) {
        notices.set(entry.file, { kind: 'all-resolved', round: describeRound(entry.review) || entry.file, resolved });
      }
    }
  }
  return { visible, notices };
}

function onlyStruck(review: Review): boolean {
  return review.findings.length > 0 && review.findings.every((finding) => finding.struck);
}

/** The notice as a sentence; `showResolved` names the setting or option that shows resolved findings. */
export function describeNotice(notice: RoundNotice, showResolved = 'showResolved'): string {
  if (notice.kind === 'all-resolved') {
    const n = notice.resolved;
    return `${n} finding${n === 1 ? '' : 's'} of ${notice.round} ${n === 1 ? 'is' : 'are'} resolved (${showResolved} shows ${n === 1 ? 'it' : 'them'})`;
  }
  const n = notice.struck;
  return `${notice.round} has no valid finding (${n === 1 ? 'its only finding is' : `all ${n} findings are`} struck or invalid), so the findings of ${notice.shown} are shown`;
}
