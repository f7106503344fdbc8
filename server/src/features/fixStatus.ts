/**
 * What each fix of a finding comes to in today's text: the files it touches
 * are gathered (open buffer first, never a file outside the workspace folder)
 * and handed to the fix engine. Diagnostics ("fixed in working tree"), code
 * actions, commands and the hover all ask here.
 */
import type { Placement, Placer } from '../anchoring/placement.js';
import { computeFixCandidates, hasOnlyReplacementCode, type FixCandidate } from '../fixes/candidates.js';
import { computeFixFiles, computeFixStatus } from '../fixes/computeFix.js';
import { isInsideWorkspace } from '../fixes/containment.js';
import { normaliseLine } from '../fixes/locate.js';
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

/** File states gathered once for many findings (a file's diagnostics), keyed by workspace folder and file. */
export type FileStateCache = Map<string, Promise<FileState>>;

/** How to compute fix statuses beyond the defaults. */
export interface FixStatusOptions {
  /** Texts left by fixes applied before this one. */
  overrides?: TextOverrides;
  /** File states shared with other findings of the same request. */
  cache?: FileStateCache;
  /** The finding's placements when the caller has them already: primary, then `placed.related` in order. */
  placements?: { primary: Placement; related: readonly Placement[] };
}

/** The status of every fix the finding offers, in the report's order; empty when it offers no diff. */
export async function computeFindingFixStatuses(deps: FixDeps, placed: PlacedFinding, options: FixStatusOptions = {}): Promise<CandidateStatus[]> {
  const { candidates, parsed: parsedDiffs } = candidatesOf(placed.finding);
  if (candidates.length === 0) return [];
  const overrides = options.overrides ?? new Map();
  const cache = options.cache ?? new Map();
  const root = placed.report.root;
  const targets = await placedTargets(deps, placed, options.placements);
  const out: CandidateStatus[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const parsed = parsedDiffs[index]!;
    const listed = computeFixFiles(candidate.diff, root, targets, parsed);
    if ('error' in listed) {
      out.push({ candidate, status: { state: 'refused', reason: listed.error } });
      continue;
    }
    const files = new Map<string, FileState>();
    for (const file of listed.files) {
      if (overrides.has(file)) {
        const text = overrides.get(file);
        files.set(file, { inside: true, ...(text === undefined ? {} : { text }) });
        continue;
      }
      const key = `${root}\u0000${file}`;
      let state = cache.get(key);
      if (!state) cache.set(key, (state = gatherFile(deps, root, file)));
      files.set(file, await state);
    }
    out.push({ candidate, status: rememberedStatus(placed, index, targets, files) ?? remember(placed, index, targets, files, computeFixStatus({ diff: candidate.diff, root, targets, files, parsed })) });
  }
  return out;
}

/** Each finding's fixes, with their diffs parsed, worked out once (a finding never changes; a new read makes a new one). */
const candidateCache = new WeakMap<PlacedFinding['finding'], { candidates: FixCandidate[]; parsed: ReturnType<typeof parseFixDiff>[] }>();

function candidatesOf(finding: PlacedFinding['finding']) {
  let known = candidateCache.get(finding);
  if (!known) {
    const candidates = computeFixCandidates(finding);
    candidateCache.set(finding, (known = { candidates, parsed: candidates.map((candidate) => parseFixDiff(candidate.diff)) }));
  }
  return known;
}

/** A status worked out before, with what it was worked out on. */
interface Remembered {
  targets: string;
  files: Map<string, { inside: boolean; text: string | undefined }>;
  status: FixStatus;
}

/**
 * Statuses already worked out, per finding and fix: a status depends only on the
 * fix, where the finding is placed and the texts of the files it touches, so it
 * is worked out again only when one of those changed (publishing a workspace asks
 * about every finding each time any file of its changes).
 */
const remembered = new WeakMap<PlacedFinding['finding'], Remembered[]>();

function targetsKey(targets: readonly FixTarget[]): string {
  return targets.map((t) => `${t.file}\u0000${t.near ? `${t.near.start}-${t.near.end}` : ''}`).join('\u0001');
}

function rememberedStatus(placed: PlacedFinding, index: number, targets: readonly FixTarget[], files: ReadonlyMap<string, FileState>): FixStatus | undefined {
  const known = remembered.get(placed.finding)?.[index];
  if (!known || known.targets !== targetsKey(targets) || known.files.size !== files.size) return undefined;
  for (const [file, state] of files) {
    const was = known.files.get(file);
    if (!was || was.inside !== state.inside || was.text !== state.text) return undefined;
  }
  return known.status;
}

function remember(placed: PlacedFinding, index: number, targets: readonly FixTarget[], files: ReadonlyMap<string, FileState>, status: FixStatus): FixStatus {
  let list = remembered.get(placed.finding);
  if (!list) remembered.set(placed.finding, (list = []));
  list[index] = { targets: targetsKey(targets), files: new Map([...files].map(([file, state]) => [file, { inside: state.inside, text: state.text }])), status };
  return status;
}

async function gatherFile(deps: FixDeps, root: string, file: string): Promise<FileState> {
  // A text read from disk has had its real path checked against its folder (the innermost one, so inside
  // `root` too); an open buffer or a missing file is checked here.
  const fromDisk = !deps.texts.isOpen(file) ? await deps.texts.text(file) : undefined;
  const inside = fromDisk !== undefined || (await isInsideWorkspace(root, file));
  // A file outside the workspace is never read, let alone written.
  const text = fromDisk ?? (inside ? await deps.texts.text(file) : undefined);
  // Many findings of one file search the same lines: fold their blanks once.
  if (text === undefined) return { inside };
  // Split and folded only when a fix is worked out on it, not when a status remembered for the same text is used;
  // and once per text, however many files' publications ask (a finding's fix may touch its related files).
  let split = splitTexts.get(file);
  if (!split || split.text !== text) {
    splitTexts.delete(file);
    splitTexts.set(file, (split = { text }));
    if (splitTexts.size > MAX_SPLIT_TEXTS) splitTexts.delete(splitTexts.keys().next().value!);
  }
  const known = split;
  return {
    inside,
    text,
    get lines() {
      return (known.lines ??= text.split(/\r?\n/));
    },
    get normalised() {
      return (known.normalised ??= (known.lines ??= text.split(/\r?\n/)).map(normaliseLine));
    },
  };
}

/** Texts split into lines (and folded) for the fix engine, by file; the least recently used go beyond this. */
const MAX_SPLIT_TEXTS = 256;
const splitTexts = new Map<string, { text: string; lines?: string[]; normalised?: string[] }>();

/** The finding's cited files with where it is placed in each, primary first. */
async function placedTargets(deps: FixDeps, placed: PlacedFinding, known: FixStatusOptions['placements']): Promise<FixTarget[]> {
  const targets: FixTarget[] = [];
  const locations = [placed.primary, ...placed.related];
  for (const [i, location] of locations.entries()) {
    if (targets.some((t) => t.file === location.file)) continue;
    const placement = (i === 0 ? known?.primary : known?.related[i - 1]) ?? (await deps.placer.place(location, placed.review));
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
