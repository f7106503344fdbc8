/**
 * What every feature is handed when the server wires it: the connection, the
 * store and the services around it. Features take what they need from here and
 * never reach for module state.
 */
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Placer } from '../anchoring/placement.js';
import type { Settings } from '../settings.js';
import type { FileTexts } from '../store/fileTexts.js';
import type { ReviewStore } from '../store/reviewStore.js';
import type { ReviewWorkspace } from '../store/reviewWorkspace.js';
import type { CodeActionRegistry } from './codeActions.js';
import type { CommandRegistry } from './commandRegistry.js';
import type { DiagnosticsProvider } from './diagnosticsProvider.js';

/** The services a feature is wired with; one per server. */
export interface FeatureContext {
  connection: Connection;
  /** Open documents; their text wins over the file on disk. */
  documents: TextDocuments<TextDocument>;
  workspace: ReviewWorkspace;
  store: ReviewStore;
  texts: FileTexts;
  placer: Placer;
  diagnostics: DiagnosticsProvider;
  commands: CommandRegistry;
  /** Where features add their code actions. */
  codeActions: CodeActionRegistry;
  /** What the client said it can do in `initialize`. */
  clientCapabilities: ClientCapabilities;
  /** The settings in force now. */
  settings(): Settings;
  /** Logs a line to the client's log. */
  log(message: string): void;
  /** The error funnel of requests: domain errors reach the client as ResponseError with a reason. */
  guard<T>(what: string, run: () => Promise<T>): Promise<T>;
  /** The error funnel of notifications: errors are logged, never rethrown. */
  notified(what: string, run: () => Promise<void>): Promise<void>;
}
