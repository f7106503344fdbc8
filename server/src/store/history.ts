/**
 * Round history: the same finding across the rounds of a series, linked by the
 * reports' explicit prior-round references and by fingerprints (never by line
 * numbers), and what each round says became of the previous round's findings.
 */
import type { AgentRef, Finding, PriorRef, Review, Severity } from '../model/review.js';
import { SEVERITY_ORDER } from '../model/review.js';
import { computeFingerprint, fingerprintParts } from './fingerprint.js';
import type { ReportEntry, ReviewStore } from './reviewStore.js';

/** A round of a series, with its review. */
export type RoundEntry = ReportEntry & { review: Review };

/** How a finding was linked to its occurrence in an earlier round. */
export type HistoryLink =
  /** The report names the earlier finding, e.g. "(Round 4 S6 unaddressed)". */
  | 'prior-ref'
  /** Same normalised title, path and anchor text. */
  | 'fingerprint'
  /** Same normalised title and path; the quoted code changed. */
  | 'title-and-path';

/** One occurrence of a finding in one round. */
export interface HistoryStep {
  /** Round number, when the round says it. */
  round?: number;
  /** The finding's id in that round. */
  id: string;
  severity?: Severity;
  /** Short agent names credited in that round. */
  agents: string[];
  /** How this step was linked to the one before it. */
  link?: HistoryLink;
  /** The relation the report gave, for prior-ref links. */
  relation?: PriorRef['relation'];
  /** What the round's Resolution says was done about it. */
  resolution?: string;
  /** False for a round the report names but that is not in the workspace. */
  loaded: boolean;
  /** The report of that round, when loaded. */
  report?: RoundEntry;
  finding?: Finding;
}

/** Whether a finding is new this round, carried over, or back after a fix. */
export type HistoryStatus = 'new' | 'persisting' | 'regressed';

/** A finding's history, oldest step first; the last step is the finding itself. */
export interface FindingHistory {
  steps: HistoryStep[];
  status: HistoryStatus;
}

/** What a round says became of one finding of the previous round. */
export interface PreviousOutcome {
  id: string;
  title: string;
  severity: Severity;
  /**
   * carried: raised again (as `carriedAs`); verified-fixed: this round says it is fixed;
   * fixed: marked fixed and not raised again; not-raised: absent from this round.
   */
  outcome: 'carried' | 'verified-fixed' | 'fixed' | 'not-raised';
  carriedAs?: string;
  /** How the report linked the later finding, when it did (unaddressed, extends, related, ...). */
  relation?: PriorRef['relation'];
  /** The previous round's Resolution for it, as written. */
  resolution?: string;
}

/** A round's place in its series and what it says of the previous round. */
export interface RoundSummary {
  /** 1-based position in the series, and how many rounds the series has. */
  position: number;
  count: number;
  /** Highest round number of the series, for "round 6 of 6". */
  lastRound?: number;
  previous?: RoundEntry;
  outcomes: PreviousOutcome[];
}

interface Node {
  roundIndex: number;
  entry: RoundEntry;
  finding: Finding;
  predecessor?: Node;
  link?: HistoryLink;
  relation?: PriorRef['relation'];
  /** Rounds the report names that are not loaded, oldest first. */
  ghosts: HistoryStep[];
  successor?: Node;
}

interface SeriesIndex {
  rounds: RoundEntry[];
  nodes: Map<Finding, Node>;
  /** Round summaries by report file, made when first asked for. */
  summaries: Map<string, RoundSummary>;
}

const CONTINUING: ReadonlySet<PriorRef['relation']> = new Set(['unaddressed', 'partially-unaddressed', 'deferred', 'extends', 'related', 'declined']);

/** Derives and caches the history of each series; one per server, recomputed when a series' reports change. */
export class SeriesHistory {
  private readonly cache = new Map<string, SeriesIndex>();

  constructor(private readonly store: ReviewStore) {}

  /** The history of a finding of a report of the series. */
  historyOf(seriesKey: string, finding: Finding): FindingHistory | undefined {
    const node = this.index(seriesKey).nodes.get(finding);
    return node ? describe(node) : undefined;
  }

  /** The ordered rounds of a series. */
  rounds(seriesKey: string): RoundEntry[] {
    return this.index(seriesKey).rounds;
  }

