/**
 * Chooses the commit a report's line numbers refer to, from what the report
 * itself says: a `Review SHA` row, else the tip of the `Commits` row. The row is
 * newest-first in some reports and oldest-first in others, so the tip is read
 * from the HTML rendering's blob links when they name an end of the list, else
 * from the subjects (review follow-ups come after the work they address), else
 * from the order the report's era wrote. The choice records how it was made;
 * the store may refine it with git (see anchoring/reviewedCommit.ts).
 */
import type { ReviewHeader } from '../../model/review.js';
import type { CommitEntry } from './headerFields.js';
import { compact } from './text.js';

/** The reviewed commit as the model keeps it. */
export type ReviewedCommit = NonNullable<ReviewHeader['reviewedCommit']>;

/** What the report says about its commits. */
export interface CommitEvidence {
  reviewSha?: { sha: string; note?: string; raw: string };
  /** In-scope commits of the Commits row, as listed. */
  commits: readonly CommitEntry[];
  /** The SHA of the HTML rendering's blob links. */
  htmlSha?: string;
  /** The format era of the report (E2 numbered, E3 lettered, ...). */
  era?: string;
}

/** Subjects of commits that follow the work they touch: review follow-ups and small repairs. */
const LATE = /\b(?:address(?:es|ed)?\b.{0,40}\b(?:review|feedback|findings|comments)|review (?:round|feedback|findings)|fix(?:es)? lint|fixup|squash!|fixup!)/i;
/** Subjects of commits that start a piece of work. */
const EARLY = /^(?:feat(?:\([^)]*\))?!?:|add |introduce |initial |implement )/i;

/** Eras whose Commits row lists the newest commit first. */
const NEWEST_FIRST_ERAS: ReadonlySet<string> = new Set(['E3']);

/** Picks the reviewed commit; undefined when the report names none. */
export function chooseReviewedCommit(evidence: CommitEvidence): ReviewedCommit | undefined {
  const { reviewSha, commits, htmlSha } = evidence;
  if (reviewSha) return compact({ sha: reviewSha.sha, source: 'header' as const, note: reviewSha.note, raw: reviewSha.raw });
  if (commits.length === 0) return htmlSha ? { sha: htmlSha, source: 'html', note: 'the SHA of the HTML rendering\'s blob links' } : undefined;
  const first = commits[0] as CommitEntry;
  const last = commits[commits.length - 1] as CommitEntry;
  const matches = (entry: CommitEntry) => htmlSha !== undefined && htmlSha.startsWith(entry.sha);
  if (commits.length === 1) {
    return matches(first) || (htmlSha !== undefined && !commits.some(matches))
      ? { sha: htmlSha as string, source: 'html', note: 'the SHA of the HTML rendering\'s blob links' }
      : { sha: first.sha, source: 'commits', note: 'the only commit listed' };
  }
  const n = commits.length;
  const order = orderOf(commits, evidence.era);
  const tip = order.order === 'newest-first' ? first : last;
  const oldest = order.order === 'newest-first' ? last : first;
  if (htmlSha !== undefined && matches(tip)) {
    return { sha: htmlSha, source: 'html', note: `the HTML rendering's blob links name the tip of the ${n} listed commits (${order.why})` };
  }
  if (htmlSha !== undefined && !order.fromSubjects && (matches(first) || matches(last))) {
    // The subjects say nothing, so the end of the list the links name is the tip.
    const end = matches(first) ? 'first' : 'last';
    return { sha: htmlSha, source: 'html', note: `the HTML rendering's blob links name the ${end} of the ${n} listed commits, read as the tip` };
  }
  if (htmlSha !== undefined && !commits.some(matches)) {
    return { sha: htmlSha, source: 'html', note: `the SHA of the HTML rendering's blob links, which is none of the ${n} listed commits` };
  }
  const named = commits.find(matches);
  const htmlNote = named ? `; the HTML rendering's blob links name ${named === oldest ? 'the oldest, ' : ''}${named.sha}, not the tip` : '';
  return { sha: tip.sha, source: 'commits', note: `tip of the ${n} listed commits: ${order.why}${htmlNote}` };
}

/** Which way the Commits row runs, and why the reader thinks so. */
function orderOf(commits: readonly CommitEntry[], era: string | undefined): { order: 'newest-first' | 'oldest-first'; why: string; fromSubjects: boolean } {
  const n = commits.length;
  // Each cue pulls towards the end of the list where its kind of commit sits: a
  // follow-up near the top means the row starts with the newest commit.
  let score = 0;
  commits.forEach((commit, index) => {
    const position = index / (n - 1) - 0.5;
    const subject = commit.subject ?? '';
    if (LATE.test(subject)) score += position;
    else if (EARLY.test(subject)) score -= position;
  });
  if (score < -0.05) return { order: 'newest-first', why: 'the row reads newest-first (review follow-ups are listed above the work they address)', fromSubjects: true };
  if (score > 0.05) return { order: 'oldest-first', why: 'the row reads oldest-first (the work is listed above its review follow-ups)', fromSubjects: true };
  return NEWEST_FIRST_ERAS.has(era ?? '')
    ? { order: 'newest-first', why: `the row reads newest-first, as reports of era ${era} write it`, fromSubjects: false }
    : { order: 'oldest-first', why: `the row reads oldest-first, as reports of era ${era ?? 'unknown'} write it`, fromSubjects: false };
}

/** The repository a GitHub blob link of the HTML rendering points into. */
export function repositoryFromHtml(html: string): { slug: string; url: string } | undefined {
  const m = /github\.com\/([\w.-]{1,100}\/[\w.-]{1,100})\/blob\/[0-9a-f]{40}\//i.exec(html);
  return m?.[1] ? { slug: m[1], url: `https://github.com/${m[1]}` } : undefined;
}
