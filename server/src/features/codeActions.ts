/**
 * `textDocument/codeAction` and `codeAction/resolve`: one handler for the
 * protocol, many contributors (fixes, triage, reports, rounds). A contributor
 * offers actions for the findings under the requested range; an action whose
 * edit is costly carries `data.resolver` and is completed lazily.
 */
import { fileURLToPath } from 'node:url';
import type { CancellationToken, CodeAction, CodeActionParams, Disposable } from 'vscode-languageserver';
import type { FeatureContext } from './context.js';

/** What a contributor offers actions for. */
export interface CodeActionRequest {
  params: CodeActionParams;
  /** Absolute path of the document. */
  file: string;
  token: CancellationToken;
}

/** Offers code actions; `resolve` completes an action it offered with `data.resolver` set to its id. */
export interface CodeActionContributor {
  /** Unique id, used as `data.resolver` of lazily resolved actions. */
  id: string;
  provide(request: CodeActionRequest): Promise<CodeAction[]>;
  resolve?(action: CodeAction, token: CancellationToken): Promise<CodeAction>;
}

/** The data every lazily resolved action carries. */
export interface ResolvableData {
  resolver: string;
  [key: string]: unknown;
}

/** The contributors of one server. */
export class CodeActionRegistry {
  private readonly contributors: CodeActionContributor[] = [];

  /** Adds a contributor; actions are listed in registration order. */
  register(contributor: CodeActionContributor): Disposable {
    this.contributors.push(contributor);
    return { dispose: () => this.contributors.splice(this.contributors.indexOf(contributor), 1) };
  }

  /** All contributors' actions for a request. A failing contributor is logged and skipped. */
  async provide(request: CodeActionRequest, log: (message: string) => void): Promise<CodeAction[]> {
    const all: CodeAction[] = [];
    for (const contributor of this.contributors) {
      try {
        all.push(...(await contributor.provide(request)));
      } catch (error) {
        log(`Code actions of ${contributor.id} failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
    return all;
  }

  /** Completes a lazily resolved action; an action without a known resolver comes back as it is. */
  async resolve(action: CodeAction, token: CancellationToken): Promise<CodeAction> {
    const resolver = (action.data as Partial<ResolvableData> | undefined)?.resolver;
    const contributor = this.contributors.find((c) => c.id === resolver);
    return contributor?.resolve ? contributor.resolve(action, token) : action;
  }
}

/** Wires the code action requests to the registry. */
export function registerCodeActions(ctx: FeatureContext, registry: CodeActionRegistry): Disposable {
  const { connection } = ctx;
  connection.onCodeAction((params, token) =>
    ctx.guard('code actions', async () => {
      const file = filePath(params.textDocument.uri);
      if (!file) return [];
      return registry.provide({ params, file, token }, ctx.log);
    }),
  );
  connection.onCodeActionResolve((action, token) => ctx.guard('resolving a code action', () => registry.resolve(action, token)));
  return { dispose: () => undefined };
}

function filePath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
