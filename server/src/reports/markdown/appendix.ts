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
import { readHeaderLine } from './findingHeader.js';
import { type ReportLayout, scanLines } from './layout.js';
import { severityHeading } from './sections.js';
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
  /** Lines that look like an agent's finding header but could not be read, with where they are. */
  unread: Array<{ raw: string; offset: number; length: number }>;
}

/** Most agent finding lines read per entry; the rest of a runaway entry is only kept as text. */
const MAX_FINDINGS_PER_ENTRY = 200;

/** Reads the appendix of a report. */
export function readAppendix(text: string, layout: ReportLayout): AppendixRead {
  const appendix = layout.appendix;
  if (appendix === undefined) return { entries: [], findings: [], unread: [] };
  const inside = appendix.headings;
  const firstAgent = inside.find((h) => agentOfHeading(h.text) !== undefined);
  if (firstAgent === undefined) {
    const markdown = trimMarkdown(text.slice(appendix.heading.end, appendix.end));
    return { entries: markdown === '' ? [] : [{ agent: { raw: appendix.heading.text, role: 'other' }, heading: appendix.heading.text, markdown }], findings: [], unread: [] };
  }
  const starts = inside.filter((h) => h.depth === firstAgent.depth && agentOfHeading(h.text) !== undefined);
  const entries: AgentReview[] = [];
  const candidates: Candidate[] = [];
  starts.forEach((h, index) => {
    const end = starts[index + 1]?.start ?? appendix.end;
    const parsed = agentOfHeading(h.text) as { agent: AgentReview['agent']; pass?: number };
    entries.push(compact({ agent: parsed.agent, pass: parsed.pass, heading: h.text, markdown: trimMarkdown(text.slice(h.end, end)) }));
    candidates.push(...candidateLines(text, h.end, end, entries.length - 1, parsed.agent, parsed.pass));
  });
  const unread: AppendixRead['unread'] = [];
  return { entries, findings: readCandidates(candidates, unread), unread };
}

/** The agent an appendix heading names: `[Claude] — Pass 1`, `Claude Opus 4.6`, `[Claude] Opus 4.6`. */
function agentOfHeading(heading: string): { agent: AgentReview['agent']; pass?: number } | undefined {
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
/** A heading `C1. title — `loc``: the title is plain text up to the dash before the first citation. */
const PLAIN_LETTERED_HEADING = /^([CIS]\d{1,3})\.\s+([^*`][^`]*?)(\s+(?:—|–|--)\s+`.*)$/;

/** A line of an agent's review that looks like one of its finding headers. */
interface Candidate {
  entry: number;
  agent: AgentReview['agent'];
  pass?: number;
  /** Severity of the section the line sits in, if any. */
  severity?: Severity;
  /** The line as Markdown to parse (heading marks removed, plain severity bracketed). */
  markdown: string;
  raw: string;
  /** Where the line starts in the report. */
  offset: number;
}

function candidateLines(text: string, from: number, to: number, entry: number, agent: AgentReview['agent'], pass: number | undefined): Candidate[] {
  const out: Candidate[] = [];
  let severity: Severity | undefined;
  scanLines(
    text,
    from,
    to,
    (rawLine, lineStart, _end, inFence) => {
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
      let markdown: string | undefined;
      // `##### I1. **title** — `loc`` and `##### C1. title — `loc``: agents write findings as headings too.
      const heading = /^#{1,6}\s+/.exec(line);
      const unmarked = heading ? line.slice(heading[0].length) : line;
      const plainHeading = heading ? PLAIN_LETTERED_HEADING.exec(unmarked) : null;
      if (LETTERED.test(unmarked) || LETTERED_IN_BOLD.test(unmarked) || NUMBERED.test(unmarked) || BRACKETED.test(line)) {
        markdown = unmarked;
      } else if (plainHeading) {
        markdown = `${plainHeading[1]}. **${plainHeading[2]}**${plainHeading[3]}`;
      } else {
        const plain = PLAIN_SEVERITY.exec(line);
        if (plain) markdown = `**[${plain[1]}] ${plain[2]}**`;
        else if (/^#{1,6}\s/.test(line)) severity = undefined;
      }
      if (markdown !== undefined) out.push(compact({ entry, agent, pass, severity, markdown, raw: line, offset: lineStart + rawLine.indexOf(line) }));
    },
    'with-info',
  );
  return out;
}

/** Reads the candidate lines as finding headers, with the agent's own severity; `unread` gets the rest. */
function readCandidates(candidates: readonly Candidate[], unread: AppendixRead['unread']): AgentFinding[] {
  const out: AgentFinding[] = [];
  for (const c of candidates) {
    const header = readHeaderLine(c.markdown);
    if (header === undefined) {
      // Numbered bold lead-ins ("1. **Cache invalidation:** …") are ordinary lists; an id or a
      // severity bracket that does not read is a finding lost.
      if (!NUMBERED.test(c.markdown)) unread.push({ raw: c.raw, offset: c.offset, length: c.raw.length });
      continue;
    }
    const own = header.bracketSeverity ?? header.tail.tag?.severity ?? (header.letterId ? (c.severity ?? severityOfId(header.letterId)) : c.severity);
    out.push(
      compact({
        entry: c.entry,
        agent: c.agent,
        pass: c.pass,
        localId: header.letterId,
        severity: own,
        title: header.title,
        locations: [...header.titleLocations, ...header.tail.locations],
        raw: c.raw,
      }),
    );
  }
  return out;
}
