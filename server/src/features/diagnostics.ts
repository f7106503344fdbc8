/**
 * Findings as diagnostics on their cited lines, and report problems as
 * diagnostics on the report files. Pure: the caller supplies the placements of
 * the findings in today's text and the settings.
 */
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Severity } from '../model/review.js';
import { meetsMinimum, type DiagnosticLevel, type Settings } from '../settings.js';
import type { Placement, PlacementMethod } from '../anchoring/placement.js';
import { LINES_DELETED_NOTE } from '../anchoring/anchoringPlacer.js';
import type { PlacedFinding, PlacedLocation, ReportEntry } from '../store/reviewStore.js';
import { clampPosition, cleanText, MAX_RELATED } from './wireText.js';

/** Most problems of one report published as diagnostics. */
const MAX_REPORT_PROBLEMS = 1000;

/** The `source` of every diagnostic this server publishes. */
export const DIAGNOSTIC_SOURCE = 'deep-review';

/** What a finding diagnostic carries in `data`, for code actions and commands. */
export interface FindingDiagnosticData {
  /** The finding's stable key (see PlacedFinding.key). */
  key: string;
  /** URI of the report file. */
  report: string;
  /** Which step placed the finding in today's text. */
  placement: PlacementMethod;
}

/** Client abilities that shape diagnostics. */
export interface DiagnosticCapabilities {
  relatedInformation: boolean;
  codeDescription: boolean;
}

const LEVELS: Record<DiagnosticLevel, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The diagnostic severity a finding severity maps to under the settings. */
export function diagnosticSeverity(severity: Severity, settings: Settings): DiagnosticSeverity {
  return LEVELS[settings.severityMap[severity]];
}

/** A finding with its primary and related locations placed in today's text. */
export interface FindingPlacements {
  placed: PlacedFinding;
  primary: Placement;
  /** Aligned with `placed.related`. */
  related: Placement[];
  /** True when the finding's fix is already in today's text. */
  fixed?: boolean;
}

/** Said on a finding whose fix is already in the working tree. */
export const FIXED_MESSAGE = 'fixed in working tree, awaiting re-review';

/** Diagnostics for the findings placed on one file. */
export function computeFindingDiagnostics(
  findings: readonly FindingPlacements[],
  settings: Settings,
  capabilities: DiagnosticCapabilities,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const one of findings) {
    if (!meetsMinimum(one.placed.finding.severity, settings.minimumSeverity)) continue;
    if (one.fixed === true && settings.fixedInWorkingTree === 'hide') continue;
    try {
      diagnostics.push(findingDiagnostic(one, settings, capabilities));
    } catch (error) {
      // One finding that cannot be shown must not hide the others on the file.
      diagnostics.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Warning,
        source: DIAGNOSTIC_SOURCE,
        message: cleanText(`A finding of ${one.placed.report.file} could not be shown: ${(error as Error).message}`),
      });
    }
  }
  return diagnostics;
}

/** Every range on the wire is within LSP's bounds, whatever a report said. */
export function clampRange(range: Range): Range {
  return {
    start: { line: clampPosition(range.start.line), character: clampPosition(range.start.character) },
    end: { line: clampPosition(range.end.line), character: clampPosition(range.end.character) },
  };
}

