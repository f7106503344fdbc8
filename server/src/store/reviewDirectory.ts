/**
 * One workspace folder's review directory: the initial scan, then live updates
 * (created, changed, deleted and renamed files, the directory itself appearing
 * or disappearing), debounced and applied to the store in batches. The directory
 * is untrusted: a link out of the folder is refused, files are read a bounded
 * number at a time, and the server keeps answering between reports.
 */
import { watch, type FSWatcher } from 'chokidar';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setImmediate as yieldToEventLoop, setTimeout as delay } from 'node:timers/promises';
import { resolveLocations, WorkspaceFiles } from '../anchoring/resolvePaths.js';
import { refineReviewedCommit } from '../anchoring/reviewedCommit.js';
import type { ReportCache } from '../reports/reportCache.js';
import { readReportFile, reportFileKind, type ReadLimits, type ReportFileRead } from '../reports/readReportFile.js';
import type { Location, Review } from '../model/review.js';
import type { ReportProblem } from '../reports/readResult.js';
import { RealPaths } from './realPaths.js';
import { readRegularFileSync } from './regularFile.js';
import { isServerOwnedFile, triageFilePath } from './reviewDirectoryFiles.js';
import { emptyChanges, mergeChanges, type ChangeSet, type ReviewStore } from './reviewStore.js';

/** Settings a review directory needs. */
export interface ReviewDirectoryOptions {
  /** Absolute path of the workspace folder. */
  root: string;
  /** Review directory, relative to the root. */
  directory: string;
  debounceMs: number;
  maxBytes: number;
  /** Parsed reports by content, when caching is on. */
  cache?: ReportCache;
  /**
   * Called after each batch has been applied to the store; `partial` when only the
   * files open in the editor are final so far (the rest of the batch follows).
   */
  onChange: (changes: ChangeSet, batch: { initial: boolean; files: string[]; partial?: boolean }) => void;
  /** Files open in the editor: the reports that may cite them are read first, and those files published at once. */
  openFiles?: () => readonly string[];
  /** Called with a message when watching fails; the directory keeps what it has. */
  onError: (message: string) => void;
  /** Called with a message the user should see (the directory itself is refused), and with undefined when that is over. */
  onWarning?: (message: string | undefined) => void;
  /**
   * Called when the triage file may have changed (it is never read as a report);
   * awaited before the initial batch, so the first diagnostics already know the triage.
   */
  onTriageFile?: (file: string) => Promise<void> | void;
}

/** Report files read at once: far below any open-file limit, enough to keep the disk busy. */
const READ_CONCURRENCY = 16;
/** Tries of a file that failed for lack of file descriptors before its error is shown. */
const RETRIES = 5;
/** Error codes that say "try again later", not "this file is bad". */
const TRANSIENT = new Set(['emfile', 'enfile', 'eagain', 'ebusy']);

/** Watches one review directory and keeps the store in step with it. */
export class ReviewDirectory {
  readonly path: string;
  private watcher?: FSWatcher;
  private readonly pending = new Set<string>();
  private readonly removedDirs = new Set<string>();
  private readonly retries = new Map<string, number>();
  /**
   * What each report file was (size, times, inode) when last read into the store, and when
   * that was: an event on an unchanged file reads nothing.
   */
  private readonly stamps = new Map<string, { stamp: string; at: number }>();
  private timer?: NodeJS.Timeout;
  /** When the oldest change not yet read arrived: steady writes must not postpone reading for ever. */
  private firstPendingAt?: number;
  private running: Promise<void> = Promise.resolve();
  private initial = true;
  private disposed = false;
  /** Set when the directory (or one below it) was removed or created: chokidar may have lost it. */
  private rewatch = false;
  private refused?: string;
  private readonly files: WorkspaceFiles;
  /** False while chokidar makes its first scan. */
  private watcherReady = false;

  constructor(
    private readonly store: ReviewStore,
    private readonly options: ReviewDirectoryOptions,
  ) {
    this.path = path.resolve(options.root, options.directory);
    this.files = new WorkspaceFiles(options.root);
  }

