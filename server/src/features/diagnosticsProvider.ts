/**
 * Delivers diagnostics to the client: pushed with publishDiagnostics, or pulled
 * through textDocument/diagnostic and workspace/diagnostic when the client can.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DocumentDiagnosticReportKind,
  type Connection,
  type Diagnostic,
  type Disposable,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { Placement, Placer } from '../anchoring/placement.js';
import type { Settings } from '../settings.js';
import type { ChangeSet, PlacedFinding, ReviewStore } from '../store/reviewStore.js';
import { computeFindingDiagnostics, computeReportDiagnostics, DIAGNOSTIC_SOURCE, type DiagnosticCapabilities, type FindingPlacements } from './diagnostics.js';
import { computeGoneFilePlacements } from './goneFiles.js';
import { computeNoticeDiagnostic } from './roundNotices.js';
import { cleanText } from './wireText.js';

/** What a file shows when its diagnostics could not be computed or sent. */
function failureDiagnostic(error: unknown): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 2,
    source: DIAGNOSTIC_SOURCE,
    code: 'publish-failed',
    message: cleanText(`The deep-review diagnostics of this file could not be published: ${(error as Error)?.message ?? String(error)}`),
  };
}

/** Files placed ahead of the one being sent. */
const PUBLISH_AHEAD = 16;

/** What the provider needs from the server. */
export interface DiagnosticsContext {
  /** True when the document is open in the editor; its diagnostics are sent first. */
  isOpen?: (uri: string) => boolean;
  connection: Connection;
  store: ReviewStore;
  placer: Placer;
  settings: () => Settings;
  capabilities: DiagnosticCapabilities;
  /** Pull when true, push otherwise. */
  pull: boolean;
  /** Whether the client accepts workspace/diagnostic/refresh. */
  refreshSupport: boolean;
  /** True when the finding's fix is already in today's text (asked only while the setting shows it); `batch` is shared by the findings of one file. */
  fixedInWorkingTree?: (placed: PlacedFinding, batch: Map<string, unknown>, placements: { primary: Placement; related: Placement[] }) => Promise<boolean>;
  /** Runs one publication as a batch in which each cited file is checked on disk once. */
  batch?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Changes or drops (undefined) the diagnostic of a finding: how triage hides or quiets findings. */
export type FindingDiagnosticAdjuster = (placed: PlacedFinding, diagnostic: Diagnostic) => Diagnostic | undefined;

/** Diagnostics on files of the server's own (the triage file), published with the others. */
export interface DiagnosticSource {
  /** Files that may have diagnostics from this source. */
  files(): Iterable<string>;
  diagnosticsFor(file: string): Diagnostic[];
}

/** Publishes (or serves) finding and report diagnostics. */
export class DiagnosticsProvider {
  private queue: Promise<void> = Promise.resolve();
  private readonly adjusters = new Set<FindingDiagnosticAdjuster>();
  private readonly sources = new Set<DiagnosticSource>();

  /** Adds an adjuster applied to every finding diagnostic, in the order added. */
  addAdjuster(adjuster: FindingDiagnosticAdjuster): Disposable {
    this.adjusters.add(adjuster);
    return { dispose: () => this.adjusters.delete(adjuster) };
  }

  /** Adds diagnostics of other files. */
  addSource(source: DiagnosticSource): Disposable {
    this.sources.add(source);
    return { dispose: () => this.sources.delete(source) };
  }

  constructor(private readonly ctx: DiagnosticsContext) {}

  /** Wires pull handlers when pulling; returns a disposable for them. */
  register(): Disposable {
    if (!this.ctx.pull) return { dispose: () => undefined };
    const { connection } = this.ctx;
    const disposables = [
      connection.languages.diagnostics.on(async (params) => ({
        kind: DocumentDiagnosticReportKind.Full,
        items: await this.diagnosticsFor(params.textDocument.uri),
      })),
      connection.languages.diagnostics.onWorkspace(async () => ({ items: await (this.ctx.batch ?? ((work) => work()))(() => this.workspaceReport()) })),
    ];
    return { dispose: () => disposables.forEach((d) => d.dispose()) };
  }

  /** Sends what a change touched: each touched cited file and report once. Calls are serialised. */
  publish(changes: ChangeSet): Promise<void> {
    const files = [...changes.files];
    const reports = [...changes.reports];
    const batch = this.ctx.batch ?? ((work) => work());
    this.queue = this.queue.then(() => batch(() => this.send(files, reports))).catch((error: Error) => {
      try {
        this.ctx.connection.console.error(`Publishing diagnostics failed: ${error.stack ?? error.message}`);
      } catch {
        // The connection is closed: nobody is left to publish to.
      }
    });
    return this.queue;
  }

  /** Resolves when every publication asked for so far is done. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Re-sends everything, after a settings change. */
  publishAll(previousFiles: Iterable<string> = []): Promise<void> {
    const files = new Set([...previousFiles, ...this.ctx.store.filesWithFindings(), ...this.sourceFiles()]);
    const reports = new Set([...this.ctx.store.allReports()].map((entry) => entry.file));
    return this.publish({ files, reports });
  }

