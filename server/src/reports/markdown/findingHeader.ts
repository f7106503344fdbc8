/**
 * Recognises the header of a consolidated finding in its three id styles and
 * their struck-through forms, using the mdast of the header paragraph:
 *
 * - lettered: `` I1. **title** — `loc` [agents] `` (a paragraph);
 * - numbered: `` 1. **title** — `loc` [agents] (important, regression) `` (an ordered list item);
 * - bracketed: `**[CRITICAL] file:line — title** [agents]` (a paragraph);
 * - struck: `~~2. **title** -- FIXED: …~~`, `2. ~~**title**~~ **INVALID** — …`.
 */
import type { Delete, ListItem, Paragraph, PhrasingContent, Strong } from 'mdast';
import type { Location, Severity } from '../../model/review.js';
import { type HeaderTail, parseHeaderTail } from './headerTail.js';
import { parsePlainCitations } from './locations.js';
import { type Part, endOf, lineEndAt, plainText, startOf } from './source.js';
import { severityWord } from './text.js';

/** A recognised finding header. */
export interface FindingHeader {
  style: 'letter' | 'number' | 'bracket';
  /** "I1" for lettered findings. */
  letterId?: string;
  /** The written number of a numbered finding. */
  number?: number;
  /** Severity written in a bracketed header. */
  bracketSeverity?: Severity;
  /** Title as Markdown. */
  title: string;
  /** Citations written inside a bracketed title. */
  titleLocations: Location[];
  /** The whole header is struck through. */
  struck: boolean;
  /** Only the title is struck through. */
  titleStruck: boolean;
  /** No bold title was found; the title was read from plain text. */
  titleless: boolean;
  tail: HeaderTail;
  /** Absolute offsets of the header line (including a list marker). */
  start: number;
  end: number;
}

/** Where a candidate paragraph sits. */
export interface HeaderContext {
  /** The list item holding the paragraph, for numbered findings. */
  item?: ListItem;
}

const LETTER_ID = /^([CIS])(\d{1,3})\.(?:\s+|$)/;
const BRACKET = /^\[(CRITICAL|IMPORTANT|SUGGESTION)S?\]\s*/i;

/** Reads a finding header from a paragraph; undefined when the paragraph is not one. */
export function readFindingHeader(part: Part, paragraph: Paragraph, context: HeaderContext = {}): FindingHeader | undefined {
  const children = paragraph.children;
  const first = children[0];
  if (first === undefined) return undefined;
  const lineEnd = lineEndAt(part.source, startOf(part, paragraph));
  const start = context.item ? startOf(part, context.item) : startOf(part, paragraph);
  const at = { part, start, lineEnd };

  // ~~2. **title** -- FIXED: …~~ (the whole header struck)
  if (first.type === 'delete') {
    const inner = first.children;
    const lead = inner[0];
    const strong = inner[1];
    if (lead?.type === 'text' && strong?.type === 'strong') {
      const id = /^\s*(?:(\d{1,3})|([CIS]\d{1,3}))\.\s+$/.exec(lead.value);
      if (!id) return undefined;
      const written = id[2] ? { letterId: id[2].toUpperCase() } : { number: Number(id[1]) };
      return fromBold(at, strong, endOf(part, strong), Math.min(endOf(part, first) - 2, lineEnd), written, { struck: true });
    }
    // 2. ~~**title**~~ **INVALID** — … (only the title struck)
    if (context.item && lead?.type === 'strong' && inner.length === 1) {
      return fromBold(at, lead, endOf(part, first), lineEnd, { number: listNumber(part, context.item) }, { titleStruck: true });
    }
    return undefined;
  }

  // I1. **title** …
  if (first.type === 'text') {
    const id = LETTER_ID.exec(first.value);
    if (!id) return undefined;
    const letterId = `${id[1]}${id[2]}`.toUpperCase();
    const second = children[1];
    if (first.value.length === id[0].length && second?.type === 'strong') {
      return fromBold(at, second, endOf(part, second), lineEnd, { letterId });
    }
    // A lettered id with no bold title: read the title up to the dash.
    const line = part.source.text.slice(startOf(part, first) + id[0].length, lineEnd);
    const dash = /\s(?:—|–|--)\s/.exec(line);
    return {
      style: 'letter',
      letterId,
      title: (dash ? line.slice(0, dash.index) : line).trim(),
      titleLocations: [],
      struck: false,
      titleStruck: false,
      titleless: true,
      tail: parseHeaderTail(dash ? line.slice(dash.index) : ''),
      start,
      end: lineEnd,
    };
  }

  // **[CRITICAL] file:line — title**, **I1. title**, or 1. **title** in an ordered list
  if (first.type !== 'strong') return undefined;
  const number = context.item ? listNumber(part, context.item) : undefined;
  const header = fromBold(at, first, endOf(part, first), lineEnd, number !== undefined ? { number } : {});
  if (header?.style === 'number' && !looksLikeAttribution(part.source.text.slice(endOf(part, first), lineEnd))) return undefined;
  return header;
}

/**
 * Reads a finding header from a single line without the Markdown parser: the
 * agents' own findings in the appendix are found line by line, and parsing each
 * would cost more than the rest of the report. The bold title is found by
 * scanning for its closing `**` outside code spans, as CommonMark would.
 */
export function readHeaderLine(line: string): LineHeader | undefined {
  let rest = line.trim();
  const written: WrittenId = {};
  const lettered = LETTER_ID.exec(rest);
  const numbered = lettered ? null : /^(\d{1,3})[.)]\s+/.exec(rest);
  if (lettered) {
    written.letterId = `${lettered[1]}${lettered[2]}`.toUpperCase();
    rest = rest.slice(lettered[0].length);
  } else if (numbered) {
    written.number = Number(numbered[1]);
    rest = rest.slice(numbered[0].length);
  }
  const marker = rest.slice(0, 2);
  if (marker !== '**' && marker !== '__') return undefined;
  const close = closingBold(rest, marker);
  if (close === -1) return undefined;
  const tail = rest.slice(close + 2);
  const header = interpret(rest.slice(2, close), tail, written);
  if (header?.style === 'number' && !looksLikeAttribution(tail)) return undefined;
  return header;
}

