/**
 * The protocol surface of this server beyond standard LSP: command ids and
 * custom notifications, declared once and typed.
 */
import { NotificationType } from 'vscode-languageserver';

/** Command ids, all listed in `executeCommandProvider`. */
export const Commands = {
  /** Re-read every review directory. */
  reload: 'deepReview.reload',
} as const;

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
