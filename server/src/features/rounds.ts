/**
 * The next review round: `deepReview.newRound` and `deepReview.cancelRound`,
 * also offered as code actions. Runs the user's round command with progress
 * and a log, one run per series, and when the new round's report lands says
 * what it found.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  ErrorCodes,
  LogMessageNotification,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type CancellationToken,
  type CodeAction,
  type Disposable,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import type { Review } from '../model/review.js';
import { Commands, type RoundResult } from '../protocol.js';
import { computeRoundEnvironment, computeRoundValues, substitutePlaceholders } from '../rounds/placeholders.js';
import { startRoundProcess, type RoundOutcome, type RoundProcess } from '../rounds/roundProcess.js';
import { computeRoundSummary, describeRoundSummary } from '../rounds/summary.js';
import { computeOutsideFolder, LOGS_DIRECTORY_NAME, triageFilePath } from '../store/reviewDirectoryFiles.js';
import type { ReportEntry } from '../store/reviewStore.js';
import { describeSeries } from '../store/series.js';
import type { CodeActionContributor } from './codeActions.js';
import type { FeatureContext } from './context.js';
import { computeFindingsAt } from './findingsAt.js';
import type { TriageService } from './triage.js';

/** The kind of the round code actions (a source action: it acts on the project, not on the code). */
export const ROUND_ACTION_KIND = `${CodeActionKind.Source}.deepReview.round`;

/** A series a round can be started for. */
interface SeriesChoice {
  /** Workspace folder. */
  root: string;
  /** Store key (folder + local key); '' + root for a folder without reports. */
  key: string;
  /** Key within the folder: "pr:336"; '' when there is no report yet. */
  local: string;
  /** "PR #336". */
  label: string;
  latest?: ReportEntry & { review: Review };
}

interface Run {
  startedAt: Date;
  process?: RoundProcess;
  cancelled: boolean;
}

interface Awaited {
  choice: SeriesChoice;
  nextRound: string;
  /** Resolves with the summary once the report has landed. */
  landed: Promise<string>;
  land: (summary: string) => void;
}

