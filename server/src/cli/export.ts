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
import { computeSarif } from './sarif.js';
import { readTriageLookup } from './triageLookup.js';

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
