/**
 * The appendix of the agents' original reviews. It is kept verbatim, one entry
 * per agent heading (`### [Claude] — Pass 1`, `### Claude Opus 4.6`,
 * `### [Claude Opus 4.8]`), and is never read as consolidated findings. Its
 * headings below the agent level are unreliable (agents write their own `#`
 * and `##`), so entries are found by a fence-aware line scan, and each agent's
 * own findings are picked out line by line: their header lines are parsed with
 * the same header reader as consolidated findings, giving the agent's own id,
 * severity and citations for reconciliation.
 */
import type { Location, Review, Severity } from '../../model/review.js';
import { familyOf, parseAgentRef } from './agents.js';
import { type FindingHeader, readFindingHeader } from './findingHeader.js';
import { type ReportLayout, scanLines } from './layout.js';
import { severityHeading } from './sections.js';
import { createSource, parsePart } from './source.js';
import { compact, severityOfId, trimMarkdown } from './text.js';

type AgentReview = Review['appendix'][number];

/** A finding as one agent wrote it in its own review. */
export interface AgentFinding {
  entry: number;
  agent: AgentReview['agent'];
  pass?: number;
  localId?: string;
  severity?: Severity;
  title: string;
  locations: Location[];
  raw: string;
}

/** The appendix entries and the agents' own findings. */
export interface AppendixRead {
  entries: AgentReview[];
  findings: AgentFinding[];
}

/** Most agent finding lines read per entry; the rest of a runaway entry is only kept as text. */
const MAX_FINDINGS_PER_ENTRY = 200;

/** Reads the appendix of a report. */
export function readAppendix(text: string, layout: ReportLayout): AppendixRead {
  const appendix = layout.appendix;
  if (appendix === undefined) return { entries: [], findings: [] };
  const inside = appendix.headings;
  const firstAgent = inside.find((h) => agentOfHeading(h.text) !== undefined);
  if (firstAgent === undefined) {
    const markdown = trimMarkdown(text.slice(appendix.heading.end, appendix.end));
    return { entries: markdown === '' ? [] : [{ agent: { raw: appendix.heading.text, role: 'other' }, heading: appendix.heading.text, markdown }], findings: [] };
  }
  const starts = inside.filter((h) => h.depth === firstAgent.depth && agentOfHeading(h.text) !== undefined);
  const entries: AgentReview[] = [];
  const findings: AgentFinding[] = [];
  starts.forEach((h, index) => {
    const end = starts[index + 1]?.start ?? appendix.end;
    const parsed = agentOfHeading(h.text) as { agent: AgentReview['agent']; pass?: number };
    entries.push(compact({ agent: parsed.agent, pass: parsed.pass, heading: h.text, markdown: trimMarkdown(text.slice(h.end, end)) }));
    findings.push(...agentFindings(text, h.end, end, entries.length - 1, parsed.agent, parsed.pass));
  });
  return { entries, findings };
}

/** The agent an appendix heading names: `[Claude] — Pass 1`, `Claude Opus 4.6`, `[Claude] Opus 4.6`. */
export function agentOfHeading(heading: string): { agent: AgentReview['agent']; pass?: number } | undefined {
  const text = heading.replace(/\*\*/g, '').trim();
  const pass = /\bpass\s*(\d{1,2})\b/i.exec(text);
  let best: string | undefined;
  for (const part of text.split(/\s(?:—|–|--|-)\s/)) {
    const name = part.replace(/[[\]]/g, '').replace(/\s+/g, ' ').trim();
    if (familyOf(name) !== undefined && (best === undefined || name.length > best.length)) best = name;
  }
  if (best === undefined) return undefined;
  const agent = parseAgentRef(best);
  if (agent === undefined) return undefined;
  return compact({ agent: { ...agent, raw: heading }, pass: pass ? Number(pass[1]) : undefined });
}

const LETTERED = /^([CIS]\d{1,3})\.\s+\*\*/;
const LETTERED_IN_BOLD = /^\*\*([CIS]\d{1,3})\.\s/;
const NUMBERED = /^\d{1,3}\.\s+\*\*/;
const BRACKETED = /^(?:#{1,6}\s+)?\*\*\[(CRITICAL|IMPORTANT|SUGGESTION)S?\]/i;
const PLAIN_SEVERITY = /^\*\*(CRITICAL|IMPORTANT|SUGGESTION)\*\*\s+(\S.*)$/;

function agentFindings(text: string, from: number, to: number, entry: number, agent: AgentReview['agent'], pass: number | undefined): AgentFinding[] {
  const out: AgentFinding[] = [];
  let severity: Severity | undefined;
  scanLines(text, from, to, (rawLine, _start, _end, inFence) => {
    if (inFence || out.length >= MAX_FINDINGS_PER_ENTRY) return;
    const line = rawLine.trim();
    if (line === '') return;
    const bare = line
      .replace(/^#{1,6}\s+/, '')
      .replace(/^\*\*(.*)\*\*:?$/, '$1')
      .trim();
    const sectionSeverity = /^[#*]/.test(line) || /^[A-Z][a-z]+(?: [A-Z][a-z]+)?:?$/.test(line) ? severityHeading(bare) : undefined;
    if (sectionSeverity !== undefined) {
      severity = sectionSeverity;
      return;
    }
    let header: FindingHeader | undefined;
    if (LETTERED.test(line) || LETTERED_IN_BOLD.test(line) || NUMBERED.test(line) || BRACKETED.test(line)) {
      header = readLine(line.replace(/^#{1,6}\s+/, ''));
    } else {
      const plain = PLAIN_SEVERITY.exec(line);
      if (plain) header = readLine(`**[${plain[1]}] ${plain[2]}**`);
      else if (/^#{1,6}\s/.test(line)) severity = undefined;
    }
    if (header === undefined) return;
    const own =
      header.bracketSeverity ?? header.tail.tag?.severity ?? (header.letterId ? (severity ?? severityOfId(header.letterId)) : severity);
    out.push(
      compact({
        entry,
        agent,
        pass,
        localId: header.letterId,
        severity: own,
        title: header.title,
        locations: [...header.titleLocations, ...header.tail.locations],
        raw: line,
      }),
    );
  }, 'with-info');
  return out;
}

/** Parses one header line on its own with the consolidated-finding header reader. */
function readLine(line: string): FindingHeader | undefined {
  const source = createSource(line);
  const part = parsePart(source, 0, line.length);
  const first = part.root.children[0];
  if (first?.type === 'paragraph') return readFindingHeader(part, first);
  if (first?.type === 'list') {
    const item = first.children[0];
    const p = item?.children[0];
    if (item && p?.type === 'paragraph') return readFindingHeader(part, p, { item });
  }
  return undefined;
}

