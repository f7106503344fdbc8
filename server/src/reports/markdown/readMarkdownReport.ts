/**
 * Reads a deep-review Markdown report into the review model: the title and
 * header table, the consolidated findings of the severity sections, every other
 * section as Markdown, the agents' original reviews, the Resolution, and the
 * reconciliation of the reviewers' severities. Whatever cannot be understood
 * becomes a problem at its place in the report; the reader never throws.
 *
 * Reconciliation events live on the consolidated finding they name. Events that
 * name none (a finding dropped as a false positive, withdrawn, or moved to
 * another section) and the retro table's per-reviewer counts ("Downgraded |
 * 2 (I→S)") are not turned into events: they stay readable in the retro
 * section's Markdown. A reviewer's own finding in the appendix becomes an event
 * only when it matches a consolidated finding that credits that reviewer and
 * the retro's explicit mappings have not already told what became of it.
 */
import type { RootContent } from 'mdast';
import { Finding, Review, type ReconciliationEvent } from '../../model/review.js';
import type { ReadResult, ReportProblem } from '../readResult.js';
import { readAppendix } from './appendix.js';
import { type RetroClaim, attachAppendixEvents } from './appendixMatch.js';
import { expandDeferred } from './blocks.js';
import { readHeaderTable } from './header.js';
import { parseDate, repositoryFromPrUrl } from './headerFields.js';
import { extractReviewShaFromHtml } from './html.js';
import { layoutReport } from './layout.js';
import { chooseReviewedCommit, repositoryFromHtml } from './reviewedCommit.js';
import { type ReadFinding, readSectionFindings } from './findings.js';
import { reviewerAliases, statementEvents } from './reconciliation.js';
import { type ResolutionRead, linkResolution, readResolution } from './resolution.js';
import { reconciliationStatements } from './retro.js';
import { type OutlineSection, kindFromTitle, readSections, readTop, sectionKind, sliceMarkdown } from './sections.js';
import { createSource, parsePart, plainText } from './source.js';
import { compact, trimMarkdown } from './text.js';

// The HTML companion reader belongs to this module's public API.
export { extractReviewShaFromHtml } from './html.js';

/** Options of {@link readMarkdownReport}. */
export interface MarkdownReadOptions {
  /** File name of the report; its stem becomes the review id. */
  fileName: string;
  /** The HTML rendering beside the report, read only for the reviewed commit's SHA. */
  html?: string;
}

/** Reads a deep-review Markdown report; never throws. */
export function readMarkdownReport(text: string, options: MarkdownReadOptions): ReadResult {
  const problems: ReportProblem[] = [];
  try {
    return readReport(text, options, problems);
  } catch (error) {
    // The reader is written not to throw; if it does, the report still gets a message, not a crash.
    problems.push({
      severity: 'error',
      code: 'markdown-reader-failed',
      message: `The report could not be read: ${(error as Error)?.message ?? String(error)}`,
      offset: 0,
      length: 0,
    });
    return { problems };
  }
}

