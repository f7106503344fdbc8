// npm run bench:hover: hover latency of the real server over stdio on a workspace of 20,000 shown findings
// (84 PR series of 3 rounds of 80 findings, every round shown, titles repeated across rounds so histories link).
// Goals: hover under 5 ms, code actions under 20 ms at the 99th percentile. Also times workspace/symbol and a report's round summary.
// Writes bench/RESULTS-hover.md.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { makeFindings, reviewJson, rng, writeWorkspace } from './workload.js';
import { loadReviews } from '../server/out/cli/loadReviews.js';
import { CitedLinesPlacer } from '../server/out/anchoring/placement.js';
import { computeHover, createHoverServices } from '../server/out/features/hover.js';
import { FileTexts } from '../server/out/store/fileTexts.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'bin', 'deep-review-lsp.js');
const SERIES = 84;
const ROUNDS = 3;
const FINDINGS = 80;
const HOVERS = 2000;

const workload = writeWorkspace({ reports: 0, findingsPerReport: 0, sourceFiles: 400 });
const random = rng(7);
const reports = [];
for (let pr = 1; pr <= SERIES; pr++) {
  for (let round = 1; round <= ROUNDS; round++) {
    const review = reviewJson({ pr, round, findings: makeFindings(random, { pr, round, findings: FINDINGS, files: workload.files }) });
    // The same finding in every round of a series: linked by fingerprint (title, path, no anchor).
    for (const finding of review.findings) finding.title = finding.title.replace(/ round \d+/, '');
    const file = path.join(workload.root, '.deep-review', `pr-${pr}`, `round-${round}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(review));
    reports.push({ file, review });
  }
}
const findingCount = SERIES * ROUNDS * FINDINGS;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** The hover core in this process, files as open buffers: wall time and CPU time of each hover, after one warm pass over every file. */
async function inProcess() {
  const { store } = await loadReviews(workload.root);
  store.setVisibility({ rounds: 'all', showResolved: false });
  const buffers = new Map();
  const texts = new FileTexts((uri) => {
    const file = fileURLToPath(uri);
    if (!buffers.has(file)) buffers.set(file, readFileSync(file, 'utf8'));
    return buffers.get(file);
  });
  const services = createHoverServices(store, new CitedLinesPlacer(texts), texts);
  const all = [...store.allFindings()];
  const at = (placed) => [placed.primary.file, { line: placed.primary.range.start - 1, character: 1 }];
  const cold = [];
  const seenFiles = new Set();
  for (const placed of all) {
    if (seenFiles.has(placed.primary.file)) continue;
    seenFiles.add(placed.primary.file);
    cold.push((await timed(() => computeHover(services, ...at(placed), 'markdown'))).ms);
  }
  const pick = rng(13);
  const wall = [];
  const cpu = [];
  for (let i = 0; i < HOVERS; i++) {
    const placed = all[Math.floor(pick() * all.length)];
    const before = process.cpuUsage();
    wall.push((await timed(() => computeHover(services, ...at(placed), 'markdown'))).ms);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b), cold: cold.sort((a, b) => a - b) };
}

try {
  const core = await inProcess();
  const child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let initialDone;
  const initial = new Promise((resolve) => (initialDone = resolve));
  connection.onNotification('deepReview/reportsRead', (p) => p.initial && initialDone());
  let publications = 0;
  let published = () => undefined;
  const diagnosticsByUri = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    diagnosticsByUri.set(params.uri, params.diagnostics);
    publications++;
    published();
  });
  connection.onRequest('workspace/configuration', () => [{ debounceMs: 0, rounds: 'all' }]);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workload.root).toString(),
    workspaceFolders: [{ uri: pathToFileURL(workload.root).toString(), name: 'bench' }],
    capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } },
  });
  await connection.sendNotification('initialized', {});
  await initial;

  // Hover on the first line of randomly chosen findings, shown ones of every round.
  const pick = rng(11);
  const targets = Array.from({ length: HOVERS + 100 }, () => {
    const { review } = reports[Math.floor(pick() * reports.length)];
    const finding = review.findings[Math.floor(pick() * review.findings.length)];
    const location = finding.locations[0];
    return { file: path.join(workload.root, location.path), line: location.ranges[0].start - 1 };
  });
  const hover = (t) => connection.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(t.file).toString() }, position: { line: t.line, character: 2 } });
  // One hovers in an open buffer: every source file is open, as in an editor with the project's files loaded.
  const before = publications;
  const republished = new Promise((resolve) => {
    published = () => publications - before >= workload.files.length && resolve();
  });
  for (const file of workload.files) {
    const text = readFileSync(path.join(workload.root, file), 'utf8');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(path.join(workload.root, file)).toString(), languageId: 'typescript', version: 1, text } });
  }
  // Opening a file re-publishes its diagnostics; hovers are timed once that is done.
  await republished;
  for (const t of targets.slice(0, 100)) await hover(t); // warm-up: caches and JIT
  const samples = [];
  let cards = 0;
  for (const t of targets.slice(100)) {
    const { ms, result } = await timed(() => hover(t));
    samples.push(ms);
    cards += result ? result.contents.value.split('\n\n---\n\n').length : 0;
  }
  samples.sort((a, b) => a - b);

  // Code actions on the same spots, with the diagnostics there as an editor sends them: fixes, triage, "open in report".
  const diagnosticsAt = (t) => (diagnosticsByUri.get(pathToFileURL(t.file).toString()) ?? []).filter((d) => d.range.start.line <= t.line && d.range.end.line >= t.line);
  const codeAction = (t) =>
    connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: pathToFileURL(t.file).toString() },
      range: { start: { line: t.line, character: 2 }, end: { line: t.line, character: 2 } },
      context: { diagnostics: diagnosticsAt(t) },
    });
  for (const t of targets.slice(0, 100)) await codeAction(t); // warm-up
  const actions = [];
  let offered = 0;
  for (const t of targets.slice(100)) {
    const { ms, result } = await timed(() => codeAction(t));
    actions.push(ms);
    offered += result?.length ?? 0;
  }
  actions.sort((a, b) => a - b);

  const summaries = [];
  for (const { file } of reports.slice(0, 200)) summaries.push((await timed(() => connection.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(file).toString() }, position: { line: 0, character: 1 } }))).ms);
  summaries.sort((a, b) => a - b);
  const symbols = [];
  for (const query of ['F1', 'file12', 'PR 7', 'claude', 'something about src/module3']) symbols.push((await timed(() => connection.sendRequest('workspace/symbol', { query }))).ms);
  symbols.sort((a, b) => a - b);

  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();

  const rows = [
    ['core: hover on a finding, wall time', core.wall, `${HOVERS} hovers in this process`],
    ['core: hover on a finding, CPU time', core.cpu, 'the same hovers; CPU time leaves out waiting for a core'],
    ['core: first hover in each file', core.cold, `${core.cold.length} files, before the timed hovers`],
    ['server: hover on a finding (cited file)', samples, `${HOVERS} hovers over stdio, ${(cards / HOVERS).toFixed(1)} cards each on average`],
    ['server: code actions on a finding (cited file)', actions, `${actions.length} requests with the diagnostics there, ${(offered / actions.length).toFixed(1)} actions each on average; goal p99 <= 20 ms`],
    ['server: hover on a report header (round summary)', summaries, `${summaries.length} reports`],
    ['server: workspace/symbol', symbols, `${symbols.length} queries, up to 200 symbols each`],
  ];
  const line = ([name, s, note]) => `| ${name} | ${percentile(s, 50).toFixed(2)} ms | ${percentile(s, 99).toFixed(2)} ms | ${s[s.length - 1].toFixed(2)} ms | ${note} |`;
  for (const row of rows) console.log(line(row));
  const text = `# Hover benchmark

Written by \`npm run bench:hover\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}/${process.arch},
${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} when it ended). The hover core in this process, and the built
server over stdio timed at the client (JSON-RPC round trip included), on ${findingCount} shown findings
(${SERIES} PR series of ${ROUNDS} rounds of ${FINDINGS} findings, \`rounds: "all"\`, the same findings in every round so
their histories link) over ${workload.files.length} source files, every one open in the client (hovers happen in open buffers;
workspace symbols are placed through the same buffers). Goals: hover under 5 ms and code actions under 20 ms at the 99th percentile.

| request | p50 | p99 | max | samples |
|---|---|---|---|---|
${rows.map(line).join('\n')}
`;
  writeFileSync(path.join(here, 'RESULTS-hover.md'), text);
  console.log(`\nwrote ${path.join(here, 'RESULTS-hover.md')}`);
} finally {
  rmSync(workload.root, { recursive: true, force: true });
}
