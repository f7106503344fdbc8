// npm run bench: the server measured through a real client, spawned as an
// editor spawns it, against baselines measured in the same run. The two sides
// of every ratio alternate over several repetitions; min and median are both
// reported, with the spread of the ratio across repetitions. Every figure also
// checks its result: a run that misses a diagnostic fails the benchmark.
// Writes bench/RESULTS.md.
//   node --expose-gc bench/run.js [--sizes small,medium,large] [--reps N] [--no-efm] [--no-markdown]
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LspSession, peakRssMb, since } from './lspSession.js';
import { measureMarkdown, corpusReports } from './markdown.js';
import { SIZES, writeNextRound, writeWorkspace } from './workload.js';
import { efmAvailable, measureEfm } from './efm.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'bin', 'deep-review-lsp.js');
const FLOOR = path.join(here, 'floor.js');

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'small,medium,large' },
    reps: { type: 'string' },
    'no-efm': { type: 'boolean', default: false },
    'no-markdown': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(here, 'RESULTS.md') },
  },
});
const sizes = values.sizes.split(',').filter(Boolean);
for (const size of sizes) if (!SIZES[size]) throw new Error(`unknown size ${size}; one of ${Object.keys(SIZES).join(', ')}`);

const rows = [];
const notes = [];
const scratch = mkdtempSync(path.join(tmpdir(), 'drl-bench-scratch-'));

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], n: sorted.length };
}

/** Adds a row: measured and baseline samples taken in alternation. */
function row(name, measured, baseline, baselineName, goal, unit = 'ms') {
  const m = stats(measured);
  const b = stats(baseline);
  const ratios = measured.map((v, i) => v / baseline[Math.min(i, baseline.length - 1)]);
  const r = stats(ratios);
  rows.push({ name, m, b, baselineName, goal, unit, ratioMin: m.min / b.min, ratioMedian: m.median / b.median, spread: [r.min, r.max] });
  console.log(
    `${name}: ${fmt(m.min, unit)} / ${fmt(m.median, unit)} vs ${baselineName} ${fmt(b.min, unit)} / ${fmt(b.median, unit)} = ` +
      `${(m.min / b.min).toFixed(2)}x / ${(m.median / b.median).toFixed(2)}x (min / median; per-run ${r.min.toFixed(2)}-${r.max.toFixed(2)}x) [${goal}]`,
  );
}

function fmt(value, unit) {
  return unit === 'MB' ? `${value.toFixed(1)} MB` : `${value.toFixed(1)} ms`;
}

/** A cold or warm server start: spawn to every expected diagnostic. */
async function serverStart(workload, { cacheDir, openFirst = [] } = {}) {
  const env = { ...process.env, XDG_CACHE_HOME: cacheDir ?? path.join(scratch, `cache-${Math.random()}`) };
  const session = new LspSession(process.execPath, [BIN, '--stdio'], { env });
  const initialized = await session.initialize(workload.root);
  const openedAt = process.hrtime.bigint();
  for (const file of openFirst) {
    await session.notify('textDocument/didOpen', { textDocument: { uri: pathToFileURL(file).toString(), languageId: 'typescript', version: 1, text: '' } });
  }
  let openFirstMs;
  if (openFirst.length > 0) {
    const wanted = new Map(openFirst.map((file) => [pathToFileURL(file).toString(), workload.expected.get(pathToFileURL(file).toString())]));
    void session.waitFor('opened files', () => session.complete(wanted)).then(() => (openFirstMs = since(openedAt)));
  }
  await session.waitFor('every diagnostic', () => session.complete(workload.expected));
  const total = since(session.start);
  // A workspace with nothing to publish is complete at once: still wait for its scan, so shutdown finds it idle.
  await session.waitFor('the initial scan', () => session.batches.some((b) => b.initial));
  return { session, total, initialized, openFirstMs: openFirstMs ?? (openFirst.length > 0 ? since(openedAt) : undefined) };
}

/** The floor: spawn to the same messages read back from its pipe. */
async function floorStart(workload, listFile) {
  const session = new LspSession(process.execPath, [FLOOR, listFile]);
  await session.waitFor('the floor', () => session.complete(workload.expected));
  const total = since(session.start);
  await new Promise((resolve) => (session.child.exitCode !== null ? resolve() : session.child.once('exit', resolve)));
  session.connection.dispose();
  return total;
}

