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
  /** Apply a finding's fix: `[{ key, option? }]`. */
  applyFix: 'deepReview.applyFix',
  /** Apply every non-conflicting fix of a file or of a round: `[{ file? , report? }]`. */
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
