/**
 * The coarse layout of a report: main part, appendix of the agents' original
 * reviews, and a trailing Resolution. Found by a fence-aware scan of heading
 * lines, before any Markdown parsing, because heading levels inside the appendix
 * are unreliable (agents' raw reviews bring their own `#` and `##` headings) and
 * because the appendix is most of a report's text: it is kept verbatim per agent
 * and never run through the Markdown parser.
 */

/** An ATX heading line found outside fenced code. */
export interface HeadingLine {
  depth: number;
  /** Heading text without the `#` marks and surrounding blanks. */
  text: string;
  /** Offset of the line start. */
  start: number;
  /** Offset of the end of the line (before the newline). */
  end: number;
}

/** Where the parts of a report are. */
export interface ReportLayout {
  /** End of the main part (the appendix heading's line start, or the text length). */
  mainEnd: number;
  appendix?: {
    heading: HeadingLine;
    /** End of the appendix: the trailing Resolution heading, or the text length. */
    end: number;
    /** Heading lines after the appendix heading, read without regard to code fences. */
    headings: HeadingLine[];
  };
  /** Start of a Resolution section that follows the appendix. */
  resolutionStart?: number;
}

const APPENDIX = /^(?:\d+\.\s*)?appendix\b/i;
const RESOLUTION = /^(?:\d+\.\s*)?resolution\s*$/i;

/** Finds the main part, the appendix and a trailing Resolution of a report. */
export function layoutReport(text: string): ReportLayout {
  const appendixHeading = firstHeading(text, (h) => h.depth <= 2 && APPENDIX.test(h.text));
  if (appendixHeading === undefined) return { mainEnd: text.length };
  // Agents' verbatim reviews often leave a code fence open; honouring fences here
  // would hide the next agent's heading and the trailing Resolution, so the
  // appendix is outlined line by line.
  const headings: HeadingLine[] = [];
  scanLines(text, appendixHeading.end, text.length, (line, start, end) => {
    const heading = headingOf(line);
    if (heading !== undefined) headings.push({ ...heading, start, end });
  }, 'none');
  let resolutionStart: number | undefined;
  for (let i = headings.length - 1; i >= 0; i--) {
    const h = headings[i];
    if (h !== undefined && h.depth === 2 && RESOLUTION.test(h.text)) {
      resolutionStart = h.start;
      break;
    }
  }
  return {
    mainEnd: appendixHeading.start,
    appendix: { heading: appendixHeading, end: resolutionStart ?? text.length, headings: headings.filter((h) => h.start < (resolutionStart ?? text.length)) },
    ...(resolutionStart === undefined ? {} : { resolutionStart }),
  };
}

/** The first heading outside fenced code that satisfies `test`. */
function firstHeading(text: string, test: (h: HeadingLine) => boolean): HeadingLine | undefined {
  let found: HeadingLine | undefined;
  scanLines(text, 0, text.length, (line, start, end, inFence) => {
    if (inFence) return false;
    const heading = headingOf(line);
    if (heading !== undefined && test({ ...heading, start, end })) found = { ...heading, start, end };
    return found !== undefined;
  });
  return found;
}

/**
 * Calls `visit` for each line between two offsets, telling whether the line is
 * inside (or is a fence of) a fenced code block. `fences` says which fences count:
 * all of them, only those with an info string (agents' raw output often leaves a
 * bare fence unbalanced, while a ```go block is real code), or none. The scan
 * stops when `visit` returns true.
 */
export function scanLines(
  text: string,
  from: number,
  to: number,
  visit: (line: string, start: number, end: number, inFence: boolean) => boolean | void,
  fences: 'all' | 'with-info' | 'none' = 'all',
): void {
  let fence: { char: string; length: number } | undefined;
  let pos = from;
  while (pos < to) {
    let end = text.indexOf('\n', pos);
    if (end === -1 || end > to) end = to;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(pos, lineEnd);
    const run = fences !== 'none' ? fenceRun(line) : undefined;
    if (fence !== undefined) {
      // A closing fence is a run of the same character, at least as long, alone on its line.
      if (run !== undefined && run.char === fence.char && run.length >= fence.length && run.rest.trim() === '') fence = undefined;
      if (visit(line, pos, lineEnd, true) === true) return;
    } else if (run !== undefined && !(run.char === '`' && run.rest.includes('`')) && (fences === 'all' || run.rest.trim() !== '')) {
      fence = { char: run.char, length: run.length };
      if (visit(line, pos, lineEnd, true) === true) return;
    } else if (visit(line, pos, lineEnd, false) === true) {
      return;
    }
    pos = end + 1;
  }
}

function fenceRun(line: string): { char: string; length: number; rest: string } | undefined {
  // Fences inside list items are indented further than CommonMark's three spaces;
  // accepting any indentation keeps their heading-like lines out of the outline.
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  const char = line[i];
  if (char !== '`' && char !== '~') return undefined;
  let j = i;
  while (j < line.length && line[j] === char) j++;
  if (j - i < 3) return undefined;
  return { char, length: j - i, rest: line.slice(j) };
}

function headingOf(line: string): { depth: number; text: string } | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  let depth = 0;
  while (line[i + depth] === '#') depth++;
  if (depth === 0 || depth > 6) return undefined;
  const after = line[i + depth];
  if (after !== undefined && after !== ' ' && after !== '\t') return undefined;
  let body = line.slice(i + depth).trim();
  // An optional closing sequence of `#` marks, preceded by a blank, is not part of the text.
  let k = body.length;
  while (k > 0 && body[k - 1] === '#') k--;
  if (k < body.length && (k === 0 || body[k - 1] === ' ' || body[k - 1] === '\t')) body = body.slice(0, k).trim();
  return { depth, text: body };
}
