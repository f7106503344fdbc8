/**
 * startServer wires the features to a connection. It holds no logic of its own
 * beyond the LSP lifecycle: settings, workspace folders and the error funnel.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  ErrorCodes,
  type Disposable,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
  WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnchoringPlacer } from './anchoring/anchoringPlacer.js';
import { runGit } from './git/gitRunner.js';
import { CodeActionRegistry, registerCodeActions } from './features/codeActions.js';
import { CommandRegistry } from './features/commandRegistry.js';
import type { FeatureContext } from './features/context.js';
import { DiagnosticsProvider } from './features/diagnosticsProvider.js';
import { registerFindingCommands } from './features/findingCommands.js';
import { registerHover } from './features/hover.js';
import { registerNavigation } from './features/navigation.js';
import { registerFixActions } from './features/fixActions.js';
import { computeFindingFixStatuses, isFixedInWorkingTree, type FileStateCache } from './features/fixStatus.js';
import { registerReload } from './features/reload.js';
import { registerRoundNotices, type RoundNotices } from './features/roundNotices.js';
import { registerRounds } from './features/rounds.js';
import { registerTriage, TriageService } from './features/triage.js';
import { ReportsReadNotification } from './protocol.js';
import { cleanText } from './features/wireText.js';
import { defaultSettings, parseSettings, type Settings } from './settings.js';
import { FileTexts } from './store/fileTexts.js';
import { DiskTexts } from './anchoring/diskTexts.js';
import { ReviewWorkspace } from './store/reviewWorkspace.js';
import { VERSION } from './version.js';

/** How long the server waits for the client to answer workspace/configuration before going on without it. */
const CONFIGURATION_TIMEOUT_MS = 3000;

