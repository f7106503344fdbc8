/**
 * The part of a finding's header line after its bold title:
 * `` — `path:N-M`, also `b.go:3` [Codex GPT 5.4] [Claude Opus 4.6] (important, regression) (pass 2) ``.
 * A small tokenizer (code spans, brackets, parentheses, emphasis, dashes) feeds
 * a reader that takes citations first, then agent brackets and parenthetical notes;
 * prose that follows on the same line is handed back as the start of the body.
 */
import type { AgentRef, Location, PriorRef } from '../../model/review.js';
import { parseAgentList } from './agents.js';
import { nonFile, parseBareCitations, parseCitation } from './locations.js';
import { type Tag, parsePriorRefs, parseTag } from './notes.js';

type Token =
  | { kind: 'code'; text: string; start: number; end: number }
  | { kind: 'bracket'; text: string; start: number; end: number }
  | { kind: 'link'; text: string; start: number; end: number }
  | { kind: 'paren'; text: string; raw: string; start: number; end: number }
  | { kind: 'strong'; text: string; start: number; end: number }
  | { kind: 'emph'; text: string; start: number; end: number }
  | { kind: 'dash'; text: string; start: number; end: number }
  | { kind: 'sep'; text: string; start: number; end: number }
  | { kind: 'word'; text: string; start: number; end: number };

/** What the tail of a header line says. */
export interface HeaderTail {
  locations: Location[];
  agents: AgentRef[];
  /** Parenthetical notes other than the tag, as written ("(pass 2)"). */
  notes: string[];
  tag?: Tag;
  priorRefs: PriorRef[];
  /** `**INVALID**` after a struck title. */
  invalid: boolean;
  /** `-- FIXED: …` on a struck header: the text after "FIXED:". */
  fixed?: string;
  /** Prose after the attribution, on the same line: the start of the body. */
  lead?: string;
}

/** Longer header tails are read only this far; the rest is body text (keeps scanning linear). */
const MAX_TAIL = 2000;

const JOINERS: ReadonlySet<string> = new Set(['and', 'vs', 'vs.', 'also', 'in', 'at', 'see', 'plus', 'or', '&']);
const QUALIFIERS: ReadonlySet<string> = new Set(['commit', 'pr', 'branch']);
/** Bold verdict words that mark a struck finding invalid. */
const VERDICT = /^(?:invalid|false positive|not a bug)$/i;

