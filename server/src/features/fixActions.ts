/**
 * Code actions and commands that apply fixes: "Apply fix I1: <title>" per diff
 * of each finding under the cursor (lazily resolved where the client can,
 * disabled with the reason where it cannot apply and the client shows that),
 * "Apply all fixes in this file" and "... of this round", and the commands
 * `deepReview.applyFix` / `deepReview.applyAllFixes`, which apply through
 * `workspace/applyEdit`.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type CodeAction,
  type Disposable,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { computeFixCandidates } from '../fixes/candidates.js';
import { computeLineEdits } from '../fixes/textEdits.js';
import type { FileChange } from '../fixes/types.js';
import { computeWorkspaceEdit, type EditAbilities } from '../fixes/workspaceEdit.js';
import { Commands, type ApplyAllFixesArgs, type ApplyAllFixesResult, type ApplyFixArgs, type ApplyFixResult } from '../protocol.js';
import type { PlacedFinding } from '../store/reviewStore.js';
import type { CodeActionContributor, CodeActionRequest, ResolvableData } from './codeActions.js';
import type { FeatureContext } from './context.js';
import type { FindingDiagnosticData } from './diagnostics.js';
import { computeFindingsAt, findByKey } from './findingsAt.js';
import { computeFindingFixStatuses, describeFixStatus, reasonOf, type FileStateCache, type FixDeps } from './fixStatus.js';

/** The `data.resolver` of this contributor's lazily resolved actions. */
export const FIX_RESOLVER = 'fixes';

/** What a lazily resolved fix action carries. */
type FixActionData = ResolvableData &
  ({ kind: 'one'; key: string; option: number } | { kind: 'file'; file: string } | { kind: 'round'; report: string });

/** Fixes applied one after another: what was applied, what was skipped and why, and the combined changes. */
export interface AppliedFixes {
  applied: string[];
  skipped: { key: string; reason: string }[];
  changes: FileChange[];
}

