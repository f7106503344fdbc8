/**
 * The HTML rendering beside a Markdown report is read for one thing only: the
 * reviewed commit's full SHA, which the rendering embeds in every GitHub blob
 * link of its source excerpts (`https://github.com/o/r/blob/<40-hex sha>/path#L52-L66`).
 */

/** The 40-hex SHA of the GitHub blob links in a report's HTML rendering; the most frequent one wins. */
export function extractReviewShaFromHtml(html: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of html.matchAll(/github\.com\/[^"'\s<>]{1,200}?\/blob\/([0-9a-f]{40})\//gi)) {
    const sha = (m[1] ?? '').toLowerCase();
    counts.set(sha, (counts.get(sha) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [sha, count] of counts) {
    // Ties go to the first SHA seen: Map iteration follows insertion order.
    if (count > bestCount) {
      best = sha;
      bestCount = count;
    }
  }
  return best;
}
