/**
 * What each fix of a finding comes to in today's text: the files it touches
 * are gathered (open buffer first, never a file outside the workspace folder)
 * and handed to the fix engine. Diagnostics ("fixed in working tree"), code
 * actions, commands and the hover all ask here.
 */
import type { Placer } from '../anchoring/placement.js';
import { computeFixCandidates, hasOnlyReplacementCode, type FixCandidate } from '../fixes/candidates.js';
import { computeFixFiles, computeFixStatus } from '../fixes/computeFix.js';
import { isInsideWorkspace } from '../fixes/containment.js';
import { parseFixDiff } from '../fixes/parseDiff.js';
import { Reasons, type FileState, type FixStatus, type FixTarget } from '../fixes/types.js';
import type { FileTexts } from '../store/fileTexts.js';
import type { PlacedFinding } from '../store/reviewStore.js';
import { FIXED_MESSAGE as FIXED_IN_WORKING_TREE } from './diagnostics.js';

/** What computing fix statuses needs from the server. */
export interface FixDeps {
  texts: FileTexts;
  placer: Placer;
}

/** One fix of a finding and what it comes to now. */
export interface CandidateStatus {
  candidate: FixCandidate;
  status: FixStatus;
}

/** Texts that replace the current ones (undefined: the file is gone), for fixes applied one after another. */
export type TextOverrides = ReadonlyMap<string, string | undefined>;

/** The status of every fix the finding offers, in the report's order; empty when it offers no diff. */
export async function computeFindingFixStatuses(deps: FixDeps, placed: PlacedFinding, overrides: TextOverrides = new Map()): Promise<CandidateStatus[]> {
  const candidates = computeFixCandidates(placed.finding);
  if (candidates.length === 0) return [];
  const root = placed.report.root;
  const targets = await placedTargets(deps, placed);
  const out: CandidateStatus[] = [];
  for (const candidate of candidates) {
    const parsed = parseFixDiff(candidate.diff);
    const listed = computeFixFiles(candidate.diff, root, targets, parsed);
    if ('error' in listed) {
      out.push({ candidate, status: { state: 'refused', reason: listed.error } });
      continue;
    }
    const files = new Map<string, FileState>();
    for (const file of listed.files) {
      const inside = await isInsideWorkspace(root, file);
      // A file outside the workspace is never read, let alone written.
      const text = !inside ? undefined : overrides.has(file) ? overrides.get(file) : await deps.texts.text(file);
      files.set(file, { inside, ...(text === undefined ? {} : { text }) });
    }
    out.push({ candidate, status: computeFixStatus({ diff: candidate.diff, root, targets, files, parsed }) });
  }
  return out;
}

/** The finding's cited files with where it is placed in each, primary first. */
async function placedTargets(deps: FixDeps, placed: PlacedFinding): Promise<FixTarget[]> {
  const targets: FixTarget[] = [];
  for (const location of [placed.primary, ...placed.related]) {
    if (targets.some((t) => t.file === location.file)) continue;
    const placement = await deps.placer.place(location, placed.review);
    const near = placement.method === 'orphan' || placement.method === 'unread' ? undefined : { start: placement.range.start.line, end: placement.range.end.line };
    targets.push({ file: location.file, ...(near ? { near } : {}) });
  }
  return targets;
}

/** True when one of the finding's fixes is already in the text: its new lines there, its old lines gone. */
export function isFixedInWorkingTree(statuses: readonly CandidateStatus[]): boolean {
  return statuses.some((s) => s.status.state === 'applied');
}


/**
 * One line per fix saying whether it applies, for the hover card and for
 * disabled code actions: "Fix applies", "Fix no longer applies: the code it
 * changes is no longer there", "Fix already applied (fixed in working tree,
 * awaiting re-review)". Pure.
 */
export function describeFixStatus(status: FixStatus, label = ''): string {
  const fix = label ? `Fix (${label})` : 'Fix';
  switch (status.state) {
    case 'applicable':
      return `${fix} applies: use the code action "Apply fix"`;
    case 'applied':
      return `${fix} already applied (${FIXED_IN_WORKING_TREE})`;
    case 'missing':
      return `${fix} no longer applies: ${status.reason}`;
    case 'refused':
      return `${fix} cannot be applied: ${status.reason}`;
  }
}

/** The hover's lines about a finding's fixes; empty when it offers none. Code given instead of a diff is said to be applied by hand. */
export function computeFixSummary(placed: PlacedFinding, statuses: readonly CandidateStatus[]): string[] {
  if (statuses.length === 0) return hasOnlyReplacementCode(placed.finding) ? ['Fix is code to write by hand, not a diff: no code action applies it'] : [];
  return statuses.map((s) => describeFixStatus(s.status, s.candidate.label));
}

/** The reason a refused or impossible fix gives, for messages. */
export function reasonOf(status: FixStatus): string {
  return status.state === 'applicable' ? '' : status.state === 'applied' ? Reasons.applied : status.reason;
}
