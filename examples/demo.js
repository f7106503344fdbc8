// npm run demo: starts the language server on the example workspace, as an
// editor would (over stdio, with the LSP handshake), and prints the diagnostics
// it publishes, grouped by file, the way an editor's problem list shows them.
// Usage: node examples/demo.js [WORKSPACE]
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, 'workspace'));
const bin = path.join(here, '..', 'bin', 'deep-review-lsp.js');
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

const server = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
const published = new Map();
let scanned;
const ready = new Promise((resolve) => (scanned = resolve));
connection.onNotification('textDocument/publishDiagnostics', ({ uri, diagnostics }) => published.set(uri, diagnostics));
connection.onNotification('deepReview/reportsRead', (batch) => batch.initial && scanned());
connection.onNotification('window/logMessage', () => undefined);
connection.onRequest('workspace/configuration', () => [{ debounceMs: 0 }]);
connection.onRequest('client/registerCapability', () => null);
connection.listen();

const init = await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(root).toString(),
  workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: path.basename(root) }],
  capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } },
});
console.log(`${init.serverInfo.name} ${init.serverInfo.version} on ${root}\n`);
await connection.sendNotification('initialized', {});
await ready;

let count = 0;
for (const [uri, diagnostics] of [...published].sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (diagnostics.length === 0) continue;
  console.log(path.relative(root, fileURLToPath(uri)));
  for (const d of diagnostics) {
    count++;
    console.log(`  ${String(d.range.start.line + 1).padStart(4)}:${d.range.start.character + 1}  ${SEVERITY[d.severity].padEnd(7)}  ${d.code ?? ''}  ${d.message}`);
  }
}
console.log(`\n${count} diagnostic(s) published. Open a file of ${root} in your editor (see the README) to see them there.`);
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