/** Registers the round commands and code actions. */
export function registerRounds(ctx: FeatureContext, triage: TriageService): Disposable {
  const runs = new Map<string, Run>();
  const awaiting = new Map<string, Awaited>();

  const say = (type: MessageType, message: string) =>
    void ctx.connection.sendNotification(ShowMessageNotification.type, { type, message }).catch(() => undefined);

  const allSeries = (): SeriesChoice[] => {
    const choices: SeriesChoice[] = [];
    for (const key of ctx.store.seriesKeys()) {
      const latest = ctx.store.seriesRounds(key).at(-1);
      if (!latest) continue;
      const local = key.slice(latest.root.length + 1);
      choices.push({ root: latest.root, key, local, label: describeSeries(latest.review) || local, latest });
    }
    return choices.sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }) || a.root.localeCompare(b.root));
  };

  const nextRoundOf = (choice: SeriesChoice) => String((choice.latest?.review.round?.number ?? 0) + 1);

  /** Checks each awaited series for its new report, after a batch has been applied and published. */
  const checkLanded = async () => {
    if (awaiting.size === 0) return;
    await ctx.diagnostics.idle();
    for (const [key, wait] of [...awaiting]) {
      // A first round has no series yet: any report of its folder is it.
      const latest = wait.choice.local
        ? ctx.store.seriesRounds(key).at(-1)
        : allSeries().find((choice) => choice.root === wait.choice.root)?.latest;
      const before = wait.choice.latest;
      if (!latest || !isNewRound(latest, before)) continue;
      awaiting.delete(key);
      const summary = describeRoundSummary(
        computeRoundSummary(latest.review, before?.review, (fingerprint) => triage.isDismissed(latest.root, fingerprint)),
      );
      say(MessageType.Info, summary);
      wait.land(summary);
    }
  };

  const choose = async (args: unknown[]): Promise<SeriesChoice | string | undefined> => {
    const wanted = (args[0] ?? {}) as { series?: unknown; file?: unknown; folder?: unknown };
    if (typeof wanted !== 'object' || wanted === null) throw new ResponseError(ErrorCodes.InvalidParams, 'deepReview.newRound takes [{ series?, file?, folder? }]');
    const folder = typeof wanted.folder === 'string' ? toPath(wanted.folder) : undefined;
    let candidates = allSeries().filter((choice) => !folder || choice.root === folder);
    if (typeof wanted.series === 'string') {
      const name = wanted.series.toLowerCase();
      candidates = candidates.filter((choice) => choice.local.toLowerCase() === name || choice.label.toLowerCase() === name);
      if (candidates.length === 0) return `No review series "${wanted.series}" is known; start one from a file with findings, or pass a series such as ${allSeries()[0]?.local ?? 'pr:336'}`;
    }
    if (typeof wanted.file === 'string') {
      const file = toPath(wanted.file);
      const keys = new Set([...(file ? ctx.store.findingsForFile(file) : [])].map((placed) => placed.report.seriesKey));
      const report = file ? ctx.store.report(file) : undefined;
      if (report?.seriesKey) keys.add(report.seriesKey);
      const onFile = candidates.filter((choice) => keys.has(choice.key));
      if (onFile.length > 0) candidates = onFile;
    }
    if (candidates.length === 1) return candidates[0];
    if (candidates.length === 0) {
      // No report yet: the first round of the folder.
      const root = folder ?? ctx.workspace.roots()[0];
      if (!root) return 'Open a workspace folder to start a review round in';
      return { root, key: `${root}\u0000`, local: '', label: path.basename(root) };
    }
    const roots = new Set(candidates.map((choice) => choice.root));
    const titles = candidates.map((choice) => (roots.size > 1 ? `${choice.label} (${path.basename(choice.root)})` : choice.label));
    try {
      const picked = await ctx.connection.window.showInformationMessage('Start the next review round of which series?', ...titles.map((title) => ({ title })));
      return picked ? candidates[titles.indexOf(picked.title)] : undefined;
    } catch {
      return `Several review series are open (${titles.join(', ')}); pass one: deepReview.newRound [{ "series": "${candidates[0]!.local}" }]`;
    }
  };

  const newRound = async (args: unknown[], token: CancellationToken, _workDoneToken?: string | number, workDone?: WorkDoneProgressReporter): Promise<RoundResult> => {
    const argv = ctx.settings().roundCommand;
    if (argv.length === 0) {
      const message =
        'No round command is set. Set deepReview.roundCommand in your editor\'s user settings (or initializationOptions) to the argv array of the program that starts a review round, e.g. ["deep-review", "--pr", "{pr}", "--round", "{nextRound}"]; it is never read from the repository';
      say(MessageType.Warning, message);
      return { status: 'not-configured', message };
    }
    const choice = await choose(args);
    if (choice === undefined) return { status: 'not-chosen', message: 'No series was chosen' };
    if (typeof choice === 'string') {
      say(MessageType.Warning, choice);
      return { status: 'refused', message: choice };
    }
    const nextRound = nextRoundOf(choice);
    const title = `Review round ${nextRound}${choice.label ? ` of ${choice.label}` : ''}`;
    const running = runs.get(choice.key);
    if (running) {
      const message = `${title} is already running (since ${running.startedAt.toISOString()}); cancel it with deepReview.cancelRound before starting another`;
      say(MessageType.Warning, message);
      return { status: 'refused', message, series: choice.local };
    }
    // Claimed before anything is awaited, so a second request cannot slip in.
    const run: Run = { startedAt: new Date(), cancelled: false };
    runs.set(choice.key, run);
    try {
      return await execute(choice, nextRound, title, run, argv, token, workDone);
    } finally {
      runs.delete(choice.key);
    }
  };

  const execute = async (
    choice: SeriesChoice,
    nextRound: string,
    title: string,
    run: Run,
    argv: string[],
    token: CancellationToken,
    workDone: WorkDoneProgressReporter | undefined,
  ): Promise<RoundResult> => {
    const reviewDirectory = ctx.workspace.reviewDirectoryOf(choice.root);
    const outside = await computeOutsideFolder(choice.root, reviewDirectory);
    if (outside) {
      const message = `${outside}; the round log is not written there and the round is not started`;
      say(MessageType.Error, message);
      return { status: 'refused', message, series: choice.local };
    }
    const values = computeRoundValues({
      root: choice.root,
      series: choice.local,
      ...(choice.latest ? { latest: { review: choice.latest.review, file: choice.latest.file } } : {}),
      triageFile: triageFilePath(reviewDirectory),
    });
    const stamp = run.startedAt.toISOString().replace(/[:.]/g, '-');
    const logFile = path.join(reviewDirectory, LOGS_DIRECTORY_NAME, `round-${(choice.local || 'first').replace(/[^A-Za-z0-9._-]+/g, '-')}-${nextRound}-${stamp}.log`);
    const logUri = pathToFileURL(logFile).toString();
    const relativeLog = path.relative(choice.root, logFile);

    let landedFirst: string | undefined;
    let land: (summary: string) => void = () => undefined;
    const landed = new Promise<string>((resolve) => (land = resolve));
    void landed.then((summary) => (landedFirst = summary));
    awaiting.set(choice.key, { choice, nextRound, landed, land });

    const progress = await openProgress(ctx, workDone);
    progress.reporter.begin(title, undefined, `starting ${path.basename(argv[0]!)}`, true);
    const child = await startRoundProcess({
      argv: substitutePlaceholders(argv, values),
      cwd: choice.root,
      env: computeRoundEnvironment(values),
      logFile,
      timeoutSeconds: ctx.settings().roundTimeoutSeconds,
      onLine: (line, stream) => {
        void ctx.connection
          .sendNotification(LogMessageNotification.type, { type: stream === 'stderr' ? MessageType.Warning : MessageType.Log, message: `[${title}] ${line}` })
          .catch(() => undefined);
        if (line.trim()) progress.reporter.report(line.trim().slice(0, 200));
      },
    });
    run.process = child;
    const cancel = () => {
      run.cancelled = true;
      child.cancel();
    };
    const subscriptions = [token.onCancellationRequested(cancel), progress.token?.onCancellationRequested(cancel)];
    if (run.cancelled || token.isCancellationRequested || progress.token?.isCancellationRequested) cancel();
    const outcome = await child.done;
    for (const subscription of subscriptions) subscription?.dispose();

    const result = describeOutcome(outcome, title, relativeLog);
    const base = { series: choice.local, log: logUri, ...(child.pid === undefined ? {} : { pid: child.pid }) };
    if (outcome.kind !== 'exited' || outcome.code !== 0) {
      awaiting.delete(choice.key);
      progress.reporter.done();
      say(result.status === 'cancelled' ? MessageType.Info : MessageType.Error, result.message);
      return { ...base, ...result };
    }
    // The report may be written just before the command exits: give the watcher its debounce to read it.
    const summary = landedFirst ?? (await Promise.race([landed, delay(Math.max(1_000, 3 * ctx.settings().debounceMs))]));
    progress.reporter.done();
    if (typeof summary === 'string') return { ...base, ...result, summary };
    const message = `${result.message}; the report of round ${nextRound} has not appeared in ${path.relative(choice.root, reviewDirectory)} yet (its summary follows when it does)`;
    say(MessageType.Info, message);
    return { ...base, ...result, message };
  };

  const cancelRound = async (args: unknown[]): Promise<number> => {
    const wanted = (args[0] ?? {}) as { series?: unknown; folder?: unknown };
    const folder = typeof wanted.folder === 'string' ? toPath(wanted.folder) : undefined;
    const name = typeof wanted.series === 'string' ? wanted.series.toLowerCase() : undefined;
    let stopped = 0;
    for (const [key, run] of runs) {
      const root = key.slice(0, key.indexOf('\u0000'));
      const local = key.slice(key.indexOf('\u0000') + 1);
      const label = allSeries().find((choice) => choice.key === key)?.label.toLowerCase();
      if (folder && root !== folder) continue;
      if (name && name !== local.toLowerCase() && name !== label) continue;
      run.cancelled = true;
      run.process?.cancel();
      stopped++;
    }
    if (stopped === 0) say(MessageType.Info, 'No review round is running');
    return stopped;
  };

  const actions: CodeActionContributor = {
    id: 'rounds',
    async provide({ params, file }) {
      const only = params.context.only;
      if (only && !only.some((kind) => ROUND_ACTION_KIND === kind || ROUND_ACTION_KIND.startsWith(`${kind}.`) || kind === '')) return [];
      const keys = new Set<string>();
      for (const { placed } of await computeFindingsAt(ctx.store, ctx.placer, file, params.range)) if (placed.report.seriesKey) keys.add(placed.report.seriesKey);
      if (keys.size === 0) for (const placed of ctx.store.findingsForFile(file)) if (placed.report.seriesKey) keys.add(placed.report.seriesKey);
      const report = ctx.store.report(file);
      if (keys.size === 0 && report?.seriesKey) keys.add(report.seriesKey);
      const result: CodeAction[] = [];
      for (const choice of allSeries().filter((c) => keys.has(c.key))) {
        const name = `review round ${nextRoundOf(choice)} of ${choice.label}`;
        const args = [{ series: choice.local, folder: pathToFileURL(choice.root).toString() }];
        const title = runs.has(choice.key) ? `Cancel ${name}` : `Start ${name}`;
        result.push({ title, kind: ROUND_ACTION_KIND, command: { title, command: runs.has(choice.key) ? Commands.cancelRound : Commands.newRound, arguments: args } });
      }
      return result;
    },
  };

  const disposables: Disposable[] = [
    ctx.commands.register(Commands.newRound, newRound),
    ctx.commands.register(Commands.cancelRound, cancelRound),
    ctx.codeActions.register(actions),
    ctx.workspace.onDidApply(() => void ctx.notified('new round report', checkLanded)),
  ];
  return {
    dispose: () => {
      for (const run of runs.values()) run.process?.cancel();
      disposables.forEach((d) => d.dispose());
    },
  };
}

