/**
 * Cited files as they are on disk, read once per change: a stat tells whether
 * the cached text is still current, and calls made at the same time share one
 * read. A file that does not exist is told apart from one that cannot be read.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The text of a file on disk, or why there is none. */
export type DiskText = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable' };

/** Files kept in the cache; the least recently used goes beyond this. */
const MAX_CACHED = 300;

/** Reads cited files from disk, with a cache validated by stat. */
export class DiskTexts {
  private readonly cache = new Map<string, { stamp: string; text: string }>();
  private readonly pending = new Map<string, Promise<DiskText>>();

  /**
   * @param rootOf the workspace folder a file belongs to: a file whose real path (links
   *   resolved) is outside it is never read, whatever a report cites.
   */
  constructor(
    private readonly rootOf?: (file: string) => string | undefined,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  /** The file's text now. */
  read(file: string): Promise<DiskText> {
    let read = this.pending.get(file);
    if (!read) {
      read = this.readNow(file).finally(() => this.pending.delete(file));
      this.pending.set(file, read);
    }
    return read;
  }

  private async readNow(file: string): Promise<DiskText> {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.cache.delete(file);
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
      const text = await fs.readFile(file, 'utf8');
      this.cache.delete(file);
      this.cache.set(file, { stamp, text });
      if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      return { kind: 'text', text };
    } catch {
      return { kind: 'unreadable' };
    }
  }

  private async inside(file: string): Promise<boolean> {
    const root = this.rootOf!(file);
    if (!root) return false;
    const [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)]);
    return real.startsWith(realRoot + path.sep);
  }
}
