// node bench/markdown.js (after `npm run build`): the Markdown rows of the
// benchmark. The real corpus through the spawned server against remark-parse +
// gfm of the same files, and the reader's linearity (1 MB against 250 KB).
// bench/run.js reuses measureMarkdown() for `npm run bench`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** The corpus's Markdown reports; throws when the corpus is missing, so no row silently vanishes. */
export function corpusReports() {
  if (!existsSync(CORPUS)) throw new Error(`The report corpus is missing at ${CORPUS} (expected ../shared/corpus beside the checkout); pass --no-markdown to skip the Markdown rows`);
  return readdirSync(CORPUS).filter((name) => name.endsWith('.md')).map((name) => path.join(CORPUS, name));
}

/**
 * The Markdown rows: (1) the real corpus copied `corpusCopies` times into a
 * workspace, the spawned server's cold start to its first complete batch,
 * against a child process that reads and parses the same files with
 * remark-parse + gfm, sides alternating; (2) the reader on a 1 MB report and on
 * a 250 KB one, alternating, in this process. Samples in ms.
 */
export async function measureMarkdown({ corpusCopies = 10, reps = 5 } = {}) {
  const reports = corpusReports();
  const reader = await import('../server/out/reports/markdown/readMarkdownReport.js');
  const { LspSession, since } = await import('./lspSession.js');
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-bench-md-')));
  const files = [];
  try {
    for (let copy = 0; copy < corpusCopies; copy++) {
      const dir = path.join(root, '.deep-review', `copy-${copy}`);
      mkdirSync(dir, { recursive: true });
      for (const report of reports) {
        const target = path.join(dir, path.basename(report));
        copyFileSync(report, target);
        files.push(target);
      }
    }
    const list = path.join(root, 'list.json');
    writeFileSync(list, JSON.stringify(files));
    const remarkScript = path.join(here, 'remarkFloor.js');
    const serverSamples = [];
    const remarkSamples = [];
    const runServer = async () => {
      const session = new LspSession(process.execPath, [path.join(here, '..', 'bin', 'deep-review-lsp.js'), '--stdio'], {
        env: { ...process.env, XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'drl-bench-cache-')) },
      });
      await session.initialize(root);
      await session.waitFor('the initial scan', () => session.batches.some((b) => b.initial));
      const total = since(session.start);
      const read = session.batches.find((b) => b.initial).reports.length;
      await session.close();
      if (read !== files.length) throw new Error(`the server read ${read} of ${files.length} Markdown reports`);
      return total;
    };
    const runRemark = () => {
      const start = process.hrtime.bigint();
      execFileSync(process.execPath, [remarkScript, list]);
      return since(start);
    };
    await runServer();
    runRemark();
    for (let i = 0; i < reps; i++) {
      if (i % 2 === 0) {
        remarkSamples.push(runRemark());
        serverSamples.push(await runServer());
      } else {
        serverSamples.push(await runServer());
        remarkSamples.push(runRemark());
      }
    }
    const big = makeMarkdownReport(1_000_000);
    const quarter = makeMarkdownReport(250_000);
    const readBig = () => reader.readMarkdownReport(big, { fileName: 'big.md' });
    const readQuarter = () => reader.readMarkdownReport(quarter, { fileName: 'quarter.md' });
    readQuarter();
    readBig();
    const bigSamples = [];
    const quarterSamples = [];
    for (let i = 0; i < reps; i++) {
      quarterSamples.push(elapsed(readQuarter));
      bigSamples.push(elapsed(readBig));
    }
    return { corpus: { reports: files.length, reader: serverSamples, remark: remarkSamples }, big: bigSamples, small: quarterSamples };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = await measureMarkdown({ corpusCopies: 10, reps: 3 });
  console.log(JSON.stringify(figures, null, 1));
}
