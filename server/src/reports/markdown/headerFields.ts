/**
 * Readers for the cells of a report's header table. Each takes the cell's
 * Markdown as written and returns the normalised value with that text kept as
 * `raw`, or undefined when the cell does not say what the field expects.
 */
import type { ReviewHeader } from '../../model/review.js';
import { compact, squash, stripCode } from './text.js';

type Header = ReviewHeader;

/** `2026-04-22 15:04` → `2026-04-22T15:04`; `2026-03-20` stays a date. */
export function parseDate(cell: string): string | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(stripCode(cell));
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (h === undefined) return `${y}-${mo}-${d}`;
  if (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59)) return undefined;
  return `${y}-${mo}-${d}T${h.padStart(2, '0')}:${mi}${s !== undefined ? `:${s}` : ''}`;
}

/** A Markdown link at the start of a cell: `[text](url)`. */
function leadingLink(cell: string): { text: string; url: string; rest: string } | undefined {
  const m = /^\s*\[([^\]\n]{0,300})\]\(([^)\s]{0,500})\)/.exec(cell);
  if (!m) return undefined;
  return { text: m[1] ?? '', url: m[2] ?? '', rest: cell.slice(m[0].length).trim() };
}

/** `[owner/name](https://github.com/owner/name)` or a bare `owner/name`. */
export function parseRepository(cell: string): Header['repository'] {
  const link = leadingLink(cell);
  const slug = stripCode(link ? link.text : cell).trim();
  if (!/^[\w.-]+\/[\w.-]+$/.test(slug)) return undefined;
  return compact({ slug, url: link?.url || undefined, raw: cell.trim() });
}

/** `6`, `4 (of PR #309)`, `1 (of target)`, `2 (of pr-10280)`, `1 (of #10637)`, `1 (of inspect-tab)`. */
export function parseRound(cell: string): Header['round'] {
  const m = /^\s*(\d{1,4})\s*(?:\(\s*(?:of\s+)?([^)]*)\))?/.exec(stripCode(cell));
  if (!m) return undefined;
  const of = m[2]?.trim();
  return compact({ number: Number(m[1]), of: of || undefined, raw: cell.trim() });
}

/** `Standard`, `Thorough (2 passes)`. */
export function parseMode(cell: string): Header['mode'] {
  const text = stripCode(cell).trim();
  if (text === '') return undefined;
  const kind = (/^[A-Za-z-]+/.exec(text)?.[0] ?? text).toLowerCase();
  const passes = /(\d{1,2})\s+pass(?:es)?\b/i.exec(text);
  return compact({ kind, passes: passes ? Number(passes[1]) : undefined, raw: cell.trim() });
}

/** `[@jandubois](https://github.com/jandubois)`, `[@shikanime](…) (Gildas Le Nadan)`, `@user`, a bare name. */
export function parseAuthor(cell: string): Header['author'] {
  const raw = cell.trim();
  if (raw === '') return undefined;
  const link = leadingLink(raw);
  if (link) {
    const login = /^@?([\w-]+)$/.exec(link.text.trim())?.[1];
    const name = /^\((.*)\)$/.exec(link.rest)?.[1]?.trim();
    return compact({ login, name: name || (login ? undefined : link.text.trim()), url: link.url || undefined, raw });
  }
  const at = /^@([\w-]+)\s*(?:\((.*)\))?$/.exec(raw);
  if (at) return compact({ login: at[1], name: at[2]?.trim() || undefined, raw });
  return { name: raw, raw };
}

