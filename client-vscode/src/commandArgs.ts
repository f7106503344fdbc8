/**
 * Arguments of the server's commands when they are run from the Command
 * Palette, which passes none: the finding under the cursor, or the active file.
 */

/** What the editor knows when a palette command runs. */
export interface CommandContext {
  /** Keys (`data.key`) of the deep-review diagnostics under the cursor, most severe first. */
  findingsAtCursor: string[];
  /** URI of the active file, if any. */
  fileUri?: string;
}

/** Commands whose argument is the finding under the cursor. */
const FINDING_COMMANDS = new Set(['deepReview.openReport', 'deepReview.applyFix', 'deepReview.dismiss', 'deepReview.accept', 'deepReview.reopen']);

/** Arguments for a command run with none, or why it cannot run; arguments already given are kept. */
export function computeCommandArguments(command: string, given: unknown[], context: CommandContext): { args: unknown[] } | { error: string } {
  if (given.length > 0) return { args: given };
  if (FINDING_COMMANDS.has(command)) {
    const key = context.findingsAtCursor[0];
    if (!key) return { error: 'Put the cursor on a deep-review finding first.' };
    return { args: [{ key }] };
  }
  switch (command) {
    case 'deepReview.listFindings':
      return { args: [{ all: true }] };
    case 'deepReview.applyAllFixes':
    case 'deepReview.newRound':
      return { args: [context.fileUri ? { file: context.fileUri } : {}] };
    case 'deepReview.cancelRound':
      return { args: [{}] };
    default:
      return { args: [] };
  }
}
