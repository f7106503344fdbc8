/**
 * The command line's view of the triage file: `check` and `findings` leave out
 * dismissed findings (as the editor hides them), `export` turns them into SARIF
 * suppressions. A triage file outside the folder is never read.
 */
import * as path from 'node:path';
import { computeFingerprint } from '../store/fingerprint.js';
import { computeOutsideFolder, triageFilePath } from '../store/reviewDirectoryFiles.js';
import type { PlacedFinding } from '../store/reviewStore.js';
import { readTriageFile } from '../store/triage.js';
import type { Output } from './output.js';
import type { TriageLookup } from './sarif.js';

/** The triage of the review directory, by fingerprint; its problems are said on stderr. */
export async function readTriageLookup(root: string, directory: string, io: Output): Promise<TriageLookup> {
  const file = triageFilePath(directory);
  const shown = path.relative(root, file);
  const outside = await computeOutsideFolder(root, file);
  if (outside) {
    io.err(`${shown}: not read: ${outside}`);
    return () => undefined;
  }
  const read = await readTriageFile(file);
  for (const problem of read.problems) io.err(`${shown}: ${problem.message}`);
  const entries = read.triage?.findings ?? {};
  return (fingerprint) => {
    const entry = entries[fingerprint];
    return entry ? { status: entry.state, ...(entry.reason ? { reason: entry.reason } : {}) } : undefined;
  };
}

/** The findings the triage does not dismiss, and how many it does. */
export function withoutDismissed(findings: Iterable<PlacedFinding>, triage: TriageLookup): { shown: PlacedFinding[]; dismissed: number } {
  const shown: PlacedFinding[] = [];
  let dismissed = 0;
  for (const placed of findings) {
    if (triage(computeFingerprint(placed.finding), placed.key)?.status === 'dismissed') dismissed++;
    else shown.push(placed);
  }
  return { shown, dismissed };
}
