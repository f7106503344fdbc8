/**
 * The test client: speaks real JSON-RPC to a server, either in this process over
 * two in-memory pipes or by spawning the built binary. It runs the full
 * handshake, answers workspace/configuration, and lets tests wait for
 * notifications with a predicate and a timeout (never a sleep).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditResult,
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../../server/src/server.js';
import type { ReportsReadParams } from '../../server/src/protocol.js';

export const REPO_ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const BIN = path.join(REPO_ROOT, 'bin', 'deep-review-lsp.js');

/** How to start a test session. */
export interface ClientOptions {
  /** Workspace folder paths. */
  folders: string[];
  /** The `deepReview` settings answered to workspace/configuration (undefined answers null). */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  /** Extra or replacement client capabilities. */
  capabilities?: ClientCapabilities;
  /** Spawn bin/deep-review-lsp.js instead of running in-process. */
  spawn?: boolean;
  /** Wait for each folder's initial scan before returning (default true). */
  waitForScan?: boolean;
  /** Never answer workspace/configuration, like a client that forgets to. */
  neverAnswerConfiguration?: boolean;
  /** With `spawn`: the command that starts the server (default: node bin/deep-review-lsp.js --stdio). */
  command?: string[];
}

const DEFAULT_TIMEOUT = 10_000;

/** Capabilities of a typical modern client, with push diagnostics. */
export function defaultCapabilities(): ClientCapabilities {
  return {
    workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
    textDocument: {
      publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: false },
      synchronization: { didSave: true },
    },
    window: { workDoneProgress: true },
  };
}

type Waiter = { check: () => boolean; resolve: () => void };

/** A connected test client. */
export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** URIs in the order their diagnostics were published. */
  readonly publishOrder: string[] = [];
  readonly reportsRead: ReportsReadParams[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  /** `$/progress` notifications, in order. */
  readonly progress: { token: string | number; value: { kind: string; title?: string; message?: string; cancellable?: boolean } }[] = [];
  /** Tokens the server created with window/workDoneProgress/create. */
  readonly progressTokens: (string | number)[] = [];
  /** window/showMessageRequest requests, in order. */
  readonly messageRequests: { type: number; message: string; actions?: { title: string }[] }[] = [];
  /** How window/showMessageRequest is answered (default: as if the user closed it). */
  answerMessageRequest: (request: { message: string; actions?: { title: string }[] }) => { title: string } | null = () => null;
  settings: Record<string, unknown> | undefined;
  initializeResult?: InitializeResult;
  private readonly waiters = new Set<Waiter>();
  private readonly closers: (() => void)[] = [];

  constructor(
    readonly connection: MessageConnection,
    settings: Record<string, unknown> | undefined,
    readonly child?: ChildProcess,
  ) {
    this.settings = settings;
    // One handler per method (vscode-jsonrpc keeps only one): fan out to waiters.
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.publishOrder.push(params.uri);
      this.diagnostics.set(params.uri, params.diagnostics);
      this.wake();
    });
    connection.onNotification('deepReview/reportsRead', (params: ReportsReadParams) => {
      this.reportsRead.push(params);
      this.wake();
    });
    connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.messages.push(params);
      this.wake();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.wake();
    });
    connection.onNotification('$/progress', (params: TestClient['progress'][number]) => {
      this.progress.push(params);
      this.wake();
    });
    connection.onRequest('window/showMessageRequest', (params: TestClient['messageRequests'][number]) => {
      this.messageRequests.push(params);
      this.wake();
      return this.answerMessageRequest(params);
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'deepReview' ? (this.settings ?? null) : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.progressTokens.push(params.token);
      this.wake();
      return null;
    });
    connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => this.applyWorkspaceEdit(params));
    connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      this.wake();
      return null;
    });
    connection.listen();
  }

  refreshes = 0;
  /** Every workspace/applyEdit the server sent, in order. */
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  /** Documents this client has open: their version and text, kept up to date by applied edits. */
  readonly openDocuments = new Map<string, { version: number; text: string }>();

  /** Adds a clean-up run by `close`. */
  onClose(closer: () => void): void {
    this.closers.push(closer);
  }

  /** Diagnostics last published for a file path. */
  diagnosticsFor(file: string): Diagnostic[] {
    return this.diagnostics.get(pathToFileURL(file).toString()) ?? [];
  }

  /** Resolves when `check` holds, re-checked on every notification; rejects after the timeout. */
  waitFor(what: string, check: () => boolean, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Waits until the diagnostics of `file` satisfy `check`. */
  waitForDiagnostics(file: string, check: (diagnostics: Diagnostic[]) => boolean, what = `diagnostics of ${path.basename(file)}`): Promise<Diagnostic[]> {
    return this.waitFor(what, () => this.diagnostics.has(pathToFileURL(file).toString()) && check(this.diagnosticsFor(file))).then(() =>
      this.diagnosticsFor(file),
    );
  }

  /** Waits for the next reportsRead batch after this call that satisfies `check`. */
  nextBatch(check: (batch: ReportsReadParams) => boolean = () => true, what = 'a batch of report changes'): Promise<ReportsReadParams> {
    const from = this.reportsRead.length;
    let found: ReportsReadParams | undefined;
    return this.waitFor(what, () => {
      found = this.reportsRead.slice(from).find(check);
      return found !== undefined;
    }).then(() => found!);
  }

  /** Sends a request. */
  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Sends a notification. */
  notify(method: string, params?: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** Opens a document with the given text. */
  open(file: string, text: string, languageId = 'plaintext'): Promise<void> {
    this.openDocuments.set(pathToFileURL(file).toString(), { version: 1, text });
    return this.notify('textDocument/didOpen', { textDocument: { uri: pathToFileURL(file).toString(), languageId, version: 1, text } });
  }

  /** Replaces an open document's text, as an editor does when the user types. */
  change(file: string, text: string): Promise<void> {
    const uri = pathToFileURL(file).toString();
    const doc = this.openDocuments.get(uri);
    if (!doc) throw new Error(`${file} is not open`);
    doc.version++;
    doc.text = text;
    return this.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: [{ text }] });
  }

  /** The text of a file as this client sees it: the open document, else the disk. */
  textOf(file: string): string | undefined {
    const doc = this.openDocuments.get(pathToFileURL(file).toString());
    if (doc) return doc.text;
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  /**
   * Answers workspace/applyEdit as an editor does: open documents are edited
   * (a stale version refuses the whole edit) and the server told with didChange;
   * other files are written on disk; files are created and deleted.
   */
  private async applyWorkspaceEdit(params: ApplyWorkspaceEditParams): Promise<ApplyWorkspaceEditResult> {
    this.appliedEdits.push(params);
    const edit = params.edit;
    const steps: ({ uri: string; version?: number | null; edits: TextEdit[] } | { kind: 'create' | 'delete'; uri: string; overwrite?: boolean })[] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change) steps.push({ uri: change.textDocument.uri, version: change.textDocument.version, edits: change.edits as TextEdit[] });
      else if (change.kind === 'create' || change.kind === 'delete') steps.push({ kind: change.kind, uri: change.uri, overwrite: change.kind === 'create' && change.options?.overwrite === true });
      else return { applied: false, failureReason: `unsupported ${change.kind}` };
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) steps.push({ uri, edits });
    for (const step of steps) {
      if ('edits' in step && step.version !== undefined && step.version !== null && this.openDocuments.get(step.uri)?.version !== step.version) {
        this.wake();
        return { applied: false, failureReason: `version ${step.version} of ${step.uri} is not the open one` };
      }
    }
    for (const step of steps) {
      const file = fileURLToPath(step.uri);
      if ('kind' in step) {
        if (step.kind === 'create') {
          if (existsSync(file) && !step.overwrite) return { applied: false, failureReason: `${file} exists` };
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, '');
        } else rmSync(file);
        continue;
      }
      const doc = this.openDocuments.get(step.uri);
      const before = doc ? doc.text : readFileSync(file, 'utf8');
      const after = TextDocument.applyEdits(TextDocument.create(step.uri, 'plaintext', 0, before), step.edits);
      if (doc) await this.change(file, after);
      else writeFileSync(file, after);
    }
    this.wake();
    return { applied: true };
  }

  /** Shuts the server down and closes the connection (never sends `exit` in-process). */
  async close(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      if (this.child && this.child.exitCode === null) {
        const exited = new Promise((resolve) => this.child!.once('exit', resolve));
        await this.notify('exit');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      }
    } catch {
      // The server may already be gone; closing is best effort.
    }
    this.connection.dispose();
    for (const closer of this.closers) closer();
    if (this.child && this.child.exitCode === null) this.child.kill();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}

