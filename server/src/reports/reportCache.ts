/**
 * A content-keyed cache of parsed reports, kept in the user's cache directory
 * (never in the workspace), so a restart parses nothing it has parsed before.
 * The key hashes the build, the file name and the exact text (and the HTML
 * rendering beside a Markdown report), so an entry can only ever stand for the
 * text and the reader it was made from; any failure to read or write it is a
 * cache miss. Only a bundled build caches: unbundled sources have no build id.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { BUILD_ID } from '../version.js';
import type { ReadResult } from './readResult.js';

/** Entries kept at most; older ones are removed by `prune`. */
const MAX_ENTRIES = 5000;

/** The user's cache directory for this server: $XDG_CACHE_HOME, else the platform's convention. */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'deep-review-lsp');
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'deep-review-lsp');
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'deep-review-lsp', 'cache');
  return path.join(homedir(), '.cache', 'deep-review-lsp');
}

/** Parsed reports by content; one per server, shared by its review directories. */
export class ReportCache {
  private readonly dir: string;
  private ready?: Promise<boolean>;

  constructor(
    private readonly build: string,
    directory: string = defaultCacheDirectory(),
  ) {
    this.dir = path.join(directory, `reports-${build}`);
  }

  /** The key of a report's text. */
  key(fileName: string, text: string, html?: string): string {
    const hash = createHash('sha256');
    hash.update(`${this.build}\u0000${path.basename(fileName)}\u0000`).update(text);
    if (html !== undefined) hash.update('\u0000html\u0000').update(html);
    return hash.digest('hex');
  }

  /** The cached result for a key, or undefined. */
  async get(key: string): Promise<ReadResult | undefined> {
    try {
      const value = JSON.parse(await fs.readFile(this.file(key), 'utf8')) as { key?: string; result?: ReadResult };
      return value.key === key && value.result && Array.isArray(value.result.problems) ? value.result : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a result, atomically (a partial entry is never read); failures are ignored. */
  async set(key: string, result: ReadResult): Promise<void> {
    // Serialised now: callers go on to resolve the review's paths against their workspace,
    // and only what the reader made of the text belongs in the cache.
    const data = JSON.stringify({ key, result });
    if (!(await this.prepare())) return;
    const file = this.file(key);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await fs.writeFile(temp, data, { mode: 0o600 });
      await fs.rename(temp, file);
    } catch {
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /** Removes the oldest entries beyond the limit, and the entries of other builds. */
  async prune(limit = MAX_ENTRIES): Promise<void> {
    try {
      const parent = path.dirname(this.dir);
      for (const name of await fs.readdir(parent)) {
        if (name.startsWith('reports-') && path.join(parent, name) !== this.dir) await fs.rm(path.join(parent, name), { recursive: true, force: true });
      }
      const names = (await fs.readdir(this.dir)).filter((name) => name.endsWith('.json'));
      if (names.length <= limit) return;
      const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await fs.stat(path.join(this.dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
      dated.sort((a, b) => a.mtime - b.mtime);
      for (const { name } of dated.slice(0, dated.length - limit)) await fs.rm(path.join(this.dir, name), { force: true });
    } catch {
      // A cache that cannot be pruned is still a cache.
    }
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  private prepare(): Promise<boolean> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true, mode: 0o700 }).then(
      () => true,
      () => false,
    );
    return this.ready;
  }
}
