/**
 * Moving between findings, reports and code: workspace symbols for findings;
 * in report files, document symbols for their findings, and links and
 * go-to-definition from every `path:line` citation to its placed lines.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  SymbolKind,
  type Disposable,
  type DocumentLink,
  type DocumentSymbol,
  type Location,
  type Position,
  type SymbolInformation,
} from 'vscode-languageserver';
import type { Placer } from '../anchoring/placement.js';
import { SEVERITY_ORDER, type Finding } from '../model/review.js';
import type { FileTexts } from '../store/fileTexts.js';
import type { PlacedFinding, ReportEntry, ReviewStore } from '../store/reviewStore.js';
import type { FeatureContext } from './context.js';
import { citationAt, ReportCitationIndex, resolveCitation, type ReportCitation } from './reportCitations.js';
import { ReportPositions } from './reportPositions.js';

/** Most workspace symbols answered for one query; editors ask again as the user types, so the best matches are enough. */
export const MAX_WORKSPACE_SYMBOLS = 200;

/** What navigation reads; no connection. */
export interface NavigationServices {
  store: ReviewStore;
  placer: Placer;
  texts: FileTexts;
  positions: ReportPositions;
  citations: ReportCitationIndex;
  /** Lower-case text each finding is searched by, made once per finding as placed by the store. */
  searchTexts: WeakMap<PlacedFinding, string>;
}

/** Findings whose id, title, cited path, agents or round match every word of the query, most severe first, placed. */
export async function computeWorkspaceSymbols(services: NavigationServices, query: string): Promise<SymbolInformation[]> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches: PlacedFinding[] = [];
  for (const placed of services.store.allFindings()) {
    let haystack = services.searchTexts.get(placed);
    if (haystack === undefined) services.searchTexts.set(placed, (haystack = searchText(placed)));
    if (words.every((word) => haystack.includes(word))) matches.push(placed);
  }
  // A sort key made once per match: every finding may match, and comparisons then dominate.
  const keyed = matches.map((placed) => ({ placed, order: orderKey(placed) }));
  keyed.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  const chosen = keyed.slice(0, MAX_WORKSPACE_SYMBOLS).map((k) => k.placed);
  // Placements read files; they are independent, so they run side by side.
  const placements = await Promise.all(chosen.map((placed) => services.placer.place(placed.primary, placed.review)));
  return chosen.map((placed, i) => {
    const placement = placements[i]!;
    return {
      name: `${placed.finding.id} ${oneLine(placed.finding.title)}`,
      kind: SymbolKind.Key,
      location: { uri: pathToFileURL(placed.primary.file).toString(), range: placement.range },
      containerName: [placed.roundLabel, placed.finding.severity, relativeTo(placed.report.root, placed.primary.file)].filter(Boolean).join(' · '),
    };
  });
}

/** Most severe first, then ids as people count them (S2 before S10), then key. */
function orderKey(placed: PlacedFinding): string {
  const id = placed.finding.id.replace(/\d+/g, (digits) => digits.padStart(10, '0'));
  return `${SEVERITY_ORDER.indexOf(placed.finding.severity)}\u0000${id}\u0000${placed.key}`;
}

function searchText(placed: PlacedFinding): string {
  const { finding } = placed;
  return [
    finding.id,
    finding.title,
    ...finding.locations.map((l) => `${l.resolvedPath ?? ''} ${l.path ?? ''}`),
    ...finding.agents.map((a) => `${a.model ?? ''} ${a.raw ?? ''} ${a.family ?? ''}`),
    placed.roundLabel,
    finding.severity,
  ]
    .join(' ')
    .toLowerCase();
}