function findingDiagnostic({ placed, primary, related, fixed }: FindingPlacements, settings: Settings, capabilities: DiagnosticCapabilities): Diagnostic {
  {
    const fixedShown = fixed === true && settings.fixedInWorkingTree !== 'unchanged';
    const agents = placed.finding.agents.map((agent) => agent.model ?? agent.raw ?? agent.role ?? agent.family).filter(Boolean);
    const resolution = placed.finding.resolution;
    // Applying the fix replaces the cited lines: "fixed" says what happened to them, "deleted" would contradict it.
    const note = fixedShown && primary.note === LINES_DELETED_NOTE ? undefined : primary.note;
    const parts = [
      oneLine(placed.finding.title) + (note ? ` ${note}` : ''),
      agents.length > 0 ? `[${agents.join(', ')}]` : '',
      placed.roundLabel ? `(${placed.roundLabel})` : '',
      resolution ? `— resolved: ${oneLine(resolution.raw ?? resolution.action)}` : '',
      fixedShown ? `— ${FIXED_MESSAGE}` : '',
    ];
    const diagnostic: Diagnostic = {
      range: clampRange(primary.range),
      // A resolved finding is shown only on request, and then as a quiet hint.
      severity: resolution ? DiagnosticSeverity.Hint : diagnosticSeverity(placed.finding.severity, settings),
      source: DIAGNOSTIC_SOURCE,
      code: cleanText(placed.finding.id, 200),
      message: cleanText(parts.filter(Boolean).join(' ')),
      data: { key: placed.key, report: pathToFileURL(placed.report.file).toString(), placement: primary.method } satisfies FindingDiagnosticData,
    };
    if (fixedShown && settings.fixedInWorkingTree === 'hint') {
      // The to-do list shrinks as the user works: a fixed finding fades until the next round re-reviews it.
      diagnostic.severity = DiagnosticSeverity.Hint;
      diagnostic.tags = [DiagnosticTag.Unnecessary];
    }
    if (capabilities.codeDescription) diagnostic.codeDescription = { href: pathToFileURL(placed.report.file).toString() };
    if (capabilities.relatedInformation && placed.related.length > 0) {
      // A report may cite thousands of ranges: the first ones are shown, and how many more there are.
      diagnostic.relatedInformation = placed.related.slice(0, MAX_RELATED).map((location, i) => relatedInformation(location, related[i]));
      if (placed.related.length > MAX_RELATED) diagnostic.message += ` (+${placed.related.length - MAX_RELATED} more cited locations)`;
    }
    return diagnostic;
  }
}

function relatedInformation(related: PlacedLocation, placement: Placement | undefined): DiagnosticRelatedInformation {
  const start = (related.range?.start ?? 1) - 1;
  const end = (related.range?.end ?? related.range?.start ?? 1) - 1;
  return {
    location: {
      uri: pathToFileURL(related.file).toString(),
      range: clampRange(placement?.range ?? { start: { line: start, character: 0 }, end: { line: end, character: 0 } }),
    },
    message: cleanText(`Also cited: ${related.location.raw ?? related.location.path ?? ''}${placement?.note ? ` ${placement.note}` : ''}`.trim(), 500),
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Diagnostics on a report file: its problems, and a note when an older version is in effect. */
export function computeReportDiagnostics(entry: ReportEntry, shadowedBy?: string): Diagnostic[] {
  const document = TextDocument.create('file:///report', 'plaintext', 0, entry.text ?? '');
  // Thousands of problems help nobody and weigh on every client: the first ones, and a count.
  const shown = entry.problems.slice(0, MAX_REPORT_PROBLEMS);
  const diagnostics: Diagnostic[] = shown.map((problem) => ({
    range: clampRange({ start: document.positionAt(problem.offset), end: document.positionAt(problem.offset + problem.length) }),
    severity:
      problem.severity === 'error' ? DiagnosticSeverity.Error : problem.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: problem.code,
    message: cleanText(problem.message),
  }));
  if (entry.problems.length > shown.length) {
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Warning,
      source: DIAGNOSTIC_SOURCE,
      code: 'more-problems',
      message: `${entry.problems.length - shown.length} more problems in this report are not shown`,
    });
  }
  if (entry.stale) {
    diagnostics.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Warning,
      source: DIAGNOSTIC_SOURCE,
      code: 'last-good-version',
      message: `This version of the report cannot be used; the last good version${entry.readAt ? ` (read ${entry.readAt.toISOString()})` : ''} stays in effect until it is fixed`,
    });
  }
  if (shadowedBy) {
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Hint,
      source: DIAGNOSTIC_SOURCE,
      code: 'shadowed',
      message: `${shadowedBy} has the same name and is used instead of this report`,
      tags: [DiagnosticTag.Unnecessary],
    });
  }
  return diagnostics;
}
