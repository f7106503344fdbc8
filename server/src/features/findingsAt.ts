/**
 * The findings under a position or range of a document, placed in today's text:
 * what hover, code actions and commands act on.
 */
import type { Position, Range } from 'vscode-languageserver';
import type { Placement, Placer } from '../anchoring/placement.js';
import { SEVERITY_ORDER } from '../model/review.js';
import type { PlacedFinding, ReviewStore } from '../store/reviewStore.js';

/** A finding of the file with its primary location placed. */
export interface FindingAt {
  placed: PlacedFinding;
  placement: Placement;
}

/** Findings of `file` whose placed range touches `range` (a position is an empty range), most severe first. */
export async function computeFindingsAt(store: ReviewStore, placer: Placer, file: string, range: Range | Position): Promise<FindingAt[]> {
  const wanted: Range = 'line' in range ? { start: range, end: range } : range;
  const found: FindingAt[] = [];
  for (const placed of store.findingsForFile(file)) {
    const placement = await placer.place(placed.primary, placed.review);
    if (touches(placement.range, wanted)) found.push({ placed, placement });
  }
  return found.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.placed.finding.severity) - SEVERITY_ORDER.indexOf(b.placed.finding.severity) ||
      a.placement.range.start.line - b.placement.range.start.line,
  );
}

/** True when two ranges share a line (findings cover whole lines; a cursor anywhere on them counts). */
function touches(a: Range, b: Range): boolean {
  return a.start.line <= b.end.line && b.start.line <= a.end.line;
}

/** The finding with this key, if it is shown. */
export function findByKey(store: ReviewStore, key: string): PlacedFinding | undefined {
  for (const placed of store.allFindings()) if (placed.key === key) return placed;
  return undefined;
}
