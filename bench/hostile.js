// node bench/hostile.js: what hostile workspaces cost the built server (spawned over stdio).
// Prints one line per case: wall time to the first scan's diagnostics, git hook runs,
// URIs published, the server's peak RSS, and whether a request was answered meanwhile.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'bin', 'deep-review-lsp.js');

function workspace() {
  return realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-hostile-')));
}

function write(root, relative, text) {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof text === 'string' ? text : JSON.stringify(text));
  return file;
}

const git = (root, ...args) =>
  execFileSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' }).trim();

async function run(name, root, settings, { timeoutMs = 120_000 } = {}) {
  const child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map();
  let scanned;
  const done = new Promise((resolve) => (scanned = resolve));
  connection.onNotification('textDocument/publishDiagnostics', (p) => published.set(p.uri, p.diagnostics.length));
  connection.onNotification('deepReview/reportsRead', (p) => p.initial && scanned());
  connection.onRequest('workspace/configuration', () => [settings]);
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // gone
    }
  }, 20);
  const start = Date.now();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).toString(),
    workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'w' }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
  });
  await connection.sendNotification('initialized', {});
  // Requests sent one after another while the scan runs: the longest wait for an answer.
  let longestWait = 0;
  let pinging = true;
  let askedAt = Date.now();
  const ping = async () => {
    while (pinging) {
      askedAt = Date.now();
      await connection.sendRequest('workspace/executeCommand', { command: 'deepReview.nothing', arguments: [] }).catch(() => undefined);
      longestWait = Math.max(longestWait, Date.now() - askedAt);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  void ping();
  const timedOut = await Promise.race([done.then(() => false), new Promise((r) => setTimeout(() => r(true), timeoutMs))]);
  const elapsed = Date.now() - start;
  pinging = false;
  // A request still unanswered when the scan ends (or the wait gives up) counts too.
  longestWait = Math.max(longestWait, Date.now() - askedAt);
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(sampler);
  const outside = [...published.keys()].filter((uri) => !uri.startsWith(pathToFileURL(root).toString() + '/'));
  child.kill();
  console.log(
    `${name}: ${timedOut ? `no first scan within ${timeoutMs} ms` : `first scan ${elapsed} ms`}, ` +
      `longest wait for an answer ${longestWait} ms, ${published.size} URIs (${outside.length} outside the folder), peak RSS ${peak.toFixed(0)} MB`,
  );
  return { published, outside };
}

const which = process.argv[2] ?? 'all';

if (which === 'all' || which === 'commits') {
  const root = workspace();
  const marker = path.join(root, 'hook-runs.txt');
  write(root, 'a/util.go', 'package a\n');
  write(root, 'b/util.go', 'package b\n');
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-qm', 'base');
  const hook = write(root, 'hook.sh', `#!/bin/sh\necho ran >> '${marker}'\n`);
  chmodSync(hook, 0o755);
  git(root, 'config', 'core.fsmonitor', hook);
  const commits = Array.from({ length: 3000 }, (_, i) => ({ sha: (0xabc0000 + i).toString(16).padStart(9, '0') }));
  write(root, '.deep-review/r.json', {
    schemaVersion: 1,
    commits,
    findings: [{ id: 'I1', severity: 'important', title: 't', locations: [{ path: 'util.go', ranges: [{ start: 1, end: 1 }] }] }],
  });
  await run('3,000-commit report, ambiguous bare name, hostile core.fsmonitor', root, { debounceMs: 0 });
  const runs = existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0;
  console.log(`  core.fsmonitor hook ran ${runs} times`);
  rmSync(root, { recursive: true, force: true });
}

if (which === 'all' || which === 'usr') {
  const root = workspace();
  await run('directory "/usr"', root, { debounceMs: 0, directory: '/usr' });
  rmSync(root, { recursive: true, force: true });
}

if (which === 'all' || which === 'ranges') {
  const root = workspace();
  const raw = `src/a.ts ${'x'.repeat(300_000)}`;
  write(root, 'src/a.ts', 'a\n'.repeat(10));
  write(root, '.deep-review/big.json', {
    schemaVersion: 1,
    findings: [{ id: 'I1', severity: 'important', title: 't', locations: [{ path: 'src/a.ts', raw, ranges: Array.from({ length: 2000 }, (_, i) => ({ start: i + 1, end: i + 1 })) }] }],
  });
  write(root, '.deep-review/other.json', '{ broken');
  const { published } = await run('one finding, 300 KB raw, 2,000 ranges, beside a broken report', root, { debounceMs: 0 });
  console.log(`  diagnostics on src/a.ts: ${published.get(pathToFileURL(path.join(root, 'src/a.ts')).toString()) ?? 'none'}, on other.json: ${published.get(pathToFileURL(path.join(root, '.deep-review/other.json')).toString()) ?? 'none'}`);
  rmSync(root, { recursive: true, force: true });
}

if (which === 'all' || which === 'paragraph') {
  const root = workspace();
  write(root, '.deep-review/big.md', '# Deep Review: big\n\n' + 'word '.repeat(780_000) + '\n');
  write(root, '.deep-review/small.json', { schemaVersion: 1, findings: [] });
  await run('3.9 MB one-paragraph Markdown report', root, { debounceMs: 0 });
  rmSync(root, { recursive: true, force: true });
}

if (which === 'all' || which === 'linkrefs') {
  const root = workspace();
  const defs = Array.from({ length: 100_000 }, (_, i) => `[ref${i}]: https://example.com/${i}`).join('\n');
  write(root, '.deep-review/refs.md', `# Deep Review: refs\n\n${defs}\n`);
  write(root, '.deep-review/small.json', { schemaVersion: 1, findings: [] });
  await run('100k link-reference definitions (2.2 MB)', root, { debounceMs: 0 }, { timeoutMs: 90_000 });
  rmSync(root, { recursive: true, force: true });
}
