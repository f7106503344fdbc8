/**
 * The protocol surface of this server beyond standard LSP: command ids and
 * custom notifications, declared once and typed.
 */
import { NotificationType } from 'vscode-languageserver';

/**
 * Command ids, all listed in `executeCommandProvider`. Arguments are positional
 * (`arguments[0]` is an object), so every editor can pass them.
 */
export const Commands = {
  /** Re-read every review directory. */
  reload: 'deepReview.reload',
  /** List findings: `[{ file?, severity?, series?, all? }]` → `FindingListItem[]`. */
  listFindings: 'deepReview.listFindings',
  /** Open a finding in its report: `[{ key }]` → the report location (also shown with window/showDocument). */
  openReport: 'deepReview.openReport',
  /**
   * Apply a finding's fix through `workspace/applyEdit`: `[{ key, option? }]` (`ApplyFixArgs`) → `ApplyFixResult`.
   * Without `option`, the first fix that applies. A fix that cannot apply is a ResponseError saying why.
   */
  applyFix: 'deepReview.applyFix',
  /**
   * Apply every non-conflicting fix of a file or of a round, each against the text the previous one left:
   * `[{ file? , report? }]` (`ApplyAllFixesArgs`, file URIs or absolute paths) → `ApplyAllFixesResult`.
   */
  applyAllFixes: 'deepReview.applyAllFixes',
  /** Triage: `[{ key, reason? }]` → `TriageResult`; without a reason, dismiss asks with window/showMessageRequest. */
  dismiss: 'deepReview.dismiss',
  /** Triage: `[{ key, reason? }]` → `TriageResult`. */
  accept: 'deepReview.accept',
  /** Triage: `[{ key, reason? }]` → `TriageResult`. */
  reopen: 'deepReview.reopen',
  /**
   * Start the next review round of a series: `[{ series?, file?, folder? }]` → `RoundResult` when the command ends.
   * `series` is a series key ("pr:336") or label ("PR #336"); `file` a URI of a cited file or report; `folder` a workspace folder URI.
   */
  newRound: 'deepReview.newRound',
  /** Stop a running round: `[{ series?, folder? }]` → the number of runs stopped. */
  cancelRound: 'deepReview.cancelRound',
} as const;

/** A command id. */
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Every command id this server executes. */
export const ALL_COMMANDS: string[] = Object.values(Commands);

/** Sent after each batch of report files has been read and published. */
export interface ReportsReadParams {
  /** Workspace folder the batch belongs to (file URI). */
  folder: string;
  /** True for a folder's first scan. */
  initial: boolean;
  /** Report files read in the batch (file URIs). */
  reports: string[];
  /** Cited files whose diagnostics were re-published (file URIs). */
  files: string[];
}

/** Notification `deepReview/reportsRead`: a batch of report changes has been applied. */
export const ReportsReadNotification = new NotificationType<ReportsReadParams>('deepReview/reportsRead');

/** Arguments of `deepReview.listFindings`; the filters combine, and none (or `all: true`) lists every shown finding. */
export interface ListFindingsParams {
  /** A cited file: a file URI, an absolute path or a path relative to a workspace folder. */
  file?: string;
  /** One severity or several. */
  severity?: 'critical' | 'important' | 'suggestion' | ('critical' | 'important' | 'suggestion')[];
  /** A series: "336", "#336", "PR #336", "pr:336", "branch:name" or a series key as a report's `series` gives it. */
  series?: string;
  /** Lists every shown finding; other filters are ignored. */
  all?: boolean;
}

/**
 * One item of `deepReview.listFindings`: a Location (`uri`, `range`, the finding
 * placed in today's text) with what a quickfix or picker list shows, so an
 * editor can hand the list to its location list as it is.
 */
export interface FindingListItem {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** The finding's stable key (as in diagnostics' `data.key`). */
  key: string;
  id: string;
  severity: 'critical' | 'important' | 'suggestion';
  title: string;
  /** "PR #336 round 6". */
  round: string;
  /** One line for a list: "I1 important: title (PR #336 round 6)". */
  text: string;
  /** The report, at the finding's first line. */
  report: { uri: string; range: FindingListItem['range'] };
  /** Which placement step placed the finding. */
  placement: string;
}

/** Arguments of `deepReview.openReport`. */
export interface OpenReportParams {
  /** The finding's key (diagnostics' `data.key`). */
  key: string;
}

/** What `deepReview.openReport` returns: the report location, and whether the client was asked to show it. */
export interface OpenReportResult {
  uri: string;
  range: FindingListItem['range'];
  /** True when window/showDocument was sent and the client showed the report. */
  shown: boolean;
}

/** Arguments of `deepReview.applyFix`. */
export interface ApplyFixArgs {
  /** The finding's key (`FindingDiagnosticData.key`). */
  key: string;
  /** Which of the finding's diffs, 0-based; the first that applies when absent. */
  option?: number;
}

/** Result of `deepReview.applyFix`. */
export interface ApplyFixResult {
  key: string;
  /** URIs of the files the fix changed, created or deleted. */
  files: string[];
}

/** Arguments of `deepReview.applyAllFixes`: the fixes of the findings on one file, or of one report's round. */
export interface ApplyAllFixesArgs {
  /** A cited file (URI or absolute path). */
  file?: string;
  /** A report file (URI or absolute path). */
  report?: string;
}

/** Result of `deepReview.applyAllFixes`. */
export interface ApplyAllFixesResult {
  /** Keys of the findings whose fix was applied. */
  applied: string[];
  /** Findings whose fix was left out, and why (no longer there, ambiguous, conflicts with an earlier fix, ...). */
  skipped: { key: string; reason: string }[];
}

/** Reasons offered when a finding is dismissed without one. */
export const DISMISS_REASONS = ['false positive', "won't fix", 'later'] as const;

/** What a triage command did. */
export interface TriageResult {
  /** 'recorded'; 'cancelled' when the user closed the reason prompt; 'failed' when the triage file could not be written. */
  status: 'recorded' | 'cancelled' | 'failed';
  /** Why it failed (also shown with window/showMessage). */
  message?: string;
  /** The finding's fingerprint, the key in the triage file. */
  fingerprint: string;
  state?: 'dismissed' | 'accepted' | 'open';
  reason?: string;
  /** The triage file (file URI). */
  triageFile?: string;
}

/** How a run of the round command ended. */
export interface RoundResult {
  status: 'finished' | 'failed' | 'cancelled' | 'timed-out' | 'refused' | 'not-configured' | 'not-chosen';
  /** What the user was told. */
  message: string;
  /** Series key ("pr:336"). */
  series?: string;
  exitCode?: number;
  signal?: string;
  /** The log file (file URI). */
  log?: string;
  /** Process id of the command, for tools that watch it. */
  pid?: number;
  /** The summary of the new round, when its report had landed by the end. */
  summary?: string;
}
