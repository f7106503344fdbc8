/**
 * What every report reader returns: the review it could read (possibly partial)
 * and the problems it found, each at a place in the report text.
 */
import type { Review } from '../model/review.js';

/** A problem in a report file, placed by character offsets into the report text. */
export interface ReportProblem {
  /** error: the file (or part of it) could not be used; warning: used with a caveat; info: a note. */
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Offset of the first character the problem is about (0 when unknown). */
  offset: number;
  /** Number of characters it covers (0 for a point). */
  length: number;
  /** Short machine-readable code, e.g. "invalid-json", "schema", "duplicate-id". */
  code: string;
}

/** The outcome of reading one report. `review` is absent when nothing usable was found. */
export interface ReadResult {
  review?: Review;
  problems: ReportProblem[];
}
