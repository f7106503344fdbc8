/**
 * Checks every cited location of a review, whatever format it was read from:
 * a path that could leave the workspace is never published, and says why.
 */
import * as path from 'node:path';
import type { Review } from '../model/review.js';
import type { ReportProblem } from './readResult.js';

/** Where a location field sits in the report text. */
export type PlaceLocation = (
  findingIndex: number,
  locationIndex: number,
  field: 'path' | 'ranges',
) => { offset: number; length: number };

/** The reason a cited path is refused, or undefined when it stays inside the workspace. */
export function unsafePathReason(cited: string): string | undefined {
  if (cited.includes('\0')) return 'contains a NUL character';
  if (path.posix.isAbsolute(cited) || path.win32.isAbsolute(cited) || /^[a-zA-Z]:/.test(cited)) {
    return 'is an absolute path; cited paths must be relative to the workspace folder';
  }
  const normalised = path.posix.normalize(cited.replace(/\\/g, '/'));
  if (normalised === '..' || normalised.startsWith('../')) return 'leaves the workspace folder';
  return undefined;
}

/**
 * Marks locations whose path escapes the workspace as unresolved (so nothing is
 * published for them) and repairs reversed line ranges; returns one problem each.
 * Mutates the review: it is called by readers on the review they just built.
 */
export function checkLocations(review: Review, place: PlaceLocation): ReportProblem[] {
  const problems: ReportProblem[] = [];
  review.findings.forEach((finding, findingIndex) => {
    finding.locations.forEach((location, locationIndex) => {
      const cited = location.resolvedPath ?? location.path;
      if (cited !== undefined) {
        const reason = unsafePathReason(cited);
        if (reason) {
          location.unresolved = `The path "${cited}" ${reason}; it is not shown`;
          problems.push({
            severity: 'error',
            code: 'path-outside-workspace',
            message: `Finding ${finding.id}: ${location.unresolved}`,
            ...place(findingIndex, locationIndex, 'path'),
          });
        }
      }
      location.ranges = location.ranges.map((range) => {
        if (range.end >= range.start) return range;
        problems.push({
          severity: 'warning',
          code: 'reversed-range',
          message: `Finding ${finding.id}: line range ${range.start}-${range.end} ends before it starts; read as ${range.end}-${range.start}`,
          ...place(findingIndex, locationIndex, 'ranges'),
        });
        return { start: range.end, end: range.start };
      });
    });
  });
  return problems;
}
