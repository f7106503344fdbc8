/**
 * Reviewer names: the model family behind a name, agent brackets on findings
 * (`[Codex GPT 5.4, Gemini 3.1 Pro]`, `[orchestrator]`, `[Claude Opus 4.6 (as S5)]`)
 * and the `Reviewers` header cell.
 */
import type { AgentFamily, AgentRef } from '../../model/review.js';
import { splitTopLevel, stripStrike } from './text.js';

const FAMILIES: ReadonlyArray<[RegExp, AgentFamily]> = [
  [/^claude\b/i, 'claude'],
  [/^(?:codex|gpt)\b/i, 'codex'],
  [/^gemini\b/i, 'gemini'],
  [/^qwen/i, 'qwen'],
  [/^gemma/i, 'gemma'],
  [/^glm\b/i, 'glm'],
];

/** The family of a model name such as "Claude Opus 4.7" or "Qwen3 Coder Next"; undefined when unknown. */
export function familyOf(name: string): AgentFamily | undefined {
  const trimmed = name.trim();
  for (const [re, family] of FAMILIES) if (re.test(trimmed)) return family;
  return undefined;
}

/**
 * A reviewer named in prose: a family word, then words that belong to a model name.
 * Each repetition starts with a blank and a word from a closed set, so matching is
 * linear. A new RegExp per call because global expressions carry `lastIndex` state.
 */
export function agentMentionPattern(): RegExp {
  return /\b(Claude|Codex|Gemini|Qwen3?|Gemma4?|GLM(?:-[\d.]+)?)((?:[ ](?:Opus|Sonnet|Haiku|GPT|Pro|Flash|Sol|Astra|Coder|Next|\d[\w.-]*))*)/g;
}

const ROLES: ReadonlyArray<[RegExp, NonNullable<AgentRef['role']>]> = [
  [/^orchestrator$/i, 'orchestrator'],
  [/^(?:consolidator|consolidation)$/i, 'consolidator'],
  [/^verified$/i, 'verified'],
];

/** One entry of an agent bracket, e.g. "Gemini 3.1 Pro (as C4)" or "orchestrator". */
export function parseAgentRef(raw: string): AgentRef | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  for (const [re, role] of ROLES) if (re.test(text)) return { raw: text, role };
  let model = text;
  let qualifier: string | undefined;
  const open = text.indexOf('(');
  if (open > 0 && text.endsWith(')')) {
    model = text.slice(0, open).trim();
    qualifier = text.slice(open + 1, -1).trim();
  }
  const family = familyOf(model);
  if (family === undefined) return undefined;
  return { raw: text, family, model, ...(qualifier ? { qualifier } : {}) };
}

/**
 * The agents of one bracket's content ("Codex GPT 5.4, Gemini 3.1 Pro, verified");
 * undefined when the bracket does not name a single reviewer or role, so that
 * other bracketed text is not mistaken for attribution.
 */
export function parseAgentList(content: string, qualifier?: string): AgentRef[] | undefined {
  const refs: AgentRef[] = [];
  for (const piece of splitTopLevel(content, ',')) {
    const ref = parseAgentRef(piece);
    if (ref === undefined) {
      if (piece.trim() !== '') return undefined;
      continue;
    }
    refs.push(qualifier && ref.qualifier === undefined ? { ...ref, qualifier } : ref);
  }
  return refs.length > 0 ? refs : undefined;
}

/** A reviewer of the header's `Reviewers` cell. */
export interface ReviewerEntry {
  family: AgentFamily;
  model?: string;
  effort?: string;
  excluded?: string;
  raw: string;
}

/**
 * Parses the `Reviewers` cell: `Claude Opus 4.7 (effort: xhigh), ~~Gemini 3.1 Pro~~ (429 capacity),
 * Gemini 3.1 Pro (effort: default — dropped, quota)`.
 */
export function parseReviewers(cell: string): ReviewerEntry[] {
  const out: ReviewerEntry[] = [];
  for (const piece of splitTopLevel(cell, ',')) {
    const raw = piece.trim();
    if (raw === '') continue;
    let name = raw;
    let paren: string | undefined;
    const open = raw.indexOf('(');
    if (open >= 0 && raw.endsWith(')')) {
      name = raw.slice(0, open).trim();
      paren = raw.slice(open + 1, -1).trim();
    }
    const struck = stripStrike(name);
    const model = struck.text;
    const entry: ReviewerEntry = { family: familyOf(model) ?? 'other', model, raw };
    if (paren !== undefined) {
      const effort = /^effort:\s*([^\s—–,;]+)\s*(?:[—–,;]\s*(.*))?$/i.exec(paren);
      if (effort?.[1] !== undefined) {
        entry.effort = effort[1];
        // "(effort: default — dropped, quota)": the reviewer was configured but did not take part.
        if (effort[2]) entry.excluded = effort[2].trim();
      } else if (struck.struck) {
        entry.excluded = paren;
      }
    } else if (struck.struck) {
      entry.excluded = 'struck out';
    }
    out.push(entry);
  }
  return out;
}