/** Writes what the floor needs: the report list and the exact messages the server published. */
function floorInput(workload, session, name) {
  const messagesFile = path.join(scratch, `${name}-messages.json`);
  const messages = [...session.published].filter(([uri]) => workload.expected.has(uri)).map(([uri, diagnostics]) => ({ uri, diagnostics }));
  writeFileSync(messagesFile, JSON.stringify(messages));
  const listFile = path.join(scratch, `${name}-list.json`);
  writeFileSync(listFile, JSON.stringify({ reports: workload.reports, format: workload.format, messages: messagesFile }));
  return listFile;
}

async function coldAndWarm(size, format, reps) {
  const spec = SIZES[size];
  const workload = writeWorkspace({ ...spec, format });
  const label = `${size} ${format} (${workload.reports.length} reports, ${workload.findings} findings, ${workload.files.length} files, ${(workload.bytes / 1e6).toFixed(1)} MB)`;
  console.log(`\n# ${label}`);
  try {
    // Warm-up: compiles the code paths once and captures the messages the floor replays.
    const first = await serverStart(workload);
    const listFile = floorInput(workload, first.session, `${size}-${format}`);
    await first.session.close();
    await floorStart(workload, listFile);

    const floor = [];
    const cold = [];
    const warm = [];
    const init = [];
    for (let i = 0; i < reps; i++) {
      const cacheDir = mkdtempSync(path.join(scratch, 'cache-'));
      const runServer = async () => {
        const c = await serverStart(workload, { cacheDir });
        cold.push(c.total);
        init.push(c.initialized);
        await c.session.close();
        const w = await serverStart(workload, { cacheDir });
        warm.push(w.total);
        await w.session.close();
      };
      const runFloor = async () => floor.push(await floorStart(workload, listFile));
      if (i % 2 === 0) {
        await runFloor();
        await runServer();
      } else {
        await runServer();
        await runFloor();
      }
    }
    row(`cold start to every diagnostic, ${label}`, cold, floor, 'floor (read, parse, write the same messages)', 'goal: <= 3x');
    row(`warm start (second start, unchanged reports), ${size} ${format}`, warm, floor, 'floor', 'goal: <= 1.5x');
    return { workload, init };
  } catch (error) {
    rmSync(workload.root, { recursive: true, force: true });
    throw error;
  }
}

/** Spawn to initialize answered, against node starting and exiting on an empty script. */
async function startup(init, reps) {
  const empty = path.join(scratch, 'empty.js');
  writeFileSync(empty, '');
  const node = [];
  for (let i = 0; i < Math.max(reps, init.length); i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, [empty]);
    node.push(since(start));
  }
  row('spawn to initialize answered', init, node, 'node starting on an empty script', 'goal: <= 150 ms absolute');
}

/** A new round file to its diagnostics, debounce 0. */
async function newRound(workload, reps) {
  console.log('new round files...');
  const c = await serverStart(workload);
  const samples = [];
  try {
    for (let i = 0; i < reps; i++) {
      const pr = 1 + i;
      const round = 2;
      const start = process.hrtime.bigint();
      const { file, findings } = writeNextRound(workload, pr, round, 100 + i);
      const uri = pathToFileURL(file).toString();
      const titles = new Set(findings.map((f) => f.title));
      const cited = new Set(findings.map((f) => pathToFileURL(path.join(workload.root, f.file)).toString()));
      await c.session.waitFor('the new round', () =>
        c.session.batches.some((b) => b.reports.includes(uri)) &&
        [...cited].every((u) => (c.session.published.get(u) ?? []).some((d) => titles.has(String(d.message).split(' [')[0]))),
      );
      samples.push(since(start));
    }
  } finally {
    await c.session.close();
  }
  return samples;
}

/** Peak RSS after the cold start, against the JSON on disk plus an empty server. */
async function memory(workload) {
  console.log('peak memory...');
  const empty = writeWorkspace({ reports: 0, findingsPerReport: 0, sourceFiles: 1 });
  try {
    const e = await serverStart(empty);
    const emptyRss = peakRssMb(e.session.child.pid);
    await e.session.close();
    const c = await serverStart(workload);
    global.gc?.();
    const rss = peakRssMb(c.session.child.pid);
    await c.session.close();
    if (rss === undefined || emptyRss === undefined) return;
    row(`peak RSS, ${workload.findings} findings`, [rss], [workload.bytes / 1e6 * 3 + emptyRss], `3x the reports on disk (${(workload.bytes / 1e6).toFixed(1)} MB) + an empty server (${emptyRss.toFixed(1)} MB)`, 'goal: <= 1x', 'MB');
  } finally {
    rmSync(empty.root, { recursive: true, force: true });
  }
}