/** `[#336](https://github.com/o/r/pull/336) — PR title`, or `#236`. */
export function parsePr(cell: string): Header['pr'] {
  const raw = cell.trim();
  const link = leadingLink(raw);
  const numberText = link ? link.text : (/^#?\d+/.exec(raw)?.[0] ?? '');
  const m = /^#?(\d{1,9})$/.exec(numberText.trim());
  if (!m) return undefined;
  const rest = link ? link.rest : raw.slice(numberText.length).trim();
  const title = rest.replace(/^(?:—|–|--|-|:)\s*/, '').trim();
  const number = Number(m[1]);
  if (number < 1) return undefined;
  return compact({ number, url: link?.url || undefined, title: title || undefined, raw });
}

/** The repository a pull-request URL points into. */
export function repositoryFromPrUrl(url: string | undefined): Header['repository'] {
  const m = /^https?:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/pull\/\d+/.exec(url ?? '');
  return m?.[1] ? { slug: m[1], url: `https://github.com/${m[1]}` } : undefined;
}

/** `` `wait-timeout-cleanup` ``, `` `x` (reviewed against `y` base) ``, `` `main` @ `470ef45d7` ``, a bare name. */
export function parseBranch(cell: string): Header['branch'] {
  const raw = cell.trim();
  const code = /^`([^`]+)`/.exec(raw);
  const name = code ? (code[1] ?? '').trim() : (raw.split(/\s+/, 1)[0] ?? '');
  if (name === '') return undefined;
  const base = /against\s+`([^`]+)`/.exec(raw)?.[1];
  return compact({ name, base, raw });
}

/** One commit of the `Commits` cell, and whether the report marks it out of scope. */
export interface CommitEntry {
  sha: string;
  subject?: string;
  /** Written in parentheses, e.g. `_(`5d074b397` Add a language picker — PR #10623, out of scope)_`. */
  outOfScope: boolean;
}

/** Splits the `Commits` cell on `<br>` into `` `sha` subject `` entries. */
export function parseCommits(cell: string): CommitEntry[] {
  const out: CommitEntry[] = [];
  for (const piece of cell.split(/<br\s*\/?>/i)) {
    let entry = piece.trim();
    let outOfScope = false;
    const wrapped = /^[_*]?\((.*)\)[_*]?$/.exec(entry);
    if (wrapped) {
      entry = (wrapped[1] ?? '').trim();
      outOfScope = true;
    }
    const m = /^`([0-9a-fA-F]{4,40})`\s*(.*)$/.exec(entry) ?? /^([0-9a-fA-F]{7,40})\b\s*(.*)$/.exec(entry);
    if (!m) continue;
    const subject = squash(m[2] ?? '');
    out.push(compact({ sha: (m[1] ?? '').toLowerCase(), subject: subject || undefined, outOfScope }));
  }
  return out;
}

/** `` `4f25…` `` or `` `ea55274…` (agents reviewed `4f25dd6e4`; see Status) ``. */
export function parseReviewSha(cell: string): { sha: string; note?: string; raw: string } | undefined {
  const raw = cell.trim();
  const m = /^`?([0-9a-fA-F]{7,40})`?\s*(.*)$/.exec(raw);
  if (!m) return undefined;
  const note = (m[2] ?? '').trim().replace(/^\((.*)\)$/s, '$1').trim();
  return compact({ sha: (m[1] ?? '').toLowerCase(), note: note || undefined, raw });
}

const VERDICTS: ReadonlyArray<[RegExp, NonNullable<Header['verdict']>['label']]> = [
  [/^merge as[- ]is\b/i, 'merge-as-is'],
  [/^merge with optional fixes\b/i, 'merge-with-optional-fixes'],
  [/^merge with minor fixes\b/i, 'merge-with-minor-fixes'],
  [/^merge with fixes\b/i, 'merge-with-fixes'],
  [/^approve with required changes\b/i, 'approve-with-required-changes'],
  [/^rework\b/i, 'rework'],
];

/** `**Merge with fixes** — rationale`, unbolded labels, and scan verdicts such as `**28 open issues, 5 critical** — …`. */
export function parseVerdict(cell: string): Header['verdict'] {
  const raw = cell.trim();
  if (raw === '') return undefined;
  let label = raw;
  let rationale = '';
  const bold = /^\*\*(.+?)\*\*\s*(.*)$/s.exec(raw);
  if (bold) {
    label = bold[1] ?? '';
    rationale = bold[2] ?? '';
  } else {
    const dash = /\s(?:—|–|--)\s/.exec(raw);
    if (dash) {
      label = raw.slice(0, dash.index);
      rationale = raw.slice(dash.index);
    }
  }
  rationale = rationale.replace(/^\s*(?:—|–|--|-|:)\s*/, '').trim();
  const known = VERDICTS.find(([re]) => re.test(label.trim()))?.[1] ?? 'other';
  // An unknown label ("**79 failed jobs**: …") keeps the whole cell, without the bold, as rationale.
  const text = known === 'other' ? raw.replace(/^\*\*(.+?)\*\*/s, '$1').trim() : rationale;
  return compact({ label: known, rationale: text || undefined, raw });
}

/** `` `21 min 57 s` ``, `62 min 30 s`, `` `9 h 31 min 41 s` ``. */
export function parseWallClock(cell: string): Header['wallClock'] {
  const text = stripCode(cell).trim();
  // Short cells only: the optional parts below would backtrack on long runs of blanks.
  if (text.length > 40) return undefined;
  const m = /^(?:(\d{1,4})\s*h)?\s*(?:(\d{1,4})\s*min)?\s*(?:(\d{1,4})\s*s)?$/.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return { seconds, raw: cell.trim() };
}
