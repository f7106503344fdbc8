/**
 * The shape of a cited range in today's text: a range longer than the code it
 * quotes most often opens with the code that encloses the quote (a function's
 * signature, the statement the quoted lines belong to), so once the code has
 * moved, its first line is looked for above the quote.
 */

/** Columns a tab counts for when indentations are compared. */
const TAB = 4;

/**
 * The line (0-based, in `from`..`to`) where a range holding the quote that
 * starts at `to` most likely begins. Walking up from the quote: a line less
 * indented than the code below it encloses that code and is taken; a line
 * as indented is taken while no blank line or closing line separates it
 * (the same run of statements); comments are passed over; a line that
 * closes a block ends what can enclose the quote at its indentation or more.
 */
export function rangeStartAbove(lines: readonly string[], from: number, to: number): number {
  if (to < 0 || to >= lines.length) return to;
  let best = to;
  let level = indentation(lines[to]!);
  /** Only lines indented less than this can still enclose the quote. */
  let limit = Infinity;
  let sameRun = true;
  for (let line = to - 1; line >= Math.max(0, from); line--) {
    const text = lines[line]!;
    const trimmed = text.trim();
    if (trimmed === '') {
      sameRun = false;
      continue;
    }
    if (COMMENT.test(trimmed)) continue;
    const indent = indentation(text);
    if (CLOSER.test(trimmed)) {
      limit = Math.min(limit, indent);
      sameRun = false;
      continue;
    }
    if (indent < level && indent < limit) {
      best = line;
      level = indent;
      sameRun = true;
    } else if (indent === level && sameRun) {
      best = line;
    }
  }
  return best;
}

const COMMENT = /^(?:\/\/|#|\/\*|\*|<!--|--\s)/;
const CLOSER = /^(?:[}\])]|<\/)/;

function indentation(text: string): number {
  let columns = 0;
  for (const char of text) {
    if (char === ' ') columns++;
    else if (char === '\t') columns += TAB;
    else break;
  }
  return columns;
}
