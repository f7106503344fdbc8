/**
 * The VS Code extension package: `npm run package` in client-vscode builds a
 * .vsix with @vscode/vsce that holds the bundled extension and server and
 * nothing else, and the server inside it runs on its own, without a checkout:
 * unpacked alone into an empty folder, it answers initialize over stdio and
 * publishes the example workspace's findings.
 *
 * Needs client-vscode's own dependencies (`npm ci --prefix client-vscode`);
 * without them the test is skipped with a message, except under CI=true.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { REPO_ROOT } from '../support/lspClient.js';

const extensionDir = path.join(REPO_ROOT, 'client-vscode');
const vsce = path.join(extensionDir, 'node_modules/.bin/vsce');
const installed = existsSync(vsce);
const vsix = path.join(extensionDir, 'deep-review.vsix');
const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'deep-review-vsix-')));
  temporary.push(dir);
  return dir;
}

/** Every entry of the .vsix (a zip), with a way to read one; read with vsce's own yauzl. */
async function readZip(file: string): Promise<Map<string, Buffer>> {
  const yauzl = createRequire(path.join(extensionDir, 'package.json'))('yauzl') as {
    open: (file: string, options: object, cb: (err: Error | null, zip: ZipFile) => void) => void;
  };
  interface ZipFile {
    on(event: 'entry', cb: (entry: { fileName: string }) => void): void;
    on(event: 'end', cb: () => void): void;
    readEntry(): void;
    openReadStream(entry: { fileName: string }, cb: (err: Error | null, stream: NodeJS.ReadableStream) => void): void;
  }
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(error);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

describe('VS Code extension package (client-vscode)', () => {
  it('has its dependencies installed, or says why the package test does not run', (ctx) => {
    if (installed) return;
    if (process.env.CI === 'true') throw new Error('client-vscode/node_modules is missing; CI must run `npm ci --prefix client-vscode` (.ci/run does)');
    const why = 'client-vscode has no node_modules: run `npm ci --prefix client-vscode` to build and test the .vsix';
    console.warn(why);
    ctx.skip(why);
  });

  describe.runIf(installed)('built with npm run package', { timeout: 240_000 }, () => {
    let entries: Map<string, Buffer>;

    it('packages the bundled extension and server, and nothing else', async () => {
      rmSync(vsix, { force: true });
      const build = spawnSync('npm', ['run', 'package'], { cwd: extensionDir, encoding: 'utf8', timeout: 180_000 });
      expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
      entries = await readZip(vsix);
      expect([...entries.keys()].sort()).toEqual([
        '[Content_Types].xml',
        'extension.vsixmanifest',
        'extension/LICENSE.txt',
        'extension/dist/extension.js',
        'extension/dist/server.mjs',
        'extension/package.json',
        'extension/readme.md',
      ]);
      const packaged = JSON.parse(entries.get('extension/package.json')!.toString('utf8')) as { main: string; contributes: unknown; activationEvents: string[] };
      const source = JSON.parse(readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as { contributes: unknown };
      expect(packaged.main).toBe('./dist/extension.js');
      expect(packaged.contributes).toEqual(source.contributes);
      expect(packaged.activationEvents).toContain('workspaceContains:.deep-review');
    });

    it('bundles every dependency of the extension: at run time it needs only vscode and Node', () => {
      expect(entries, 'the package test above failed').toBeDefined();
      const code = entries.get('extension/dist/extension.js')!.toString('utf8');
      const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
      const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
      expect([...required].filter((m) => m !== 'vscode' && !builtins.has(m))).toEqual([]);
      expect(required.has('vscode')).toBe(true);
      expect(code).toContain('deepReview');
    });

    it('runs the bundled server alone, without a checkout: it answers initialize and publishes findings', async () => {
      expect(entries, 'the package test above failed').toBeDefined();
      const alone = tempDir();
      const server = path.join(alone, 'server.mjs');
      writeFileSync(server, entries.get('extension/dist/server.mjs')!);
      const version = spawnSync(process.execPath, [server, '--version'], { cwd: alone, encoding: 'utf8' });
      expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);

      const workspace = path.join(tempDir(), 'workspace');
      cpSync(path.join(REPO_ROOT, 'examples/workspace'), workspace, { recursive: true });
      const child = spawn(process.execPath, [server, '--stdio'], { cwd: alone, stdio: ['pipe', 'pipe', 'pipe'] });
      const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      const published = new Map<string, unknown[]>();
      let wake = () => {};
      connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: unknown[] }) => {
        published.set(params.uri, params.diagnostics);
        wake();
      });
      connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({ debounceMs: 0 })));
      connection.onRequest('client/registerCapability', () => null);
      connection.listen();
      try {
        const result = (await connection.sendRequest('initialize', {
          processId: process.pid,
          rootUri: pathToFileURL(workspace).toString(),
          workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'workspace' }],
          capabilities: { workspace: { configuration: true, workspaceFolders: true } },
        })) as { serverInfo: { name: string; version: string }; capabilities: { executeCommandProvider: { commands: string[] } } };
        expect(result.serverInfo.name).toBe('deep-review-lsp');
        expect(result.capabilities.executeCommandProvider.commands).toContain('deepReview.reload');
        const total = () => [...published.values()].reduce((n, list) => n + list.length, 0);
        const five = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${total()} diagnostic(s) published`)), 10_000);
          wake = () => {
            if (total() === 5) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
        await connection.sendNotification('initialized', {});
        await five;
        expect(published.get(pathToFileURL(path.join(workspace, 'src/util/retry.ts')).toString())).toHaveLength(2);
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } finally {
        connection.dispose();
        child.kill();
      }
    });
  });
});
