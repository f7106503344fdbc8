/**
 * `schema [review|triage] [-o FILE]`: the JSON Schema of review files or of the
 * triage file, built from the zod model only when asked for.
 */
import { writeFileSync } from 'node:fs';
import type { Output } from './output.js';

/** `schema [review|triage] [-o FILE]`: prints or writes a JSON Schema; 2 for an unknown schema name. */
export async function runSchema(output: string | undefined, io: Output, of: string = 'review'): Promise<number> {
  if (of !== 'review' && of !== 'triage') {
    io.err(`Unknown schema "${of}"; use review or triage`);
    return 2;
  }
  const schema = of === 'triage' ? (await import('../model/triage.js')).triageJsonSchema() : (await import('../model/review.js')).reviewJsonSchema();
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (output) writeFileSync(output, text);
  else io.out(text.trimEnd());
  return 0;
}
