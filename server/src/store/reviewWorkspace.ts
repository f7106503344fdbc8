/**
 * All workspace folders' review directories over one store: folders come and
 * go, settings change the directory name, and every batch of changes is passed
 * on to whoever publishes.
 */
import * as path from 'node:path';
import { ReportCache } from '../reports/reportCache.js';
import { BUILD_ID } from '../version.js';
import { ReviewDirectory } from './reviewDirectory.js';
import { ReviewStore, type ChangeSet, type PathResolver } from './reviewStore.js';

/** Settings the review workspace follows. */
export interface ReviewWorkspaceSettings {
  directory: string;
  debounceMs: number;
  maxFileSizeKb: number;
  rounds: 'latest' | 'all';
  showResolved: boolean;
  cacheReports: boolean;
}

/** Says something to the user; `key` names the subject, and undefined `message` withdraws what was said of it. */
export type Warn = (key: string, message: string | undefined) => void;

/** Listener for applied changes; `initial` is true for a folder's first scan. */
export type ChangeListener = (changes: ChangeSet, batch: { initial: boolean; files: string[]; root: string; partial?: boolean }) => void;

/** Told that a review directory's triage file may have changed (or is there at the first scan). */
export type TriageFileListener = (root: string, reviewDirectory: string, file: string) => Promise<void> | void;

/** The review directories of every workspace folder, over one store. */
export class ReviewWorkspace {
  readonly store: ReviewStore;
  private readonly directories = new Map<string, ReviewDirectory>();
  private settings: ReviewWorkspaceSettings;
  private readonly triageListeners = new Set<TriageFileListener>();
  private readonly applyListeners = new Set<ChangeListener>();
  private readonly cache: ReportCache | undefined;

  constructor(
    settings: ReviewWorkspaceSettings,
    private readonly listener: ChangeListener,
    private readonly log: (message: string) => void,
    resolver?: PathResolver,
    private readonly warn: Warn = (_key, message) => message && log(message),
    cache: ReportCache | undefined = BUILD_ID ? new ReportCache(BUILD_ID) : undefined,
  ) {
    this.settings = settings;
    this.cache = cache;
    this.store = new ReviewStore(resolver);
    this.store.setVisibility(settings);
  }

  /** Files open in the editor, whose reports are read first; the server sets it. */
  openFiles: () => readonly string[] = () => [];

  /** Workspace folder roots being watched. */
  roots(): string[] {
    return [...this.directories.keys()];
  }

  /** The workspace folder that contains a file, if any (the deepest one wins). */
  rootOf(file: string): string | undefined {
    let best: string | undefined;
    for (const root of this.directories.keys()) {
      if ((file === root || file.startsWith(root + path.sep)) && (!best || root.length > best.length)) best = root;
    }
    return best;
  }

  /** Listens for the triage file of each review directory; it is never read as a report. */
  onTriageFile(listener: TriageFileListener): { dispose(): void } {
    this.triageListeners.add(listener);
    return { dispose: () => this.triageListeners.delete(listener) };
  }

  /** Listens for every applied batch of a review directory, after the main listener. */
  onDidApply(listener: ChangeListener): { dispose(): void } {
    this.applyListeners.add(listener);
    return { dispose: () => this.applyListeners.delete(listener) };
  }

  /** Absolute path of a workspace folder's review directory (under the current settings). */
  reviewDirectoryOf(root: string): string {
    return this.directories.get(root)?.path ?? path.resolve(root, this.settings.directory);
  }

  /** Starts watching a workspace folder; resolves after its initial scan. */
  async addFolder(root: string): Promise<void> {
    // Once per server, after the first scan: keep the cache within its bounds.
    const first = this.directories.size === 0 && !this.pruned;
    this.pruned = true;
    if (this.directories.has(root)) return;
    const directory = new ReviewDirectory(this.store, {
      root,
      directory: this.settings.directory,
      debounceMs: this.settings.debounceMs,
      maxBytes: this.settings.maxFileSizeKb * 1024,
      ...(this.settings.cacheReports && this.cache ? { cache: this.cache } : {}),
      onChange: (changes, batch) => {
        this.listener(changes, { ...batch, root });
        // A partial batch (the open files, early) is only published: the whole batch follows.
        if (batch.partial) return;
        for (const listener of [...this.applyListeners]) listener(changes, { ...batch, root });
      },
      openFiles: () => this.openFiles(),
      onError: this.log,
      onWarning: (message) => this.warn(root, message),
      onTriageFile: async (file) => {
        for (const listener of [...this.triageListeners]) await listener(root, directory.path, file);
      },
    });
    this.directories.set(root, directory);
    await directory.start();
    if (first && this.settings.cacheReports) void this.cache?.prune();
  }

  private pruned = false;

  /** Stops watching a workspace folder and drops its findings. */
  async removeFolder(root: string): Promise<void> {
    const directory = this.directories.get(root);
    if (!directory) return;
    this.directories.delete(root);
    await directory.dispose();
    this.listener(this.store.removeUnder(directory.path), { initial: false, files: [], root });
  }

  /** Applies new settings: a new directory name, debounce or size limit restarts the watchers. */
  async updateSettings(settings: ReviewWorkspaceSettings): Promise<void> {
    const previous = this.settings;
    this.settings = settings;
    if (settings.rounds !== previous.rounds || settings.showResolved !== previous.showResolved) {
      this.listener(this.store.setVisibility(settings), { initial: false, files: [], root: '' });
    }
    if (
      settings.directory !== previous.directory ||
      settings.debounceMs !== previous.debounceMs ||
      settings.maxFileSizeKb !== previous.maxFileSizeKb ||
      settings.cacheReports !== previous.cacheReports
    ) {
      const roots = this.roots();
      for (const root of roots) await this.removeFolder(root);
      for (const root of roots) await this.addFolder(root);
    }
  }

  /** Re-reads every review directory. */
  async rescan(): Promise<void> {
    await Promise.all([...this.directories.values()].map((directory) => directory.rescan()));
  }

  /** Stops every watcher. */
  async dispose(): Promise<void> {
    const all = [...this.directories.values()];
    this.directories.clear();
    await Promise.all(all.map((directory) => directory.dispose()));
  }
}

