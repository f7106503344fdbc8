// The alternative a user has today: efm-langserver running jq over the same
// review JSON. Two figures: didOpen of one file to its diagnostics (efm lints
// that file; our server is already running) and the first complete diagnostics
// of the workspace (efm's lint-workspace mode, triggered by one didOpen).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspSession, since } from './lspSession.js';

/** True when efm-langserver and jq are on the PATH. */
export function efmAvailable() {
  try {
    execFileSync('efm-langserver', ['-v']);
    execFileSync('jq', ['--version']);
    return true;
  } catch {
    return false;
  }
}

// One output line per finding: path:line:col: severity title (the same finding ids and titles).
const JQ_FILTER = String.raw`.findings[] | . as $f | .locations[0] as $l | "\($root)/\($l.path):\($l.ranges[0].start):1: \($f.severity) \($f.title)"`;

function writeConfig(dir, workload, { workspace }) {
  const reports = workload.reports.map((file) => `'${file}'`).join(' ');
  const select = workspace ? '' : ` | select(startswith($input + ":"))`;
  const command = `jq -r --arg root '${workload.root}' --arg input "\${INPUT}" '${JQ_FILTER}${select}' ${reports}`;
  const script = path.join(dir, workspace ? 'lint-workspace.sh' : 'lint-file.sh');
  writeFileSync(script, `#!/bin/sh\nexec ${command}\n`, { mode: 0o755 });
  const config = path.join(dir, workspace ? 'workspace.yaml' : 'file.yaml');
  writeFileSync(
    config,
    `version: 2
lint-debounce: 10ms
languages:
  typescript:
    - lint-command: '${script} \${INPUT}'
      lint-stdin: false
      # jq exits 0 with output: efm takes exit 0 for "nothing found" unless told otherwise.
      lint-ignore-exit-code: true
      lint-workspace: ${workspace}
      lint-formats: ['%f:%l:%c: %m']
`,
  );
  // The script reads ${INPUT} from its argument: make jq see it.
  writeFileSync(script, `#!/bin/sh\nINPUT="$1"\nexec ${command.replace('"${INPUT}"', '"$INPUT"')}\n`, { mode: 0o755 });
  return config;
}

async function efmSession(config, root) {
  const session = new LspSession('efm-langserver', ['-c', config]);
  await session.initialize(root, { textDocument: { publishDiagnostics: {} } });
  return session;
}

/** Runs the two comparisons; returns notes (misses). */
export async function measureEfm(workload, { serverStart, reps, row }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'drl-bench-efm-'));
  const notes = [];
  try {
    const fileConfig = writeConfig(dir, workload, { workspace: false });
    const workspaceConfig = writeConfig(dir, workload, { workspace: true });
    const uris = [...workload.expected.keys()].slice(0, reps * 2);
    const text = (uri) => readFileSync(fileURLToPath(uri), 'utf8');

    // didOpen to that file's diagnostics: both servers up and idle first.
    const ours = await serverStart(workload);
    const efm = await efmSession(fileConfig, workload.root);
    const oursSamples = [];
    const efmSamples = [];
    let misses = 0;
    try {
      for (let i = 0; i < reps; i++) {
        const uri = uris[i];
        const want = workload.expected.get(uri);
        const open = async (session, version) => {
          session.published.delete(uri);
          const start = process.hrtime.bigint();
          await session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version, text: text(uri) } });
          await session.waitFor(`diagnostics of ${uri}`, () => (session.published.get(uri)?.length ?? -1) === want, 60_000);
          const elapsed = since(start);
          await session.notify('textDocument/didClose', { textDocument: { uri } });
          return elapsed;
        };
        const runEfm = async () => {
          try {
            efmSamples.push(await open(efm, 1));
          } catch {
            misses++;
          }
        };
        if (i % 2 === 0) {
          oursSamples.push(await open(ours.session, 1));
          await runEfm();
        } else {
          await runEfm();
          oursSamples.push(await open(ours.session, 1));
        }
      }
    } finally {
      await ours.session.close();
      await efm.close();
    }
    if (efmSamples.length > 0) row(`didOpen to that file's diagnostics, ${workload.findings} findings`, oursSamples, efmSamples, 'efm-langserver + jq', 'goal: <= 0.01x (>= 100x faster)');
    if (misses > 0) notes.push(`efm-langserver missed ${misses} of ${reps} didOpen lints (no diagnostics within 60 s)`);

    // First complete diagnostics of the workspace, from spawn.
    const oursFull = [];
    const efmFull = [];
    for (let i = 0; i < reps; i++) {
      const runOurs = async () => {
        const c = await serverStart(workload);
        oursFull.push(c.total);
        await c.session.close();
      };
      const runEfm = async () => {
        const session = new LspSession('efm-langserver', ['-c', workspaceConfig]);
        await session.initialize(workload.root, { textDocument: { publishDiagnostics: {} } });
        const uri = uris[0];
        await session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: text(uri) } });
        await session.waitFor('efm: every diagnostic', () => session.complete(workload.expected), 120_000);
        efmFull.push(since(session.start));
        await session.close();
      };
      if (i % 2 === 0) {
        await runOurs();
        await runEfm();
      } else {
        await runEfm();
        await runOurs();
      }
    }
    row(`first complete diagnostics of the workspace, ${workload.findings} findings`, oursFull, efmFull, 'efm-langserver + jq (lint-workspace)', 'goal: < 1x');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { notes };
}