/** A finding header read from its bold title and the text after it. */
export type LineHeader = Pick<FindingHeader, 'style' | 'letterId' | 'number' | 'bracketSeverity' | 'title' | 'titleLocations' | 'tail'>;

/** The id written before the bold title, if any. */
type WrittenId = { letterId?: string; number?: number };

/**
 * The header a bold title and its tail make, whichever reader found them:
 * `[CRITICAL] file:line — title` (bracketed), `I1. title` inside the bold
 * (possibly swallowing `` — `loc` (tag) ``), or a title after a written id.
 */
function interpret(bold: string, tailText: string, written: WrittenId): LineHeader | undefined {
  let title = bold.trim();
  let tail = parseHeaderTail(tailText);
  const bracket = BRACKET.exec(title);
  if (bracket) {
    const inner = title.slice(bracket[0].length);
    const dash = /\s(?:—|–|--)\s/.exec(inner);
    return {
      style: 'bracket',
      bracketSeverity: severityWord(bracket[1] ?? ''),
      title: (dash ? inner.slice(dash.index + dash[0].length) : inner).trim(),
      titleLocations: dash ? parsePlainCitations(inner.slice(0, dash.index)) : [],
      tail,
    };
  }
  let letterId = written.letterId;
  const inside = letterId === undefined && written.number === undefined ? LETTER_ID.exec(title) : null;
  if (inside) {
    letterId = `${inside[1]}${inside[2]}`.toUpperCase();
    title = title.slice(inside[0].length).trim();
  }
  if (inside || (tailText.trim() === '' && (letterId !== undefined || written.number !== undefined))) {
    // The bold swallowed the tail: `**S1. title — `loc` (suggestion, gap)**`, `1. **title — `loc` (important, regression)**`.
    const swallowed = /\s(?:—|–|--)\s+(?=`|\[[^\]]*\]\()/.exec(title);
    if (swallowed) {
      tail = mergeTails(parseHeaderTail(title.slice(swallowed.index)), tail);
      title = title.slice(0, swallowed.index).trim();
    }
  }
  if (letterId !== undefined) return { style: 'letter', letterId, title, titleLocations: [], tail };
  if (written.number !== undefined) return { style: 'number', number: written.number, title, titleLocations: [], tail };
  return undefined;
}

/** A header from a bold node of the mdast: its Markdown between the markers, and the tail up to `tailEnd`. */
function fromBold(
  at: { part: Part; start: number; lineEnd: number },
  strong: Strong | Delete | PhrasingContent,
  tailStart: number,
  tailEnd: number,
  written: WrittenId,
  marks: { struck?: boolean; titleStruck?: boolean } = {},
): FindingHeader | undefined {
  const { part, start, lineEnd } = at;
  const raw = part.source.text.slice(startOf(part, strong), endOf(part, strong));
  // The title is the Markdown between the bold markers (`**` or `__`).
  const bold = raw.length >= 4 ? raw.slice(2, -2) : plainText(strong);
  // A title wrapped onto a second line moves the end of the header line with it.
  const end = Math.max(lineEnd, lineEndAt(part.source, tailStart));
  const header = interpret(bold, part.source.text.slice(tailStart, tailEnd < tailStart ? end : tailEnd), written);
  if (header === undefined) return undefined;
  return { ...header, struck: marks.struck ?? false, titleStruck: marks.titleStruck ?? false, titleless: false, start, end };
}

/**
 * What may follow a numbered finding's bold title: nothing, a dash, an agent
 * bracket, a parenthesis or an italic note. A colon ("**Hardcoded directory**: …")
 * marks a bold lead-in of an ordinary list item instead.
 */
function looksLikeAttribution(tail: string): boolean {
  const t = tail.trimStart();
  return t === '' || /^(?:—|–|--|\[|\(|`\[|\*\(|_\(|~~)/.test(t);
}

/** The number written in a list item's marker ("12." → 12). */
function listNumber(part: Part, item: ListItem): number | undefined {
  const m = /^\s*(\d{1,9})[.)]/.exec(part.source.text.slice(startOf(part, item), startOf(part, item) + 12));
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/** A tail read from inside the bold title, followed by the tail after it. */
function mergeTails(inner: HeaderTail, outer: HeaderTail): HeaderTail {
  const merged: HeaderTail = {
    locations: [...inner.locations, ...outer.locations],
    agents: [...inner.agents, ...outer.agents],
    notes: [...inner.notes, ...outer.notes],
    priorRefs: [...inner.priorRefs, ...outer.priorRefs],
    invalid: inner.invalid || outer.invalid,
  };
  const tag = inner.tag ?? outer.tag;
  if (tag) merged.tag = tag;
  const lead = outer.lead ?? inner.lead;
  if (lead) merged.lead = lead;
  return merged;
}

/** Index of the bold marker closing the one at the start of `text`, outside code spans; -1 when none. */
function closingBold(text: string, marker: string): number {
  let i = 2;
  while (i < text.length) {
    if (text[i] === '`') {
      let n = 0;
      while (text[i + n] === '`') n++;
      const end = text.indexOf('`'.repeat(n), i + n);
      i = end === -1 ? i + n : end + n;
      continue;
    }
    if (text.startsWith(marker, i) && text[i + 2] !== marker[0]) return i;
    i++;
  }
  return -1;
}