  /** Where a report sits in its series, and what became of the previous round's findings. */
  summaryOf(entry: ReportEntry): RoundSummary | undefined {
    if (!entry.seriesKey || !entry.review) return undefined;
    const index = this.index(entry.seriesKey);
    const cached = index.summaries.get(entry.file);
    if (cached) return cached;
    const summary = computeSummary(index, entry);
    if (summary) index.summaries.set(entry.file, summary);
    return summary;
  }

  private index(seriesKey: string): SeriesIndex {
    const rounds = this.store.seriesRounds(seriesKey);
    const cached = this.cache.get(seriesKey);
    // Report entries are replaced on every read, so identity says whether anything changed.
    if (cached && cached.rounds.length === rounds.length && cached.rounds.every((round, i) => round === rounds[i])) return cached;
    const built = buildIndex(rounds);
    this.cache.set(seriesKey, built);
    return built;
  }
}

function computeSummary(index: SeriesIndex, entry: ReportEntry): RoundSummary | undefined {
  const position = index.rounds.findIndex((round) => round.file === entry.file);
  if (position < 0) return undefined;
  const numbers = index.rounds.map((round) => round.review.round?.number).filter((n): n is number => n !== undefined);
  const summary: RoundSummary = {
    position: position + 1,
    count: index.rounds.length,
    ...(numbers.length > 0 ? { lastRound: Math.max(...numbers) } : {}),
    outcomes: [],
  };
  const previous = index.rounds[position - 1];
  if (!previous) return summary;
  summary.previous = previous;
  const current = index.rounds[position]!;
  const verifiedText = current.review.sections
    .filter((section) => section.kind === 'prior-round-fixes')
    .map((section) => section.markdown)
    .join('\n');
  const fixedRefs = new Set(
    current.review.findings.flatMap((f) => f.priorRefs.filter((ref) => ref.relation === 'fixed').map((ref) => ref.localId ?? '')),
  );
  for (const finding of previous.review.findings) {
    if (finding.struck) continue;
    const successor = index.nodes.get(finding)?.successor;
    const outcome: PreviousOutcome = { id: finding.id, title: finding.title, severity: finding.severity, outcome: 'not-raised' };
    if (finding.resolution) outcome.resolution = finding.resolution.raw ?? finding.resolution.action;
    if (successor && successor.entry === current) {
      // A finding that follows up on a fix ("from the round 1 I3 fix") does not undo the fix.
      const followUp = successor.relation === 'related' || successor.relation === 'extends';
      outcome.outcome = followUp && finding.resolution?.action === 'fixed' ? 'fixed' : 'carried';
      outcome.carriedAs = successor.finding.id;
      if (successor.relation) outcome.relation = successor.relation;
    } else if (fixedRefs.has(finding.id) || mentionsId(verifiedText, finding.id)) {
      outcome.outcome = 'verified-fixed';
    } else if (finding.resolution?.action === 'fixed') {
      outcome.outcome = 'fixed';
    }
    summary.outcomes.push(outcome);
  }
  return summary;
}

function buildIndex(rounds: RoundEntry[]): SeriesIndex {
  const nodes = new Map<Finding, Node>();
  const byRound: { byId: Map<string, Node>; byPrint: Map<string, Node[]>; byTitlePath: Map<string, Node[]> }[] = [];
  rounds.forEach((entry, roundIndex) => {
    const byId = new Map<string, Node>();
    const byPrint = new Map<string, Node[]>();
    const byTitlePath = new Map<string, Node[]>();
    const claimed = new Set<Node>();
    for (const finding of entry.review.findings) {
      if (finding.struck) continue;
      const node: Node = { roundIndex, entry, finding, ghosts: [] };
      nodes.set(finding, node);
      if (!byId.has(finding.id)) byId.set(finding.id, node);
      const print = computeFingerprint(finding);
      const parts = fingerprintParts(finding);
      const titlePath = `${parts.title}\u0000${parts.path}`;
      push(byPrint, print, node);
      push(byTitlePath, titlePath, node);
      linkByPriorRefs(node, rounds, byRound, claimed);
      if (!node.predecessor) linkBy(node, byRound, (r) => r.byPrint.get(print), 'fingerprint', claimed);
      if (!node.predecessor && parts.path !== '') linkBy(node, byRound, (r) => r.byTitlePath.get(titlePath), 'title-and-path', claimed);
      if (node.predecessor) {
        claimed.add(node.predecessor);
        node.predecessor.successor ??= node;
      }
    }
    byRound.push({ byId, byPrint, byTitlePath });
  });
  return { rounds, nodes, summaries: new Map() };
}