/** A report is the new round when it is another file than the latest before, or a later round. */
function isNewRound(latest: ReportEntry & { review: Review }, before: (ReportEntry & { review: Review }) | undefined): boolean {
  if (!before) return true;
  const round = latest.review.round?.number ?? -1;
  const previous = before.review.round?.number ?? -1;
  return round > previous || (latest.file !== before.file && round >= previous);
}

/** The client's own progress token when it gave one, else one the server creates when the client can show it. */
async function openProgress(ctx: FeatureContext, workDone: WorkDoneProgressReporter | undefined): Promise<{ reporter: WorkDoneProgressReporter; token?: CancellationToken }> {
  if (workDone) return { reporter: workDone };
  if (!ctx.clientCapabilities.window?.workDoneProgress) return { reporter: ctx.connection.window.attachWorkDoneProgress(undefined) };
  try {
    const reporter = await ctx.connection.window.createWorkDoneProgress();
    return { reporter, token: reporter.token };
  } catch (error) {
    ctx.log(`Progress could not be shown: ${(error as Error).message}`);
    return { reporter: ctx.connection.window.attachWorkDoneProgress(undefined) };
  }
}

function describeOutcome(outcome: RoundOutcome, title: string, log: string): Pick<RoundResult, 'status' | 'message' | 'exitCode' | 'signal'> {
  switch (outcome.kind) {
    case 'exited':
      return outcome.code === 0
        ? { status: 'finished', exitCode: 0, message: `${title}: the round command finished (log: ${log})` }
        : { status: 'failed', exitCode: outcome.code, message: `${title}: the round command failed with exit code ${outcome.code}; see its log ${log}` };
    case 'signalled':
      return { status: 'failed', signal: outcome.signal, message: `${title}: the round command was killed by ${outcome.signal}; see its log ${log}` };
    case 'cancelled':
      return { status: 'cancelled', message: `${title} was cancelled; the round command and every process it started were stopped (log: ${log})` };
    case 'timed-out':
      return {
        status: 'timed-out',
        message: `${title}: the round command was still running after ${outcome.seconds} s (deepReview.roundTimeoutSeconds) and was stopped; see its log ${log}`,
      };
    case 'not-started':
      return { status: 'failed', message: `${title}: the round command could not be started: ${outcome.message}` };
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

function toPath(uriOrPath: string): string | undefined {
  if (uriOrPath.startsWith('file:')) {
    try {
      return fileURLToPath(uriOrPath);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(uriOrPath) ? path.resolve(uriOrPath) : undefined;
}
