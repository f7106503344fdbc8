/**
 * Reconciliation events written in prose: the retro's Reconciliation statement
 * (`Gemini C1 (template stall): critical → important I1. <reason>`,
 * `Claude's I4 became S5 (suggestion)`, `Gemini I2 / Claude S2 kept as I1 at Important`)
 * and sentences of a finding's body (`Demoted from Claude's Important: …`,
 * `Gemini rated this critical; Codex rated it important.`).
 */
import type { AgentRef, ReconciliationEvent, Severity } from '../../model/review.js';
import { agentMentionPattern, parseAgentRef } from './agents.js';
import { compact, severityOfId, severityWord } from './text.js';

/** An event of the Reconciliation statement, with the consolidated finding it names, if any. */
export interface StatementEvent {
  event: ReconciliationEvent;
  /** Consolidated finding id the event lands on ("I1"), when the clause names one. */
  target?: string;
}

const MARKER =
  /→|->|\b(?:became|become|downgraded|demoted|promoted|upgraded|consolidated (?:as|into)|kept (?:as|at)|merged into|folded into|dropped|rejected|withdrawn|moved (?:to|from)|reclassified|relabel{1,2}ed|reconciled to|routed to)\b/i;
const ID = /\b([CIS]\d{1,3})\b/;

interface Mention {
  agent: AgentRef;
  pass?: number;
  localId?: string;
  index: number;
}

/** Splits prose into sentences at a full stop followed by a capital, outside parentheses and code. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inCode = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    if (inCode) continue;
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if ((c === '.' || c === '!' || c === '?') && depth === 0) {
      const next = text.slice(i + 1, i + 3);
      if (/^\s[A-Z`*"]/.test(next) || /^\n/.test(next)) {
        out.push(text.slice(start, i + 1).trim());
        start = i + 1;
      }
    }
  }
  const rest = text.slice(start).trim();
  if (rest !== '') out.push(rest);
  return out.filter((s) => s !== '');
}

/** Short names a report gives its reviewers in prose ("Flash" for Gemini 3.5 Flash), by word. */
export type ReviewerAliases = ReadonlyMap<string, AgentRef>;

/**
 * The aliases of a report's reviewers: the last word of each model name
 * ("Flash", "Sol", "Pro") when no other reviewer's name ends so.
 */
export function reviewerAliases(models: readonly string[]): ReviewerAliases {
  const byWord = new Map<string, string[]>();
  for (const model of models) {
    const word = /([A-Za-z][\w-]*)$/.exec(model.trim())?.[1];
    if (word === undefined || /^(?:claude|codex|gemini|qwen|gemma|glm)$/i.test(word)) continue;
    byWord.set(word, [...(byWord.get(word) ?? []), model]);
  }
  const out = new Map<string, AgentRef>();
  for (const [word, owners] of byWord) {
    const ref = owners.length === 1 ? parseAgentRef(owners[0] as string) : undefined;
    if (ref) out.set(word, { ...ref, raw: word });
  }
  return out;
}