function readReport(text: string, options: MarkdownReadOptions, problems: ReportProblem[]): ReadResult {
  if (text.trim() === '') {
    problems.push({ severity: 'error', code: 'empty-report', message: 'The report is empty.', offset: 0, length: 0 });
    return { problems };
  }
  const source = createSource(text);
  const layout = layoutReport(text);
  const main = parsePart(source, 0, layout.mainEnd);
  const top = readTop(main);
  const header = top.table ? readHeaderTable(main, top.table, problems) : { fields: {}, commits: [] };

  let kind = kindFromTitle(top.title?.text) ?? (/supply[- ]chain/i.test(header.kindRow ?? '') ? 'supply-chain' : undefined);
  const outline = readSections(main, top.bodyStart, kind === undefined || kind === 'review');
  kind ??= outline.severitySections.length > 0 ? 'review' : 'other';
  if (kind === 'other' && top.title === undefined && top.table === undefined) {
    problems.push({
      severity: 'info',
      code: 'not-a-review',
      message: 'This file does not look like a deep-review report: it has no "# Deep Review: …" title, header table or finding sections.',
      offset: 0,
      length: 0,
    });
  }

  const read: ReadFinding[] = [];
  for (const section of outline.severitySections) for (const finding of readSectionFindings(main, section, problems)) read.push(finding);
  const findings = uniqueIds(read, problems);

  const sections: OutlineSection[] = [...preambleSection(main, top.preamble), ...outline.sections];
  let resolution: ResolutionRead | undefined;
  const mainResolution = outline.sections.find((s) => s.kind === 'resolution');
  if (mainResolution) resolution = readResolution(main, mainResolution.nodes, mainResolution.markdown);
  if (layout.resolutionStart !== undefined) {
    const tail = parsePart(source, layout.resolutionStart, text.length);
    const heading = tail.root.children[0];
    const nodes = expandDeferred(tail.root.children.slice(1));
    if (heading?.type === 'heading') {
      const markdown = sliceMarkdown(tail, heading, nodes);
      const headingText = plainText(heading).trim();
      sections.push({ heading: headingText, kind: sectionKind(headingText), level: heading.depth, markdown, nodes, headingNode: heading, part: tail });
      resolution = readResolution(tail, nodes, markdown);
    }
  }
  if (resolution) linkResolution(resolution, findings, problems);

  // Reconciliation statements name consolidated findings by id; events that name
  // none (a dropped finding, a finding moved to another section) stay in the retro's Markdown.
  const byId = new Map(findings.map((f) => [f.id, f]));
  const appendix = readAppendix(text, layout);
  const aliases = reviewerAliases([
    ...(header.fields.reviewers ?? []).map((r) => r.model ?? ''),
    ...appendix.entries.map((e) => e.agent.model ?? ''),
  ].filter((m, i, all) => m !== '' && all.indexOf(m) === i));
  const claims: RetroClaim[] = [];
  for (const section of sections.filter((s) => s.kind === 'retro')) {
    for (const statement of reconciliationStatements(section.part ?? main, section.nodes)) {
      for (const { event, target } of statementEvents(statement, aliases)) {
        const finding = target !== undefined ? byId.get(target) : undefined;
        if (target !== undefined && finding === undefined) {
          const said = event.raw ?? statement;
          const offset = Math.max(0, text.indexOf(said.slice(0, 80)));
          problems.push({
            severity: 'warning',
            code: 'reconciliation-target',
            message: `The Reconciliation statement says ${event.agent.model ?? event.agent.family ?? 'a reviewer'}${event.agentLocalId ? ` ${event.agentLocalId}` : ''} became ${target}, but this report has no finding ${target}; the event is kept in the retro's text only.`,
            offset,
            length: offset === 0 && !text.startsWith(said.slice(0, 80)) ? 0 : Math.min(said.length, text.length - offset),
          });
        }
        if (finding) {
          const onFinding = landed(event, finding.severity);
          finding.reconciliation.push(onFinding);
          claims.push({ event: onFinding, finding });
        } else if (DROPPED.has(event.to)) claims.push({ event });
      }
    }
  }
  // The retro's explicit mappings first; the appendix then fills in the reviewers they do not name.
  attachAppendixEvents(appendix.findings, findings, claims);
  for (const line of appendix.unread) {
    problems.push({
      severity: 'info',
      code: 'appendix-finding',
      message: `This line of a reviewer's own review looks like a finding, but its header could not be read, so it is not matched to a consolidated finding: expected "I1. **Title** — \`path:line\` (important, regression)".`,
      offset: line.offset,
      length: line.length,
    });
  }

  const fields = header.fields;
  if (fields.date === undefined) {
    // Reviews without a header table write "Date: 2026-03-21" as a paragraph.
    for (const node of top.preamble) {
      const m = node.type === 'paragraph' ? /^date:\s*(.+)$/im.exec(plainText(node)) : null;
      const date = m?.[1] !== undefined ? parseDate(m[1]) : undefined;
      if (date !== undefined) {
        fields.date = date;
        fields.dateRaw = (m?.[1] ?? '').trim();
        break;
      }
    }
  }
  if (fields.repository === undefined && fields.pr?.url !== undefined) {
    const repository = repositoryFromPrUrl(fields.pr.url);
    if (repository) fields.repository = repository;
  }
  const htmlSha = options.html !== undefined ? extractReviewShaFromHtml(options.html) : undefined;
  if (fields.repository === undefined && options.html !== undefined) {
    const repository = repositoryFromHtml(options.html);
    if (repository) fields.repository = repository;
  }
  const era = eraOf(findings, header.reviewSha !== undefined);
  const reviewedCommit = chooseReviewedCommit({ reviewSha: header.reviewSha, commits: header.commits.filter((c) => !c.outOfScope), htmlSha, era });

  const summary = sections.find((s) => s.kind === 'executive-summary')?.markdown;
  const review = compact({
    schemaVersion: 1 as const,
    id: stem(options.fileName),
    kind,
    title: top.title?.text,
    ...fields,
    reviewedCommit,
    summary,
    sections: sections.map((s) => compact({ heading: s.heading, kind: s.kind, level: s.level, markdown: s.markdown })),
    resolution: resolution?.resolution,
    appendix: appendix.entries,
    source: compact({ format: 'markdown' as const, path: options.fileName, era }),
    findings,
  });
  const parsed = Review.safeParse(review);
  if (parsed.success) return { review: parsed.data, problems };
  problems.push({
    severity: 'error',
    code: 'markdown-model',
    message: `The report was read but does not fit the review model: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
    offset: 0,
    length: 0,
  });
  return { problems };
}

/** What a retro event that names no consolidated finding may say became of an agent's finding. */
const DROPPED: ReadonlySet<string> = new Set(['dropped', 'false-positive', 'withdrawn', 'design-observation', 'acknowledged-limitation', 'testing-assessment', 'unresolved-feedback']);

/** A statement event as it lands on its finding: a bare target id means the finding's severity. */
function landed(event: ReconciliationEvent, severity: string): ReconciliationEvent {
  return event.to === 'unknown' ? { ...event, to: severity } : event;
}

/**
 * Makes finding ids unique: numbered ids repeat when struck-through findings
 * keep their old numbers beside renumbered live ones, so a struck finding yields
 * its id to a live one and takes a "-struck" suffix.
 */
function uniqueIds(read: ReadFinding[], problems: ReportProblem[]): Finding[] {
  const live = new Set(read.filter((r) => r.finding.struck === undefined).map((r) => r.finding.id));
  const seen = new Set<string>();
  // Where to look for the next free "-n" of an id: every smaller n is taken, and stays taken.
  const nextSuffix = new Map<string, number>();
  const out: Finding[] = [];
  for (const { finding, start, end } of read) {
    let id = finding.id;
    if (finding.struck !== undefined && live.has(id)) id = `${id}-struck`;
    if (seen.has(id)) {
      let n = nextSuffix.get(id) ?? 2;
      while (seen.has(`${id}-${n}`)) n++;
      nextSuffix.set(id, n + 1);
      if (finding.struck === undefined) {
        problems.push({
          severity: 'warning',
          code: 'duplicate-id',
          message: `Finding id ${finding.id} is used twice in this report; this one is read as ${id}-${n}.`,
          offset: start,
          length: Math.max(0, Math.min(end, start + 200) - start),
        });
      }
      id = `${id}-${n}`;
    }
    seen.add(id);
    const checked = Finding.safeParse({ ...finding, id });
    if (checked.success) out.push(checked.data);
    else {
      problems.push({
        severity: 'error',
        code: 'finding-model',
        message: `Finding ${id} could not be read: ${checked.error.issues[0]?.message ?? 'invalid'} at ${checked.error.issues[0]?.path.join('.') ?? ''}`,
        offset: start,
        length: Math.max(0, end - start),
      });
    }
  }
  return out;
}

function preambleSection(part: ReturnType<typeof parsePart>, nodes: readonly RootContent[]): OutlineSection[] {
  const content = nodes.filter((n) => n.type !== 'thematicBreak' && n.type !== 'html' && n.type !== 'definition');
  const first = content[0];
  const last = content[content.length - 1];
  if (first === undefined || last === undefined) return [];
  const markdown = trimMarkdown(part.source.text.slice(part.base + (first.position?.start.offset ?? 0), part.base + (last.position?.end.offset ?? 0)));
  return markdown === '' ? [] : [{ heading: '', kind: 'preamble', markdown, nodes: [...nodes] }];
}

function eraOf(findings: readonly Finding[], headerSha: boolean): string | undefined {
  if (findings.some((f) => f.blocks.some((b) => b.role === 'repro' || b.role === 'repro-output' || b.role === 'patch'))) return 'E5';
  if (headerSha) return 'E4';
  if (findings.some((f) => f.idStyle === 'letter')) return 'E3';
  if (findings.some((f) => f.idStyle === 'number')) return 'E2';
  if (findings.some((f) => f.idStyle === 'bracket')) return 'E1';
  return undefined;
}

function stem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.(?:md|markdown)$/i, '') || base;
}
