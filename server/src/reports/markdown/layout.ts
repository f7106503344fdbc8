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
  };
  /** Start of a Resolution section that follows the appendix. */
  resolutionStart?: number;
  /** Every heading line outside fenced code, in order. */
  headings: HeadingLine[];
}

const APPENDIX = /^(?:\d+\.\s*)?appendix\b/i;
const RESOLUTION = /^(?:\d+\.\s*)?resolution\s*$/i;

/** Finds the main part, the appendix and a trailing Resolution of a report. */
export function layoutReport(text: string): ReportLayout {
  const headings = scanHeadingLines(text, 0, text.length);
  const appendixIndex = headings.findIndex((h) => h.depth <= 2 && APPENDIX.test(h.text));
  const appendixHeading = headings[appendixIndex];
  if (appendixHeading === undefined) return { mainEnd: text.length, headings };
  let resolutionStart: number | undefined;
  for (let i = headings.length - 1; i > appendixIndex; i--) {
    const h = headings[i];
    if (h !== undefined && h.depth === 2 && RESOLUTION.test(h.text)) {
      resolutionStart = h.start;
      break;
    }
  }
  return {
    mainEnd: appendixHeading.start,
    appendix: { heading: appendixHeading, end: resolutionStart ?? text.length },
    ...(resolutionStart === undefined ? {} : { resolutionStart }),
    headings,
  };
}

/** ATX heading lines of `text` between two offsets, skipping fenced code blocks. */
export function scanHeadingLines(text: string, from: number, to: number): HeadingLine[] {
  const out: HeadingLine[] = [];
  let fence: { char: string; length: number } | undefined;
  let pos = from;
  while (pos < to) {
    let end = text.indexOf('\n', pos);
    if (end === -1 || end > to) end = to;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(pos, lineEnd);
    const run = fenceRun(line);
    if (fence !== undefined) {
      // A closing fence is a run of the same character, at least as long, alone on its line.
      if (run !== undefined && run.char === fence.char && run.length >= fence.length && run.rest.trim() === '') fence = undefined;
    } else if (run !== undefined && !(run.char === '`' && run.rest.includes('`'))) {
      fence = { char: run.char, length: run.length };
    } else {
      const heading = headingOf(line);
      if (heading !== undefined) out.push({ ...heading, start: pos, end: lineEnd });
    }
    pos = end + 1;
  }
  return out;
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
