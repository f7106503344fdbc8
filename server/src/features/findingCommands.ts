/**
 * From findings to lists and reports: `deepReview.listFindings` (locations an
 * editor puts in its quickfix or picker list) and `deepReview.openReport`
 * (the finding's line in its report, shown with window/showDocument where the
 * client can), also offered as the code action "Open I1 in the report".
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ErrorCodes, ResponseError, type CodeAction, type Disposable, type Range } from 'vscode-languageserver';
import type { Placer } from '../anchoring/placement.js';
import { SEVERITY_ORDER, Severity } from '../model/review.js';
import { Commands, type FindingListItem, type ListFindingsParams, type OpenReportParams, type OpenReportResult } from '../protocol.js';
import type { PlacedFinding, ReviewStore } from '../store/reviewStore.js';
import type { FeatureContext } from './context.js';
import { computeFindingsAt, findByKey } from './findingsAt.js';
import { ReportPositions } from './reportPositions.js';

/** What the finding commands read; no connection. */
export interface FindingCommandServices {
  store: ReviewStore;
  placer: Placer;
  positions: ReportPositions;
}

/** Checks the arguments of listFindings; a bad one is a ResponseError saying what is accepted. */
export function parseListFindingsParams(args: unknown[]): ListFindingsParams {
  const raw = args[0] ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'deepReview.listFindings takes one object argument: { file?, severity?, series?, all? }');
  }
  const params = raw as Record<string, unknown>;
  for (const key of ['file', 'series'] as const) {
    if (params[key] !== undefined && typeof params[key] !== 'string') {
      throw new ResponseError(ErrorCodes.InvalidParams, `deepReview.listFindings: "${key}" must be a string`);
    }
  }
  const severities = params.severity === undefined ? [] : Array.isArray(params.severity) ? params.severity : [params.severity];
  for (const severity of severities) {
    if (!Severity.safeParse(severity).success) {
      throw new ResponseError(ErrorCodes.InvalidParams, `deepReview.listFindings: unknown severity ${JSON.stringify(severity)}; use critical, important or suggestion`);
    }
  }
  return params as ListFindingsParams;
}

/** The shown findings that pass the filters, placed, ordered by file and line. */
export async function computeFindingList(services: FindingCommandServices, params: ListFindingsParams, roots: readonly string[]): Promise<FindingListItem[]> {
  const severities = new Set(params.all || params.severity === undefined ? [] : [params.severity].flat());
  const files = params.all || params.file === undefined ? undefined : candidateFiles(params.file, roots);
  const series = params.all || params.series === undefined ? undefined : seriesMatcher(params.series);
  const chosen: PlacedFinding[] = [];
  const source = files ? files.flatMap((file) => services.store.findingsForFile(file)) : [...services.store.allFindings()];
  for (const placed of source) {
    if (severities.size > 0 && !severities.has(placed.finding.severity)) continue;
    if (series && !series(placed)) continue;
    chosen.push(placed);
  }
  const items: FindingListItem[] = [];
  for (const placed of chosen) {
    const placement = await services.placer.place(placed.primary, placed.review);
    items.push({
      uri: pathToFileURL(placed.primary.file).toString(),
      range: placement.range,
      key: placed.key,
      id: placed.finding.id,
      severity: placed.finding.severity,
      title: oneLine(placed.finding.title),
      round: placed.roundLabel,
      text: `${placed.finding.id} ${placed.finding.severity}: ${oneLine(placed.finding.title)}${placed.roundLabel ? ` (${placed.roundLabel})` : ''}${placement.note ? ` ${placement.note}` : ''}`,
      report: reportLocation(services, placed),
      placement: placement.method,
    });
  }
  return items.sort(
    (a, b) =>
      (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}

/** The report location of the finding with a key; a key that names no shown finding is a ResponseError. */
export function computeReportLocation(services: FindingCommandServices, args: unknown[]): { uri: string; range: Range } {
  const key = (args[0] as Partial<OpenReportParams> | undefined)?.key;
  if (typeof key !== 'string' || key === '') throw new ResponseError(ErrorCodes.InvalidParams, 'deepReview.openReport takes [{ key }], the finding key of a diagnostic\'s data');
  const placed = findByKey(services.store, key);
  if (!placed) throw new ResponseError(ErrorCodes.InvalidParams, `No shown finding has the key ${key}; the report may have changed`);
  return reportLocation(services, placed);
}

function reportLocation(services: FindingCommandServices, placed: PlacedFinding): { uri: string; range: Range } {
  const range = services.positions.findingRange(placed.report, placed.finding);
  return { uri: pathToFileURL(placed.report.file).toString(), range: { start: range.start, end: range.start } };
}

/** Absolute paths a `file` argument may mean: a URI, an absolute path, or relative to each workspace folder. */
function candidateFiles(file: string, roots: readonly string[]): string[] {
  if (file.startsWith('file:')) {
    try {
      return [fileURLToPath(file)];
    } catch {
      throw new ResponseError(ErrorCodes.InvalidParams, `deepReview.listFindings: "${file}" is not a file URI`);
    }
  }
  if (path.isAbsolute(file)) return [path.normalize(file)];
  return roots.map((root) => path.resolve(root, file));
}

/** "336", "#336", "PR #336", "pr:336", "branch:x" or an explicit series name. */
function seriesMatcher(wanted: string): (placed: PlacedFinding) => boolean {
  const text = wanted.trim();
  const pr = /^(?:pr\s*[:#]?\s*|#)?(\d+)$/i.exec(text)?.[1];
  const key = pr ? `pr:${pr}` : text;
  return (placed) => {
    const seriesKey = placed.report.seriesKey?.split('\u0000').pop() ?? '';
    return seriesKey === key || seriesKey === `series:${text}` || seriesKey === `branch:${text}` || seriesKey === `target:${text}`;
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Registers listFindings and openReport, and the "Open … in the report" code action. */
export function registerFindingCommands(ctx: FeatureContext): Disposable {
  const services: FindingCommandServices = { store: ctx.store, placer: ctx.placer, positions: new ReportPositions() };
  const canShow = ctx.clientCapabilities.window?.showDocument?.support === true;
  const disposables = [
    ctx.commands.register(Commands.listFindings, async (args) => computeFindingList(services, parseListFindingsParams(args), ctx.workspace.roots())),
    ctx.commands.register(Commands.openReport, async (args): Promise<OpenReportResult> => {
      const location = computeReportLocation(services, args);
      let shown = false;
      if (canShow) {
        const answer = await ctx.connection.window.showDocument({ uri: location.uri, selection: location.range, takeFocus: true });
        shown = answer.success;
      }
      return { ...location, shown };
    }),
    ctx.codeActions.register({
      id: 'open-report',
      async provide({ params, file }): Promise<CodeAction[]> {
        const found = await computeFindingsAt(ctx.store, ctx.placer, file, params.range);
        return found.map(({ placed }) => ({
          title: `Open ${placed.finding.id} in the report`,
          command: { title: `Open ${placed.finding.id} in the report`, command: Commands.openReport, arguments: [{ key: placed.key } satisfies OpenReportParams] },
        }));
      },
    }),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