  /** Starts watching; resolves once the initial scan has been applied. */
  async start(): Promise<void> {
    await this.startWatcher(false);
    if (this.disposed) return;
    await this.options.onTriageFile?.(triageFilePath(this.path));
    // Chokidar skips entries it cannot stat (a link to itself); list them too so they get a message.
    for (const file of await listFiles(this.path)) this.pending.add(file);
    this.flush();
    await this.running;
  }

  /** Stops watching. Findings already in the store stay until the caller removes them. */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.watcher?.close();
    await this.running;
  }

  /** Re-reads every file of the directory. */
  async rescan(): Promise<void> {
    this.queueEverything();
    for (const file of await listFiles(this.path)) this.pending.add(file);
    await this.options.onTriageFile?.(triageFilePath(this.path));
    this.flush();
    await this.running;
  }

  private queueEverything(): void {
    // Everything is read again, changed or not.
    this.stamps.clear();
    for (const report of this.store.allReports()) {
      if (report.file.startsWith(this.path + path.sep)) this.pending.add(report.file);
    }
  }

  private async startWatcher(ignoreInitial: boolean): Promise<void> {
    const root = this.options.root;
    const dir = this.path;
    // Watch the folder and the directories down to the review directory at depth 0, so the
    // review directory can appear and disappear; everything else (node_modules, build output) is ignored.
    const watcher = watch(root, {
      ignoreInitial,
      followSymlinks: false,
      ignored: (p: string) => !(p === root || p === dir || p.startsWith(dir + path.sep) || dir.startsWith(p + path.sep)),
    });
    this.watcher = watcher;
    this.watcherReady = false;
    const ready = new Promise<void>((resolve) =>
      watcher.once('ready', () => {
        this.watcherReady = true;
        resolve();
      }),
    );
    watcher.on('all', (event, file) => this.onEvent(event, file));
    // Chokidar drops a second 'change' of a file within 50 ms, which would leave a
    // half-written report in effect; raw events are never dropped, so use them too.
    watcher.on('raw', (_event, name, details: unknown) => {
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (!watched || !name) return;
      const file = path.basename(watched) === name ? watched : path.join(watched, name);
      if (file === dir || dir.startsWith(file + path.sep)) this.markRewatch();
      else if (file.startsWith(dir + path.sep) && reportFileKind(file) === 'other') {
        // A subfolder made again under the same name is just as lost as the directory itself.
        void fs.stat(file).then(
          (stat) => stat.isDirectory() && this.markRewatch(),
          () => undefined,
        );
      }
      this.onEvent('change', file);
    });
    watcher.on('error', (error) => this.options.onError(`Watching ${dir} failed: ${(error as Error).message}`));
    await ready;
    if (this.disposed) await watcher.close(); // disposed while this watcher started
  }

  private markRewatch(): void {
    this.rewatch = true;
    this.schedule();
  }

  private onEvent(event: string, file: string): void {
    const inside = file === this.path || file.startsWith(this.path + path.sep);
    // The directories chokidar finds on its first scan are not news: only one made after that is.
    if (event === 'addDir' && !this.watcherReady) return;
    if ((event === 'unlinkDir' || event === 'addDir') && (inside || this.path.startsWith(file + path.sep))) {
      // Chokidar 5 stops watching a directory removed and made again under the same name:
      // a directory coming or going makes the next batch start a fresh watcher and re-list.
      this.rewatch = true;
      // Chokidar reports the files of a removed directory late, or not at all.
      if (event === 'unlinkDir') this.enqueueRemoval(file);
      else this.schedule();
      return;
    }
    if (event === 'addDir') return;
    if (file === this.path || !file.startsWith(this.path + path.sep)) return;
    if (isServerOwnedFile(this.path, file)) {
      if (file === triageFilePath(this.path)) void this.options.onTriageFile?.(file);
      return;
    }
    const kind = reportFileKind(file);
    if (kind === 'other') return;
    // A companion rendering changes what its Markdown report lacks: re-read that.
    this.pending.add(kind === 'html' ? file.replace(/\.html?$/i, '.md') : file);
    this.schedule();
  }

  private enqueueRemoval(dir: string): void {
    this.removedDirs.add(dir);
    this.schedule();
  }

  private schedule(delayMs = this.options.debounceMs): void {
    if (this.initial || this.disposed) return; // the initial batch is flushed on 'ready'
    const now = Date.now();
    this.firstPendingAt ??= now;
    if (this.timer) clearTimeout(this.timer);
    // The debounce waits for quiet, but never longer than its maximum wait in all.
    const left = Math.max(0, this.firstPendingAt + maxWaitMs(this.options.debounceMs) - now);
    this.timer = setTimeout(() => this.flush(), Math.min(delayMs, left));
  }

  private flush(): void {
    this.timer = undefined;
    this.firstPendingAt = undefined;
    const files = [...this.pending];
    const removedDirs = [...this.removedDirs];
    const rewatch = this.rewatch;
    this.pending.clear();
    this.removedDirs.clear();
    this.rewatch = false;
    const initial = this.initial;
    this.initial = false;
    // A batch that fails must not stop the ones after it: the chain always goes on.
    this.running = this.running
      .then(() => this.applyBatch(files, removedDirs, initial, rewatch))
      .catch((error: unknown) => this.options.onError(`Reading ${this.path} failed: ${(error as Error)?.stack ?? String(error)}`));
  }

  private async applyBatch(files: string[], removedDirs: string[], initial: boolean, rewatch: boolean): Promise<void> {
    if (this.disposed) return;
    const changes = emptyChanges();
    if (rewatch) {
      // Chokidar shares one fs.watch per path between its watchers, and the stale one of the
      // removed directory stays while any watcher holds it: close first, then watch afresh.
      await this.watcher?.close();
      if (this.disposed) return;
      await this.startWatcher(true);
      if (this.disposed) return;
      // Whatever happened while no watcher looked is found by listing again.
      this.queueEverything();
      for (const file of [...files, ...(await listFiles(this.path))]) this.pending.add(file);
      files = [...this.pending];
      this.pending.clear();
    }
    for (const dir of removedDirs) mergeChanges(changes, this.store.removeUnder(dir));
    const refused = await this.refusal();
    if (refused !== this.refused) {
      this.refused = refused;
      this.options.onWarning?.(refused);
    }
    if (refused) {
      // Nothing behind a link out of the folder is read or kept.
      mergeChanges(changes, this.store.removeUnder(this.path));
      if (!this.disposed) this.options.onChange(changes, { initial, files: [] });
      return;
    }
    const limits = { maxBytes: this.options.maxBytes, root: this.options.root, offThread: true, ...(this.options.cache ? { cache: this.options.cache } : {}) };
    this.files.invalidate(); // listed again only if a bare file name needs resolving
    const retry: string[] = [];
    const unchanged = new Set<string>();
    const readAll = async (queue: string[], into: ChangeSet): Promise<void> => {
      const read = async (): Promise<void> => {
        for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
          if (this.disposed) return;
          mergeChanges(into, await this.readOne(file, limits, retry, unchanged));
          // One report at a time holds the event loop: requests are answered between reports.
          await yieldToEventLoop();
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, read));
    };
    const { first, rest, open } = this.openFilesFirst(files);
    if (first.length > 0) {
      // What the user is looking at is final once every report naming its file is read: publish it then.
      await readAll(first, changes);
      if (this.disposed) return;
      const ready = emptyChanges();
      for (const file of open) if (changes.files.has(file)) ready.files.add(file);
      if (ready.files.size > 0) {
        for (const file of ready.files) changes.files.delete(file);
        this.options.onChange(ready, { initial: false, files: [], partial: true });
      }
    }
    await readAll(rest, changes);
    if (this.disposed) return;
    // Events about files found as they were read (chokidar's first scan, a second event of one write) make no batch.
    const read = files.filter((file) => !unchanged.has(file));
    if (initial || read.length > 0 || removedDirs.length > 0 || changes.files.size > 0 || changes.reports.size > 0) this.options.onChange(changes, { initial, files: read });
    if (retry.length > 0) {
      for (const file of retry) this.pending.add(file);
      await delay(50 * Math.max(...retry.map((file) => this.retries.get(file) ?? 1)));
      if (!this.disposed) this.schedule(0);
    }
  }

  /**
   * Splits a batch of report files: first those whose text names a file open in
   * the editor (by its base name, which every way of citing it includes), then the
   * rest. With nothing open, or many reports to sort, everything is "rest".
   */
  private openFilesFirst(files: readonly string[]): { first: string[]; rest: string[]; open: string[] } {
    const open = (this.options.openFiles?.() ?? []).filter((file) => file.startsWith(this.options.root + path.sep) && !file.startsWith(this.path + path.sep));
    if (open.length === 0 || files.length < 2) return { first: [], rest: [...files], open: [] };
    const names = [...new Set(open.map((file) => path.basename(file)))];
    const first: string[] = [];
    const rest: string[] = [];
    for (const file of files) {
      let text = '';
      try {
        // A quick look, not the read: a report too big to look at is simply not put first.
        // Never through a link: where a link leads is checked when the report is read, not here.
        text = readRegularFileSync(file, this.options.maxBytes, true) ?? '';
      } catch {
        // Gone or unreadable: its read says why.
      }
      (names.some((name) => text.includes(name)) ? first : rest).push(file);
    }
    return { first, rest, open };
  }

  /** Reads one file into the store; a file that failed for want of resources goes on `retry` instead. */
  private async readOne(file: string, limits: ReadLimits, retry: string[], unchanged: Set<string>): Promise<ChangeSet> {
    let stat;
    try {
      stat = await fs.lstat(file);
    } catch {
      this.stamps.delete(file);
      return this.store.removeReport(file);
    }
    // A directory named like a report ("x.json") is not a report.
    if (stat.isDirectory()) return this.store.removeReport(file);
    if (reportFileKind(file) === 'html') return emptyChanges();
    // A file written in one go raises several events (created, then written): the second finds it as read.
    const stamp = `${stampOf(stat)}${reportFileKind(file) === 'markdown' ? ` ${await companionStamp(file)}` : ''}`;
    const seen = this.stamps.get(file);
    const entry = this.store.report(file);
    if (seen?.stamp === stamp && entry && (seen.at - stat.mtimeMs > RACY_MS || sameText(file, entry.text, this.options.maxBytes))) {
      unchanged.add(file);
      return emptyChanges();
    }
    const at = Date.now();
    this.stamps.delete(file);
    let read: ReportFileRead;
    try {
      read = await loadReport(file, limits, this.files);
    } catch (error) {
      read = { result: { problems: [{ severity: 'error', code: 'reader-failed', message: `The report could not be read: ${(error as Error).message}`, offset: 0, length: 0 }] } };
    }
    const code = read.result.problems[0]?.code;
    if (!read.result.review && code && TRANSIENT.has(code)) {
      const tries = (this.retries.get(file) ?? 0) + 1;
      if (tries <= RETRIES) {
        this.retries.set(file, tries);
        retry.push(file);
        return emptyChanges();
      }
    }
    this.retries.delete(file);
    try {
      const changes = this.store.setReport(file, this.options.root, read);
      this.stamps.set(file, { stamp, at });
      return changes;
    } catch (error) {
      // A report the index cannot take is that report's problem, never the batch's.
      const message = `The report could not be used: ${(error as Error).message}`;
      return this.store.setReport(file, this.options.root, { result: { problems: [{ severity: 'error', code: 'reader-failed', message, offset: 0, length: 0 }] } });
    }
  }

  /** Why the review directory is not read (its real path leaves the folder), or undefined. */
  private async refusal(): Promise<string | undefined> {
    let real: string;
    let root: string;
    try {
      [real, root] = await Promise.all([fs.realpath(this.path), fs.realpath(this.options.root)]);
    } catch {
      return undefined; // absent: nothing to read, nothing to refuse
    }
    if (real === root || !real.startsWith(root + path.sep)) {
      return `The review directory ${this.options.directory} leads to ${real}, outside the workspace folder ${this.options.root}; it is not read`;
    }
    return undefined;
  }
}