/** Reads the tail of a header line (the raw Markdown after the bold title). */
export function parseHeaderTail(fullTail: string): HeaderTail {
  const out: HeaderTail = { locations: [], agents: [], notes: [], priorRefs: [], invalid: false };
  const tail = fullTail.length > MAX_TAIL ? fullTail.slice(0, MAX_TAIL) : fullTail;
  const tokens = tokenize(tail);
  let phase: 'locations' | 'attribution' = 'locations';
  let pending: Token[] = [];
  const flushPending = (attach: boolean) => {
    const words = pending.filter((t) => t.kind === 'word' && !JOINERS.has(t.text.toLowerCase()));
    if (attach && words.length > 0) {
      const text = tail.slice(pending[0]?.start ?? 0, pending[pending.length - 1]?.end ?? 0);
      const bare = parseBareCitations(text);
      if (bare !== undefined) out.locations.push(...bare);
      else if (out.locations.length === 0) out.locations.push(nonFile(tail.slice(words[0]?.start ?? 0, words[words.length - 1]?.end ?? 0)));
    }
    pending = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'dash') {
      const next = tokens[i + 1];
      if (next?.kind === 'word' && /^FIXED:?$/i.test(next.text)) {
        out.fixed = tail.slice(next.end).replace(/^\s*:?\s*/, '').trim();
        break;
      }
      if (phase === 'locations' && out.locations.length === 0 && pending.length === 0) {
        // "**INVALID** — the finalizer is removed first.": after a verdict, prose is the reason.
        const after = tokens[i + 1];
        if (out.invalid && after !== undefined && after.kind !== 'code' && after.kind !== 'link') {
          out.lead = tail.slice(token.end).trim();
          break;
        }
        continue;
      }
      if (phase === 'attribution') {
        // "… **INVALID** — the finalizer is removed first.": the dash only separates.
        out.lead = tail.slice(token.end).trim();
        break;
      }
      continue;
    }
    if (token.kind === 'code' && token.text.startsWith('[') && token.text.endsWith(']')) {
      // `` `[Claude Opus 4.6]` ``: attribution written inside a code span.
      const agents = parseAgentList(token.text.slice(1, -1));
      if (agents !== undefined) {
        flushPending(true);
        phase = 'attribution';
        out.agents.push(...agents);
        continue;
      }
    }
    if (phase === 'locations') {
      if (token.kind === 'code') {
        const qualifier = pending.length > 0 ? pending[pending.length - 1] : undefined;
        if (qualifier?.kind === 'word' && QUALIFIERS.has(qualifier.text.toLowerCase())) {
          out.locations.push(nonFile(tail.slice(qualifier.start, token.end), qualifier.text.toLowerCase() === 'commit' ? token.text : undefined));
        } else {
          out.locations.push(parseCitation(token.text, out.locations[out.locations.length - 1]));
        }
        pending = [];
        continue;
      }
      if (token.kind === 'link') {
        const cited = linkCitation(token.text, tokens, i);
        if (cited !== undefined) {
          out.locations.push(parseCitation(cited.text, out.locations[out.locations.length - 1]));
          pending = [];
          i = cited.last;
          continue;
        }
      }
      if (token.kind === 'word') {
        pending.push(token);
        continue;
      }
      if (token.kind === 'sep') continue;
      if (token.kind === 'strong' && VERDICT.test(token.text.trim()) && out.locations.length === 0 && pending.length === 0) {
        // `~~**Title**~~ **INVALID** — `path:149` (important, regression) [Gemini]`: the verdict
        // word stands before the citations, which still follow.
        out.invalid = true;
        continue;
      }
      flushPending(true);
      phase = 'attribution';
    }
    switch (token.kind) {
      case 'bracket': {
        const agents = parseAgentList(token.text);
        if (agents !== undefined) out.agents.push(...agents);
        else out.notes.push(`[${token.text}]`);
        break;
      }
      case 'paren':
        readParen(token.text, token.raw, out);
        break;
      case 'emph':
        if (token.text.startsWith('(') && token.text.endsWith(')')) readParen(token.text.slice(1, -1), token.text, out);
        else out.notes.push(token.text);
        break;
      case 'strong':
        if (VERDICT.test(token.text.trim())) out.invalid = true;
        else {
          out.lead = tail.slice(token.start).trim();
          i = tokens.length;
        }
        break;
      case 'link':
        break;
      case 'sep':
        if (token.text === ',' || token.text === ';') break;
        out.lead = tail.slice(token.start).replace(/^[.:]\s*/, '').trim() || undefined;
        i = tokens.length;
        break;
      default:
        out.lead = tail.slice(token.start).trim();
        i = tokens.length;
    }
  }
  if (phase === 'locations') flushPending(true);
  if (tail.length < fullTail.length) out.lead = `${out.lead ?? ''}${fullTail.slice(tail.length)}`;
  if (out.lead === '') delete out.lead;
  return out;
}

/**
 * A citation written as a Markdown link: `[path](/abs/path/to/file):N-M`,
 * `[file.go:68](/Users/…/file.go#L68)`. The label is the path as the report
 * means it (the target is the reviewer's machine); lines come from the label,
 * else from a `:N-M` right after the link, else from a `#L10-L20` anchor.
 */
