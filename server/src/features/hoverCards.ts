/**
 * The text of hover cards: a finding's card, a report's round summary and a
 * citation's lines of today, in Markdown or plain text. Pure: every fact is
 * handed in, nothing is looked up.
 */
import type { Placement, PlacementMethod } from '../anchoring/placement.js';
import type { Finding, ReconciliationEvent, Review } from '../model/review.js';
import { normaliseAnchor } from '../store/fingerprint.js';
import { severityChange, shortAgent, type FindingHistory, type HistoryStep, type RoundSummary } from '../store/history.js';

/** What a card is written in. */
export type CardFormat = 'markdown' | 'plaintext';

/** A place a card links to: a file URI, its 1-based line, and the text shown for it. */
export interface CardLink {
  uri: string;
  line: number;
  label: string;
}

/** Everything a finding's card shows. */
export interface FindingCardInput {
  finding: Finding;
  review: Review;
  /** Where the finding sits in today's text, when it is shown on a file. */
  placement?: Placement;
  /** Today's lines of the file it sits on, to leave out a quoted snippet the reader is looking at. */
  todayLines?: readonly string[];
  history?: FindingHistory;
  summary?: RoundSummary;
  /** Also list what became of the previous round's findings (the report's first finding). */
  withPreviousOutcomes?: boolean;
  /** The finding in its report. */
  report: CardLink;
  /** The other cited locations, placed. */
  related: CardLink[];
}

/** Longest body shown before it is folded with a pointer to the report. */
const MAX_BODY_LINES = 14;
/** Longest diff shown before it is folded. */
const MAX_DIFF_LINES = 24;
/** Longest reason in a reconciliation row. */
const MAX_REASON = 90;
/** Most citation lines shown in a citation card. */
const MAX_CITED_LINES = 12;

const PLACEMENT_WORDS: Record<PlacementMethod, string> = {
  cited: 'on the cited lines',
  live: 'moved with the edits of the open buffer',
  git: "mapped through git's diff from the reviewed commit",
  anchor: 'found by its quoted code',
  fuzzy: 'found approximately by its quoted code',
  orphan: 'outdated: the cited code is not found',
  'past-end': 'past the end of the file: shown on its last line',
  unread: 'the file could not be read: the cited lines as written',
  'file-gone': 'the cited file no longer exists: shown on the report',
};

/** How a location was placed, in words: the placer's own note when it has one (it says more), else the step's. */
function describePlacement(placement: Placement): string {
  const note = placement.note?.replace(/^\((.*)\)$/s, '$1');
  return note ? note : PLACEMENT_WORDS[placement.method];
}

/** The card of one finding. */
export function computeFindingCard(input: FindingCardInput, format: CardFormat): string {
  const { finding, review } = input;
  const w = writer(format);
  const lines: string[] = [];
  const severity = capitalise(finding.severity);
  lines.push(w.heading([finding.id, severity, finding.category].filter(Boolean).join(' · ')));
  lines.push(w.strong(oneLine(finding.title)));
  const facts = [
    agentsOf(finding),
    subjectOf(review),
    roundOf(review, input.summary),
    review.reviewedCommit ? `reviewed ${w.code(review.reviewedCommit.sha.slice(0, 12))}` : '',
  ].filter(Boolean);
  lines.push(facts.join(' · '));
  const verdict = verdictOf(review);
  if (verdict) lines.push(`Verdict: ${verdict}`);
  if (input.history) lines.push(`History: ${historyLine(input.history)} · ${input.history.status}`);
  const placed = input.placement ? `Placed: ${describePlacement(input.placement)}` : '';
  const resolved = finding.resolution
    ? resolutionLine(finding.resolution)
    : 'Not resolved';
  lines.push([placed, resolved].filter(Boolean).join(' · '));

  const sections: string[] = [w.lines(lines)];
  const body = bodyWithout(finding, input.placement, input.todayLines);
  if (body.text !== '') {
    const folded = fold([body.text], MAX_BODY_LINES);
    sections.push(folded.cut ? `${folded.text}\n\n… ${w.link(`the rest is in the report at ${input.report.label}`, input.report)}` : folded.text);
  }
  const fix = fixOf(finding, w, input.report);
  if (fix) sections.push(fix);
  const reconciliation = reconciliationOf(finding.reconciliation, w);
  if (reconciliation) sections.push(reconciliation);
  if (input.withPreviousOutcomes && input.summary) {
    const outcomes = previousOutcomes(input.summary, w, false);
    if (outcomes) sections.push(outcomes);
  }
  const links = [`Report: ${w.link(input.report.label, input.report)}`];
  if (input.related.length > 0) links.push(`Also cited: ${input.related.map((link) => w.link(link.label, link)).join(', ')}`);
  sections.push(w.lines(links));
  return sections.join('\n\n');
}