function linkByPriorRefs(node: Node, rounds: RoundEntry[], byRound: { byId: Map<string, Node> }[], claimed: Set<Node>): void {
  const ghosts: HistoryStep[] = [];
  for (const ref of node.finding.priorRefs) {
    if (!ref.localId) continue;
    const target = ref.round === undefined ? node.roundIndex - 1 : lastIndexOfRound(rounds, ref.round, node.roundIndex);
    const found = target >= 0 ? byRound[target]?.byId.get(ref.localId) : undefined;
    if (found && !claimed.has(found) && !node.predecessor) {
      node.predecessor = found;
      node.link = 'prior-ref';
      node.relation = ref.relation;
    } else if (!found) {
      ghosts.push({ ...(ref.round === undefined ? {} : { round: ref.round }), id: ref.localId, agents: [], relation: ref.relation, loaded: false });
    }
  }
  // Rounds that are not loaded still show in the history, with the relation the report gave.
  if (!node.predecessor && ghosts.length > 0) {
    node.ghosts = ghosts.sort((a, b) => (a.round ?? 0) - (b.round ?? 0));
    node.relation = ghosts[ghosts.length - 1]!.relation;
    node.link = 'prior-ref';
  }
}

function lastIndexOfRound(rounds: RoundEntry[], round: number, before: number): number {
  for (let i = before - 1; i >= 0; i--) if (rounds[i]!.review.round?.number === round) return i;
  return -1;
}

function linkBy<R>(node: Node, byRound: R[], candidates: (round: R) => Node[] | undefined, link: HistoryLink, claimed: Set<Node>): void {
  // The nearest earlier round wins; a finding claimed by another of this round is not shared.
  for (let i = node.roundIndex - 1; i >= 0; i--) {
    const found = candidates(byRound[i]!)?.find((candidate) => !claimed.has(candidate) && !candidate.successor);
    if (found) {
      node.predecessor = found;
      node.link = link;
      return;
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function describe(node: Node): FindingHistory {
  const chain: Node[] = [];
  for (let at: Node | undefined = node; at; at = at.predecessor) chain.unshift(at);
  const first = chain[0]!;
  const steps: HistoryStep[] = [...first.ghosts];
  for (const at of chain) steps.push(stepOf(at));
  return { steps, status: statusOf(chain, first.ghosts) };
}

function stepOf(node: Node): HistoryStep {
  const step: HistoryStep = {
    id: node.finding.id,
    severity: node.finding.severity,
    agents: node.finding.agents.map(shortAgent).filter((name, i, all) => name !== '' && all.indexOf(name) === i),
    loaded: true,
    report: node.entry,
    finding: node.finding,
  };
  const round = node.entry.review.round?.number;
  if (round !== undefined) step.round = round;
  if (node.link) step.link = node.link;
  if (node.relation) step.relation = node.relation;
  if (node.finding.resolution) step.resolution = node.finding.resolution.action;
  return step;
}

function statusOf(chain: Node[], ghosts: HistoryStep[]): HistoryStatus {
  if (chain.length === 1 && ghosts.length === 0) return 'new';
  const relations = [...ghosts.map((g) => g.relation), ...chain.map((n) => n.relation)];
  if (relations.includes('regressed')) return 'regressed';
  for (let i = 1; i < chain.length; i++) {
    const before = chain[i - 1]!;
    const at = chain[i]!;
    if (at.relation && CONTINUING.has(at.relation)) continue;
    // Said fixed, or missing from a round in between: it went away and came back.
    if (before.finding.resolution?.action === 'fixed' || at.roundIndex - before.roundIndex > 1) return 'regressed';
  }
  return 'persisting';
}

/** "Claude", "Codex", "Gemini 3.1 Pro" → the family name, capitalised; roles as written. */
export function shortAgent(agent: AgentRef): string {
  if (agent.family && agent.family !== 'other') return agent.family[0]!.toUpperCase() + agent.family.slice(1);
  return agent.model ?? agent.raw ?? agent.role ?? '';
}

/** How a severity moved between two steps. */
export function severityChange(from: Severity | undefined, to: Severity | undefined): 'promoted' | 'demoted' | undefined {
  if (!from || !to || from === to) return undefined;
  return SEVERITY_ORDER.indexOf(to) < SEVERITY_ORDER.indexOf(from) ? 'promoted' : 'demoted';
}

function mentionsId(text: string, id: string): boolean {
  if (text === '' || id === '') return false;
  return new RegExp(`(^|[^\\w])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w]|$)`).test(text);
}