/** The files a user has open: their diagnostics after initialize, at this size. */
async function openFirst(workload, reps) {
  const files = [...workload.expected.keys()].slice(-3).map((uri) => fileURLToPath(uri));
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const c = await serverStart(workload, { openFirst: files });
    samples.push(c.openFirstMs);
    await c.session.close();
  }
  return samples;
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${process.platform}/${process.arch}`;
console.log(`machine: ${machine}`);
const started = new Date();
const newRoundBySize = {};
try {
  for (const size of sizes) {
    const reps = Number(values.reps ?? (size === 'large' ? 3 : 5));
    const { workload, init } = await coldAndWarm(size, 'json', reps);
    try {
      if (size === 'medium' || sizes.length === 1) await startup(init, reps);
      await memory(workload);
      if (size === 'medium') {
        const opened = await openFirst(workload, reps);
        const s = stats(opened);
        rows.push({ name: 'open documents: didOpen right after initialize to their diagnostics, 20k findings', m: s, b: { min: 300, median: 300 }, baselineName: 'the 300 ms goal', goal: 'goal: <= 1x', unit: 'ms', ratioMin: s.min / 300, ratioMedian: s.median / 300, spread: [s.min / 300, s.max / 300] });
        console.log(`open documents first: ${s.min.toFixed(1)} / ${s.median.toFixed(1)} ms`);
        if (!values['no-efm']) {
          if (!efmAvailable()) throw new Error('efm-langserver or jq is not installed (apt-get install efm-langserver jq), or pass --no-efm');
          try {
            const efm = await measureEfm(workload, { serverStart, reps, row });
            notes.push(...efm.notes);
          } catch (error) {
            // The alternative failing is a finding about it, not a reason to lose every other figure.
            notes.push(`efm-langserver + jq comparison did not complete: ${String(error.message).split('\n')[0]}`);
            console.log(notes[notes.length - 1]);
          }
        }
      }
      // Last: it adds rounds to the workspace, so what every other figure expects no longer holds.
      newRoundBySize[size] = await newRound(workload, reps);
    } finally {
      rmSync(workload.root, { recursive: true, force: true });
    }
    if (size === 'medium' && !values['no-markdown']) {
      const md = await coldAndWarm('medium', 'markdown', Number(values.reps ?? 3));
      rmSync(md.workload.root, { recursive: true, force: true });
    }
  }
  const small = newRoundBySize.small;
  for (const size of Object.keys(newRoundBySize)) {
    const samples = newRoundBySize[size];
    const s = stats(samples);
    rows.push({ name: `new round file to its diagnostics, ${size} (debounce 0)`, m: s, b: { min: 50, median: 50 }, baselineName: 'the 50 ms goal', goal: 'goal: median <= 50 ms', unit: 'ms', ratioMin: s.min / 50, ratioMedian: s.median / 50, spread: [s.min / 50, s.max / 50] });
    console.log(`new round, ${size}: ${s.min.toFixed(1)} / ${s.median.toFixed(1)} ms`);
    if (small && size !== 'small') row(`new round, ${size} against small`, samples, small, 'the same at 500 findings', 'goal: <= 1.5x');
  }
  if (!values['no-markdown']) {
    const figures = await measureMarkdown({ corpusCopies: 10 });
    row(`Markdown: ${figures.corpus.reports} real reports (the corpus x10) read into the model`, figures.corpus.reader, figures.corpus.remark, 'remark-parse + gfm of the same files', 'goal: <= 0.1x');
    row('Markdown: 1 MB report against a 250 KB one (linearity)', figures.big, figures.small, '250 KB report', 'goal: <= 4.5x');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const table = rows.map(
  (r) =>
    `| ${r.name} | ${fmt(r.m.min, r.unit)} / ${fmt(r.m.median, r.unit)} | ${r.baselineName}: ${fmt(r.b.min, r.unit)} / ${fmt(r.b.median, r.unit)} | **${r.ratioMin.toFixed(2)}x / ${r.ratioMedian.toFixed(2)}x** | ${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)}x | ${r.goal} |`,
);
writeFileSync(
  values.out,
  `# Benchmark results

Written by \`npm run bench\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC (${machine}), sizes: ${sizes.join(', ')}.
Every server figure is measured through the spawned server and a real LSP client, from spawn; each ratio
is against a baseline measured in the same run, the two sides alternating, as min / median of the
repetitions, with the per-repetition spread. A run that misses a diagnostic fails instead of reporting.

| measure | measured (min / median) | baseline (min / median) | ratio (min / median) | spread | goal |
|---|---|---|---|---|---|
${table.join('\n')}
${notes.length > 0 ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`,
);
console.log(`\nwrote ${values.out}`);