function resolutionLine(resolution: NonNullable<Finding['resolution']>): string {
  const said = oneLine(resolution.raw ?? resolution.action);
  const reason = resolution.reason ? oneLine(resolution.reason) : '';
  // The commit as written may carry its subject and notes; the card has room for the id only.
  const commit = resolution.commit ? (/\b[0-9a-f]{7,40}\b/.exec(resolution.commit)?.[0] ?? truncate(oneLine(resolution.commit), 40)) : '';
  return `Resolved: ${said}${reason && !said.includes(reason) ? ` (${truncate(reason, MAX_REASON)})` : ''}${commit && !said.includes(commit) ? ` in ${commit}` : ''}`;
}

/** The card of a report file's header: the round, its verdict and what became of the previous round. */
export function computeRoundSummaryCard(review: Review, summary: RoundSummary | undefined, reportLabel: string, format: CardFormat): string {
  const w = writer(format);
  const open = review.findings.filter((f) => !f.struck && !f.resolution);
  const count = (severity: string) => review.findings.filter((f) => !f.struck && f.severity === severity).length;
  const lines = [
    w.heading(`Round summary: ${[subjectOf(review), roundOf(review, summary)].filter(Boolean).join(' · ') || reportLabel}`),
    [
      review.reviewedCommit ? `reviewed ${w.code(review.reviewedCommit.sha.slice(0, 12))}` : '',
      review.date ? review.date : '',
      review.reviewers.length > 0 ? review.reviewers.map((r) => r.model ?? capitalise(r.family)).join(', ') : '',
    ]
      .filter(Boolean)
      .join(' · '),
  ];
  const verdict = verdictOf(review);
  if (verdict) lines.push(`Verdict: ${verdict}`);
  lines.push(`Findings: ${count('critical')} critical, ${count('important')} important, ${count('suggestion')} suggestion; ${open.length} open`);
  const sections = [w.lines(lines.filter(Boolean))];
  const outcomes = summary ? previousOutcomes(summary, w, true) : undefined;
  if (outcomes) sections.push(outcomes);
  else if (summary && !summary.previous) sections.push('The first round of its series.');
  return sections.join('\n\n');
}

/** What a citation in a report names, as today's lines of the file. */
export function computeCitationCard(
  cited: string,
  target: CardLink,
  placement: Placement,
  lines: readonly string[] | undefined,
  language: string,
  format: CardFormat,
): string {
  const w = writer(format);
  const start = placement.range.start.line;
  const end = placement.range.end.line;
  const head = `${w.code(cited)} today: ${w.link(target.label, target)} (${describePlacement(placement)})`;
  if (!lines) return `${head}\n\nThe file cannot be read.`;
  const shown = lines.slice(start, Math.min(end, start + MAX_CITED_LINES - 1) + 1);
  const more = end - start + 1 > shown.length ? `\n… ${end - start + 1 - shown.length} more lines` : '';
  return `${head}\n\n${w.block(shown.join('\n'), language)}${more}`;
}

