/**
 * Cited files as they are on disk, read once per change: a stat tells whether
 * the cached text is still current, and calls made at the same time share one
 * read. A file that does not exist is told apart from one that cannot be read.
 */
import { promises as fs, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { RealPaths } from '../store/realPaths.js';
import { readRegularFileSync } from '../store/regularFile.js';

/** The text of a file on disk, or why there is none. */
export type DiskText = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable' };

/** Files up to this size are read synchronously (see `readNow`). */
const SYNC_READ_BYTES = 1024 * 1024;

/** Characters of text kept in the cache (a workspace's cited files, usually all of them); the least recently used go beyond this. */
const MAX_CACHED_CHARS = 64 * 1024 * 1024;

/** Reads cited files from disk, with a cache validated by stat. */
export class DiskTexts {
  private readonly cache = new Map<string, { stamp: string; text: string }>();
  private cachedChars = 0;
  private readonly pending = new Map<string, Promise<DiskText>>();
  /** Real paths of workspace folders, asked once per folder: every first read of a file checks against one. */
  private readonly realRoots = new Map<string, Promise<string | undefined>>();

  /**
   * @param rootOf the workspace folder a file belongs to: a file whose real path (links
   *   resolved) is outside it is never read, whatever a report cites.
   */
  constructor(
    private readonly rootOf?: (file: string) => string | undefined,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  /** What each file read as during the batch of work under way (see `batch`), so it is stat'ed once in it. */
  private inBatch: Map<string, Promise<DiskText>> | undefined;
  /** Real paths resolved during the batch: the files of one directory share its resolution. */
  private paths: RealPaths | undefined;
  private batches = 0;

  /**
   * Runs `work` as one batch: a file read during it is stat'ed once, however many
   * findings ask for it (publishing a workspace asks for each file many times).
   * Outside a batch every read checks the file again.
   */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    if (this.batches++ === 0) {
      this.inBatch = new Map();
      this.paths = new RealPaths();
    }
    try {
      return await work();
    } finally {
      if (--this.batches === 0) {
        this.inBatch = undefined;
        this.paths = undefined;
      }
    }
  }

  /** The file's text now. */
  read(file: string): Promise<DiskText> {
    const known = this.inBatch?.get(file);
    if (known) return known;
    let read = this.pending.get(file);
    if (!read) {
      read = this.readNow(file).finally(() => this.pending.delete(file));
      this.pending.set(file, read);
    }
    this.inBatch?.set(file, read);
    return read;
  }

  /**
   * Small files are read synchronously: a cited source file takes microseconds to
   * read, and the promise API's per-call cost (a thread-pool round trip and a file
   * handle for each of open, stat, read and close) was most of the time spent
   * publishing a large workspace. Larger files are read without blocking.
   */
  private async readNow(file: string): Promise<DiskText> {
    let stat;
    try {
      stat = statSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.forget(file);
      return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable' };
    }
    if (!stat.isFile() || stat.size > this.maxBytes) return { kind: 'unreadable' };
    const stamp = `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}:${stat.ino}`;
    const cached = this.cache.get(file);
    if (cached && cached.stamp === stamp) {
      this.cache.delete(file);
      this.cache.set(file, cached);
      return { kind: 'text', text: cached.text };
    }
    try {
      if (this.rootOf && !(await this.inside(file))) return { kind: 'unreadable' };
      const text = stat.size <= SYNC_READ_BYTES ? readRegularFileSync(file, this.maxBytes) : await fs.readFile(file, 'utf8');
      if (text === undefined) return { kind: 'unreadable' };
      this.forget(file);
      this.cache.set(file, { stamp, text });
      this.cachedChars += text.length;
      while (this.cachedChars > MAX_CACHED_CHARS && this.cache.size > 1) this.forget(this.cache.keys().next().value!);
      return { kind: 'text', text };
    } catch {
      return { kind: 'unreadable' };
    }
  }

  private forget(file: string): void {
    const cached = this.cache.get(file);
    if (!cached) return;
    this.cachedChars -= cached.text.length;
    this.cache.delete(file);
  }

  private async inside(file: string): Promise<boolean> {
    const root = this.rootOf!(file);
    if (!root) return false;
    const realRoot = await this.realRoot(root);
    const real = this.paths ? this.paths.of(file) : realpathSync.native(file);
    return realRoot !== undefined && real !== undefined && real.startsWith(realRoot + path.sep);
  }

  private realRoot(root: string): Promise<string | undefined> {
    let real = this.realRoots.get(root);
    if (!real) {
      real = fs.realpath(root).catch(() => undefined);
      this.realRoots.set(root, real);
      // A folder that is not there yet may appear: ask again next time.
      void real.then((value) => value === undefined && this.realRoots.delete(root));
    }
    return real;
  }
}
