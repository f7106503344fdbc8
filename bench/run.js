// npm run bench: speed and memory of the server on a large synthetic workspace.
// Every figure is reported as a ratio against a baseline measured in the same
// run (these machines are noisy); absolute times are printed for context only.
// Writes bench/RESULTS.md.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { loadReviews } from '../server/out/cli/loadReviews.js';
import { loadReport } from '../server/out/store/reviewDirectory.js';
import { WorkspaceFiles } from '../server/out/anchoring/resolvePaths.js';
import { computeFindingDiagnostics } from '../server/out/features/diagnostics.js';
import { defaultSettings } from '../server/out/settings.js';
import { measureMarkdown } from './markdown.js';
import { makeReview, rng, writeWorkspace } from './workload.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'bin', 'deep-review-lsp.js');
const results = [];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn, runs = 5) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

function record(name, measured, baselineName, baseline, goal) {
  const ratio = measured / baseline;
  results.push({ name, measured, baselineName, baseline, ratio, goal });
  console.log(`${name}: ${measured.toFixed(1)} ms vs ${baselineName} ${baseline.toFixed(1)} ms = ${ratio.toFixed(2)}x (${goal})`);
}

const workload = writeWorkspace({ series: 100, rounds: 3, findings: 80 });
console.log(`workload: ${workload.reports.length} reports, ${workload.findings} findings over ${workload.files.length} files`);

try {
  // A. Initial load of every report, against the floor of reading and JSON.parse-ing the same files.
  const floor = await time(async () => {
    for (const file of workload.reports) JSON.parse(readFileSync(file, 'utf8'));
  });
  let loaded;
  const load = await time(async () => {
    loaded = await loadReviews(workload.root);
  });
  record('initial load (read, validate, index)', load, 'read + JSON.parse', floor, 'goal: under 10x');

  // B. One changed report: re-read it and recompute the diagnostics of the files it touches,
  //    against rebuilding everything.
  const { store, root } = loaded;
  const target = workload.reports[workload.reports.length - 1];
  const random = rng(99);
  const settings = defaultSettings();
  const files = new WorkspaceFiles(root);
  let round = 0;
  const incremental = await time(async () => {
    writeFileSync(target, JSON.stringify(makeReview(random, { pr: 100, round: 3, findings: 80 + (round++ % 2), files: workload.files })));
    const read = await loadReport(target, { maxBytes: 4 << 20, root }, files);
    const changes = store.setReport(target, root, read);
    for (const file of changes.files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      computeFindingDiagnostics(store.findingsForFile(file), lines, settings, { relatedInformation: true, codeDescription: true });
    }
  }, 9);
  record('one report changed (re-read + re-diagnose touched files)', incremental, 'full reload', load, 'goal: under 0.1x');

  // C. Memory held by the index, against the size of the JSON it was read from.
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let keep = await loadReviews(workload.root);
  global.gc?.();
  const held = process.memoryUsage().heapUsed - before;
  const jsonBytes = workload.reports.reduce((sum, file) => sum + readFileSync(file).length, 0);
  results.push({ name: 'heap held by the loaded index', measured: held / 1e6, unit: 'MB', baselineName: 'JSON on disk', baseline: jsonBytes / 1e6, ratio: held / jsonBytes, goal: 'goal: under 5x' });
  console.log(`heap held: ${(held / 1e6).toFixed(1)} MB vs JSON ${(jsonBytes / 1e6).toFixed(1)} MB = ${(held / jsonBytes).toFixed(2)}x`);
  keep = undefined;

  // D. The real server over stdio: initial scan to the last diagnostic, then one edit.
  const server = await serverRun(workload);
  record('server: start to all diagnostics published', server.initial, 'initial load (A)', load, 'goal: under 5x');
  record('server: one report edited to its diagnostics re-published', server.edit, 'server start (D)', server.initial, 'goal: under 0.2x');
  results.push({ name: 'server: files re-published after the edit', measured: server.republished, unit: 'files', baselineName: 'files with findings', baseline: server.filesWithFindings, ratio: server.republished / server.filesWithFindings, goal: 'only the touched files' });
  console.log(`re-published ${server.republished} of ${server.filesWithFindings} files`);

  // E. Markdown parsing: a large report against remark's own parse of it, and linearity.
  await markdownBench();
} finally {
  rmSync(workload.root, { recursive: true, force: true });
}

writeResults();

async function serverRun({ root, reports, files }) {
  const child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map();
  let batches = [];
  let wake = () => undefined;
  connection.onNotification('textDocument/publishDiagnostics', (p) => published.set(p.uri, p.diagnostics.length));
  connection.onNotification('deepReview/reportsRead', (p) => {
    batches.push(p);
    wake();
  });
  connection.onRequest('workspace/configuration', () => [{ debounceMs: 0 }]);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  const waitBatch = (check) =>
    new Promise((resolve) => {
      wake = () => {
        const found = batches.find(check);
        if (found) resolve(found);
      };
      wake();
    });
  const start = process.hrtime.bigint();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).toString(),
    workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
  });
  await connection.sendNotification('initialized', {});
  await waitBatch((b) => b.initial);
  const initial = Number(process.hrtime.bigint() - start) / 1e6;
  const filesWithFindings = [...published.values()].filter((n) => n > 0).length;

  batches = [];
  const target = reports[0];
  const editStart = process.hrtime.bigint();
  writeFileSync(target, JSON.stringify(makeReview(rng(5), { pr: 1, round: 3, findings: 5, files })));
  const batch = await waitBatch((b) => b.reports.length > 0 && !b.initial);
  const edit = Number(process.hrtime.bigint() - editStart) / 1e6;
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  return { initial, edit, republished: batch.files.length, filesWithFindings };
}

async function markdownBench() {
  const figures = await measureMarkdown();
  if (figures === undefined) return;
  const { full, small, remarkOnly } = figures;
  record('Markdown: 1 MB report read into the model', full, 'remark-parse + gfm alone', remarkOnly, 'goal: under 3x, and under 1 s');
  record('Markdown: 1 MB against 250 KB (linearity)', full, '250 KB report', small, 'goal: about 4x (linear)');
  results.push({ name: 'Markdown: 1 MB report, absolute', measured: full, unit: 'ms', baselineName: '1 s budget', baseline: 1000, ratio: full / 1000, goal: 'goal: under 1x' });
}

function writeResults() {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.measured.toFixed(1)} ${r.unit ?? 'ms'} | ${r.baselineName}: ${r.baseline.toFixed(1)} ${r.unit === 'files' ? 'files' : r.unit === 'MB' ? 'MB' : 'ms'} | **${r.ratio.toFixed(2)}x** | ${r.goal} |`,
  );
  const text = `# Benchmark results

Written by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}/${process.arch}).
Workload: ${workload.reports.length} review JSON reports (100 PR series of 3 rounds), ${workload.findings} findings over ${workload.files.length} source files.
Ratios compare against a baseline measured in the same run; absolute times are for context only.

| measure | measured | baseline | ratio | goal |
|---|---|---|---|---|
${rows.join('\n')}
`;
  writeFileSync(path.join(here, 'RESULTS.md'), text);
  console.log(`\nwrote ${path.join(here, 'RESULTS.md')}`);
}
