/**
 * Matches the agents' own findings from the appendix to consolidated findings,
 * so each consolidated finding can tell which reviewer raised it at which
 * severity. The retro's explicit mappings come first: an agent finding they
 * name (by agent and id) is theirs, whether it landed on a finding or was
 * dropped, and yields no second event. The rest match a consolidated finding
 * that credits the reviewer, by normalised title and by place: the same lines
 * count most, nearby lines (a report re-anchored to a later commit) less, a
 * whole-file citation least; a title alone matches when it is close enough.
 * An agent finding that matches nothing (dropped, merged into prose) yields no event.
 */
import type { Finding, Location, ReconciliationEvent, Severity } from '../../model/review.js';
import { SEVERITY_ORDER } from '../../model/review.js';
import type { AgentFinding } from './appendix.js';
import { compact } from './text.js';

/** Without overlapping or nearby lines, titles must share this much (Jaccard of word stems). */
const MIN_TITLE_SIMILARITY = 0.3;
/** With no file in common, titles must share this much. */
const MIN_TITLE_ONLY_SIMILARITY = 0.5;
/** Lines this close count as the same place, for reports whose citations moved to a later commit. */
const NEAR_LINES = 25;
/** Title words held by more findings than this are not used to find candidates. */
const MAX_TOKEN_HOLDERS = 20;

/** A retro event, with the finding it landed on (none for a dropped finding). */
export interface RetroClaim {
  event: ReconciliationEvent;
  finding?: Finding;
}

/**
 * Adds appendix reconciliation events to the findings they match. Pairs are
 * taken best first, each agent finding once and each consolidated finding once
 * per appendix entry, so a reviewer's near-duplicate findings cannot claim the
 * same consolidated finding twice. `claims` are the retro's events: an agent
 * finding one of them names is not matched again, and completes that event.
 */
