/**
 * The consolidated findings of one severity section: finds each finding's header
 * among the section's blocks, gathers its body up to the next finding, a `---`
 * separator or a heading, and builds the model's Finding. Text in the section
 * that looks like a finding but cannot be read becomes a problem at its place.
 */
import type { Heading, ListItem, RootContent } from 'mdast';
import type { Finding, Location, Severity } from '../../model/review.js';
import type { ReportProblem } from '../readResult.js';
import { readBody } from './body.js';
import { type FindingHeader, readFindingHeader } from './findingHeader.js';
import { parsePriorRefs } from './notes.js';
import { type Part, endOf, lineAt, plainText, startOf } from './source.js';
import { compact, dedent, trimMarkdown } from './text.js';

/** A severity section of the report body. */
export interface SeveritySection {
  severity: Severity;
  heading: Heading;
  /** The blocks between the heading and the end of the section. */
  nodes: RootContent[];
}

/** A finding read from a section, before ids are made unique across the report. */
export interface ReadFinding {
  finding: Finding;
  /** Absolute offsets of the finding, for problems. */
  start: number;
  end: number;
}

type Unit = { node: RootContent | ListItem; header?: FindingHeader };

/** Reads the findings of one severity section. */
export function readSectionFindings(part: Part, section: SeveritySection, problems: ReportProblem[]): ReadFinding[] {
  const units = toUnits(part, section.nodes);
  const drafts: Array<{ header: FindingHeader; unit: Unit; body: RootContent[] }> = [];
  const loose: Unit[] = [];
  let current: (typeof drafts)[number] | undefined;
  for (const unit of units) {
    if (unit.header) {
      current = { header: unit.header, unit, body: [] };
      drafts.push(current);
      continue;
    }
    const type = unit.node.type;
    if (type === 'thematicBreak' || type === 'heading') {
      current = undefined;
      continue;
    }
    if (current) current.body.push(unit.node);
    else loose.push(unit);
  }

  let saysNone = false;
  for (const unit of loose) {
    const text = plainText(unit.node).trim();
    if (/^(?:none|n\/a|no (?:critical|important)?\s*(?:issues|findings|suggestions)\b)/i.test(text)) {
      saysNone = true;
      continue;
    }
    if (looksLikeFinding(part, unit.node)) {
      problems.push(
        problemAt(
          part,
          unit.node,
          'warning',
          'finding-syntax',
          `This looks like ${section.severity === 'important' ? 'an' : 'a'} ${section.severity} finding, but its header could not be read. Expected a line such as "I1. **Title** — \`path/to/file.go:10-20\` [Claude Opus 4.7]".`,
        ),
      );
    }
  }
  if (drafts.length === 0 && !saysNone && units.some((u) => u.node.type !== 'thematicBreak')) {
    problems.push(
      problemAt(part, section.heading, 'warning', 'no-findings', `No findings could be read under "${plainText(section.heading).trim()}".`),
    );
  }

  const out: ReadFinding[] = [];
  drafts.forEach((draft, index) => {
    try {
      out.push(buildFinding(part, section.severity, draft.header, draft.unit, draft.body, index + 1, problems));
    } catch (error) {
      // One unreadable finding must not hide the others.
      problems.push({
        severity: 'error',
        code: 'finding-failed',
        message: `This finding could not be read: ${(error as Error).message}`,
        offset: draft.header.start,
        length: Math.max(0, draft.header.end - draft.header.start),
      });
    }
  });
  return out;
}

function toUnits(part: Part, nodes: readonly RootContent[]): Unit[] {
  const units: Unit[] = [];
  let style: FindingHeader['style'] | undefined;
  // Once a section's findings are lettered, a numbered list is part of a body
  // ("Fix options, in order of preference: 1. …"), never a new finding.
  const accept = (header: FindingHeader | undefined): FindingHeader | undefined => {
    if (header === undefined) return undefined;
    if (style === 'letter' && header.style === 'number') return undefined;
    style ??= header.style;
    return header;
  };
  for (const node of nodes) {
    if (node.type === 'list' && node.ordered) {
      const headers = node.children.map((item) => {
        const p = item.children[0];
        return p?.type === 'paragraph' ? readFindingHeader(part, p, { item }) : undefined;
      });
      if (headers.some((h) => h !== undefined) && !(style === 'letter')) {
        node.children.forEach((item, i) => {
          const header = accept(headers[i]);
          units.push(header ? { node: item, header } : { node: item });
        });
        continue;
      }
    }
    const header = node.type === 'paragraph' ? accept(readFindingHeader(part, node)) : undefined;
    units.push(header ? { node, header } : { node });
  }
  return units;
}

