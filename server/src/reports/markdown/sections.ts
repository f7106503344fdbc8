/**
 * The outline of a report's main part: title, header table, severity sections
 * (found by heading text at any level: `Critical Issues`, `### Important Findings`,
 * `## 2. Suggestions`, …) and every other section, kept as Markdown. A heading
 * that encloses severity sections (`## Consolidated Review`, `## 1. Consolidated
 * Review`, `## Findings`) is a wrapper: its subsections are read as sections of
 * their own.
 */
import type { Heading, RootContent, Table } from 'mdast';
import type { Review, Severity } from '../../model/review.js';
import { expandDeferred } from './blocks.js';
import type { SeveritySection } from './findings.js';
import { type Part, endOf, lineEndAt, plainText, startOf } from './source.js';
import { trimMarkdown } from './text.js';

type Kind = Review['kind'];

/** A non-finding section with the nodes it holds. */
export interface OutlineSection {
  heading: string;
  kind: string;
  level?: number;
  markdown: string;
  /** The section's blocks, parsed on first use where they were deferred. */
  readonly nodes: RootContent[];
  headingNode?: Heading;
  /** The parsed part the nodes belong to, when it is not the main part. */
  part?: Part;
}

/** The sections of a report's main part. */
export interface Outline {
  severitySections: SeveritySection[];
  sections: OutlineSection[];
}

const SECTION_KINDS: ReadonlyArray<[RegExp, string]> = [
  [/^executive summary\b/, 'executive-summary'],
  [/^summary$/, 'executive-summary'],
  [/^design observations?\b/, 'design-observations'],
  [/^testing assessment\b/, 'testing-assessment'],
  [/^documentation assessment\b/, 'documentation-assessment'],
  [/^commit structure\b/, 'commit-structure'],
  [/^acknowledged limitations?\b/, 'acknowledged-limitations'],
  [/^unresolved feedback\b/, 'unresolved-feedback'],
  [/^(?:agent performance )?retro\b|^agent performance\b/, 'retro'],
  [/^review process notes\b|^(?:skill )?improvement recommendations\b|^process notes\b/, 'process-notes'],
  [/^resolution\b/, 'resolution'],
  [/^status$/, 'status'],
  [/^prior[- ]round fixes\b/, 'prior-round-fixes'],
];

/** Heading text without a leading "2." number, lower-cased. */
function normalizeHeading(text: string): string {
  return text
    .trim()
    .replace(/^\d{1,2}\.\s*/, '')
    .replace(/[:.]$/, '')
    .trim()
    .toLowerCase();
}

/** The section kind a heading names ("executive-summary", …, "other"). */
export function sectionKind(text: string): string {
  const h = normalizeHeading(text);
  return SECTION_KINDS.find(([re]) => re.test(h))?.[1] ?? 'other';
}

/** The severity a heading names: "Critical Issues", "Important Findings", "Suggestions". */
export function severityHeading(text: string): Severity | undefined {
  const h = normalizeHeading(text);
  const m = /^(critical|important)(?:\s+(?:issues|findings))?$|^(suggestions?)(?:\s+(?:issues|findings))?$/.exec(h);
  if (!m) return undefined;
  return m[1] === 'critical' ? 'critical' : m[1] === 'important' ? 'important' : 'suggestion';
}

const TITLE = /^(?:deep (?:code )?review|supply[- ]chain scan|ci failures|architecture review)\b/i;

/** The document kind its title names; undefined when the title says nothing. */
export function kindFromTitle(title: string | undefined): Kind | undefined {
  if (title === undefined) return undefined;
  if (/^deep (?:code )?review\b/i.test(title)) return 'review';
  if (/^supply[- ]chain scan\b/i.test(title)) return 'supply-chain';
  if (/^ci failures\b/i.test(title)) return 'ci-failures';
  if (/^architecture review\b/i.test(title)) return 'architecture';
  return undefined;
}

/** The title line and header table at the top of the main part. */
export interface Top {
  title?: { text: string; node: Heading };
  table?: Table;
  /** Nodes before the first section heading, other than the title and table. */
  preamble: RootContent[];
  /** Index of the first section heading among the root's children. */
  bodyStart: number;
}