/** The findings of a report file, each over its lines in the report. */
export function computeDocumentSymbols(services: NavigationServices, entry: ReportEntry): DocumentSymbol[] {
  const review = entry.review;
  if (!review || entry.stale) return [];
  return review.findings.map((finding) => {
    const range = services.positions.findingRange(entry, finding);
    const header = { start: range.start, end: { line: range.start.line, character: range.start.line === range.end.line ? range.end.character : 0 } };
    return {
      name: `${finding.id} ${oneLine(finding.title)}`,
      detail: [finding.severity, finding.category, stateOf(finding)].filter(Boolean).join(' · '),
      kind: SymbolKind.Key,
      range,
      selectionRange: header,
    };
  });
}

function stateOf(finding: Finding): string {
  if (finding.struck) return finding.struck.kind;
  if (finding.resolution) return `resolved: ${finding.resolution.action}`;
  return 'open';
}

/** A link from every citation of a report that names a workspace file, to its placed lines. */
export async function computeDocumentLinks(services: NavigationServices, entry: ReportEntry): Promise<DocumentLink[]> {
  if (!entry.review) return [];
  const links: DocumentLink[] = [];
  const exists = existsIn(services.texts);
  for (const citation of services.citations.of(entry)) {
    const target = await placeCitation(services, entry, citation, exists);
    if (!target) continue;
    links.push({
      range: citationRange(services, entry, citation),
      // VS Code and others open `#L<line>` at that line.
      target: `${target.uri}#L${target.range.start.line + 1}`,
      tooltip: `${citation.location.raw ?? ''} → line ${target.range.start.line + 1}`,
    });
  }
  return links;
}

/** The placed lines of the citation under a position of a report file. */
export async function computeDefinition(services: NavigationServices, entry: ReportEntry, position: Position): Promise<Location | null> {
  if (!entry.review) return null;
  const citation = citationAt(services.citations.of(entry), services.positions.offsetAt(entry, position));
  if (!citation) return null;
  return (await placeCitation(services, entry, citation, existsIn(services.texts))) ?? null;
}

async function placeCitation(
  services: NavigationServices,
  entry: ReportEntry,
  citation: ReportCitation,
  exists: (file: string) => Promise<boolean>,
): Promise<Location | undefined> {
  const target = await resolveCitation(entry, citation, exists);
  if (!target || !entry.review) return undefined;
  const placement = await services.placer.place(target, entry.review);
  return { uri: pathToFileURL(target.file).toString(), range: placement.range };
}

function citationRange(services: NavigationServices, entry: ReportEntry, citation: ReportCitation) {
  return { start: services.positions.positionAt(entry, citation.offset), end: services.positions.positionAt(entry, citation.offset + citation.length) };
}

/** Existence through the file texts, remembered for one request. */
function existsIn(texts: FileTexts): (file: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  return (file) => {
    let found = known.get(file);
    if (!found) known.set(file, (found = texts.lines(file).then((lines) => lines !== undefined)));
    return found;
  };
}

function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Wires workspace symbols, and document symbols, links and definitions of report files. */
export function registerNavigation(ctx: FeatureContext): Disposable {
  const services: NavigationServices = { store: ctx.store, placer: ctx.placer, texts: ctx.texts, positions: new ReportPositions(), citations: new ReportCitationIndex(), searchTexts: new WeakMap() };
  const reportOf = (uri: string): ReportEntry | undefined => {
    try {
      return ctx.store.report(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  };
  const disposables = [
    ctx.connection.onWorkspaceSymbol((params) => ctx.guard('workspace symbols', () => computeWorkspaceSymbols(services, params.query))),
    ctx.connection.onDocumentSymbol((params) =>
      ctx.guard('document symbols', async () => {
        const entry = reportOf(params.textDocument.uri);
        return entry ? computeDocumentSymbols(services, entry) : [];
      }),
    ),
    ctx.connection.onDocumentLinks((params) =>
      ctx.guard('document links', async () => {
        const entry = reportOf(params.textDocument.uri);
        return entry ? computeDocumentLinks(services, entry) : [];
      }),
    ),
    ctx.connection.onDefinition((params) =>
      ctx.guard('definition', async () => {
        const entry = reportOf(params.textDocument.uri);
        return entry ? computeDefinition(services, entry, params.position) : null;
      }),
    ),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
