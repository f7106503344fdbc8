/**
 * One workspace folder's review directory: the initial scan, then live updates
 * (created, changed, deleted and renamed files, the directory itself appearing
 * or disappearing), debounced and applied to the store in batches.
 */
import { watch, type FSWatcher } from 'chokidar';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { resolveLocations, WorkspaceFiles } from '../anchoring/resolvePaths.js';
import type { ReportCache } from '../reports/reportCache.js';
import { readReportFile, reportFileKind, type ReadLimits, type ReportFileRead } from '../reports/readReportFile.js';
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
  /** Called after each batch has been applied to the store. */
  onChange: (changes: ChangeSet, batch: { initial: boolean; files: string[] }) => void;
  /** Called with a message when watching fails; the directory keeps what it has. */
  onError: (message: string) => void;
}

/** Watches one review directory and keeps the store in step with it. */
export class ReviewDirectory {
  readonly path: string;
  private watcher?: FSWatcher;
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private initial = true;
  private disposed = false;
  private readonly files: WorkspaceFiles;

  constructor(
    private readonly store: ReviewStore,
    private readonly options: ReviewDirectoryOptions,
  ) {
    this.path = path.resolve(options.root, options.directory);
    this.files = new WorkspaceFiles(options.root);
  }

  /** Starts watching; resolves once the initial scan has been applied. */
  async start(): Promise<void> {
    const root = this.options.root;
    const dir = this.path;
    // Watch the folder itself at depth 0 so the review directory can appear and
    // disappear; everything else in the folder (node_modules, build output) is ignored.
    const watcher = watch(root, {
      ignoreInitial: false,
      followSymlinks: false,
      ignored: (p: string) => !(p === root || p === dir || p.startsWith(dir + path.sep)),
    });
    this.watcher = watcher;
    const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    watcher.on('all', (event, file) => this.onEvent(event, file));
    // Chokidar drops a second 'change' of a file within 50 ms, which would leave a
    // half-written report in effect; raw events are never dropped, so use them too.
    watcher.on('raw', (_event, name, details: unknown) => {
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (!watched || !name) return;
      const file = path.basename(watched) === name ? watched : path.join(watched, name);
      this.onEvent('change', file);
    });
    watcher.on('error', (error) => this.options.onError(`Watching ${dir} failed: ${(error as Error).message}`));
    await ready;
    if (this.disposed) return;
    // Chokidar skips entries it cannot stat (a link to itself); list them too so they get a message.
    for (const file of await listFiles(dir)) this.pending.add(file);
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
    for (const report of this.store.allReports()) {
      if (report.file.startsWith(this.path + path.sep)) this.pending.add(report.file);
    }
    for (const file of await listFiles(this.path)) this.pending.add(file);
    this.flush();
    await this.running;
  }

  private onEvent(event: string, file: string): void {
    if (event === 'unlinkDir' && (file === this.path || file.startsWith(this.path + path.sep))) {
      // Chokidar reports the files of a removed directory late, or not at all.
      this.enqueueRemoval(file);
      return;
    }
    if (event === 'addDir') return;
    if (file === this.path || !file.startsWith(this.path + path.sep)) return;
    const kind = reportFileKind(file);
    if (kind === 'other') return;
    // A companion rendering changes what its Markdown report lacks: re-read that.
    this.pending.add(kind === 'html' ? file.replace(/\.html?$/i, '.md') : file);
    this.schedule();
  }

  private readonly removedDirs = new Set<string>();

  private enqueueRemoval(dir: string): void {
    this.removedDirs.add(dir);
    this.schedule();
  }

  private schedule(): void {
    if (this.initial || this.disposed) return; // the initial batch is flushed on 'ready'
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.debounceMs);
  }

  private flush(): void {
    this.timer = undefined;
    const files = [...this.pending];
    const removedDirs = [...this.removedDirs];
    this.pending.clear();
    this.removedDirs.clear();
    const initial = this.initial;
    this.initial = false;
    this.running = this.running.then(() => this.applyBatch(files, removedDirs, initial));
  }

  private async applyBatch(files: string[], removedDirs: string[], initial: boolean): Promise<void> {
    if (this.disposed) return;
    const changes = emptyChanges();
    for (const dir of removedDirs) mergeChanges(changes, this.store.removeUnder(dir));
    const limits = { maxBytes: this.options.maxBytes, root: this.options.root, ...(this.options.cache ? { cache: this.options.cache } : {}) };
    this.files.invalidate(); // listed again only if a bare file name needs resolving
    const reads = await Promise.all(
      files.map(async (file) => ({ file, exists: await existsAsEntry(file), read: await loadReport(file, limits, this.files) })),
    );
    for (const { file, exists, read } of reads) {
      if (this.disposed) return;
      if (!exists) mergeChanges(changes, this.store.removeReport(file));
      else if (reportFileKind(file) !== 'html') mergeChanges(changes, this.store.setReport(file, this.options.root, read));
    }
    if (!this.disposed) this.options.onChange(changes, { initial, files });
  }
}

/** Reads a report and resolves its bare file names against the workspace. */
export async function loadReport(file: string, limits: ReadLimits, files: WorkspaceFiles): Promise<ReportFileRead> {
  const read = await readReportFile(file, limits);
  const review = read.result.review;
  if (review) {
    const text = read.text ?? '';
    const problems = await resolveLocations(review, files, (location) => {
      const written = location.raw ?? location.path ?? '';
      const offset = written ? text.indexOf(written) : -1;
      return offset >= 0 ? { offset, length: written.length } : { offset: 0, length: 0 };
    });
    read.result.problems.push(...problems);
  }
  return read;
}

async function existsAsEntry(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Every report-like file below a directory, without following links. */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => !entry.isDirectory())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => reportFileKind(file) === 'json' || reportFileKind(file) === 'markdown');
  } catch {
    return [];
  }
}
