/**
 * `deepReview.reload`: re-reads every review directory.
 */
import type { Disposable } from 'vscode-languageserver';
import { Commands } from '../protocol.js';
import type { FeatureContext } from './context.js';

/** Registers the reload command. */
export function registerReload(ctx: FeatureContext): Disposable {
  return ctx.commands.register(Commands.reload, async () => {
    await ctx.workspace.rescan();
    return null;
  });
}