/** Finds the title, the header table and where the sections begin. */
export function readTop(part: Part): Top {
  const children = part.root.children;
  let i = 0;
  let title: Top['title'];
  const firstHeading = children.findIndex((n) => n.type === 'heading');
  const candidate = children[firstHeading];
  if (candidate?.type === 'heading') {
    const text = plainText(candidate).trim();
    if (candidate.depth === 1 || TITLE.test(text)) {
      title = { text, node: candidate };
      i = firstHeading + 1;
    }
  }
  let table: Table | undefined;
  const preamble: RootContent[] = [];
  const start = i;
  while (i < children.length && children[i]?.type !== 'heading') i++;
  for (const node of expandDeferred(children.slice(start, i))) {
    if (node.type === 'table' && table === undefined && title !== undefined) table = node;
    else preamble.push(node);
  }
  return { ...(title ? { title } : {}), ...(table ? { table } : {}), preamble, bodyStart: i };
}

/** Cuts the main part after its top into sections; severity sections only when `findings` is set. */
export function readSections(part: Part, bodyStart: number, findings: boolean): Pick<Outline, 'severitySections' | 'sections'> {
  const children = part.root.children;
  // `end` is the child index where a heading's section ends, `last` the position in
  // `headings` of the heading that ends it, so its subsections are headings[k + 1 .. last).
  const headings: Array<{ index: number; node: Heading; end: number; last: number; severity?: Severity }> = [];
  for (let j = bodyStart; j < children.length; j++) {
    const node = children[j];
    if (node?.type !== 'heading') continue;
    const severity = findings ? severityHeading(plainText(node)) : undefined;
    headings.push({ index: j, node, end: children.length, last: -1, ...(severity ? { severity } : {}) });
  }
  // A section ends at the next heading of the same or a higher level.
  const open: number[] = [];
  headings.forEach((h, k) => {
    h.last = headings.length;
    while (open.length > 0 && (headings[open[open.length - 1] as number]?.node.depth ?? 0) >= h.node.depth) {
      const ended = headings[open.pop() as number];
      if (ended !== undefined) {
        ended.end = h.index;
        ended.last = k;
      }
    }
    open.push(k);
  });
  // severityBefore[k]: how many of headings[0 .. k) are severity headings.
  const severityBefore = [0];
  for (const h of headings) severityBefore.push((severityBefore[severityBefore.length - 1] ?? 0) + (h.severity ? 1 : 0));
  const encloses = (k: number, h: (typeof headings)[number]) => (severityBefore[h.last] ?? 0) - (severityBefore[k + 1] ?? 0) > 0;

  const severitySections: SeveritySection[] = [];
  const sections: OutlineSection[] = [];
  // Headings whose every enclosing heading is a wrapper are sections of their own.
  const stack: Array<{ depth: number; wrapper: boolean }> = [];
  for (const [k, h] of headings.entries()) {
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= h.node.depth) stack.pop();
    const topLevel = stack.every((s) => s.wrapper);
    const wrapper = !h.severity && encloses(k, h);
    stack.push({ depth: h.node.depth, wrapper });
    if (!topLevel) continue;
    const nodes = children.slice(h.index + 1, h.end) as RootContent[];
    if (h.severity) {
      severitySections.push({ severity: h.severity, heading: h.node, nodes: expandDeferred(nodes) });
      continue;
    }
    const text = plainText(h.node).trim();
    if (wrapper) {
      // A wrapper's own text before its first subsection, if any, is kept as a section.
      const firstSub = k + 1 < h.last ? headings[k + 1] : undefined;
      const intro = children.slice(h.index + 1, firstSub?.index ?? h.end) as RootContent[];
      const markdown = sliceMarkdown(part, h.node, intro);
      if (markdown !== '') sections.push(outlineSection(text, h.node, markdown, intro));
      continue;
    }
    sections.push(outlineSection(text, h.node, sliceMarkdown(part, h.node, nodes), nodes));
  }
  return { severitySections, sections };
}

/**
 * A section whose blocks are parsed only when something reads its nodes: most
 * sections are kept as Markdown only, sliced from the text.
 */
function outlineSection(heading: string, node: Heading, markdown: string, blocks: RootContent[]): OutlineSection {
  let nodes: RootContent[] | undefined;
  return {
    heading,
    kind: sectionKind(heading),
    level: node.depth,
    markdown,
    get nodes() {
      return (nodes ??= expandDeferred(blocks));
    },
    headingNode: node,
  };
}

/**
 * The Markdown of a section: from the end of its heading line to the end of its
 * last node (a deferred block ends at its last character that is not blank,
 * which gives the same Markdown).
 */
export function sliceMarkdown(part: Part, heading: Heading, nodes: readonly RootContent[]): string {
  const last = nodes[nodes.length - 1];
  if (last === undefined) return '';
  const from = lineEndAt(part.source, Math.max(startOf(part, heading), endOf(part, heading) - 1));
  return trimMarkdown(part.source.text.slice(from, endOf(part, last)));
}
