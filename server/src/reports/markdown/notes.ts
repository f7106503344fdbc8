/**
 * Parenthetical notes of a finding: `(severity, category)` tags wherever they
 * appear, and references to findings of earlier rounds such as
 * `(round 5 S2 unaddressed)`, `(Round 4 S2/S4 unaddressed)` or `(extends round 2 S2)`.
 */
import type { PriorRef, Severity } from '../../model/review.js';
import { severityWord } from './text.js';

/** A `(severity, category …)` tag. */
export interface Tag {
  severity?: Severity;
  category?: string;
  /** The tag as written, with its parentheses. */
  raw: string;
}

const BARE_CATEGORIES: ReadonlySet<string> = new Set(['regression', 'gap', 'enhancement', 'documentation']);

/**
 * Reads a tag from the inside of a parenthesis: "important, regression — `Classify` is new",
 * "suggestion, gap.", "suggestion, code clarity", or a bare "gap". Undefined when it is another note.
 */
export function parseTag(inner: string, raw: string): Tag | undefined {
  const head = inner.split(/[—–;]/, 1)[0] ?? '';
  const items = head.split(',').map((s) => s.trim().replace(/\.$/, '').trim());
  const first = items[0] ?? '';
  const severity = severityWord(first);
  if (severity === undefined) {
    const bare = first.toLowerCase();
    return items.length === 1 && BARE_CATEGORIES.has(bare) ? { category: bare, raw } : undefined;
  }
  const second = items[1]?.toLowerCase();
  const category = second !== undefined && /^[a-z][a-z -]{0,30}$/.test(second) && !/\bround\b/.test(second) ? second : undefined;
  return { severity, ...(category ? { category } : {}), raw };
}

/** Finds a tag at the end of a paragraph's text ("… at much smaller values. (critical, regression)"). */
export function trailingTag(text: string): Tag | undefined {
  const t = text.trimEnd().replace(/\.$/, '').trimEnd();
  if (!t.endsWith(')')) return undefined;
  const open = t.lastIndexOf('(');
  if (open === -1) return undefined;
  return parseTag(t.slice(open + 1, -1), t.slice(open));
}

/** Finds a tag at the start of a paragraph's text ("(important, regression)\nThe code …"). */
export function leadingTag(text: string): Tag | undefined {
  const t = text.trimStart();
  if (!t.startsWith('(')) return undefined;
  const close = t.indexOf(')');
  if (close === -1) return undefined;
  return parseTag(t.slice(1, close), t.slice(0, close + 1));
}

const RELATIONS: ReadonlyArray<[RegExp, PriorRef['relation']]> = [
  [/partially\s+unaddressed/i, 'partially-unaddressed'],
  [/unaddressed/i, 'unaddressed'],
  [/deferred/i, 'deferred'],
  [/\bextends\b/i, 'extends'],
  [/regress|reintroduc/i, 'regressed'],
  [/declined/i, 'declined'],
  [/\bfixed\b/i, 'fixed'],
];

/** References to earlier rounds in one note; `raw` is the note as written. */
export function parsePriorRefs(note: string, raw: string): PriorRef[] {
  const relation = RELATIONS.find(([re]) => re.test(note))?.[1] ?? 'related';
  const out: PriorRef[] = [];
  for (const m of note.matchAll(/\b(?:round|R)[ -]?(\d{1,3})(?:'s)?[ -]+([CIS]\d{1,3}(?:\s*\/\s*[CIS]\d{1,3})*)\b/gi)) {
    const round = Number(m[1]);
    for (const id of (m[2] ?? '').split('/')) {
      const localId = id.trim().toUpperCase();
      if (!out.some((r) => r.round === round && r.localId === localId)) out.push({ round, localId, relation, raw });
    }
  }
  return out;
}
