/**
 * Loads a review directory once, without watching, for the command-line tools,
 * with the placer the language server uses, so both show a finding at the same place.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { AnchoringPlacer } from '../anchoring/anchoringPlacer.js';
import type { Placer } from '../anchoring/placement.js';
import { runGit } from '../git/gitRunner.js';
import { defaultSettings } from '../settings.js';
import { WorkspaceFiles } from '../anchoring/resolvePaths.js';
import { FileTexts } from '../store/fileTexts.js';
import { listFiles, loadReport } from '../store/reviewDirectory.js';
import { ReviewStore, type Visibility } from '../store/reviewStore.js';

/** A loaded review directory: the workspace root it belongs to, the store, and how findings are placed. */
export interface LoadedReviews {
  root: string;
  directory: string;
  store: ReviewStore;
  placer: Placer;
}

/** The reason a directory holds no review directory, as the user sees it. */
export class NoReviewDirectoryError extends Error {}

/**
 * `dir` may be a workspace folder (with `directoryName` inside) or the review
 * directory itself (its parent is then the workspace folder). Any other
 * directory is refused: reading every .json and .md of a project tree
 * (node_modules included) as reports helps nobody.
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
  let directory: string;
  if (existsSync(nested) && statSync(nested).isDirectory()) directory = nested;
  else if (path.basename(given) === directoryName) directory = given;
  else {
    throw new NoReviewDirectoryError(
      `No review directory: ${dir === '.' ? 'this folder' : dir} has no ${directoryName}/ (give a workspace folder that holds ${directoryName}/, or the review directory itself)`,
    );
  }
  const root = path.dirname(directory);
  const store = new ReviewStore();
  store.setVisibility(visibility);
  const files = (await listFiles(directory)).sort();
  const workspaceFiles = new WorkspaceFiles(root);
  const reads = await Promise.all(files.map(async (file) => ({ file, read: await loadReport(file, { maxBytes, root }, workspaceFiles) })));
  for (const { file, read } of reads) store.setReport(file, root, read);
  // The editor's placer, so a row of `check` or `findings` sits where the editor shows the finding.
  const placer = new AnchoringPlacer({
    openDocument: () => undefined,
    rootOf: (file) => (file.startsWith(root + path.sep) ? root : undefined),
    git: runGit,
    threshold: () => defaultSettings().anchorSimilarity,
  });
  return { root, directory, store, placer };
}

/** Cited files read from disk once per command. */
class CachedFileTexts extends FileTexts {
  private readonly cache = new Map<string, Promise<string[] | undefined>>();

  constructor() {
    super(() => undefined);
  }

  override lines(file: string): Promise<string[] | undefined> {
    let lines = this.cache.get(file);
    if (!lines) this.cache.set(file, (lines = super.lines(file)));
    return lines;
  }
}
