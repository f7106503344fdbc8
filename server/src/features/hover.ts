/**
 * `textDocument/hover`: on a cited file, one card per finding under the cursor,
 * most severe first; in a report file, today's lines of the citation under the
 * cursor, the round summary on the header, or the card of the finding there.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MarkupKind, type ClientCapabilities, type Disposable, type Hover, type Position } from 'vscode-languageserver';
import type { Placer } from '../anchoring/placement.js';
import type { Finding } from '../model/review.js';
import type { FileTexts } from '../store/fileTexts.js';
import { SeriesHistory, type RoundEntry } from '../store/history.js';
import type { PlacedLocation, ReportEntry, ReviewStore } from '../store/reviewStore.js';
import type { FeatureContext } from './context.js';
import { computeFindingsAt } from './findingsAt.js';
import { computeCitationCard, computeFindingCard, computeRoundSummaryCard, type CardFormat, type CardLink } from './hoverCards.js';
import { citationAt, ReportCitationIndex, resolveCitation } from './reportCitations.js';
import { ReportPositions } from './reportPositions.js';

/** What the hover core reads; no connection. */
export interface HoverServices {
  store: ReviewStore;
  placer: Placer;
  texts: FileTexts;
  history: SeriesHistory;
  positions: ReportPositions;
  citations: ReportCitationIndex;
}

/** Builds the hover services over a store. */
export function createHoverServices(store: ReviewStore, placer: Placer, texts: FileTexts): HoverServices {
  return { store, placer, texts, history: new SeriesHistory(store), positions: new ReportPositions(), citations: new ReportCitationIndex() };
}

/** The format the client asked for first among the ones we write; plain text when it says nothing. */
export function computeHoverFormat(capabilities: ClientCapabilities): CardFormat {
  const formats = capabilities.textDocument?.hover?.contentFormat ?? [];
  for (const format of formats) if (format === MarkupKind.Markdown || format === MarkupKind.PlainText) return format;
  return 'plaintext';
}

/** The hover at a position of a file, or null when nothing is there. */
export async function computeHover(services: HoverServices, file: string, position: Position, format: CardFormat): Promise<Hover | null> {
  const entry = services.store.report(file);
  if (entry?.review) return computeReportHover(services, entry as RoundEntry, position, format);
  const found = await computeFindingsAt(services.store, services.placer, file, position);
  if (found.length === 0) return null;
  const todayLines = await services.texts.lines(file);
  const cards: string[] = [];
  for (const { placed, placement } of found) {
    const related: CardLink[] = [];
    for (const location of placed.related) related.push(linkTo(placed.report, location, await services.placer.place(location, placed.review)));
    cards.push(
      computeFindingCard(
        {
          finding: placed.finding,
          review: placed.review,
          placement,
          ...(todayLines ? { todayLines } : {}),
          ...cardHistory(services, placed.report, placed.finding),
          report: reportLink(services, placed.report, placed.finding),
          related,
        },
        format,
      ),
    );
  }
  return { contents: { kind: format, value: joinCards(cards, format) }, range: found[0]!.placement.range };
}

async function computeReportHover(services: HoverServices, entry: RoundEntry, position: Position, format: CardFormat): Promise<Hover | null> {
  const { positions } = services;
  const offset = positions.offsetAt(entry, position);
  const citation = citationAt(services.citations.of(entry), offset);
  if (citation) {
    const target = await resolveCitation(entry, citation, async (file) => (await services.texts.lines(file)) !== undefined);
    if (target) {
      const placement = await services.placer.place(target, entry.review);
      const lines = await services.texts.lines(target.file);
      const card = computeCitationCard(
        citation.location.raw ?? citation.location.path ?? '',
        linkTo(entry, target, placement),
        placement,
        lines,
        languageOf(target.file),
        format,
      );
      return {
        contents: { kind: format, value: card },
        range: { start: positions.positionAt(entry, citation.offset), end: positions.positionAt(entry, citation.offset + citation.length) },
      };
    }
  }
  if (positions.inHeader(entry, position)) {
    const card = computeRoundSummaryCard(entry.review, services.history.summaryOf(entry), relativeTo(entry.root, entry.file), format);
    return { contents: { kind: format, value: card } };
  }
  const finding = positions.findingAt(entry, position);
  if (!finding) return null;
  const related: CardLink[] = [];
  for (const location of finding.locations) {
    const file = citedFile(entry.root, location.resolvedPath ?? location.path);
    const range = location.ranges[0];
    if (file && range) related.push({ uri: pathToFileURL(file).toString(), line: range.start, label: location.raw ?? `${location.path}:${range.start}` });
  }
  const card = computeFindingCard(
    { finding, review: entry.review, ...cardHistory(services, entry, finding), report: reportLink(services, entry, finding), related },
    format,
  );
  return { contents: { kind: format, value: card }, range: positions.findingRange(entry, finding) };
}

function cardHistory(services: HoverServices, entry: ReportEntry, finding: Finding) {
  if (!entry.seriesKey) return {};
  const history = services.history.historyOf(entry.seriesKey, finding);
  const summary = services.history.summaryOf(entry);
  const first = entry.review?.findings.find((f) => !f.struck);
  return { ...(history ? { history } : {}), ...(summary ? { summary } : {}), withPreviousOutcomes: first === finding };
}

function reportLink(services: HoverServices, entry: ReportEntry, finding: Finding): CardLink {
  const line = services.positions.findingRange(entry, finding).start.line + 1;
  return { uri: pathToFileURL(entry.file).toString(), line, label: `${relativeTo(entry.root, entry.file)}:${line}` };
}

function linkTo(entry: ReportEntry, location: PlacedLocation, placement: { range: { start: { line: number } } }): CardLink {
  const line = placement.range.start.line + 1;
  return { uri: pathToFileURL(location.file).toString(), line, label: `${relativeTo(entry.root, location.file)}:${line}` };
}

function citedFile(root: string, cited: string | undefined): string | undefined {
  if (!cited || path.isAbsolute(cited)) return undefined;
  const file = path.resolve(root, cited);
  return file.startsWith(root + path.sep) ? file : undefined;
}

function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function joinCards(cards: string[], format: CardFormat): string {
  return cards.join(format === 'markdown' ? '\n\n---\n\n' : '\n\n--------\n\n');
}

/** A fence language for a file, from its extension. */
function languageOf(file: string): string {
  const ext = path.extname(file).slice(1).toLowerCase();
  const known: Record<string, string> = { ts: 'typescript', tsx: 'tsx', js: 'javascript', mjs: 'javascript', cjs: 'javascript', py: 'python', rs: 'rust', rb: 'ruby', sh: 'bash', bash: 'bash', bats: 'bash', yml: 'yaml', md: 'markdown' };
  return known[ext] ?? ext;
}

/** Wires `textDocument/hover`. */
export function registerHover(ctx: FeatureContext): Disposable {
  const services = createHoverServices(ctx.store, ctx.placer, ctx.texts);
  const format = computeHoverFormat(ctx.clientCapabilities);
  const disposable = ctx.connection.onHover((params) =>
    ctx.guard('hover', async () => {
      let file: string;
      try {
        file = fileURLToPath(params.textDocument.uri);
      } catch {
        return null;
      }
      return computeHover(services, file, params.position, format);
    }),
  );
  return disposable;
}
