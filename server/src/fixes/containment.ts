/**
 * Whether a file really lies inside the workspace folder: its real path (or
 * that of its nearest existing ancestor, for a file yet to be created) must be
 * under the folder's real path, so a link in the tree cannot lead an edit out.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** True when `file`, links resolved, is inside `root`. */
export async function isInsideWorkspace(root: string, file: string): Promise<boolean> {
  const realRoot = await realOrUndefined(root);
  if (!realRoot) return false;
  let probe = path.resolve(file);
  if (!isUnder(path.resolve(root), probe)) return false;
  for (;;) {
    const real = await realOrUndefined(probe);
    if (real !== undefined) return isUnder(realRoot, real) && (real !== realRoot || probe === path.resolve(root));
    const parent = path.dirname(probe);
    if (parent === probe) return false;
    probe = parent;
  }
}

function isUnder(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

async function realOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await fs.realpath(file);
  } catch {
    return undefined;
  }
}
