/**
 * Triage: "Dismiss", "Accept" and "Reopen" as commands and code actions, kept
 * in each review directory's triage file by finding fingerprint. Dismissed
 * findings are hidden or shown as hints; the triage file's own problems are
 * diagnostics on it.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  ErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type CodeAction,
  type Diagnostic,
  type Disposable,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../model/review.js';
import type { TriageDecision, TriageState } from '../model/triage.js';
import { Commands, DISMISS_REASONS, type TriageResult } from '../protocol.js';
import { computeFingerprint } from '../store/fingerprint.js';
import { triageFilePath } from '../store/reviewDirectoryFiles.js';
import type { PlacedFinding } from '../store/reviewStore.js';
import { describeSeries } from '../store/series.js';
import { applyDecision, TriageFile, TriageWriteError } from '../store/triage.js';
import type { CodeActionContributor } from './codeActions.js';
import type { FeatureContext } from './context.js';
import { DIAGNOSTIC_SOURCE } from './diagnostics.js';
import { computeFindingsAt, findByKey } from './findingsAt.js';

/** What each command records. */
const STATES = { [Commands.dismiss]: 'dismissed', [Commands.accept]: 'accepted', [Commands.reopen]: 'open' } as const;
const VERBS: Record<TriageState, string> = { dismissed: 'Dismiss', accepted: 'Accept', open: 'Reopen' };
/** Which actions a finding in each state is offered. */
const OFFERED: Record<TriageState, TriageState[]> = { open: ['accepted', 'dismissed'], accepted: ['dismissed', 'open'], dismissed: ['open', 'accepted'] };
const COMMAND_OF: Record<TriageState, (typeof Commands)['dismiss' | 'accept' | 'reopen']> = {
  dismissed: Commands.dismiss,
  accepted: Commands.accept,
  open: Commands.reopen,
};

/** The triage of a server: one triage file per workspace folder. */
export class TriageService {
  private readonly files = new Map<string, TriageFile>();
  private readonly fingerprints = new WeakMap<Finding, string>();

  constructor(private readonly ctx: FeatureContext) {}

  /** The fingerprint of a finding (cached per finding object). */
  fingerprintOf(finding: Finding): string {
    let fingerprint = this.fingerprints.get(finding);
    if (!fingerprint) this.fingerprints.set(finding, (fingerprint = computeFingerprint(finding)));
    return fingerprint;
  }

  /** The triage file of a workspace folder under the current review directory setting. */
  fileOf(root: string): TriageFile {
    const file = triageFilePath(this.ctx.workspace.reviewDirectoryOf(root));
    let triage = this.files.get(root);
    if (!triage || triage.file !== file) this.files.set(root, (triage = new TriageFile(file, root)));
    return triage;
  }

  /** The decision in force about a finding, if any. */
  decisionOf(placed: PlacedFinding): TriageDecision | undefined {
    const findings = this.files.get(placed.report.root)?.current().findings;
    // Most workspaces decide nothing: no fingerprint is worked out then.
    if (!findings || !hasAny(findings)) return undefined;
    return findings[this.fingerprintOf(placed.finding)];
  }

  /** True when the triage of `root` dismisses the finding with this fingerprint. */
  isDismissed(root: string, fingerprint: string): boolean {
    return this.files.get(root)?.current().findings[fingerprint]?.state === 'dismissed';
  }

  /** Every triage file known, for the diagnostics on them. */
  all(): TriageFile[] {
    return [...this.files.values()];
  }

  /** Re-reads a triage file that may have changed; re-publishes what it touched. */
  async reload(root: string, file: string): Promise<void> {
    const triage = this.fileOf(root);
    if (triage.file !== file) return;
    if (await triage.reload()) await this.republish(root, triage);
  }

  /** Records a decision, asking for a reason when a dismissal has none. */
  async decide(state: TriageState, args: unknown[]): Promise<TriageResult> {
    const { key, reason } = readArguments(args);
    const placed = findByKey(this.ctx.store, key);
    if (!placed) throw new ResponseError(ErrorCodes.InvalidParams, `No shown finding has the key "${key}"; it may belong to a round that is no longer shown`);
    const fingerprint = this.fingerprintOf(placed.finding);
    let why = reason;
    if (state === 'dismissed' && !why) {
      let choice: { title: string } | undefined | null;
      try {
        choice = await this.ctx.connection.window.showInformationMessage(
          `Dismiss ${placed.finding.id}: ${shortTitle(placed.finding.title)}? Choose a reason`,
          ...DISMISS_REASONS.map((title) => ({ title })),
        );
      } catch (error) {
        // A client that cannot ask still gets the dismissal, without a reason.
        this.ctx.log(`Could not ask for a reason (${(error as Error).message}); dismissing without one`);
        choice = { title: '' };
      }
      if (!choice) return { status: 'cancelled', fingerprint };
      why = choice.title || undefined;
    }
    const decision: TriageDecision = {
      state,
      ...(why ? { reason: why } : {}),
      by: this.author(),
      at: new Date().toISOString(),
      ...(placed.review.round ? { round: placed.review.round.number } : {}),
      ...(describeSeries(placed.review) ? { series: describeSeries(placed.review) } : {}),
    };
    const root = placed.report.root;
    const triage = this.fileOf(root);
    const primary = placed.finding.locations[0];
    const finding = {
      id: placed.finding.id,
      title: placed.finding.title,
      ...(primary ? { path: primary.resolvedPath ?? primary.path ?? '' } : {}),
      report: path.relative(root, placed.report.file).split(path.sep).join('/'),
    };
    try {
      await triage.update((current) => applyDecision(current, fingerprint, decision, finding));
    } catch (error) {
      await this.republish(root, triage);
      const message = error instanceof TriageWriteError ? error.message : `The triage file could not be written: ${(error as Error).message}`;
      void this.ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message });
      return { status: 'failed', fingerprint, message };
    }
    await this.republish(root, triage);
    return { status: 'recorded', fingerprint, state, ...(why ? { reason: why } : {}), triageFile: pathToFileURL(triage.file).toString() };
  }

  /** Who decisions are recorded under: the setting, else the OS user (no program is run to find out). */
  private author(): string {
    const configured = this.ctx.settings().triageAuthor.trim();
    if (configured) return configured;
    try {
      return os.userInfo().username;
    } catch {
      return process.env.USER ?? process.env.USERNAME ?? 'unknown';
    }
  }

  private async republish(root: string, triage: TriageFile): Promise<void> {
    const files = new Set<string>([triage.file]);
    for (const placed of this.ctx.store.allFindings()) if (placed.report.root === root) files.add(placed.primary.file);
    await this.ctx.diagnostics.publish({ files, reports: new Set() });
  }
}