function linkCitation(link: string, tokens: readonly Token[], index: number): { text: string; last: number } | undefined {
  const m = /^\[`?([^\]`]+)`?\]\(([^)\s]*)\)$/.exec(link);
  if (!m?.[1]) return undefined;
  const label = m[1].trim();
  if (!/^[\w./-]+(?::[\d,\s–-]+)?$/.test(label) || !/[./]/.test(label)) return undefined;
  if (/:\d/.test(label)) return { text: label, last: index };
  const colon = tokens[index + 1];
  const lines = tokens[index + 2];
  if (colon?.kind === 'sep' && colon.text === ':' && colon.start === tokens[index]!.end && lines?.kind === 'word' && /^\d+(?:[-–]\d+)?(?:,\d+(?:[-–]\d+)?)*$/.test(lines.text)) {
    return { text: `${label}:${lines.text}`, last: index + 2 };
  }
  const anchor = /#L(\d+)(?:-L?(\d+))?$/.exec(m[2] ?? '');
  if (anchor?.[1]) return { text: `${label}:${anchor[1]}${anchor[2] ? `-${anchor[2]}` : ''}`, last: index };
  return { text: label, last: index };
}

function readParen(inner: string, raw: string, out: HeaderTail): void {
  // "(pass 2: [Claude Opus 4.6])": agents qualified by what precedes them.
  const bracket = /\[([^\]]*)\]/.exec(inner);
  if (bracket?.[1] !== undefined) {
    const qualifier = inner.slice(0, bracket.index).replace(/[:\s]+$/, '').trim();
    const agents = parseAgentList(bracket[1], qualifier || undefined);
    if (agents !== undefined) {
      out.agents.push(...agents);
      if (qualifier) out.notes.push(`(${qualifier})`);
      return;
    }
  }
  const tag = out.tag === undefined ? parseTag(inner, raw) : undefined;
  if (tag !== undefined) out.tag = tag;
  else out.notes.push(raw);
  out.priorRefs.push(...parsePriorRefs(inner, raw));
  // "(deleted lines per diff vs `27b856a46:scripts/dependencies/lima.ts:168-172`)": a
  // commit-qualified citation inside a note still names a place in the code.
  for (const m of inner.matchAll(/`([0-9a-f]{7,40}:[^`\s]+)`/g)) {
    const location = parseCitation(m[1] ?? '');
    if (location.pathKind === 'commit-qualified') out.locations.push(location);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === '`') {
      const close = closeCode(text, i);
      if (close !== undefined) {
        tokens.push({ kind: 'code', text: text.slice(close.innerStart, close.innerEnd).trim(), start, end: close.end });
        i = close.end;
        continue;
      }
    } else if (c === '[') {
      const close = matching(text, i, '[', ']');
      if (close !== -1) {
        if (text[close + 1] === '(') {
          const linkEnd = matching(text, close + 1, '(', ')');
          if (linkEnd !== -1) {
            tokens.push({ kind: 'link', text: text.slice(i, linkEnd + 1), start, end: linkEnd + 1 });
            i = linkEnd + 1;
            continue;
          }
        }
        tokens.push({ kind: 'bracket', text: text.slice(i + 1, close), start, end: close + 1 });
        i = close + 1;
        continue;
      }
    } else if (c === '(') {
      const close = matching(text, i, '(', ')');
      if (close !== -1) {
        tokens.push({ kind: 'paren', text: text.slice(i + 1, close), raw: text.slice(i, close + 1), start, end: close + 1 });
        i = close + 1;
        continue;
      }
    } else if (c === '*' || c === '_') {
      const double = text[i + 1] === c;
      const marker = double ? c + c : c;
      if (!double && text[i + 1] === '(') {
        const close = matching(text, i + 1, '(', ')');
        if (close !== -1 && text[close + 1] === c) {
          tokens.push({ kind: 'emph', text: text.slice(i + 1, close + 1), start, end: close + 2 });
          i = close + 2;
          continue;
        }
      }
      const close = text.indexOf(marker, i + marker.length);
      if (close > i + marker.length) {
        tokens.push({ kind: double ? 'strong' : 'emph', text: text.slice(i + marker.length, close), start, end: close + marker.length });
        i = close + marker.length;
        continue;
      }
    } else if (c === '—' || c === '–') {
      tokens.push({ kind: 'dash', text: c, start, end: i + 1 });
      i++;
      continue;
    } else if (c === '-' && text[i + 1] === '-') {
      let j = i;
      while (text[j] === '-') j++;
      tokens.push({ kind: 'dash', text: text.slice(i, j), start, end: j });
      i = j;
      continue;
    } else if (c === ',' || c === ';' || c === '+' || c === '.' || c === ':' || c === '…' || c === '~') {
      let j = i + 1;
      while (j < text.length && text[j] === c) j++;
      tokens.push({ kind: 'sep', text: text.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    let j = i + 1;
    while (j < text.length && !' \t\n\r`[(*,;~'.includes(text[j] as string)) j++;
    // A trailing full stop belongs to the sentence, not the word ("vs." excepted).
    let wordEnd = j;
    if (text[wordEnd - 1] === '.' && wordEnd - 1 > i && text.slice(i, wordEnd).toLowerCase() !== 'vs.') wordEnd--;
    tokens.push({ kind: 'word', text: text.slice(i, wordEnd), start, end: wordEnd });
    i = wordEnd;
  }
  return tokens;
}

/** The end of a code span opening at `i`: a run of as many backticks. */
function closeCode(text: string, i: number): { innerStart: number; innerEnd: number; end: number } | undefined {
  let n = 0;
  while (text[i + n] === '`') n++;
  let j = i + n;
  while (j < text.length) {
    const k = text.indexOf('`', j);
    if (k === -1) return undefined;
    let m = 0;
    while (text[k + m] === '`') m++;
    if (m === n) return { innerStart: i + n, innerEnd: k, end: k + m };
    j = k + m;
  }
  return undefined;
}

/** Index of the bracket closing the one at `i`, skipping code spans; -1 when unbalanced. */
function matching(text: string, i: number, open: string, close: string): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (c === '`') {
      const code = closeCode(text, j);
      if (code !== undefined) {
        j = code.end;
        continue;
      }
    } else if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return j;
    }
    j++;
  }
  return -1;
}
