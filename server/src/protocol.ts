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
  /** Triage: `[{ key, reason? }]`. */
  dismiss: 'deepReview.dismiss',
  accept: 'deepReview.accept',
  reopen: 'deepReview.reopen',
  /** Start the next review round of a series: `[{ series?, file? }]`. */
  newRound: 'deepReview.newRound',
  /** Stop a running round: `[{ series? }]`. */
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
