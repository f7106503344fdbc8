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

  // ~~2. **title** -- FIXED: …~~ (the whole header struck)
  if (first.type === 'delete') {
    const inner = first.children;
    const lead = inner[0];
    const strong = inner[1];
    if (lead?.type === 'text' && strong?.type === 'strong') {
      const id = /^\s*(?:(\d{1,3})|([CIS]\d{1,3}))\.\s+$/.exec(lead.value);
      if (id) {
        const tailEnd = Math.min(endOf(part, first) - 2, lineEnd);
        return build(part, strong, endOf(part, strong), tailEnd, start, lineEnd, {
          style: id[2] ? 'letter' : 'number',
          ...(id[2] ? { letterId: id[2].toUpperCase() } : { number: Number(id[1]) }),
          struck: true,
        });
      }
    }
    // 2. ~~**title**~~ **INVALID** — … (only the title struck)
    if (context.item && lead?.type === 'strong' && inner.length === 1) {
      return build(part, lead, endOf(part, first), lineEnd, start, lineEnd, {
        style: 'number',
        number: listNumber(part, context.item),
        titleStruck: true,
      });
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
      return build(part, second, endOf(part, second), lineEnd, start, lineEnd, { style: 'letter', letterId });
    }
    // A lettered id with no bold title: read the title up to the dash.
    const textStart = startOf(part, first) + id[0].length;
    const line = part.source.text.slice(textStart, lineEnd);
    const dash = /\s(?:—|–|--)\s/.exec(line);
    const title = (dash ? line.slice(0, dash.index) : line).trim();
    return {
      style: 'letter',
      letterId,
      title,
      titleLocations: [],
      struck: false,
      titleStruck: false,
      titleless: true,
      tail: parseHeaderTail(dash ? line.slice(dash.index) : ''),
      start,
      end: lineEnd,
    };
  }

  if (first.type !== 'strong') return undefined;
  const strongText = plainText(first);
  // **[CRITICAL] file:line — title** [agents]
  const bracket = BRACKET.exec(strongText);
  if (bracket) {
    const header = build(part, first, endOf(part, first), lineEnd, start, lineEnd, {
      style: 'bracket',
      bracketSeverity: severityWord(bracket[1] ?? ''),
    });
    const inner = header.title.replace(BRACKET, '');
    const dash = /\s(?:—|–|--)\s/.exec(inner);
    if (dash) {
      header.titleLocations = parsePlainCitations(inner.slice(0, dash.index));
      header.title = inner.slice(dash.index + dash[0].length).trim();
    } else header.title = inner.trim();
    return header;
  }
  // **I1. title** (the id inside the bold), also **S1. title — `loc` (suggestion, gap)**
  const inside = LETTER_ID.exec(strongText);
  if (inside) {
    const header = build(part, first, endOf(part, first), lineEnd, start, lineEnd, {
      style: 'letter',
      letterId: `${inside[1]}${inside[2]}`.toUpperCase(),
    });
    header.title = header.title.replace(LETTER_ID, '').trim();
    const swallowed = /\s(?:—|–|--)\s+(?=`)/.exec(header.title);
    if (swallowed) {
      const inner = parseHeaderTail(header.title.slice(swallowed.index));
      header.title = header.title.slice(0, swallowed.index).trim();
      header.tail = mergeTails(inner, header.tail);
    }
    return header;
  }
  // 1. **title** — `loc` [agents] (in an ordered list)
  if (context.item) {
    const tailText = part.source.text.slice(endOf(part, first), lineEnd);
    if (!looksLikeAttribution(tailText)) return undefined;
    return build(part, first, endOf(part, first), lineEnd, start, lineEnd, { style: 'number', number: listNumber(part, context.item) });
  }
  return undefined;
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

function build(
  part: Part,
  strong: Strong | Delete | PhrasingContent,
  tailStart: number,
  tailEnd: number,
  start: number,
  lineEnd: number,
  fields: Partial<FindingHeader> & Pick<FindingHeader, 'style'>,
): FindingHeader {
  const raw = part.source.text.slice(startOf(part, strong), endOf(part, strong));
  // The title is the Markdown between the bold markers (`**` or `__`).
  const title = raw.length >= 4 ? raw.slice(2, -2).trim() : plainText(strong).trim();
  // A title wrapped onto a second line moves the end of the header line with it.
  const end = Math.max(lineEnd, lineEndAt(part.source, tailStart));
  const tail = part.source.text.slice(tailStart, tailEnd < tailStart ? end : tailEnd);
  return {
    title,
    titleLocations: [],
    struck: false,
    titleStruck: false,
    titleless: false,
    tail: parseHeaderTail(tail),
    start,
    end,
    ...fields,
  };
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

/** A finding header read from one line of text. */
export type LineHeader = Pick<FindingHeader, 'style' | 'letterId' | 'number' | 'bracketSeverity' | 'title' | 'titleLocations' | 'tail'>;

/**
 * Reads a finding header from a single line without the Markdown parser: the
 * agents' own findings in the appendix are found line by line, and parsing each
 * would cost more than the rest of the report. The bold title is found by
 * scanning for its closing `**` outside code spans, as CommonMark would.
 */
export function readHeaderLine(line: string): LineHeader | undefined {
  let rest = line.trim();
  let letterId: string | undefined;
  let number: number | undefined;
  const lettered = LETTER_ID.exec(rest);
  const numbered = lettered ? null : /^(\d{1,3})[.)]\s+/.exec(rest);
  if (lettered) {
    letterId = `${lettered[1]}${lettered[2]}`.toUpperCase();
    rest = rest.slice(lettered[0].length);
  } else if (numbered) {
    number = Number(numbered[1]);
    rest = rest.slice(numbered[0].length);
  }
  const marker = rest.slice(0, 2);
  if (marker !== '**' && marker !== '__') return undefined;
  const close = closingBold(rest, marker);
  if (close === -1) return undefined;
  let title = rest.slice(2, close).trim();
  let tail = parseHeaderTail(rest.slice(close + 2));
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
  const inside = letterId === undefined && number === undefined ? LETTER_ID.exec(title) : null;
  if (inside) {
    letterId = `${inside[1]}${inside[2]}`.toUpperCase();
    title = title.slice(inside[0].length).trim();
    const swallowed = /\s(?:—|–|--)\s+(?=`)/.exec(title);
    if (swallowed) {
      tail = mergeTails(parseHeaderTail(title.slice(swallowed.index)), tail);
      title = title.slice(0, swallowed.index).trim();
    }
  }
  if (letterId !== undefined) return { style: 'letter', letterId, title, titleLocations: [], tail };
  if (number !== undefined && looksLikeAttribution(rest.slice(close + 2))) return { style: 'number', number, title, titleLocations: [], tail };
  return undefined;
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
