/**
 * The VS Code side of deep-review-lsp: it starts the server over stdio with
 * vscode-languageclient for every `file` document, fills in the arguments of
 * the server's commands when they run from the Command Palette, and keeps a
 * status bar item with the counts of open findings.
 */
import { existsSync } from 'node:fs';
import { languages, Position, Range, StatusBarAlignment, Uri, window, workspace, type Diagnostic, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { computeCommandArguments } from './commandArgs.js';
import { computeFindingPicks } from './findingPicks.js';
import { chooseServer } from './serverPath.js';
import { computeStatus, SOURCE, type Severity } from './status.js';

// VS Code activates an extension once per extension host and gives deactivate()
// no context, so the running client has to live here.
let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  client = new LanguageClient('deepReview', 'Deep Review', serverOptions(context), clientOptions());
  context.subscriptions.push(statusItem());
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function serverOptions(context: ExtensionContext): ServerOptions {
  const configured = workspace.getConfiguration('deepReview').get<string>('server.path', '');
  const choice = chooseServer(configured, context.extensionPath, existsSync);
  // A module runs with VS Code's own Node; the client adds --stdio either way.
  if (choice.kind === 'module') return { module: choice.module, transport: TransportKind.stdio };
  return { command: choice.command, transport: TransportKind.stdio };
}

/** Keys of the deep-review diagnostics under the active editor's cursor, most severe first. */
function findingsAtCursor(): string[] {
  const editor = window.activeTextEditor;
  if (!editor) return [];
  const position = editor.selection.active;
  return languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.source === SOURCE && d.range.contains(position))
    .sort((a, b) => a.severity - b.severity)
    .map((d) => (d as Diagnostic & { data?: { key?: string } }).data?.key)
    .filter((key): key is string => typeof key === 'string');
}

function clientOptions(): LanguageClientOptions {
  return {
    // Findings cite code in any language, and the server places them on the open text.
    documentSelector: [{ scheme: 'file' }],
    // Pushes deepReview.* changes; the server also asks with workspace/configuration.
    synchronize: { configurationSection: 'deepReview' },
    middleware: {
      // The client registers every command the server lists; from the palette they come without arguments.
      executeCommand: async (command, args, next) => {
        const editor = window.activeTextEditor;
        const filled = computeCommandArguments(command, args, {
          findingsAtCursor: findingsAtCursor(),
          ...(editor?.document.uri.scheme === 'file' ? { fileUri: editor.document.uri.toString() } : {}),
        });
        if ('error' in filled) {
          void window.showWarningMessage(`Deep Review: ${filled.error}`);
          return undefined;
        }
        const result: unknown = await next(command, filled.args);
        // From the palette, the list is for choosing where to go.
        if (command === 'deepReview.listFindings' && args.length === 0) await pickFinding(result);
        return result;
      },
    },
  };
}

async function pickFinding(list: unknown): Promise<void> {
  const picks = computeFindingPicks(list);
  if (picks.length === 0) {
    void window.showInformationMessage('Deep Review: no open findings');
    return;
  }
  const chosen = await window.showQuickPick(picks, { placeHolder: 'Open finding', matchOnDescription: true, matchOnDetail: true });
  if (!chosen) return;
  const at = new Position(chosen.line, 0);
  await window.showTextDocument(Uri.parse(chosen.uri), { selection: new Range(at, at) });
}

/** The status bar item: counts of open findings, updated as diagnostics change; a click opens the Problems view. */
function statusItem() {
  const item = window.createStatusBarItem(StatusBarAlignment.Left, 50);
  item.command = 'workbench.actions.view.problems';
  const update = () => {
    const all = languages.getDiagnostics().flatMap(([, list]) => list.map((d) => ({ source: d.source, severity: d.severity as Severity })));
    const status = computeStatus(all);
    item.text = status.text;
    item.tooltip = status.tooltip;
    item.show();
  };
  update();
  const listener = languages.onDidChangeDiagnostics(update);
  return { dispose: () => (listener.dispose(), item.dispose()) };
}