  /** Diagnostics of one document, finding and report diagnostics together. */
  async diagnosticsFor(uri: string): Promise<Diagnostic[]> {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return [];
    }
    const store = this.ctx.store;
    // A finding whose file is gone is shown on its report instead.
    const placements = (await this.placeAll(store.findingsForFile(file))).filter(({ primary }) => primary.method !== 'file-gone');
    const fromFindings = this.adjust(
      placements.map(({ placed }) => placed),
      placements.length > 0 ? computeFindingDiagnostics(placements, this.ctx.settings(), this.ctx.capabilities) : [],
    );
    const fromSources = [...this.sources].flatMap((source) => source.diagnosticsFor(file));
    const entry = store.report(file);
    if (!entry) return [...fromFindings, ...fromSources];
    const ofReport = store.findingsOfReport(entry.file);
    // Which files are gone needs only placements; fix statuses are asked for those findings alone.
    const ofGoneFiles = (await this.placeAll(ofReport, false)).filter(({ primary }) => primary.method === 'file-gone').map(({ placed }) => placed);
    const gone = ofGoneFiles.length > 0 ? computeGoneFilePlacements(await this.placeAll(ofGoneFiles), entry.text) : [];
    const notice = store.notice(entry.file);
    return [
      ...computeReportDiagnostics(entry, this.shadowedBy(entry.file)),
      ...(notice ? [computeNoticeDiagnostic(notice)] : []),
      ...(gone.length > 0 ? this.adjust(gone.map(({ placed }) => placed), computeFindingDiagnostics(gone, this.ctx.settings(), this.ctx.capabilities)) : []),
      ...fromFindings,
      ...fromSources,
    ];
  }

  private placeAll(findings: readonly PlacedFinding[], withFixStatus = true): Promise<FindingPlacements[]> {
    const fixed = !withFixStatus || this.ctx.settings().fixedInWorkingTree === 'unchanged' ? undefined : this.ctx.fixedInWorkingTree;
    const batch = new Map<string, unknown>();
    return Promise.all(
      findings.map(async (placed) => {
        const primary = await this.ctx.placer.place(placed.primary, placed.review);
        const related = await Promise.all(placed.related.map((location) => this.ctx.placer.place(location, placed.review)));
        return { placed, primary, related, ...(fixed ? { fixed: await fixed(placed, batch, { primary, related }) } : {}) };
      }),
    );
  }

  private adjust(findings: PlacedFinding[], diagnostics: Diagnostic[]): Diagnostic[] {
    if (this.adjusters.size === 0) return diagnostics;
    const byKey = new Map(findings.map((placed) => [placed.key, placed]));
    const kept: Diagnostic[] = [];
    for (const original of diagnostics) {
      const placed = byKey.get((original.data as { key?: string } | undefined)?.key ?? '');
      let current: Diagnostic | undefined = original;
      for (const adjuster of placed ? this.adjusters : []) {
        current = adjuster(placed!, current);
        if (!current) break;
      }
      if (current) kept.push(current);
    }
    return kept;
  }

  private sourceFiles(): string[] {
    return [...this.sources].flatMap((source) => [...source.files()]);
  }

  private shadowedBy(file: string): string | undefined {
    const entry = this.ctx.store.report(file);
    if (!entry || !this.ctx.store.isShadowed(entry)) return undefined;
    return file.replace(/\.(md|markdown)$/i, '.json').split(/[\\/]/).pop();
  }

  private async send(files: string[], reports: string[]): Promise<void> {
    if (this.ctx.pull) {
      if (this.ctx.refreshSupport) await this.ctx.connection.languages.diagnostics.refresh();
      return;
    }
    // Open documents first: what the user is looking at is published before the rest.
    const all = [...new Set([...files, ...reports].map((file) => pathToFileURL(file).toString()))];
    const isOpen = this.ctx.isOpen ?? (() => false);
    const uris = [...all.filter(isOpen), ...all.filter((uri) => !isOpen(uri))];
    // Several files are placed at once (their reads overlap) while they are sent in order, one at a time.
    const computing: (Promise<Diagnostic[]> | undefined)[] = [];
    const compute = (uri: string) =>
      this.diagnosticsFor(uri).catch((error: unknown) => {
        // Each file on its own: one that cannot be published never holds back the rest of the batch.
        this.logFailure(uri, error);
        return [failureDiagnostic(error)];
      });
    for (let i = 0; i < uris.length; i++) {
      while (computing.length < Math.min(uris.length, i + PUBLISH_AHEAD)) computing.push(compute(uris[computing.length]!));
      const uri = uris[i]!;
      const diagnostics = await computing[i]!;
      computing[i] = undefined;
      await this.ctx.connection.sendDiagnostics({ uri, diagnostics }).catch(async (error: unknown) => {
        this.logFailure(uri, error);
        await this.ctx.connection.sendDiagnostics({ uri, diagnostics: [failureDiagnostic(error)] });
      });
    }
  }

  private logFailure(uri: string, error: unknown): void {
    try {
      this.ctx.connection.console.error(`Diagnostics of ${uri} could not be published: ${(error as Error).stack ?? String(error)}`);
    } catch {
      // The connection is closed: nobody is left to tell.
    }
  }

  private async workspaceReport(): Promise<WorkspaceDocumentDiagnosticReport[]> {
    const store = this.ctx.store;
    const files = new Set([...store.filesWithFindings(), ...[...store.allReports()].map((entry) => entry.file), ...this.sourceFiles()]);
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const file of files) {
      const uri = pathToFileURL(file).toString();
      let diagnostics: Diagnostic[];
      try {
        diagnostics = await this.diagnosticsFor(uri);
      } catch (error) {
        this.logFailure(uri, error);
        diagnostics = [failureDiagnostic(error)];
      }
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: diagnostics });
    }
    return items;
  }
}