function buildFinding(
  part: Part,
  severity: Severity,
  header: FindingHeader,
  unit: Unit,
  following: RootContent[],
  ordinal: number,
  problems: ReportProblem[],
): ReadFinding {
  const text = part.source.text;
  const bodyNodes: RootContent[] = unit.node.type === 'listItem' ? [...(unit.node.children.slice(1) as RootContent[]), ...following] : following;
  const lastNode = bodyNodes[bodyNodes.length - 1];
  const end = Math.max(endOf(part, unit.node), lastNode ? endOf(part, lastNode) : 0, header.end);
  const rest = trimMarkdown(dedent(text.slice(header.end, end)));
  const tail = header.tail;
  const body = [tail.lead, rest].filter((s) => s !== undefined && s !== '').join('\n');
  const info = readBody(part, bodyNodes, severity, tail.lead);

  const locations: Location[] = [...header.titleLocations, ...tail.locations];
  const quoted = info.snippet ? snippetLocation(locations, info.snippet) : undefined;
  if (info.snippet && quoted !== undefined) locations[quoted] = { ...(locations[quoted] as Location), anchorText: anchorText(info.snippet.text) };

  const tag = tail.tag ?? info.tag;
  const priorRefs = [...tail.priorRefs];
  for (const ref of info.priorRefs) if (!priorRefs.some((r) => r.round === ref.round && r.localId === ref.localId)) priorRefs.push(ref);
  if (tail.tag === undefined && info.tag !== undefined) {
    // A body tag may repeat a header note's reference ("(round 2 S3 unaddressed)").
    for (const ref of parsePriorRefs(info.tag.raw, info.tag.raw)) {
      if (!priorRefs.some((r) => r.round === ref.round && r.localId === ref.localId)) priorRefs.push(ref);
    }
  }

  let struck: Finding['struck'];
  if (header.struck) struck = compact({ kind: 'struck' as const, reason: tail.fixed !== undefined ? `FIXED: ${tail.fixed}` : undefined });
  else if (tail.invalid) struck = compact({ kind: 'invalid' as const, reason: tail.lead });
  else if (header.titleStruck) struck = { kind: 'struck' };
  else if (info.withdrawn !== undefined) struck = { kind: 'withdrawn', reason: info.withdrawn };

  const resolution = tail.fixed !== undefined ? compact({ action: 'fixed' as const, raw: `FIXED: ${tail.fixed}`, reason: tail.fixed || undefined }) : info.mark;

  const id =
    header.style === 'letter' && header.letterId !== undefined
      ? header.letterId
      : header.style === 'number' && header.number !== undefined
        ? `${severity}-${header.number}`
        : `${severity}-${ordinal}`;

  if (header.titleless) {
    problems.push({
      severity: 'warning',
      code: 'finding-title',
      message:
        header.title === ''
          ? `Finding ${id} has no title. Write it in bold after the id: "${id}. **Title** — \`path:line\` [Agent]".`
          : `Finding ${id} has no bold title; its title was read as "${header.title}". Write it as "${id}. **Title** — \`path:line\` [Agent]".`,
      offset: header.start,
      length: header.end - header.start,
    });
  }

  const finding: Finding = compact({
    id,
    severity,
    category: tag?.category,
    tagRaw: tag?.raw,
    notes: tail.notes,
    title: header.title,
    agents: tail.agents,
    locations,
    body,
    snippet: info.snippet,
    blocks: info.blocks,
    fix: info.fix,
    reconciliation: info.events,
    priorRefs,
    resolution,
    struck,
    ordinal,
    idStyle: header.style,
    span: { startLine: lineAt(part.source, header.start), endLine: lineAt(part.source, Math.max(header.start, end - 1)) },
    raw: text.slice(header.start, header.end),
  });
  return { finding, start: header.start, end };
}

/** File extensions the language of a fence quotes. */
const LANGUAGE_FILES: Record<string, RegExp> = {
  go: /\.go$/,
  ts: /\.(?:ts|tsx|mts|cts)$/,
  typescript: /\.(?:ts|tsx|mts|cts)$/,
  js: /\.(?:js|jsx|mjs|cjs)$/,
  javascript: /\.(?:js|jsx|mjs|cjs)$/,
  vue: /\.vue$/,
  bash: /\.(?:sh|bash|bats)$|(?:^|\/)[^./]+$/,
  sh: /\.(?:sh|bash|bats)$|(?:^|\/)[^./]+$/,
  bats: /\.bats$/,
  yaml: /\.ya?ml$/,
  yml: /\.ya?ml$/,
  xml: /\.xml$/,
  powershell: /\.ps1$/,
  pwsh: /\.ps1$/,
  json: /\.json$/,
  md: /\.md$/,
  markdown: /\.md$/,
  scss: /\.scss$/,
  html: /\.html?$/,
  makefile: /(?:^|\/)(?:GNU)?[Mm]akefile$|\.mk$/,
};