function mentionsIn(text: string, aliases?: ReviewerAliases): Mention[] {
  const found: Array<{ agent: AgentRef; index: number; end: number }> = [];
  for (const m of text.matchAll(agentMentionPattern())) {
    const name = `${m[1] ?? ''}${m[2] ?? ''}`.trim();
    const agent = parseAgentRef(name);
    if (agent !== undefined) found.push({ agent, index: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  if (aliases !== undefined && aliases.size > 0) {
    const words = [...aliases.keys()].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    for (const m of text.matchAll(new RegExp(`\\b(${words})\\b`, 'g'))) {
      const index = m.index ?? 0;
      // "Gemini 3.5 Flash" is already one mention; its last word is not a second.
      if (found.some((f) => index >= f.index && index < f.end)) continue;
      const agent = aliases.get(m[1] ?? '');
      if (agent) found.push({ agent, index, end: index + m[0].length });
    }
    found.sort((a, b) => a.index - b.index);
  }
  const out: Mention[] = [];
  for (const { agent, index, end } of found) {
    const after = text.slice(end, end + 40);
    const q = /^(?:'s)?\s*,?\s*(?:(?:P|pass[- ]?)(\d{1,2})\b\s*,?\s*)?(?:([CIS]\d{1,3})\b)?/.exec(after);
    out.push(
      compact({
        agent,
        pass: q?.[1] !== undefined ? Number(q[1]) : undefined,
        localId: q?.[2],
        index,
      }),
    );
  }
  return out;
}

function toOf(after: string): { to?: string; index: number } {
  const lower = after.toLowerCase();
  const special: Array<[RegExp, string]> = [
    [/false[ -]positive/, 'false-positive'],
    [/unresolved feedback/, 'unresolved-feedback'],
    [/acknowledged limitation/, 'acknowledged-limitation'],
    [/design observation/, 'design-observation'],
    [/testing assessment/, 'testing-assessment'],
    [/\bwithdrawn\b/, 'withdrawn'],
    [/\b(?:merged|folded) into\b/, 'merged'],
    [/\bdropped\b/, 'dropped'],
  ];
  let best: { to?: string; index: number } = { index: Infinity };
  for (const m of after.matchAll(/\b(critical|important|suggestion)s?\b/gi)) {
    const before = lower.slice(Math.max(0, (m.index ?? 0) - 5), m.index);
    if (/from\s$/.test(before)) continue;
    best = { to: (m[1] ?? '').toLowerCase(), index: m.index ?? 0 };
    break;
  }
  for (const [re, to] of special) {
    const m = re.exec(lower);
    if (m && m.index < best.index) best = { to, index: m.index };
  }
  return best;
}

/** Events of a Reconciliation statement (the text after its label); `aliases` name reviewers by a short word. */
export function statementEvents(text: string, aliases?: ReviewerAliases): StatementEvent[] {
  const out: StatementEvent[] = [];
  let previous: Mention[] = [];
  let last: StatementEvent[] = [];
  for (const sentence of sentences(text)) {
    const marker = MARKER.exec(sentence);
    let mentions = marker ? mentionsIn(sentence.slice(0, marker.index), aliases) : [];
    if (marker && /^(?:its|their)\b/i.test(sentence) && previous.length > 0) {
      // "Its I2 and Gemini 3.1 Pro's I1 became S1": the pronoun names the previous agent.
      const own = /^(?:its|their)\s+([CIS]\d{1,3})\b/i.exec(sentence);
      mentions = [...previous.slice(0, 1).map((m) => compact({ ...m, pass: undefined, localId: own?.[1], index: 0 })), ...mentions];
    }
    if (!marker || mentions.length === 0) {
      // A sentence that names neither a reviewer nor a transition continues the
      // reason of the events just before it; anything else ends that run.
      if (!marker && mentionsIn(sentence, aliases).length === 0) {
        for (const e of last) e.event.reason = e.event.reason ? `${e.event.reason} ${sentence}` : sentence;
      } else last = [];
      continue;
    }
    const head = sentence.slice(0, marker.index);
    const markerEnd = marker.index + marker[0].length;
    const after = sentence.slice(markerEnd);
    const isArrow = marker[0] === '→' || marker[0] === '->';
    let from: string | undefined;
    if (isArrow) {
      const m = /(critical|important|suggestion|unnumbered)\s*$/i.exec(head);
      from = m?.[1]?.toLowerCase();
    } else {
      const m = /^\s*from\s+"?(critical|important|suggestion)/i.exec(after) ?? /\bat\s+(critical|important|suggestion)\b/i.exec(head);
      from = m?.[1]?.toLowerCase();
    }
    // "Gemini's design observation on retries was promoted to I3": not a numbered finding before.
    if (from === undefined && /\bdesign (?:observation|concern)\b/i.test(head)) from = 'design-observation';
    const { to, index: toIndex } = toOf(after);
    const idMatch = ID.exec(after);
    let target = idMatch?.[1];
    if (target === undefined) target = /\((?:consolidated\s+)?([CIS]\d{1,3})\)/.exec(head)?.[1];
    const category = /"?\b(regression|gap|pre-existing|enhancement|documentation)\b"?\s*(?:→|->|to)\s*"?(regression|gap|pre-existing|enhancement|documentation)\b/i.exec(sentence);
    const verb = isArrow ? undefined : marker[0].toLowerCase();
    const reasonStart = Math.max(idMatch ? idMatch.index + idMatch[0].length : 0, Number.isFinite(toIndex) ? toIndex : 0);
    const reason = after
      .slice(reasonStart)
      .replace(/^[^\s(:—–,;]*/, '')
      .replace(/^[\s:—–,;]+/, '')
      .replace(/^\((.*)\)\.?$/s, '$1')
      .trim();
    const events: StatementEvent[] = [];
    const targetSeverity = target !== undefined ? severityOfId(target) : undefined;
    for (const mention of mentions) {
      const merges = /^(?:merged into|folded into|consolidated into)$/i.test(marker[0]);
      // "merged into S1, the rest dropped": what the marker names comes before later words.
      const resolvedTo = merges && target !== undefined && (toIndex === Infinity || toIndex > (idMatch?.index ?? 0)) ? 'merged' : (to ?? (target !== undefined ? (merges ? 'merged' : targetSeverity) : undefined));
      const eventFrom = from ?? (mention.localId ? severityOfId(mention.localId) : undefined);
      const event: ReconciliationEvent = compact({
        agent: mention.agent,
        pass: mention.pass,
        agentLocalId: mention.localId,
        from: eventFrom,
        // "unknown" lands as the severity of the finding the event attaches to.
        to: resolvedTo ?? 'unknown',
        mergedInto: resolvedTo === 'merged' ? target : undefined,
        categoryChange: category?.[1] && category[2] ? { from: category[1].toLowerCase(), to: category[2].toLowerCase() } : undefined,
        verb: verb ?? arrowVerb(eventFrom, resolvedTo),
        reason: reason === '' ? undefined : reason,
        source: 'retro-reconciliation' as const,
        raw: sentence,
      });
      events.push(compact({ event, target }));
    }
    // "Codex S3 → S2 (+1 dup: Gemini S1)": the duplicates named after the target were merged into it.
    const dup = target !== undefined ? /\(\+\d{1,2}\s+dup(?:licate)?s?\b([^)]*)\)/i.exec(after) : null;
    for (const mention of dup?.[1] !== undefined ? mentionsIn(dup[1], aliases) : []) {
      const event: ReconciliationEvent = compact({
        agent: mention.agent,
        pass: mention.pass,
        agentLocalId: mention.localId,
        from: mention.localId ? severityOfId(mention.localId) : undefined,
        to: 'merged',
        mergedInto: target,
        verb: 'merged',
        source: 'retro-reconciliation' as const,
        raw: sentence,
      });
      events.push(compact({ event, target }));
    }
    out.push(...events);
    last = events;
    previous = mentions;
  }
  return out;
}

const SEV = '(critical|important|suggestion)';
/** What a sentence must contain for the body patterns below to match it (they are costly to try). */
const MOVED_WORDS = /^(?:demoted|downgraded|promoted|upgraded|lowered|raised) from /i;
const RATED_WORDS = /\b(?:rated|framed|flagged|filed|raised|graded|traced|classified|reported|labell?ed) (?:this|it)\b/i;

const RANK: Record<string, number> = { critical: 0, important: 1, suggestion: 2 };

/** "critical → important" reads as a downgrade, "suggestion → important" as a promotion. */
function arrowVerb(from: string | undefined, to: string | undefined): string | undefined {
  const a = from !== undefined ? RANK[from] : undefined;
  const b = to !== undefined ? RANK[to] : undefined;
  if (a === undefined || b === undefined) return undefined;
  return a === b ? 'kept' : a < b ? 'downgraded' : 'promoted';
}

/** Events told in a finding's body, landing on that finding (`severity` is its consolidated one). */
export function bodyEvents(text: string, severity: Severity): ReconciliationEvent[] {
  const out: ReconciliationEvent[] = [];
  const agent = agentMentionPattern().source;
  // Built once per body, not per sentence; the global ones are only used through
  // matchAll, which copies them. Each is tried only on sentences that have its words.
  const movedPattern = new RegExp(`^(Demoted|Downgraded|Promoted|Upgraded|Lowered|Raised) from ${agent}(?:'s)? ${SEV}(?: to ${SEV})?\\b[:.]?\\s*(.*)$`, 'is');
  const ratedPattern = new RegExp(
    `(?:originally |initially |also )?\\b(rated|framed|flagged|filed|raised|graded|traced|classified|reported|labell?ed) (?:this|it)(?: finding)?(?: as| at)? (?:an? )?${SEV}\\b`,
    'gi',
  );
  const alsoPattern = new RegExp(`${agent} independently flagged[^(]{0,200}\\(as ([CIS]\\d{1,3})\\b`, 'g');
  const all = sentences(text);
  all.forEach((sentence, index) => {
    const before = out.length;
    const moved = MOVED_WORDS.test(sentence) ? movedPattern.exec(sentence) : null;
    if (moved) {
      const ref = parseAgentRef(`${moved[2] ?? ''}${moved[3] ?? ''}`);
      if (ref) {
        out.push(
          compact({
            agent: ref,
            from: moved[4]?.toLowerCase(),
            to: moved[5]?.toLowerCase() ?? severity,
            verb: moved[1]?.toLowerCase(),
            reason: moved[6]?.trim() || undefined,
            source: 'finding-body' as const,
            raw: sentence,
          }),
        );
      }
      return;
    }
    // "Gemini graded this Critical; Codex and Claude graded it Important.": the verb
    // phrase first, then every reviewer named in its clause.
    let clauseStart = 0;
    for (const m of RATED_WORDS.test(sentence) ? sentence.matchAll(ratedPattern) : []) {
      const index = m.index ?? 0;
      const before = sentence.slice(clauseStart, index);
      const cut = Math.max(before.lastIndexOf(';'), before.lastIndexOf(':'));
      const clause = cut === -1 ? before : before.slice(cut + 1);
      const from = severityWord(m[2] ?? '');
      for (const mention of mentionsIn(clause)) {
        if (from) out.push({ agent: mention.agent, from, to: severity, verb: (m[1] ?? 'rated').toLowerCase(), source: 'finding-body', raw: sentence });
      }
      clauseStart = index + m[0].length;
    }
    for (const m of sentence.includes('independently flagged') ? sentence.matchAll(alsoPattern) : []) {
      const ref = parseAgentRef(`${m[1] ?? ''}${m[2] ?? ''}`);
      const localId = m[3];
      if (ref && localId) {
        out.push(compact({ agent: ref, agentLocalId: localId, from: severityOfId(localId), to: severity, verb: 'flagged', source: 'finding-body' as const, raw: sentence }));
      }
    }
    // "Gemini rated this critical; Codex rated it important. Claude … The actual
    // severity is important: …": the next sentence that names no reviewer gives the reason.
    const next = all.slice(index + 1, index + 3).find((s) => mentionsIn(s).length === 0);
    if (out.length > before && next !== undefined) {
      for (const event of out.slice(before)) event.reason ??= next;
    }
  });
  return out;
}
