/**
 * The text of cited files: the open buffer wins over the file on disk, because
 * the user sees the buffer.
 */
import { promises as fs } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Largest file read from disk to place diagnostics; bigger ones get unclamped ranges. */
const MAX_BYTES = 8 * 1024 * 1024;

/** Gives the lines of a workspace file. */
export class FileTexts {
  /** The lines of each open buffer as last split, while its text stays the same (hover places every finding of a file). */
  private readonly split = new Map<string, { text: string; lines: string[] }>();

  constructor(private readonly openText: (uri: string) => string | undefined) {}

  /** Lines of `file` from its open buffer or from disk; undefined when it cannot be read. Callers must not change them. */
  async lines(file: string): Promise<string[] | undefined> {
    const open = this.openText(pathToFileURL(file).toString());
    if (open === undefined) {
      this.split.delete(file);
      const text = await readSmallFile(file);
      return text === undefined ? undefined : text.split(/\r?\n/);
    }
    const known = this.split.get(file);
    if (known && known.text === open) return known.lines;
    const lines = open.split(/\r?\n/);
    this.split.set(file, { text: open, lines });
    return lines;
  }
}

async function readSmallFile(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