export function attachAppendixEvents(agentFindings: readonly AgentFinding[], findings: Finding[], claims: readonly RetroClaim[] = []): void {
  const pairs: Array<{ af: AgentFinding; finding: Finding; score: number; order: number }> = [];
  const byName = findingsByFileName(findings);
  const byToken = findingsByTitleToken(findings);
  const claimed = new Set<AgentFinding>();
  const usedTargets = new Set<string>();
  for (const af of agentFindings) {
    const claim = af.localId !== undefined ? claims.find((c) => c.event.agentLocalId === af.localId && sameAgent(c.event, af)) : undefined;
    if (claim === undefined) continue;
    claimed.add(af);
    claim.event.from ??= af.severity;
    if (claim.finding) usedTargets.add(`${af.entry}\u0000${claim.finding.id}`);
  }
  agentFindings.forEach((af, order) => {
    if (af.severity === undefined || claimed.has(af)) return;
    // Findings citing a file of the same name, and for a close title any finding.
    const candidates = new Set<number>();
    for (const location of af.locations) for (const index of byName.get(fileName(location)) ?? []) candidates.add(index);
    const fileCandidates = new Set(candidates);
    for (const token of tokens(af.title)) {
      const holders = byToken.get(token) ?? [];
      // A word most findings share says nothing; skipping it keeps matching linear.
      if (holders.length <= MAX_TOKEN_HOLDERS) for (const index of holders) candidates.add(index);
    }
    const crediting = [...fileCandidates].filter((index) => credits(findings[index] as Finding, af));
    for (const index of [...candidates].sort((a, b) => a - b)) {
      const finding = findings[index] as Finding;
      if (!credits(finding, af)) continue;
      const score = matchScore(af, finding, crediting.length === 1 && crediting[0] === index);
      if (score !== undefined) pairs.push({ af, finding, score, order });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.order - b.order);
  const usedAgentFindings = new Set<AgentFinding>();
  for (const { af, finding } of pairs) {
    const key = `${af.entry}\u0000${finding.id}`;
    if (usedAgentFindings.has(af) || usedTargets.has(key) || af.severity === undefined) continue;
    usedAgentFindings.add(af);
    usedTargets.add(key);
    // A retro event of this reviewer on this finding that names no id of its own is this agent finding.
    const told = claims.find((c) => c.finding === finding && c.event.agentLocalId === undefined && sameAgent(c.event, af) && (c.event.from === undefined || c.event.from === af.severity));
    if (told) {
      told.event.agentLocalId = af.localId;
      told.event.from ??= af.severity;
      if (told.event.agentLocalId === undefined) delete told.event.agentLocalId;
      continue;
    }
    finding.reconciliation.push(
      compact({
        agent: af.agent,
        pass: af.pass,
        agentLocalId: af.localId,
        from: af.severity,
        to: finding.severity,
        verb: verbOf(af.severity, finding.severity),
        source: 'appendix' as const,
        raw: af.raw,
      }),
    );
  }
}

/** The retro event and the agent finding name the same reviewer (and pass, when both say). */
function sameAgent(event: ReconciliationEvent, af: AgentFinding): boolean {
  if (event.agent.family === undefined || event.agent.family !== af.agent.family) return false;
  if (event.pass !== undefined && af.pass !== undefined && event.pass !== af.pass) return false;
  const a = words(event.agent.model);
  const b = words(af.agent.model);
  return a.length < 2 || b.length < 2 || a.join(' ') === b.join(' ');
}

function verbOf(from: Severity, to: Severity): string {
  const a = SEVERITY_ORDER.indexOf(from);
  const b = SEVERITY_ORDER.indexOf(to);
  return a === b ? 'kept' : a < b ? 'downgraded' : 'promoted';
}

function credits(finding: Finding, af: AgentFinding): boolean {
  return finding.agents.some((agent) => {
    if (agent.family === undefined || agent.family !== af.agent.family) return false;
    const a = words(agent.model);
    const b = words(af.agent.model);
    // "[Gemini]" names only the family; "Gemini 3.5 Flash" and "Gemini 3.1 Pro" are different reviewers.
    return a.length < 2 || b.length < 2 || a.join(' ') === b.join(' ');
  });
}

function words(model: string | undefined): string[] {
  return (model ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

function matchScore(af: AgentFinding, finding: Finding, onlyCrediting: boolean): number | undefined {
  let file = false;
  let place = 0;
  for (const a of af.locations) {
    for (const b of finding.locations) {
      if (!samePath(a, b)) continue;
      file = true;
      // A whole-file citation says little about which finding of that file it is.
      const closeness = a.ranges.length === 0 || b.ranges.length === 0 ? 0.1 : rangesOverlap(a, b) ? 0.5 : rangesNear(a, b) ? 0.25 : 0;
      place = Math.max(place, closeness);
    }
  }
  const similarity = titleSimilarity(af.title, finding.title);
  if (!file) {
    // Citing different files is a different finding; with no file on one side (a commit, the PR
    // description, nothing), the title alone may tell.
    const unplaced = !finding.locations.some((l) => l.path !== undefined) || !af.locations.some((l) => l.path !== undefined);
    return unplaced && similarity >= MIN_TITLE_ONLY_SIMILARITY ? 2 * similarity : undefined;
  }
  // The only finding of that file crediting the reviewer: its lines may have moved, its title been rewritten.
  if (place === 0 && similarity < MIN_TITLE_SIMILARITY && !onlyCrediting) return undefined;
  // Titles weigh more than lines: two findings of one reviewer often cite the same function.
  // A kept severity is likelier than a changed one, so it breaks near-ties.
  return 2 * similarity + place + (onlyCrediting ? 0.05 : 0) + (af.severity === finding.severity ? 0.1 : 0) + 0.05;
}

/** The last segment of a location's path; paths that {@link samePath} matches share it. */
function fileName(location: Location): string | undefined {
  if (location.path === undefined) return undefined;
  return location.path.slice(location.path.lastIndexOf('/') + 1);
}

/** Indexes of the findings citing each file name, in report order. */
function findingsByFileName(findings: readonly Finding[]): Map<string | undefined, number[]> {
  const out = new Map<string | undefined, number[]>();
  findings.forEach((finding, index) => {
    for (const location of finding.locations) {
      const name = fileName(location);
      if (name === undefined) continue;
      let list = out.get(name);
      if (list === undefined) out.set(name, (list = []));
      if (list[list.length - 1] !== index) list.push(index);
    }
  });
  return out;
}

/** Indexes of the findings whose title has each word stem. */
function findingsByTitleToken(findings: readonly Finding[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  findings.forEach((finding, index) => {
    for (const token of tokens(finding.title)) {
      let list = out.get(token);
      if (list === undefined) out.set(token, (list = []));
      list.push(index);
    }
  });
  return out;
}

function samePath(a: Location, b: Location): boolean {
  if (a.path === undefined || b.path === undefined) return false;
  const x = a.path.replace(/^\.\//, '');
  const y = b.path.replace(/^\.\//, '');
  if (x === y) return true;
  return x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

function rangesNear(a: Location, b: Location): boolean {
  return a.ranges.some((r) => b.ranges.some((s) => r.start <= s.end + NEAR_LINES && s.start <= r.end + NEAR_LINES));
}

function rangesOverlap(a: Location, b: Location): boolean {
  return a.ranges.some((r) => b.ranges.some((s) => r.start <= s.end && s.start <= r.end));
}

function titleSimilarity(a: string, b: string): number {
  const x = tokens(a);
  const y = tokens(b);
  if (x.size === 0 || y.size === 0) return 0;
  let common = 0;
  for (const t of x) if (y.has(t)) common++;
  return common / (x.size + y.size - common);
}

function tokens(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      // "re-assert" and "reassert", "`watchUntil`" and "watchUntil" are the same word.
      .replace(/([a-z0-9])-(?=[a-z0-9])/g, '$1')
      .split(/[^a-z0-9_]+/)
      .filter((t) => t.length >= 3 && !STOP_WORDS.has(t))
      .map(stem),
  );
}

const STOP_WORDS: ReadonlySet<string> = new Set(['the', 'and', 'for', 'with', 'when', 'that', 'this', 'from', 'into', 'not', 'but', 'are', 'its', 'can', 'does', 'has', 'have', 'was', 'which', 'than']);

/** A crude stem, so "mirrored", "mirroring", "siblings" and "conditions" meet "mirror", "sibling" and "condition". */
function stem(word: string): string {
  let w = word;
  if (w.length > 5 && w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 6 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 5 && w.endsWith('ed')) w = w.slice(0, -2);
  return w;
}