/** Wires the fix code actions and commands. */
export function registerFixActions(ctx: FeatureContext): Disposable {
  const deps: FixDeps = { texts: ctx.texts, placer: ctx.placer };
  const caps = ctx.clientCapabilities;
  const abilities: EditAbilities = {
    documentChanges: caps.workspace?.workspaceEdit?.documentChanges ?? false,
    resourceOperations: caps.workspace?.workspaceEdit?.resourceOperations ?? [],
  };
  const lazy = caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') ?? false;
  const showsDisabled = caps.textDocument?.codeAction?.disabledSupport ?? false;

  const versionOf = (uri: string) => ctx.documents.get(uri)?.version;
  const shown = (root: string) => (file: string) => path.relative(root, file) || file;
  const toEdit = (changes: FileChange[], root: string) => computeWorkspaceEdit(changes, abilities, versionOf, shown(root));

  const contributor: CodeActionContributor = {
    id: FIX_RESOLVER,
    async provide(request: CodeActionRequest): Promise<CodeAction[]> {
      const only = request.params.context.only;
      if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
      const found = await computeFindingsAt(ctx.store, ctx.placer, request.file, request.params.range);
      const actions: CodeAction[] = [];
      const cache: FileStateCache = new Map();
      let withFixes: PlacedFinding | undefined;
      for (const { placed } of found) {
        if (request.token.isCancellationRequested) return [];
        const statuses = await computeFindingFixStatuses(deps, placed, { cache });
        if (statuses.length > 0) withFixes ??= placed;
        const diagnostics = request.params.context.diagnostics.filter((d) => (d.data as Partial<FindingDiagnosticData> | undefined)?.key === placed.key);
        for (const { candidate, status } of statuses) {
          const title = `Apply fix ${placed.finding.id}: ${oneLine(placed.finding.title)}${candidate.label ? ` (${candidate.label})` : ''}`;
          const base: CodeAction = { title, kind: CodeActionKind.QuickFix, ...(diagnostics.length > 0 ? { diagnostics } : {}) };
          let reason = status.state === 'applicable' ? undefined : describeFixStatus(status, candidate.label);
          let edit: WorkspaceEdit | undefined;
          if (status.state === 'applicable' && !lazy) {
            const built = toEdit(status.changes, placed.report.root);
            if ('error' in built) reason = `Fix cannot be applied: ${built.error}`;
            else edit = built.edit;
          }
          if (reason !== undefined) {
            // Clients that cannot show a disabled action get the reason in the hover instead.
            if (showsDisabled) actions.push({ ...base, disabled: { reason } });
            continue;
          }
          actions.push({
            ...base,
            isPreferred: statuses.length === 1,
            ...(edit ? { edit } : { data: { resolver: FIX_RESOLVER, kind: 'one', key: placed.key, option: candidate.option } satisfies FixActionData }),
          });
        }
      }
      if (withFixes) actions.push(...(await applyAllActions(request.file, withFixes, cache)));
      return actions;
    },
    async resolve(action: CodeAction): Promise<CodeAction> {
      const data = action.data as FixActionData;
      if (data.kind === 'one') {
        const { edit } = await computeOneFix({ key: data.key, option: data.option });
        return { ...action, edit };
      }
      const findings = data.kind === 'file' ? findingsOfFile(fileURLToPath(data.file)) : findingsOfReport(fileURLToPath(data.report));
      const all = await computeAllFixes(findings);
      if (all.applied.length === 0) throw new ResponseError(ErrorCodes.InvalidRequest, `No fix can be applied: ${summariseSkipped(all)}`);
      const built = toEdit(all.changes, findings[0]!.report.root);
      if ('error' in built) throw new ResponseError(ErrorCodes.InvalidRequest, `The fixes cannot be applied: ${built.error}`);
      return { ...action, edit: built.edit };
    },
  };

  /** "Apply all fixes in this file" when two or more apply; "... of this round" when the round offers two or more and one of this file applies. */
  async function applyAllActions(file: string, placed: PlacedFinding, cache: FileStateCache): Promise<CodeAction[]> {
    const out: CodeAction[] = [];
    const inFile = findingsOfFile(file);
    let applicable = 0;
    for (const other of inFile) {
      const statuses = await computeFindingFixStatuses(deps, other, { cache });
      if (statuses.some((s) => s.status.state === 'applicable')) applicable++;
    }
    if (applicable >= 2) {
      const uri = pathToFileURL(file).toString();
      out.push(lazyOrCommand(`Apply all fixes in this file (${applicable})`, { resolver: FIX_RESOLVER, kind: 'file', file: uri }, { file: uri }));
    }
    // The round's fixes are computed only when chosen; offered when one of this file's applies at least.
    const inRound = applicable === 0 ? [] : findingsOfReport(placed.report.file).filter((other) => computeFixCandidates(other.finding).length > 0);
    if (inRound.length >= 2) {
      const report = pathToFileURL(placed.report.file).toString();
      out.push(lazyOrCommand(`Apply all fixes of this round (${placed.roundLabel || placed.report.id})`, { resolver: FIX_RESOLVER, kind: 'round', report }, { report }));
    }
    return out;
  }

  function lazyOrCommand(title: string, data: FixActionData, args: ApplyAllFixesArgs): CodeAction {
    const action: CodeAction = { title, kind: CodeActionKind.QuickFix };
    // Without resolve, computing every fix of a round on each request would be too costly: the command does it when chosen.
    return lazy ? { ...action, data } : { ...action, command: { title, command: Commands.applyAllFixes, arguments: [args] } };
  }

  function findingsOfFile(file: string): PlacedFinding[] {
    return ctx.store.findingsForFile(file);
  }

  function findingsOfReport(report: string): PlacedFinding[] {
    return [...ctx.store.allFindings()]
      .filter((placed) => placed.report.file === report)
      .sort((a, b) => a.primary.file.localeCompare(b.primary.file) || (a.primary.range?.start ?? 0) - (b.primary.range?.start ?? 0));
  }

  /** The edit of one fix, or a ResponseError saying why there is none. */
  async function computeOneFix(args: ApplyFixArgs): Promise<{ placed: PlacedFinding; edit: WorkspaceEdit; files: string[] }> {
    const placed = findByKey(ctx.store, args.key);
    if (!placed) throw new ResponseError(ErrorCodes.InvalidParams, `No finding ${args.key} is shown`);
    const statuses = await computeFindingFixStatuses(deps, placed);
    if (statuses.length === 0) throw new ResponseError(ErrorCodes.InvalidRequest, `Finding ${placed.finding.id} offers no fix diff`);
    const chosen =
      args.option === undefined ? (statuses.find((s) => s.status.state === 'applicable') ?? statuses[0]!) : statuses.find((s) => s.candidate.option === args.option);
    if (!chosen) throw new ResponseError(ErrorCodes.InvalidParams, `Finding ${placed.finding.id} has no fix option ${args.option}`);
    if (chosen.status.state !== 'applicable') {
      throw new ResponseError(ErrorCodes.InvalidRequest, `Fix ${placed.finding.id} cannot be applied: ${reasonOf(chosen.status)}`);
    }
    const built = toEdit(chosen.status.changes, placed.report.root);
    if ('error' in built) throw new ResponseError(ErrorCodes.InvalidRequest, `Fix ${placed.finding.id} cannot be applied: ${built.error}`);
    return { placed, edit: built.edit, files: chosen.status.changes.map((c) => c.file) };
  }

  /** Applies the findings' fixes one after another, each against the text the previous ones left; a fix that no longer applies is skipped. */
  async function computeAllFixes(findings: readonly PlacedFinding[]): Promise<AppliedFixes> {
    const overrides = new Map<string, string | undefined>();
    const originals = new Map<string, string | undefined>();
    const result: AppliedFixes = { applied: [], skipped: [], changes: [] };
    for (const placed of findings) {
      const statuses = await computeFindingFixStatuses(deps, placed, { overrides });
      if (statuses.length === 0) continue;
      const chosen = statuses.find((s) => s.status.state === 'applicable');
      if (!chosen || chosen.status.state !== 'applicable') {
        const first = statuses[0]!.status;
        let reason = reasonOf(first);
        if (result.applied.length > 0 && (await computeFindingFixStatuses(deps, placed)).some((s) => s.status.state === 'applicable')) {
          reason = `conflicts with an earlier fix (${result.applied.map(idOf).join(', ')})`;
        }
        result.skipped.push({ key: placed.key, reason });
        continue;
      }
      for (const change of chosen.status.changes) {
        if (!originals.has(change.file)) originals.set(change.file, change.kind === 'create' ? undefined : change.before);
        overrides.set(change.file, change.kind === 'delete' ? undefined : change.after);
      }
      result.applied.push(placed.key);
    }
    for (const [file, before] of originals) {
      const after = overrides.get(file);
      if (before === undefined && after !== undefined) result.changes.push({ kind: 'create', file, after });
      else if (before !== undefined && after === undefined) result.changes.push({ kind: 'delete', file, before });
      else if (before !== undefined && after !== undefined && before !== after) {
        result.changes.push({ kind: 'modify', file, before, after, edits: computeLineEdits(before, after) });
      }
    }
    return result;
  }

  async function applyEdit(label: string, edit: WorkspaceEdit): Promise<void> {
    if (!caps.workspace?.applyEdit) throw new ResponseError(ErrorCodes.InvalidRequest, 'This editor cannot apply workspace edits (no workspace.applyEdit capability)');
    const answer = await ctx.connection.workspace.applyEdit({ label, edit });
    if (!answer.applied) throw new ResponseError(LSPErrorCodes.RequestFailed, `The editor did not apply the edit${answer.failureReason ? `: ${answer.failureReason}` : ''}`);
  }

  const republish = (files: Iterable<string>) => void ctx.diagnostics.publish({ files: new Set(files), reports: new Set() });

  const disposables = [
    ctx.codeActions.register(contributor),
    ctx.commands.register(Commands.applyFix, async (args): Promise<ApplyFixResult> => {
      const parsed = args[0] as Partial<ApplyFixArgs> | undefined;
      if (typeof parsed?.key !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${Commands.applyFix} needs [{ key, option? }]`);
      const option = typeof parsed.option === 'number' ? parsed.option : undefined;
      const { placed, edit, files } = await computeOneFix({ key: parsed.key, ...(option === undefined ? {} : { option }) });
      await applyEdit(`Apply fix ${placed.finding.id}`, edit);
      republish(files);
      return { key: placed.key, files: files.map((file) => pathToFileURL(file).toString()) };
    }),
    ctx.commands.register(Commands.applyAllFixes, async (args): Promise<ApplyAllFixesResult> => {
      const parsed = (args[0] ?? {}) as Partial<ApplyAllFixesArgs>;
      const file = toPath(parsed.file);
      const report = toPath(parsed.report);
      if (!file && !report) throw new ResponseError(ErrorCodes.InvalidParams, `${Commands.applyAllFixes} needs [{ file }] or [{ report }] (a file URI or absolute path)`);
      const findings = file ? findingsOfFile(file) : findingsOfReport(report!);
      const all = await computeAllFixes(findings);
      if (all.changes.length > 0) {
        const built = toEdit(all.changes, findings[0]!.report.root);
        if ('error' in built) throw new ResponseError(ErrorCodes.InvalidRequest, `The fixes cannot be applied: ${built.error}`);
        await applyEdit(file ? `Apply all fixes in ${path.basename(file)}` : 'Apply all fixes of the round', built.edit);
        republish(all.changes.map((c) => c.file));
      }
      return { applied: all.applied, skipped: all.skipped };
    }),
  ];
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}

function idOf(key: string): string {
  return key.slice(key.lastIndexOf('#') + 1);
}

function summariseSkipped(all: AppliedFixes): string {
  return all.skipped.map((s) => `${idOf(s.key)}: ${s.reason}`).join('; ') || 'none of the findings offers a diff';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function toPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value.startsWith('file:')) {
    try {
      return fileURLToPath(value);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(value) ? value : undefined;
}