/**
 * A file changed less than this before it was looked at may change again with the
 * same times (file times tick coarsely): its stamp alone does not say it is unchanged,
 * its text must (as git treats a "racily clean" file).
 */
const RACY_MS = 1000;

/** True when a review JSON's text on disk is the text read before (a Markdown report is read again: its companion HTML counts too). */
function sameText(file: string, before: string | undefined, maxBytes: number): boolean {
  if (before === undefined || reportFileKind(file) !== 'json') return false;
  try {
    return readRegularFileSync(file, maxBytes, true) === before;
  } catch {
    return false;
  }
}

function stampOf(stat: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

/** The stamp of a Markdown report's companion HTML (it is read with the report), or "none". */
async function companionStamp(file: string): Promise<string> {
  try {
    return stampOf(await fs.lstat(file.replace(/\.(md|markdown)$/i, '.html')));
  } catch {
    return 'none';
  }
}

/** The longest a change waits to be read while more changes keep coming. */
export function maxWaitMs(debounceMs: number): number {
  return Math.max(1000, debounceMs * 5);
}

/** Reads a report and resolves its bare file names against the workspace. */
export async function loadReport(file: string, limits: ReadLimits, files: WorkspaceFiles): Promise<ReportFileRead> {
  const read = await readReportFile(file, limits);
  const review = read.result.review;
  if (review) {
    await refineReviewedCommit(review, files.root, files.git);
    const text = read.text ?? '';
    const placeOf = (location: Location) => {
      const written = location.raw ?? location.path ?? '';
      const offset = written ? text.indexOf(written) : -1;
      return offset >= 0 ? { offset, length: Math.min(written.length, 1000) } : { offset: 0, length: 0 };
    };
    const problems = await resolveLocations(review, files, placeOf);
    read.result.problems.push(...problems, ...(await refuseLinksOut(review, limits.root, placeOf, files.realPaths)));
  }
  return read;
}

/**
 * Marks each location whose file's real path leaves the workspace folder (a
 * link inside the folder to a file outside it): such a file is never read or
 * published, so nothing about it, not even its length, reaches the editor.
 */
async function refuseLinksOut(review: Review, root: string, placeOf: (location: Location) => { offset: number; length: number }, paths: RealPaths): Promise<ReportProblem[]> {
  const problems: ReportProblem[] = [];
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return problems;
  }
  const checked = new Map<string, boolean>();
  const cited = (location: Location) => (location.unresolved || location.pathKind === 'non-file' ? undefined : (location.resolvedPath ?? location.path));
  // Each cited file is checked once.
  for (const finding of review.findings) {
    for (const location of finding.locations) {
      const file = cited(location);
      if (!file) continue;
      const absolute = path.resolve(root, file);
      if (!checked.has(absolute)) checked.set(absolute, leavesFolder(absolute, realRoot, paths));
    }
  }
  for (const finding of review.findings) {
    for (const location of finding.locations) {
      const file = cited(location);
      if (!file || !checked.get(path.resolve(root, file))) continue;
      location.unresolved = `The path "${file}" leads through a link to a place outside the workspace folder; it is not shown`;
      problems.push({ severity: 'error', code: 'path-outside-workspace', message: `Finding ${finding.id}: ${location.unresolved}`, ...placeOf(location) });
    }
  }
  return problems;
}

/** True when the real path of `file` (or of its nearest existing ancestor) is outside `realRoot`. */
function leavesFolder(file: string, realRoot: string, paths: RealPaths): boolean {
  // A file that does not exist yet may sit under a linked directory that does.
  for (let current = file; ; current = path.dirname(current)) {
    const real = paths.of(current);
    if (real !== undefined) return real !== realRoot && !real.startsWith(realRoot + path.sep);
    if (path.dirname(current) === current) return false;
  }
}

/** Every report-like file below a directory, without following links. */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => !entry.isDirectory())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => !isServerOwnedFile(dir, file))
      .filter((file) => reportFileKind(file) === 'json' || reportFileKind(file) === 'markdown');
  } catch {
    return [];
  }
}