function hasAny(record: object): boolean {
  for (const _ in record) return true;
  return false;
}

/** Registers the triage commands, code actions, diagnostics and file watching. */
export function registerTriage(ctx: FeatureContext, service: TriageService): Disposable {
  const disposables: Disposable[] = [
    ctx.workspace.onTriageFile((root, _directory, file) => service.reload(root, file)),
    ctx.diagnostics.addAdjuster((placed, diagnostic) => adjustDiagnostic(service.decisionOf(placed), diagnostic, ctx.settings().dismissed)),
    ctx.diagnostics.addSource({
      files: () => service.all().filter((triage) => triage.lastRead().problems.length > 0).map((triage) => triage.file),
      diagnosticsFor: (file) => triageFileDiagnostics(service.all().find((triage) => triage.file === file)),
    }),
    ctx.codeActions.register(triageActions(ctx, service)),
  ];
  for (const [command, state] of Object.entries(STATES)) {
    disposables.push(ctx.commands.register(command as keyof typeof STATES, (args) => service.decide(state, args)));
  }
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}

/** A finding's diagnostic under its triage: dismissed ones hidden or quieted, accepted ones marked. */
export function adjustDiagnostic(decision: TriageDecision | undefined, diagnostic: Diagnostic, dismissed: 'hide' | 'hint'): Diagnostic | undefined {
  if (!decision || decision.state === 'open') return diagnostic;
  const detail = [decision.reason ? `(${decision.reason})` : '', decision.by ? `by ${decision.by}` : '', decision.round !== undefined ? `in round ${decision.round}` : '']
    .filter(Boolean)
    .join(' ');
  const note = `${decision.state}${detail ? ` ${detail}` : ''}`;
  if (decision.state === 'accepted') return { ...diagnostic, message: `${diagnostic.message} — ${note}` };
  if (dismissed === 'hide') return undefined;
  return { ...diagnostic, severity: DiagnosticSeverity.Hint, tags: [...(diagnostic.tags ?? []), DiagnosticTag.Unnecessary], message: `${diagnostic.message} — ${note}` };
}

function triageFileDiagnostics(triage: TriageFile | undefined): Diagnostic[] {
  if (!triage) return [];
  const read = triage.lastRead();
  const document = TextDocument.create('file:///triage.json', 'json', 0, read.text ?? '');
  return read.problems.map((problem) => ({
    range: { start: document.positionAt(problem.offset), end: document.positionAt(problem.offset + problem.length) },
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: 'triage-file',
    message: problem.message,
  }));
}

function triageActions(ctx: FeatureContext, service: TriageService): CodeActionContributor {
  return {
    id: 'triage',
    async provide({ params, file }) {
      const only = params.context.only;
      if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === '')) return [];
      const actions: CodeAction[] = [];
      const seen = new Set<string>();
      for (const { placed } of await computeFindingsAt(ctx.store, ctx.placer, file, params.range)) {
        if (seen.has(placed.key)) continue;
        seen.add(placed.key);
        const state = service.decisionOf(placed)?.state ?? 'open';
        const diagnostics = params.context.diagnostics.filter((d) => (d.data as { key?: string } | undefined)?.key === placed.key);
        for (const next of OFFERED[state]) {
          const title = `${VERBS[next]} ${placed.finding.id}: ${shortTitle(placed.finding.title)}`;
          actions.push({
            title,
            kind: CodeActionKind.QuickFix,
            ...(diagnostics.length > 0 ? { diagnostics } : {}),
            command: { title, command: COMMAND_OF[next], arguments: [{ key: placed.key }] },
          });
        }
      }
      return actions;
    },
  };
}

function readArguments(args: unknown[]): { key: string; reason?: string } {
  const first = args[0] as { key?: unknown; reason?: unknown } | undefined;
  if (!first || typeof first !== 'object' || typeof first.key !== 'string' || first.key === '') {
    throw new ResponseError(ErrorCodes.InvalidParams, 'Triage commands take [{ key, reason? }], with the key of a finding diagnostic (its data.key)');
  }
  if (first.reason !== undefined && (typeof first.reason !== 'string' || first.reason.length > 500)) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'The reason must be text of at most 500 characters');
  }
  const reason = (first.reason as string | undefined)?.trim();
  return { key: first.key, ...(reason ? { reason } : {}) };
}

function shortTitle(title: string): string {
  const one = title.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}
