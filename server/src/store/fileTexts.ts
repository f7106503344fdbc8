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
  constructor(private readonly openText: (uri: string) => string | undefined) {}

  /** Lines of `file` from its open buffer or from disk; undefined when it cannot be read. */
  async lines(file: string): Promise<string[] | undefined> {
    const text = await this.text(file);
    return text === undefined ? undefined : text.split(/\r?\n/);
  }

  /** Text of `file` from its open buffer or from disk; undefined when it cannot be read. */
  async text(file: string): Promise<string | undefined> {
    return this.openText(pathToFileURL(file).toString()) ?? (await readSmallFile(file));
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
