/**
 * Findings whose cited file no longer exists are shown on their report file,
 * at the finding's own line there, so they stay visible and say why.
 */
import type { Range } from 'vscode-languageserver';
import type { Finding } from '../model/review.js';
import type { FindingPlacements } from './diagnostics.js';

/** The 0-based line of the report where a finding is written: its span, else its id in a review JSON, else the top. */
export function computeReportLine(text: string | undefined, finding: Finding): number {
  if (finding.span) return finding.span.startLine - 1;
  if (!text) return 0;
  const quoted = JSON.stringify(finding.id);
  const at = text.search(new RegExp(`"id"\\s*:\\s*${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  return at < 0 ? 0 : text.slice(0, at).split('\n').length - 1;
}

/** The placements of findings whose file is gone, moved onto their report's lines. */
export function computeGoneFilePlacements(placements: readonly FindingPlacements[], reportText: string | undefined): FindingPlacements[] {
  return placements
    .filter(({ primary }) => primary.method === 'file-gone')
    .map((placement) => {
      const line = computeReportLine(reportText, placement.placed.finding);
      const length = reportText?.split('\n')[line]?.length ?? 0;
      const range: Range = { start: { line, character: 0 }, end: { line, character: length } };
      return { ...placement, primary: { ...placement.primary, range } };
    });
}
