/**
 * `export [DIR] --format sarif [-o FILE]`: writes the open findings of the
 * visible rounds in an interchange format (SARIF 2.1.0 today).
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Visibility } from '../store/reviewStore.js';
import { VERSION } from '../version.js';
import type { Output } from './commands.js';
import { loadReviews } from './loadReviews.js';
import { computeSarif, type TriageLookup } from './sarif.js';
import { readTriageFile } from '../store/triage.js';
import { computeOutsideFolder, triageFilePath } from '../store/reviewDirectoryFiles.js';

/** Cited files larger than this are not searched for a fix's lines. */
const MAX_CITED_BYTES = 8 * 1024 * 1024;

/** Exports the findings of `dir`; 2 for an unknown format. */
export async function runExport(dir: string, format: string, output: string | undefined, visibility: Visibility, io: Output): Promise<number> {
  if (format !== 'sarif') {
    io.err(`Unknown export format "${format}"; use sarif`);
    return 2;
  }
  const { root, directory, store } = await loadReviews(dir, visibility);
  const triage = await readTriageLookup(root, directory, io);
  const readFile = (relative: string): string | undefined => {
    const file = path.join(root, relative);
    try {
      const stat = statSync(file);
      if (!stat.isFile() || stat.size > MAX_CITED_BYTES) return undefined;
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  const { log, skipped } = computeSarif(store.allFindings(), { root, toolVersion: VERSION, readFile, triage });
  const text = `${JSON.stringify(log, null, 2)}\n`;
  const results = ((log.runs as { results: unknown[] }[])[0]?.results ?? []).length;
  for (const [key, reasons] of skipped) for (const reason of reasons) io.err(`${key}: fix not exported: ${reason}`);
  if (output) {
    const temp = path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.tmp`);
    writeFileSync(temp, text);
    renameSync(temp, output);
    io.err(`${results} finding(s) written to ${output}`);
  } else {
    io.out(text.trimEnd());
  }
  return 0;
}

/** The triage of the review directory (dismissed findings become SARIF suppressions); its problems are said on stderr. */
async function readTriageLookup(root: string, directory: string, io: Output): Promise<TriageLookup> {
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
