/**
 * The command registry: every `deepReview.*` command is registered here by the
 * feature that owns it, and `workspace/executeCommand` dispatches through it.
 */
import { ErrorCodes, ResponseError, type CancellationToken, type Disposable, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type { CommandId } from '../protocol.js';

/**
 * Runs one command with its arguments. `workDone` reports on the client's own
 * progress token when the request carried one (the library takes the token out
 * of the params, so `workDoneToken` itself never arrives).
 */
export type CommandHandler = (args: unknown[], token: CancellationToken, workDoneToken?: string | number, workDone?: WorkDoneProgressReporter) => Promise<unknown>;

/** Commands by id; one instance per server. */
export class CommandRegistry {
  private readonly handlers = new Map<string, CommandHandler>();

  /** Registers the handler of a command; the returned Disposable removes it. */
  register(id: CommandId, handler: CommandHandler): Disposable {
    if (this.handlers.has(id)) throw new Error(`Command ${id} is registered twice`);
    this.handlers.set(id, handler);
    return { dispose: () => this.handlers.delete(id) };
  }

  /** Ids of the registered commands, for `executeCommandProvider`. */
  ids(): string[] {
    return [...this.handlers.keys()];
  }

  /** True when a handler is registered. */
  has(id: string): boolean {
    return this.handlers.has(id);
  }

  /** Runs a command; an unknown id is a ResponseError the user can read. */
  execute(id: string, args: unknown[], token: CancellationToken, workDoneToken?: string | number, workDone?: WorkDoneProgressReporter): Promise<unknown> {
    const handler = this.handlers.get(id);
    if (!handler) throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command ${id}`);
    return handler(args, token, workDoneToken, workDone);
  }
}
