/**
 * Where a cited location sits in today's text. This is the one seam every
 * feature places findings through (diagnostics, hover, code actions, links),
 * so they all agree on a finding's range and on how it was found.
 */
import type { Range } from 'vscode-languageserver';
import type { Review } from '../model/review.js';
import type { FileTexts } from '../store/fileTexts.js';
import type { PlacedLocation } from '../store/reviewStore.js';

/** How a location was placed, in the order the steps are tried. */
export type PlacementMethod =
  /** The cited lines as written, the file unchanged or unknown. */
  | 'cited'
  /** Moved by the edits of the open buffer. */
  | 'live'
  /** Mapped through git's diff from the reviewed commit. */
  | 'git'
  /** The quoted snippet found in today's text. */
  | 'anchor'
  /** The quoted snippet found approximately. */
  | 'fuzzy'
  /** The cited code cannot be found: shown at the top of the file, marked outdated. */
  | 'orphan'
  /** The cited lines are past the end of the file: shown on its last line. */
  | 'past-end'
  /** The file could not be read: the cited lines as written. */
  | 'unread'
  /** The cited file no longer exists: shown on the report file, marked outdated. */
  | 'file-gone';

/** A location placed in today's text. */
export interface Placement {
  /** 0-based LSP range, within the file's lines when they are known. */
  range: Range;
  method: PlacementMethod;
  /** Said to the user next to the finding, e.g. why it is outdated. */
  note?: string;
}

/** Lines of a file, to place ranges on whole lines; undefined when the file cannot be read. */
export type FileLines = readonly string[] | undefined;

/** Places locations in today's text; one per server. */
export interface Placer {
  /** Places one cited location of a review. */
  place(location: PlacedLocation, review: Review): Promise<Placement>;
}

/** The simplest placer, for features tested without anchoring: the cited lines, clamped to the file as it is now. */
export class CitedLinesPlacer implements Placer {
  constructor(private readonly texts: FileTexts) {}

  async place(location: PlacedLocation): Promise<Placement> {
    return placeCitedLines(location, await this.texts.lines(location.file));
  }
}

/** Whole cited lines, clamped to the file; says so when the cited lines are past its end. */
export function placeCitedLines(placed: PlacedLocation, lines: FileLines): Placement {
  const start = placed.range?.start ?? 1;
  const end = placed.range?.end ?? start;
  if (!lines) {
    return { method: 'unread', range: { start: { line: start - 1, character: 0 }, end: { line: end - 1, character: 0 } } };
  }
  const count = Math.max(lines.length, 1);
  if (start > count) {
    const last = count - 1;
    return {
      method: 'past-end',
      range: { start: { line: last, character: 0 }, end: { line: last, character: lines[last]?.length ?? 0 } },
      note: `(cited line ${start} is past the end of the file, which has ${lines.length} lines)`,
    };
  }
  const clampedEnd = Math.min(end, count);
  const firstText = lines[start - 1] ?? '';
  const indent = firstText.length - firstText.trimStart().length;
  return {
    method: 'cited',
    range: {
      start: { line: start - 1, character: indent < firstText.length ? indent : 0 },
      end: { line: clampedEnd - 1, character: lines[clampedEnd - 1]?.length ?? 0 },
    },
  };
}
