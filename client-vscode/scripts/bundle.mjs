// Bundles the extension and the server into dist/ with esbuild (installed at
// the repository root), so the .vsix needs no node_modules and no checkout.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleDefines, SERVER_BUNDLE_OPTIONS } from '../../server/bundle.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const { version } = JSON.parse(readFileSync(here('../../package.json'), 'utf8'));

await build({
  entryPoints: [here('../src/extension.ts')],
  outfile: here('../dist/extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: false,
  logLevel: 'warning',
});

// The server as one file (the Markdown reader inlined), with the same version and build id as
// the server's own bundle; package.json is not beside it.
await build({
  ...SERVER_BUNDLE_OPTIONS,
  entryPoints: [here('../../server/src/main.ts')],
  outfile: here('../dist/server.mjs'),
  define: bundleDefines(),
});
console.log(`dist/extension.js and dist/server.mjs (deep-review-lsp ${version}) bundled`);
