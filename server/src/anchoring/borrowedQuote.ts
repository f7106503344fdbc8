/**
 * A quote for cited lines that their finding does not quote: another finding
 * of the same review may quote the very same lines of the same file, word for
 * word, and that quote is the reviewed text of those lines.
 */
import type { LineRange, Location, Review } from '../model/review.js';
import { parseAnchor } from './anchorText.js';

/** Another location's verbatim quote of the cited lines, and whose it is. */
export interface BorrowedQuote {
  /** The quoted lines, exactly the cited ones. */
  text: string;
  /** Id of the finding that quotes them. */
  from: string;
}

/**
 * The lines `range` of `location` as quoted by another location of `review`
 * that cites one range holding them, in the same file and at the same commit,
 * with a quote of exactly its lines (as many as it cites, nothing elided);
 * the narrowest such range wins. Undefined when none does.
 */
export function computeBorrowedQuote(location: Location, range: LineRange, review: Review): BorrowedQuote | undefined {
  const target = fileOf(location);
  if (!target) return undefined;
  let best: { quote: BorrowedQuote; width: number } | undefined;
  for (const finding of review.findings) {
    for (const other of finding.locations) {
      if (other === location || !other.anchorText || other.ranges.length !== 1 || other.commit !== location.commit || fileOf(other) !== target) continue;
      const cited = other.ranges[0]!;
      if (cited.approximate || cited.start > range.start || cited.end < range.end) continue;
      const lines = verbatimLines(other.anchorText);
      if (!lines || lines.length !== cited.end - cited.start + 1) continue;
      const width = cited.end - cited.start;
      if (best && best.width <= width) continue;
      const text = lines.slice(range.start - cited.start, range.end - cited.start + 1).join('\n');
      best = { quote: { text, from: finding.id }, width };
    }
  }
  return best?.quote;
}

/** The quote's lines when it is a plain copy of code: no elided lines or parts of lines. */
function verbatimLines(text: string): string[] | undefined {
  const anchor = parseAnchor(text);
  if (!anchor || anchor.items.includes('gap') || anchor.lines.some((line) => line.pieces.length > 1)) return undefined;
  return text.split(/\r?\n/);
}

function fileOf(location: Location): string | undefined {
  const written = location.resolvedPath ?? location.path;
  return written?.replace(/^\.\//, '');
}
