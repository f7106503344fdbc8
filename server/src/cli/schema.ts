/**
 * `schema [-o FILE]`: the JSON Schema of review files, built from the zod model
 * only when asked for.
 */
import { writeFileSync } from 'node:fs';
import { reviewJsonSchema } from '../model/review.js';
import type { Output } from './output.js';

/** `schema [-o FILE]`: prints or writes the JSON Schema of review files. */
export function runSchema(output: string | undefined, io: Output): number {
  const text = `${JSON.stringify(reviewJsonSchema(), null, 2)}\n`;
  if (output) writeFileSync(output, text);
  else io.out(text.trimEnd());
  return 0;
}
