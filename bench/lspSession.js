// A benchmark LSP session: spawns a language server, speaks real JSON-RPC to
// it, counts what it publishes and waits on predicates (never on sleeps).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

/** Milliseconds since `start` (a hrtime bigint). */
export function since(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Peak resident set size of a process in MB (VmHWM), or undefined off Linux. */
export function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A spawned server with counters of its diagnostics. */
export class LspSession {
  constructor(command, args, { env, settings } = {}) {
    this.start = process.hrtime.bigint();
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    this.stderr = '';
    this.child.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.published = new Map(); // uri -> diagnostics
    this.batches = [];
    this.waiters = new Set();
    this.settings = settings ?? { debounceMs: 0 };
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      this.published.set(p.uri, p.diagnostics);
      this.wake();
    });
    this.connection.onNotification('deepReview/reportsRead', (p) => {
      this.batches.push(p);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('window/showMessage', () => undefined);
    this.connection.onRequest('workspace/configuration', (p) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  /** Sends initialize and initialized; resolves with the time initialize took to answer, from spawn. */
  async initialize(root, capabilities = { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } }) {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }],
      capabilities,
      initializationOptions: { deepReview: this.settings },
    });
    const answered = since(this.start);
    await this.connection.sendNotification('initialized', {});
    return answered;
  }

  /** Count of diagnostics published on the URIs of `expected` that match its count. */
  complete(expected) {
    let done = 0;
    for (const [uri, count] of expected) if ((this.published.get(uri)?.length ?? 0) === count) done++;
    return done === expected.size;
  }

  /** Resolves when `check` holds, re-checked on every notification. */
  waitFor(what, check, timeoutMs = 600_000) {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { check, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  wake() {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  notify(method, params) {
    return this.connection.sendNotification(method, params);
  }

  /** Shuts down and waits for the process to exit. */
  async close() {
    const exited = new Promise((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', resolve)));
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), exited]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}
