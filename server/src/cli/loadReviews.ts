/**
 * Loads a review directory once, without watching, for the command-line tools.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceFiles } from '../anchoring/resolvePaths.js';
import { listFiles, loadReport } from '../store/reviewDirectory.js';
import { ReviewStore, type Visibility } from '../store/reviewStore.js';

/** A loaded review directory: the workspace root it belongs to and the store. */
export interface LoadedReviews {
  root: string;
  directory: string;
  store: ReviewStore;
}

/**
 * `dir` may be a workspace folder (with `directoryName` inside) or the review
 * directory itself (its parent is then the workspace folder).
 */
export async function loadReviews(
  dir: string,
  visibility: Visibility = { rounds: 'latest', showResolved: false },
  directoryName = '.deep-review',
  maxBytes = 4096 * 1024,
): Promise<LoadedReviews> {
  const given = path.resolve(dir);
  if (!existsSync(given) || !statSync(given).isDirectory()) throw new Error(`${dir} is not a directory`);
  const nested = path.join(given, directoryName);
  const directory = existsSync(nested) ? nested : given;
  const root = directory === nested ? given : path.dirname(given);
  const store = new ReviewStore();
  store.setVisibility(visibility);
  const files = (await listFiles(directory)).sort();
  const workspaceFiles = new WorkspaceFiles(root);
  const reads = await Promise.all(files.map(async (file) => ({ file, read: await loadReport(file, { maxBytes, root }, workspaceFiles) })));
  for (const { file, read } of reads) store.setReport(file, root, read);
  return { root, directory, store };
}
