/**
 * What a new round says, in one line: its open findings by severity, and how
 * many findings of the round before it are gone ("fixed"): not found again by
 * fingerprint, and not referred to as still open by a finding of the new round.
 */
import { SEVERITY_ORDER, type Finding, type Review, type Severity } from '../model/review.js';
import { computeFingerprint } from '../store/fingerprint.js';

/** The counts behind the summary line. */
export interface RoundSummary {
  round?: number;
  previousRound?: number;
  open: Record<Severity, number>;
  fixed: number;
  /** Findings of the new round that the triage file dismisses. */
  dismissed: number;
}

const NAMES: Record<Severity, [string, string]> = {
  critical: ['critical', 'critical'],
  important: ['important', 'important'],
  suggestion: ['suggestion', 'suggestions'],
};

/** Relations by which a new finding says an earlier one is still there. */
const STILL_OPEN = new Set(['unaddressed', 'partially-unaddressed', 'deferred', 'regressed', 'extends']);

function isOpen(finding: Finding): boolean {
  return !finding.struck && !finding.resolution;
}

/** Compares a new round with the one before it; `isDismissed` tells which fingerprints the triage dismisses. */
export function computeRoundSummary(next: Review, previous: Review | undefined, isDismissed: (fingerprint: string) => boolean = () => false): RoundSummary {
  const open: Record<Severity, number> = { critical: 0, important: 0, suggestion: 0 };
  let dismissed = 0;
  const fingerprints = new Set<string>();
  const stillOpenIds = new Set<string>();
  const previousRound = previous?.round?.number;
  for (const finding of next.findings) {
    if (finding.struck) continue;
    const fingerprint = computeFingerprint(finding);
    fingerprints.add(fingerprint);
    for (const ref of finding.priorRefs) {
      if (ref.localId && STILL_OPEN.has(ref.relation) && (ref.round === undefined || ref.round === previousRound)) stillOpenIds.add(ref.localId);
    }
    if (!isOpen(finding)) continue;
    if (isDismissed(fingerprint)) dismissed++;
    else open[finding.severity]++;
  }
  let fixed = 0;
  for (const finding of previous?.findings ?? []) {
    if (!isOpen(finding) && finding.resolution?.action !== 'fixed') continue;
    if (finding.struck) continue;
    if (fingerprints.has(computeFingerprint(finding)) || stillOpenIds.has(finding.id)) continue;
    fixed++;
  }
  return {
    ...(next.round ? { round: next.round.number } : {}),
    ...(previousRound === undefined ? {} : { previousRound }),
    open,
    fixed,
    dismissed,
  };
}

/** "Round 7: 1 important, 3 suggestions; 2 fixed since round 6". */
export function describeRoundSummary(summary: RoundSummary): string {
  const counts = SEVERITY_ORDER.filter((severity) => summary.open[severity] > 0).map((severity) => {
    const n = summary.open[severity];
    return `${n} ${NAMES[severity][n === 1 ? 0 : 1]}`;
  });
  const head = summary.round === undefined ? 'New round' : `Round ${summary.round}`;
  let line = `${head}: ${counts.length > 0 ? counts.join(', ') : 'no open findings'}`;
  if (summary.dismissed > 0) line += ` (${summary.dismissed} dismissed earlier)`;
  if (summary.previousRound !== undefined) line += `; ${summary.fixed} fixed since round ${summary.previousRound}`;
  return line;
}