/** Starts a deep-review language server on a connection; many can run in one process. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: Settings = defaultSettings();
  let initParams: InitializeParams | undefined;
  let workspace: ReviewWorkspace | undefined;
  let diagnostics: DiagnosticsProvider | undefined;
  let roundNotices: RoundNotices | undefined;
  let shuttingDown = false;
  const warned = new Map<string, string>();
  // One reader of cited files on disk, validated by stat, for the placer and every feature that reads them.
  const disk = new DiskTexts((file) => workspace?.rootOf(file));
  const texts = new FileTexts(
    (uri) => documents.get(uri)?.getText(),
    () => workspace?.roots() ?? [],
    (file) => disk.read(file),
  );
  const commands = new CommandRegistry();
  const codeActions = new CodeActionRegistry();
  const disposables: Disposable[] = [];
  const log = (message: string) => connection.console.log(message);

  connection.onInitialize((params): InitializeResult => {
    // A second initialize would start a second set of watchers that nothing ever stops.
    if (initParams) throw new ResponseError(ErrorCodes.InvalidRequest, 'The server is already initialized; initialize is accepted once');
    initParams = params;
    const fromInit = (params.initializationOptions as { deepReview?: unknown; settings?: { deepReview?: unknown } } | undefined) ?? {};
    applySettings(fromInit.deepReview ?? fromInit.settings?.deepReview);
    const caps = params.capabilities;
    const pull = usesPull(params, settings);
    workspace = new ReviewWorkspace(
      settings,
      (changes, batch) => {
        // The open files of a batch, published early: the batch itself is announced when it is whole.
        if (batch.partial) return void diagnostics?.publish(changes).catch((error: unknown) => logError('publishing the open files', error));
        void diagnostics
          ?.publish(changes)
          .then(() => roundNotices?.afterBatch())
          .then(() =>
            connection.sendNotification(ReportsReadNotification, {
              folder: batch.root ? pathToFileURL(batch.root).toString() : '',
              initial: batch.initial,
              reports: batch.files.map((file) => pathToFileURL(file).toString()),
              files: [...changes.files].map((file) => pathToFileURL(file).toString()),
            }),
          )
          .catch((error: unknown) => logError('reporting a batch', error));
      },
      log,
      undefined,
      (key, message) => {
        // Said once per subject until it changes; withdrawn silently when it is over.
        if (message === undefined) warned.delete(key);
        else if (warned.get(key) !== message) {
          warned.set(key, message);
          showWarning(message);
        }
      },
    );
    workspace.openFiles = () =>
      documents.keys().flatMap((uri) => {
        try {
          return uri.startsWith('file:') ? [fileURLToPath(uri)] : [];
        } catch {
          return []; // a file URI of another host
        }
      });
    const placer = new AnchoringPlacer({
      openDocument: (uri) => {
        const document = documents.get(uri);
        return document ? { text: document.getText(), version: document.version } : undefined;
      },
      rootOf: (file) => workspace?.rootOf(file),
      git: runGit,
      threshold: () => settings.anchorSimilarity,
      disk,
    });
    diagnostics = new DiagnosticsProvider({
      connection,
      isOpen: (uri) => documents.get(uri) !== undefined,
      store: workspace.store,
      placer,
      settings: () => settings,
      capabilities: {
        relatedInformation: caps.textDocument?.publishDiagnostics?.relatedInformation ?? false,
        codeDescription: caps.textDocument?.publishDiagnostics?.codeDescriptionSupport ?? caps.textDocument?.diagnostic !== undefined,
      },
      pull,
      refreshSupport: caps.workspace?.diagnostics?.refreshSupport ?? false,
      batch: (work) => disk.batch(work),
      fixedInWorkingTree: async (placed, batch, placements) =>
        isFixedInWorkingTree(await computeFindingFixStatuses({ texts, placer }, placed, { cache: batch as FileStateCache, placements })),
    });
    const context: FeatureContext = {
      connection,
      documents,
      workspace,
      store: workspace.store,
      texts,
      placer,
      diagnostics,
      commands,
      codeActions,
      clientCapabilities: caps,
      settings: () => settings,
      log,
      guard,
      notified,
    };
    roundNotices = registerRoundNotices(context);
    const triage = new TriageService(context);
    disposables.push(
      placer.follow(documents),
      diagnostics.register(),
      roundNotices,
      registerReload(context),
      registerCodeActions(context, codeActions),
      registerHover(context),
      registerNavigation(context),
      registerFindingCommands(context),
      registerFixActions(context),
      registerTriage(context, triage),
      registerRounds(context, triage),
    );
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        executeCommandProvider: { commands: commands.ids() },
        codeActionProvider: caps.textDocument?.codeAction?.resolveSupport ? { resolveProvider: true } : true,
        hoverProvider: true,
        workspaceSymbolProvider: true,
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...(pull ? { diagnosticProvider: { identifier: 'deep-review', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      },
      serverInfo: { name: 'deep-review-lsp', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (!initParams || !workspace) return; // initialized without initialize: nothing to start
    const params = initParams;
    const caps = params.capabilities;
    if (caps.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'deepReview' });
    }
    await loadConfiguration();
    if (shuttingDown) return;
    await workspace!.updateSettings(settings);
    if (caps.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) =>
        notified('workspace folders', async () => {
          for (const folder of event.removed) await workspace!.removeFolder(folderPath(folder));
          for (const folder of event.added) await workspace!.addFolder(folderPath(folder));
        }),
      );
    }
    for (const root of initialFolders(params)) await workspace!.addFolder(root);
  });

  connection.onDidChangeConfiguration((change) =>
    notified('settings', async () => {
      const pushed = (change.settings as { deepReview?: unknown } | undefined)?.deepReview;
      if (pushed !== undefined) applySettings(pushed);
      else await loadConfiguration();
      await workspace?.updateSettings(settings);
      await diagnostics?.publishAll();
    }),
  );

  connection.onExecuteCommand((params, token, workDone) =>
    guard(`command ${params.command}`, () =>
      commands.execute(params.command, params.arguments ?? [], token, params.workDoneToken, WorkDoneProgressReporter.isNullInstance(workDone) ? undefined : workDone),
    ),
  );

  // Edits carry findings along (the placer follows the buffer); closing goes back to the file on disk.
  const republish = (uri: string) => {
    if (!workspace || !diagnostics) return;
    const file = safeFilePath(uri);
    if (!file) return;
    // The file's own findings, and those elsewhere whose related locations point into it.
    const files = new Set(workspace.store.findingsForFile(file).length > 0 ? [file] : []);
    for (const citing of workspace.store.filesCitingAsRelated(file)) files.add(citing);
    if (files.size > 0) void diagnostics.publish({ files, reports: new Set() });
  };
  documents.onDidChangeContent((change) => republish(change.document.uri));
  documents.onDidClose((change) => republish(change.document.uri));

  connection.onShutdown(async () => {
    shuttingDown = true;
    for (const disposable of disposables.splice(0)) disposable.dispose();
    await workspace?.dispose();
    await diagnostics?.idle();
  });

  documents.listen(connection);
  connection.listen();

  function applySettings(raw: unknown): void {
    const result = parseSettings(raw, settings);
    settings = result.settings;
    // A notification, not a request: an editor must not block on a prompt for this.
    for (const error of result.errors) showWarning(error);
  }

  function showWarning(message: string): void {
    connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: cleanText(message, 2000) }).catch((e: unknown) => logError('showing a message', e));
  }

  async function loadConfiguration(): Promise<void> {
    if (!initParams?.capabilities.workspace?.configuration) return;
    const asked = connection.workspace.getConfiguration([{ section: 'deepReview' }]) as Promise<unknown[]>;
    const timeout = new Promise<'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), CONFIGURATION_TIMEOUT_MS);
      void asked.finally(() => clearTimeout(timer)).catch(() => undefined);
    });
    try {
      const answer = await Promise.race([asked, timeout]);
      if (answer === 'timeout') {
        log(`The client did not answer workspace/configuration within ${CONFIGURATION_TIMEOUT_MS} ms; going on with initializationOptions or the defaults`);
        // A late answer still counts: it is applied when it comes.
        asked.then(
          ([value]) =>
            notified('late settings', async () => {
              if (value === null || value === undefined || shuttingDown) return;
              applySettings(value);
              await workspace?.updateSettings(settings);
              await diagnostics?.publishAll();
            }),
          () => undefined,
        );
        return;
      }
      const [value] = answer;
      // A client without settings for us answers null: keep what initializationOptions gave.
      if (value !== null && value !== undefined) applySettings(value);
    } catch (error) {
      log(`Could not read settings: ${(error as Error).message}`);
    }
  }

  /** The error funnel of requests: domain errors reach the client as ResponseError with a reason. */
  async function guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (!initParams) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized yet: send initialize first');
    if (shuttingDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'The server is shutting down; it serves no more requests');
    try {
      return await run();
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      logError(what, error);
      throw new ResponseError(ErrorCodes.InternalError, `${what} failed: ${(error as Error).message}`);
    }
  }

  /** The error funnel of notifications: nobody awaits them, so errors are logged, never rethrown. */
  async function notified(what: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      logError(what, error);
    }
  }

  function logError(what: string, error: unknown): void {
    if (shuttingDown) return; // the connection may already be gone
    try {
      connection.console.error(`${what} failed: ${(error as Error).stack ?? String(error)}`);
    } catch {
      // Nothing is left to tell.
    }
  }
}

function usesPull(params: InitializeParams, settings: Settings): boolean {
  if (settings.diagnosticsMode !== 'auto') return settings.diagnosticsMode === 'pull';
  const caps = params.capabilities;
  return Boolean(caps.textDocument?.diagnostic && caps.workspace?.diagnostics?.refreshSupport);
}

function initialFolders(params: InitializeParams): string[] {
  const folders: WorkspaceFolder[] = params.workspaceFolders ?? [];
  if (folders.length > 0) return folders.map(folderPath);
  if (params.rootUri) return [fileURLToPath(params.rootUri)];
  if (params.rootPath) return [params.rootPath];
  return [];
}

function folderPath(folder: WorkspaceFolder): string {
  return fileURLToPath(folder.uri);
}

function safeFilePath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
