// Bundles the extension and the server into dist/ with esbuild (installed at
// the repository root), so the .vsix needs no node_modules and no checkout.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

await build({
  entryPoints: [here('../../server/src/main.ts')],
  outfile: here('../dist/server.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ESM builds first: jsonc-parser's UMD build requires its own files at run time, which a bundle cannot.
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require(); ESM has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // package.json is not beside the bundle: the version is written into it.
  define: { 'globalThis.__DEEP_REVIEW_VERSION__': JSON.stringify(version) },
  logLevel: 'warning',
});
console.log(`dist/extension.js and dist/server.mjs (deep-review-lsp ${version}) bundled`);
