/**
 * The files the server itself keeps in a review directory: the triage file, its
 * lock and temporary files, and the round logs. The directory watcher reads none
 * of them as a report.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Name of the triage file at the top of the review directory. */
export const TRIAGE_FILE_NAME = 'triage.json';

/** Directory of round command logs, under the review directory. */
export const LOGS_DIRECTORY_NAME = 'logs';

/** Absolute path of the triage file of a review directory. */
export function triageFilePath(reviewDirectory: string): string {
  return path.join(reviewDirectory, TRIAGE_FILE_NAME);
}

/** True for the files the server writes itself (never reports). */
export function isServerOwnedFile(reviewDirectory: string, file: string): boolean {
  const relative = path.relative(reviewDirectory, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  const [first, ...rest] = relative.split(path.sep);
  if (first === LOGS_DIRECTORY_NAME && rest.length > 0) return true;
  return rest.length === 0 && (first === TRIAGE_FILE_NAME || first!.startsWith(`${TRIAGE_FILE_NAME}.`) || first!.startsWith(`.${TRIAGE_FILE_NAME}.`));
}

/**
 * Why `target` (which may not exist yet) would land outside the workspace folder
 * through a link, or undefined when it stays inside. The server writes only there.
 */
export async function computeOutsideFolder(root: string, target: string): Promise<string | undefined> {
  const realRoot = await fs.realpath(root);
  let dir = target;
  for (;;) {
    try {
      const real = await fs.realpath(dir);
      if (real === realRoot || real.startsWith(realRoot + path.sep)) return undefined;
      return `${dir} leads outside the workspace folder (to ${real})`;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}
