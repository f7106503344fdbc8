// node bench/markdown.js (after `npm run build`): speed of the Markdown report
// reader on a large synthetic review, against remark-parse + gfm alone on the
// same text, and its linearity (1 MB against 250 KB). Each figure is the median
// of three runs. bench/run.js reuses measureMarkdown() for `npm run bench`.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '..', '..', 'shared', 'corpus', 'reports');
const BASE_REPORT = '20260519-084740-pr-5013.md';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function elapsed(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function time(fn, runs = 3) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(elapsed(fn));
  return median(samples);
}

/**
 * A long review: a real report's header, then consolidated findings in the
 * lettered style until the report is about `size` characters, then the real
 * report's tail. Undefined when the corpus is not beside this checkout.
 */
export function makeMarkdownReport(size) {
  const file = path.join(CORPUS, BASE_REPORT);
  if (!existsSync(file)) return undefined;
  const base = readFileSync(file, 'utf8');
  const head = base.slice(0, base.indexOf('## Critical Issues'));
  const tail = base.slice(base.indexOf('## Design Observations'));
  const parts = [head, '## Important Issues\n\n'];
  let length = head.length + tail.length;
  for (let n = 1; length < size; n++) {
    const item = `I${n}. **Finding ${n}: a timeout is ignored when the controller retries** — \`pkg/controller/file${n % 50}.go:${n}-${n + 6}\` [Claude Opus 4.7, Codex GPT 5.4]

\`\`\`go
func (c *Controller) reconcile(ctx context.Context) error {
\tif err := c.step(ctx); err != nil {
\t\treturn err
\t}
}
\`\`\`

The retry loop does not check \`ctx.Err()\`, so a cancelled request keeps retrying until the budget runs out (round 2 S${n % 9 + 1} unaddressed).

Fix:

\`\`\`diff
-\tif err := c.step(ctx); err != nil {
+\tif err := c.step(ctx); err != nil && ctx.Err() == nil {
\`\`\`

`;
    parts.push(item);
    length += item.length;
  }
  parts.push(tail);
  return parts.join('');
}

/**
 * Times the reader on a 1 MB and a 250 KB report and remark-parse + gfm alone on
 * the 1 MB one (medians of three runs, in ms). Undefined when the reader is not
 * built or the corpus is missing; `log` says why.
 */
export async function measureMarkdown(log = console.log) {
  let reader;
  try {
    reader = await import('../server/out/reports/markdown/readMarkdownReport.js');
  } catch {
    log('markdown reader not built (npm run build); skipping the Markdown benchmark');
    return undefined;
  }
  const big = makeMarkdownReport(1_000_000);
  const quarter = makeMarkdownReport(250_000);
  if (big === undefined || quarter === undefined) {
    log(`corpus not found at ${CORPUS}; skipping the Markdown benchmark`);
    return undefined;
  }
  const { unified } = await import('unified');
  const { default: remarkParse } = await import('remark-parse');
  const { default: remarkGfm } = await import('remark-gfm');
  const processor = unified().use(remarkParse).use(remarkGfm);
  const readBig = () => reader.readMarkdownReport(big, { fileName: 'big.md' });
  const readQuarter = () => reader.readMarkdownReport(quarter, { fileName: 'quarter.md' });
  // Reads of each size first, so the figures do not include compiling the reader;
  // then the sizes take turns, so that both are timed with the same compiled code.
  const check = readQuarter();
  readBig();
  readQuarter();
  readBig();
  const bigSamples = [];
  const quarterSamples = [];
  for (let i = 0; i < 3; i++) {
    quarterSamples.push(elapsed(readQuarter));
    bigSamples.push(elapsed(readBig));
  }
  const full = median(bigSamples);
  const small = median(quarterSamples);
  const remarkOnly = time(() => processor.parse(big));
  return {
    bytes: { big: big.length, small: quarter.length },
    findings: check.review?.findings.length ?? 0,
    problems: check.problems.length,
    full,
    small,
    ratio: full / small,
    remarkOnly,
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = await measureMarkdown();
  if (figures !== undefined) {
    const { bytes, full, small, ratio, remarkOnly } = figures;
    console.log(`reader, 1 MB (${bytes.big} chars):     ${full.toFixed(1)} ms`);
    console.log(`reader, 250 KB (${bytes.small} chars):  ${small.toFixed(1)} ms`);
    console.log(`ratio 1 MB / 250 KB:           ${ratio.toFixed(2)}x (linear: about 4x)`);
    console.log(`remark-parse + gfm alone, 1 MB: ${remarkOnly.toFixed(1)} ms (reader: ${(full / remarkOnly).toFixed(2)}x of it)`);
    console.log(`(250 KB report: ${figures.findings} findings, ${figures.problems} problems)`);
  }
}
