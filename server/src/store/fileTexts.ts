/**
 * The text of cited files: the open buffer wins over the file on disk, because
 * the user sees the buffer. A file on disk is read only when its real path is
 * inside a workspace folder, so a link never leaks an outside file's lines.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiskTexts, type DiskText } from '../anchoring/diskTexts.js';

/** Gives the lines of a workspace file. */
export class FileTexts {
  /** The lines of each open buffer as last split, while its text stays the same (hover places every finding of a file). */
  private readonly split = new Map<string, { text: string; lines: string[] }>();

  private readonly disk: (file: string) => Promise<DiskText>;

  /**
   * @param roots the workspace folders a file's real path must be inside; when it
   *   gives none (no folder known yet), any file may be read.
   * @param disk the server's shared reader of files on disk (stat-validated, and
   *   checking real paths itself); without one, a reader of this object's own.
   */
  constructor(
    private readonly openText: (uri: string) => string | undefined,
    roots: () => readonly string[] = () => [],
    disk?: (file: string) => Promise<DiskText>,
  ) {
    if (disk) this.disk = disk;
    else {
      const anyFile = new DiskTexts();
      const inFolders = new DiskTexts((file) => deepestRoot(roots(), file));
      this.disk = (file) => (roots().length === 0 ? anyFile : inFolders).read(file);
    }
  }

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

  /** Text of `file` from its open buffer or from disk; undefined when it cannot be read. */
  async text(file: string): Promise<string | undefined> {
    return this.openText(pathToFileURL(file).toString()) ?? (await this.readSmallFile(file));
  }

  private async readSmallFile(file: string): Promise<string | undefined> {
    const read = await this.disk(file);
    return read.kind === 'text' ? read.text : undefined;
  }
}

/** The innermost folder holding `file`, by path. */
function deepestRoot(roots: readonly string[], file: string): string | undefined {
  let best: string | undefined;
  for (const root of roots) if (file.startsWith(root + path.sep) && (!best || root.length > best.length)) best = root;
  return best;
}
