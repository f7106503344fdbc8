/**
 * Reads one report file from disk: refuses what is not a regular file, too large,
 * not UTF-8 or behind a link that leaves the folder, then hands the text to the
 * reader for its format. Never throws.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ReportCache } from './reportCache.js';
import { readReviewTextOffThread } from './readOffThread.js';
import { readReviewText } from './readReviewText.js';
import type { ReadResult } from './readResult.js';

/** The kinds of file found in a review directory. */
export type ReportFileKind = 'json' | 'markdown' | 'html' | 'other';

/** Classifies a file of the review directory by its extension. */
export function reportFileKind(file: string): ReportFileKind {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  if (ext === '.html' || ext === '.htm') return 'html';
  return 'other';
}

/** Limits that apply to reading a report. */
export interface ReadLimits {
  maxBytes: number;
  /** Links must resolve inside this directory (the workspace folder). */
  root: string;
  /** Parsed reports by content, when caching is on. */
  cache?: ReportCache;
  /** Read large reports in a worker thread (the server does; a one-shot command need not). */
  offThread?: boolean;
}

/** A report file as read: its text when it could be decoded, and the reader's result. */
export interface ReportFileRead {
  text?: string;
  result: ReadResult;
}

const fail = (code: string, message: string, text?: string): ReportFileRead => ({
  ...(text === undefined ? {} : { text }),
  result: { problems: [{ severity: 'error', code, message, offset: 0, length: 0 }] },
});

/** Reads and parses the report at `file`; every failure becomes a problem on the file. */
export async function readReportFile(file: string, limits: ReadLimits): Promise<ReportFileRead> {
  const decoded = await readTextFile(file, limits);
  if ('error' in decoded) return fail(decoded.code, decoded.error);
  const kind = reportFileKind(file);
  let html: string | undefined;
  if (kind === 'markdown') {
    const companion = await readTextFile(file.replace(/\.(md|markdown)$/i, '.html'), limits);
    if (!('error' in companion)) html = companion.text;
  }
  try {
    const key = limits.cache?.key(file, decoded.text, html);
    const cached = key === undefined ? undefined : await limits.cache!.get(key);
    if (cached) return { text: decoded.text, result: cached };
    const result = limits.offThread ? await readReviewTextOffThread(path.basename(file), decoded.text, html) : await readReviewText(path.basename(file), decoded.text, html);
    if (key !== undefined) void limits.cache!.set(key, result);
    return { text: decoded.text, result };
  } catch (error) {
    // Readers are written not to throw; this keeps one reader bug from losing the others.
    return fail('reader-failed', `The report could not be read: ${(error as Error).message}`, decoded.text);
  }
}

type Decoded = { text: string } | { error: string; code: string };

/** Reads a file as strict UTF-8 text within the limits; a missing file is an error like any other. */
export async function readTextFile(file: string, limits: ReadLimits): Promise<Decoded> {
  try {
    const linkStat = await fs.lstat(file);
    // The real path, not only the file's own link: a linked parent directory leaves the folder too.
    const target = await fs.realpath(file);
    const root = await fs.realpath(limits.root);
    if (target !== root && !target.startsWith(root + path.sep)) {
      return linkStat.isSymbolicLink()
        ? { code: 'link-outside-workspace', error: `This file is a link to ${target}, outside the workspace folder; it is not read` }
        : { code: 'link-outside-workspace', error: `This file is reached through a link to ${path.dirname(target)}, outside the workspace folder; it is not read` };
    }
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { code: 'not-a-file', error: 'This is not a regular file; it is not read' };
    if (stat.size > limits.maxBytes) {
      return {
        code: 'too-large',
        error: `This report is ${Math.ceil(stat.size / 1024)} KB, over the ${Math.floor(limits.maxBytes / 1024)} KB limit (setting deepReview.maxFileSizeKb); it is not read`,
      };
    }
    const bytes = await fs.readFile(file);
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    } catch {
      return { code: 'not-utf8', error: `This file is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)}); save it as UTF-8` };
    }
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const reasons: Record<string, string> = {
      ELOOP: 'This file is a link that loops back on itself; it is not read',
      EACCES: 'This file cannot be read (permission denied)',
      EPERM: 'This file cannot be read (operation not permitted)',
      ENOENT: 'This file no longer exists, or is a link to a file that does not exist',
      EISDIR: 'This is a directory, not a report',
    };
    return { code: err.code?.toLowerCase() ?? 'unreadable', error: reasons[err.code ?? ''] ?? `This file cannot be read: ${err.message}` };
  }
}

/** Offset of the first byte that breaks UTF-8 (the decoder only says that one exists). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}
