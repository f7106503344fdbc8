/**
 * The text of cited files: the open buffer wins over the file on disk, because
 * the user sees the buffer. A file on disk is read only when its real path is
 * inside a workspace folder, so a link never leaks an outside file's lines.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Largest file read from disk to place diagnostics; bigger ones get unclamped ranges. */
const MAX_BYTES = 8 * 1024 * 1024;

/** Gives the lines of a workspace file. */
export class FileTexts {
  /** The lines of each open buffer as last split, while its text stays the same (hover places every finding of a file). */
  private readonly split = new Map<string, { text: string; lines: string[] }>();

  /**
   * @param roots the workspace folders a file's real path must be inside; when it
   *   gives none (no folder known yet), any file may be read.
   */
  constructor(
    private readonly openText: (uri: string) => string | undefined,
    private readonly roots: () => readonly string[] = () => [],
    /** A shared, stat-validated reader of files on disk (it checks the real path itself); without one, every read goes to disk. */
    private readonly disk?: (file: string) => Promise<{ kind: 'text'; text: string } | { kind: 'missing' | 'unreadable' }>,
  ) {}

  /** Reads under way, so many placements in one file read it once. */
  private readonly reading = new Map<string, Promise<string[] | undefined>>();

  /** Lines of `file` from its open buffer or from disk; undefined when it cannot be read. Callers must not change them. */
  async lines(file: string): Promise<string[] | undefined> {
    const open = this.openText(pathToFileURL(file).toString());
    if (open === undefined) {
      this.split.delete(file);
      let read = this.reading.get(file);
      if (!read) {
        read = this.readSmallFile(file).then((text) => (text === undefined ? undefined : text.split(/\r?\n/)));
        this.reading.set(file, read);
        void read.finally(() => this.reading.delete(file));
      }
      return read;
    }
    const known = this.split.get(file);
    if (known && known.text === open) return known.lines;
    const lines = open.split(/\r?\n/);
    this.split.set(file, { text: open, lines });
    return lines;
  }

  /** True when the editor has `file` open: its text is the buffer's. */
  isOpen(file: string): boolean {
    return this.openText(pathToFileURL(file).toString()) !== undefined;
  }

  /** True when texts read from disk come through a reader that checks their real path against the folders. */
  get checksDiskReads(): boolean {
    return this.disk !== undefined;
  }

  /** Text of `file` from its open buffer or from disk; undefined when it cannot be read. */
  async text(file: string): Promise<string | undefined> {
    return this.openText(pathToFileURL(file).toString()) ?? (await this.readSmallFile(file));
  }

  private async readSmallFile(file: string): Promise<string | undefined> {
    if (this.disk) {
      const read = await this.disk(file);
      return read.kind === 'text' ? read.text : undefined;
    }
    try {
      if (!(await this.insideFolders(file))) return undefined;
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
      return await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private async insideFolders(file: string): Promise<boolean> {
    const roots = this.roots();
    if (roots.length === 0) return true;
    const real = await fs.realpath(file);
    for (const root of roots) {
      if (real.startsWith((await this.realRoot(root)) + path.sep)) return true;
    }
    return false;
  }

  /** Real paths of workspace folders, asked once per folder (every cited file read checks against them). */
  private readonly realRoots = new Map<string, Promise<string>>();

  private realRoot(root: string): Promise<string> {
    let real = this.realRoots.get(root);
    if (!real) {
      real = fs.realpath(root).catch(() => path.resolve(root));
      this.realRoots.set(root, real);
      // A folder that is not there yet may appear: ask again next time.
      void real.then((value) => value === path.resolve(root) && this.realRoots.delete(root));
    }
    return real;
  }
}
