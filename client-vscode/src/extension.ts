/**
 * The VS Code side of deep-review-lsp: it starts the server over stdio and
 * leaves the rest (diagnostics, the server's commands, settings) to
 * vscode-languageclient and the server.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

// VS Code activates an extension once per extension host and gives deactivate()
// no context, so the running client has to live here.
let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  client = new LanguageClient('deepReview', 'Deep Review', serverOptions(context), clientOptions());
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** The server to start: the deepReview.server.path setting, else the checkout this extension sits in, else PATH. */
function serverOptions(context: ExtensionContext): ServerOptions {
  const configured = workspace.getConfiguration('deepReview').get<string>('server.path', '').trim();
  const checkout = context.asAbsolutePath(path.join('..', 'bin', 'deep-review-lsp.js'));
  const module = configured || (existsSync(checkout) ? checkout : undefined);
  // A module runs with VS Code's own Node; the client adds --stdio either way.
  if (module) return { module, transport: TransportKind.stdio };
  return { command: 'deep-review-lsp', transport: TransportKind.stdio };
}

function clientOptions(): LanguageClientOptions {
  return {
    // Findings cite code in any language, and the server places them on the open text.
    documentSelector: [{ scheme: 'file' }],
    // Pushes deepReview.* changes; the server also asks with workspace/configuration.
    synchronize: { configurationSection: 'deepReview' },
  };
}