/**
 * Which cited location a quoted snippet belongs to: the one its path comment
 * names, else the only one in the fence's language, else the one whose range
 * has the snippet's length; the first when nothing tells them apart.
 */
function snippetLocation(locations: readonly Location[], snippet: { text: string; lang?: string }): number | undefined {
  const files = locations.map((l, i) => ({ l, i })).filter(({ l }) => l.path !== undefined && l.pathKind !== 'non-file' && l.pathKind !== 'directory');
  const first = snippet.text.split('\n', 1)[0] ?? '';
  if (files.length <= 1 && !PATH_COMMENT.test(first)) return files[0]?.i;
  const named = PATH_COMMENT.test(first) ? /([\w./-]*[\w-]\.[A-Za-z0-9]{1,8})(?::(\d+))?/.exec(first.replace(/^\s*(?:\/\/|#|--|\/\*|<!--)\s*/, '')) : null;
  if (named?.[1] !== undefined) {
    const name = named[1];
    const line = named[2] !== undefined ? Number(named[2]) : undefined;
    const same = files.filter(({ l }) => l.path === name || (l.path as string).endsWith(`/${name}`) || name.endsWith(`/${l.path}`));
    const at = same.find(({ l }) => line !== undefined && l.ranges.some((r) => r.start <= line && line <= r.end)) ?? same[0];
    // A snippet from a file the finding does not cite ("// ContainerLogs.vue:46", the convention
    // to follow) quotes no cited lines.
    return at?.i;
  }
  if (files.length <= 1) return files[0]?.i;
  const language = LANGUAGE_FILES[(snippet.lang ?? '').toLowerCase()];
  const inLanguage = language ? files.filter(({ l }) => language.test(l.path as string)) : files;
  const pool = inLanguage.length > 0 ? inLanguage : files;
  if (pool.length === 1) return pool[0]?.i;
  const length = snippet.text.replace(/\n+$/, '').split('\n').length;
  const fits = pool.filter(({ l }) => l.ranges.some((r) => Math.abs(r.end - r.start + 1 - length) <= 1));
  return (fits.length === 1 ? fits[0] : pool[0])?.i;
}

/**
 * A comment line that only names where the snippet came from: `// pkg/service/cmd/service.go`,
 * `// set.go:490-505`, `# run.sh:59-60`, `// settingsValidator.ts — accepts IPv6`. Code
 * comments that merely mention a dotted name (`// net.fetch throws …`) are kept.
 */
const PATH_COMMENT = /^\s*(?:\/\/|#|--|\/\*|<!--)\s*[\w./-]*[\w-]\.[A-Za-z0-9]{1,8}(?::\d+(?:\s*[-–]\s*\d+)?(?:,\s*\d+(?:\s*[-–]\s*\d+)?)*)?\s*(?:(?:—|–|--)\s.*?)?\s*(?:\*\/|-->)?\s*$/;

/** The snippet's code without a first line that only names the file it came from. */
function anchorText(snippet: string): string {
  const lines = snippet.split('\n');
  const first = lines[0] ?? '';
  if (lines.length > 1 && PATH_COMMENT.test(first)) lines.shift();
  return lines.join('\n').replace(/^\n+|\n+$/g, '');
}

function looksLikeFinding(part: Part, node: RootContent | ListItem): boolean {
  const start = startOf(part, node);
  const firstLine = part.source.text.slice(start, Math.min(endOf(part, node), start + 400)).split('\n', 1)[0] ?? '';
  if (/^\s*(?:\d+[.)]\s+)?\*\*/.test(firstLine) && /\s(?:—|–|--)\s|\[(?:Claude|Codex|Gemini|Qwen|Gemma|GLM)/i.test(firstLine)) return true;
  return /^\s*(?:\d+[.)]\s+|[CIS]\d+\.\s+)/.test(firstLine) && /`[^`\s]+:\d+|\[(?:Claude|Codex|Gemini|Qwen|Gemma|GLM)/i.test(firstLine);
}

function problemAt(part: Part, node: RootContent | ListItem | Heading, severity: ReportProblem['severity'], code: string, message: string): ReportProblem {
  const offset = startOf(part, node);
  return { severity, code, message, offset, length: Math.max(0, endOf(part, node) - offset) };
}