/** "R4 S1 (Claude) → R5 I1 (promoted) → R6 I1 open". */
export function historyLine(history: FindingHistory): string {
  const parts: string[] = [];
  history.steps.forEach((step, i) => {
    const before = history.steps[i - 1];
    const notes: string[] = [];
    if (i === 0 && step.agents.length > 0) notes.push(step.agents.join(', '));
    const change = severityChange(before?.severity, step.severity);
    if (change) notes.push(change);
    if (step.relation && i > 0) notes.push(step.relation.replace(/-/g, ' '));
    if (!step.loaded) notes.push('not in the workspace');
    if (i < history.steps.length - 1 && step.resolution) notes.push(`marked ${step.resolution}`);
    let text = `${roundTag(step)} ${step.id}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
    if (i === history.steps.length - 1) text += step.resolution ? ` ${step.resolution}` : ' open';
    parts.push(text);
  });
  return parts.join(' → ');
}

function roundTag(step: HistoryStep): string {
  return step.round === undefined ? 'R?' : `R${step.round}`;
}

/** What became of the previous round's findings; a finding's card lists only those not fixed, to stay short. */
function previousOutcomes(summary: RoundSummary, w: Writer, everyOne: boolean): string | undefined {
  const previous = summary.previous;
  if (!previous) return undefined;
  const name = previous.review.round ? `round ${previous.review.round.number}` : 'the previous round';
  if (summary.outcomes.length === 0) return `${capitalise(name)} had no findings.`;
  const words = (o: RoundSummary['outcomes'][number]): string => {
    const followUp = o.relation === 'related' || o.relation === 'extends';
    if (o.outcome === 'carried') return followUp ? `followed up by ${o.carriedAs}` : o.relation === 'regressed' ? `back as ${o.carriedAs}` : `raised again as ${o.carriedAs}`;
    if (o.outcome === 'verified-fixed') return 'confirmed fixed';
    if (o.outcome === 'fixed') return o.carriedAs ? `marked fixed, followed up by ${o.carriedAs}` : 'marked fixed, not raised again';
    return 'not raised again';
  };
  const listed = everyOne ? summary.outcomes : summary.outcomes.filter((o) => o.outcome !== 'verified-fixed' && o.outcome !== 'fixed');
  const rows = listed.map((o) => {
    const resolution = o.resolution && o.outcome !== 'fixed' ? ` (resolution: ${truncate(oneLine(o.resolution), 40)})` : '';
    return `${w.bullet()}${o.id} ${truncate(oneLine(o.title), 60)}: ${words(o)}${resolution}`;
  });
  const fixed = summary.outcomes.filter((o) => o.outcome === 'verified-fixed' || o.outcome === 'fixed').map((o) => o.id);
  const head = `Of ${name}'s findings, this round confirms fixed: ${fixed.length > 0 ? fixed.join(', ') : 'none'}`;
  return [head, ...rows].join('\n');
}

function bodyWithout(finding: Finding, placement: Placement | undefined, todayLines: readonly string[] | undefined): { text: string } {
  let body = finding.body;
  if (finding.fix?.markdown && body.includes(finding.fix.markdown)) body = body.replace(finding.fix.markdown, '');
  const snippet = finding.snippet;
  if (snippet && placement && todayLines && snippetIsUnderCursor(snippet.text, placement, todayLines)) {
    body = removeFence(body, snippet.text);
  }
  return { text: body.trim() };
}

/** True when the quoted snippet is the code around the placed lines today, so the reader already sees it. */
function snippetIsUnderCursor(snippet: string, placement: Placement, lines: readonly string[]): boolean {
  const quoted = normaliseAnchor(snippet);
  if (quoted === '' || placement.method === 'orphan' || placement.method === 'unread') return false;
  const size = snippet.split('\n').length;
  const from = Math.max(0, placement.range.start.line - size - 2);
  const to = Math.min(lines.length, placement.range.end.line + size + 3);
  return normaliseAnchor(lines.slice(from, to).join('\n')).includes(quoted);
}

function removeFence(body: string, content: string): string {
  const fence = /(^|\n)(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\2[ \t]*(?=\n|$)/g;
  for (let m = fence.exec(body); m; m = fence.exec(body)) {
    if (m[3] === content) return body.slice(0, m.index) + body.slice(m.index + m[0].length);
  }
  return body;
}

/** The first paragraphs of a text up to `max` lines, never cutting a fenced block. */
function fold(texts: string[], max: number): { text: string; cut: boolean } {
  const blocks = splitBlocks(texts.join('\n\n'));
  const kept: string[] = [];
  let used = 0;
  for (const block of blocks) {
    const size = block.split('\n').length;
    if (used + size > max && kept.length > 0) return { text: kept.join('\n\n'), cut: true };
    if (used + size > max) {
      kept.push(block.split('\n').slice(0, max).join('\n') + (block.trimStart().startsWith('```') ? '\n```' : ''));
      return { text: kept.join('\n\n'), cut: true };
    }
    kept.push(block);
    used += size + 1;
  }
  return { text: kept.join('\n\n'), cut: false };
}

/** Blank-line separated blocks, a fenced block kept whole. */
function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      current.push(line);
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker) fence = marker;
    if (line.trim() === '' && !fence) {
      if (current.length > 0) blocks.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

function fixOf(finding: Finding, w: Writer, report: CardLink): string | undefined {
  const fix = finding.fix;
  if (!fix) return undefined;
  const parts: string[] = [];
  const prose = splitBlocks(fix.markdown)
    .filter((block) => !/^\s*(`{3,}|~{3,})/.test(block))
    .join('\n\n')
    .replace(/^\s*\**fix[^:]*:\**\s*/i, '')
    .trim();
  const label = fix.label || 'Fix';
  parts.push(prose ? `${w.strong(label)}: ${fold([prose], 6).text}` : w.strong(label));
  if (fix.options.length > 0) parts.push(fix.options.map((option, i) => `${i + 1}. ${truncate(oneLine(option), 160)}`).join('\n'));
  for (const diff of fix.diffs) {
    const diffLines = diff.text.split('\n');
    const shown = diffLines.slice(0, MAX_DIFF_LINES).join('\n');
    parts.push(w.block(shown, 'diff') + (diffLines.length > MAX_DIFF_LINES ? `\n… ${diffLines.length - MAX_DIFF_LINES} more lines in the report at ${report.label}` : ''));
  }
  for (const code of fix.replacementCode) parts.push(w.block(code.text.split('\n').slice(0, MAX_DIFF_LINES).join('\n'), code.lang ?? ''));
  return parts.join('\n');
}

function reconciliationOf(events: readonly ReconciliationEvent[], w: Writer): string | undefined {
  const rows = dedupe(events);
  if (rows.length === 0) return undefined;
  const table = rows.map((event) => [
    event.agent.model ?? event.agent.raw ?? shortAgent(event.agent),
    event.agentLocalId ?? '',
    event.from ?? '',
    became(event),
    event.reason ? truncate(oneLine(event.reason), MAX_REASON) : '',
  ]);
  return `${w.strong('Reconciliation')}\n${w.table(['Agent', 'Id', 'Said', 'Became', 'Why'], table)}`;
}

function became(event: ReconciliationEvent): string {
  const to = event.to;
  if (to === 'merged') return event.mergedInto ? `merged into ${event.mergedInto}` : 'merged';
  if (to === 'false-positive') return 'dropped: false positive';
  if (event.from && to === event.from) return 'kept';
  const severities = ['critical', 'important', 'suggestion'];
  if (event.from && severities.includes(event.from) && severities.includes(to)) {
    const change = severityChange(event.from as never, to as never);
    return `${change ?? event.verb ?? 'became'} to ${to}`;
  }
  return event.verb ? `${event.verb}: ${to}` : to;
}

/** Several readings of one event (retro, body, appendix) are one row; the reading with the agent's id wins. */
function dedupe(events: readonly ReconciliationEvent[]): ReconciliationEvent[] {
  const rows: ReconciliationEvent[] = [];
  for (const event of events) {
    const agent = event.agent.model ?? event.agent.raw ?? event.agent.family;
    const same = rows.findIndex(
      (row) =>
        (row.agent.model ?? row.agent.raw ?? row.agent.family) === agent &&
        row.from === event.from &&
        row.to === event.to &&
        (row.agentLocalId === event.agentLocalId || !row.agentLocalId || !event.agentLocalId),
    );
    if (same < 0) rows.push(event);
    else if (!rows[same]!.agentLocalId && event.agentLocalId) rows[same] = { ...event, reason: event.reason ?? rows[same]!.reason };
    else if (!rows[same]!.reason && event.reason) rows[same] = { ...rows[same]!, reason: event.reason };
  }
  return rows;
}

function agentsOf(finding: Finding): string {
  return finding.agents.map((agent) => agent.model ?? agent.raw ?? shortAgent(agent)).join(', ');
}

function subjectOf(review: Review): string {
  if (review.pr) return `PR #${review.pr.number}`;
  if (review.branch) return `branch ${review.branch.name}`;
  return review.target ?? '';
}

/** "round 6 of 6": the round's number against the series' last, else its position. */
function roundOf(review: Review, summary: RoundSummary | undefined): string {
  const number = review.round?.number;
  if (number !== undefined) return summary?.lastRound !== undefined ? `round ${number} of ${Math.max(summary.lastRound, number)}` : `round ${number}`;
  return summary ? `round ${summary.position} of ${summary.count}` : '';
}

function verdictOf(review: Review): string {
  const verdict = review.verdict;
  if (!verdict) return '';
  const text = verdict.raw ?? [verdict.label.replace(/-/g, ' '), verdict.rationale].filter(Boolean).join(' — ');
  return truncate(oneLine(text.replace(/\*\*/g, '')), 160);
}

interface Writer {
  heading(text: string): string;
  strong(text: string): string;
  code(text: string): string;
  link(label: string, target: CardLink): string;
  block(text: string, language: string): string;
  table(head: string[], rows: string[][]): string;
  bullet(): string;
  lines(lines: string[]): string;
}

function writer(format: CardFormat): Writer {
  if (format === 'markdown') {
    return {
      heading: (text) => `### ${text}`,
      strong: (text) => `**${text}**`,
      code: (text) => `\`${text.replace(/`/g, '')}\``,
      link: (label, target) => `[${label.replace(/[[\]]/g, '')}](${target.uri}#L${target.line})`,
      block: (text, language) => {
        const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
        const fence = '`'.repeat(longest + 1);
        return `${fence}${language}\n${text}\n${fence}`;
      },
      table: (head, rows) => {
        const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
        return [head, head.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
      },
      bullet: () => '- ',
      // Two trailing spaces keep lines apart in Markdown without a blank line between them.
      lines: (lines) => lines.join('  \n'),
    };
  }
  return {
    heading: (text) => text,
    strong: (text) => text,
    code: (text) => text,
    link: (label) => label,
    block: (text) => text.split('\n').map((line) => `    ${line}`).join('\n'),
    table: (_head, rows) => rows.map((row) => `  ${row[0]}${row[1] ? ` ${row[1]}` : ''}: ${row[2] ? `${row[2]}, ` : ''}${row[3]}${row[4] ? ` (${row[4]})` : ''}`).join('\n'),
    bullet: () => '  - ',
    lines: (lines) => lines.join('\n'),
  };
}

function capitalise(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
