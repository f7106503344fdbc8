/**
 * Matches the agents' own findings from the appendix to consolidated findings,
 * so each consolidated finding can tell which reviewer raised it at which
 * severity. A match needs the consolidated finding to credit that reviewer and
 * to cite the same file, with overlapping lines or a similar title; an agent
 * finding that matches nothing (dropped, merged into prose) yields no event.
 */
import type { Finding, Location, Severity } from '../../model/review.js';
import { SEVERITY_ORDER } from '../../model/review.js';
import type { AgentFinding } from './appendix.js';
import { compact } from './text.js';

/** Without overlapping lines, titles must share this much (Jaccard of word stems). */
const MIN_TITLE_SIMILARITY = 0.3;

/**
 * Adds appendix reconciliation events to the findings they match. Pairs are
 * taken best first, each agent finding once and each consolidated finding once
 * per appendix entry, so a reviewer's near-duplicate findings cannot claim the
 * same consolidated finding twice.
 */
export function attachAppendixEvents(agentFindings: readonly AgentFinding[], findings: Finding[]): void {
  const pairs: Array<{ af: AgentFinding; finding: Finding; score: number; order: number }> = [];
  const byName = findingsByFileName(findings);
  agentFindings.forEach((af, order) => {
    if (af.severity === undefined || af.locations.length === 0) return;
    // Only findings citing a file of the same name can cite the same file.
    const candidates = new Set<number>();
    for (const location of af.locations) for (const index of byName.get(fileName(location)) ?? []) candidates.add(index);
    for (const index of [...candidates].sort((a, b) => a - b)) {
      const finding = findings[index] as Finding;
      if (!credits(finding, af)) continue;
      const score = matchScore(af, finding);
      if (score !== undefined) pairs.push({ af, finding, score, order });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.order - b.order);
  const usedAgentFindings = new Set<AgentFinding>();
  const usedTargets = new Set<string>();
  for (const { af, finding } of pairs) {
    const key = `${af.entry}\u0000${finding.id}`;
    if (usedAgentFindings.has(af) || usedTargets.has(key) || af.severity === undefined) continue;
    usedAgentFindings.add(af);
    usedTargets.add(key);
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

function matchScore(af: AgentFinding, finding: Finding): number | undefined {
  let file = false;
  let overlap = false;
  for (const a of af.locations) {
    for (const b of finding.locations) {
      if (!samePath(a, b)) continue;
      file = true;
      if (a.ranges.length === 0 || b.ranges.length === 0 || rangesOverlap(a, b)) overlap = true;
    }
  }
  if (!file) return undefined;
  const similarity = titleSimilarity(af.title, finding.title);
  if (!overlap && similarity < MIN_TITLE_SIMILARITY) return undefined;
  // Titles weigh more than lines: two findings of one reviewer often cite the same function.
  return 2 * similarity + (overlap ? 0.5 : 0);
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

function samePath(a: Location, b: Location): boolean {
  if (a.path === undefined || b.path === undefined) return false;
  const x = a.path.replace(/^\.\//, '');
  const y = b.path.replace(/^\.\//, '');
  if (x === y) return true;
  return x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
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
      .split(/[^a-z0-9_]+/)
      .filter((t) => t.length >= 3)
      .map(stem),
  );
}

/** A crude stem, so "mirrored", "mirroring" and "conditions" meet "mirror" and "condition". */
function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}