/** Starts a server (in-process or spawned), runs the handshake and waits for the initial scans. */
export async function startClient(options: ClientOptions): Promise<TestClient> {
  let client: TestClient;
  if (options.spawn) {
    const [program, ...args] = options.command ?? [process.execPath, BIN, '--stdio'];
    const child = spawn(program!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    client = new TestClient(connection, options.settings, child);
    client.onClose(() => {
      if (stderr.trim()) client.logs.push(`stderr: ${stderr}`);
    });
  } else {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    // Wrapping the streams keeps the library from calling process.exit when they end.
    const serverConnection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(serverConnection);
    const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client = new TestClient(connection, options.settings);
    client.onClose(() => serverConnection.dispose());
  }
  if (options.neverAnswerConfiguration) client.connection.onRequest('workspace/configuration', () => new Promise(() => undefined));
  const firstScans = options.waitForScan === false ? undefined : waitForInitialScans(client, options.folders);
  client.initializeResult = await client.request<InitializeResult>('initialize', {
    processId: options.spawn ? process.pid : null,
    rootUri: options.folders[0] ? pathToFileURL(options.folders[0]).toString() : null,
    workspaceFolders: options.folders.map((folder) => ({ uri: pathToFileURL(folder).toString(), name: path.basename(folder) })),
    capabilities: options.capabilities ?? defaultCapabilities(),
    initializationOptions: options.initializationOptions,
  });
  await client.notify('initialized', {});
  await firstScans;
  return client;
}

function waitForInitialScans(client: TestClient, folders: string[]): Promise<void> {
  const wanted = new Set(folders.map((folder) => pathToFileURL(folder).toString()));
  return client.waitFor(`the initial scan of ${folders.join(', ')}`, () =>
    [...wanted].every((folder) => client.reportsRead.some((batch) => batch.initial && batch.folder === folder)),
  );
}
