// Bundles the server into server/out/bundle/: one file for start-up (Node
// resolves and reads one module instead of a few hundred), a separate chunk
// for the Markdown reader (unified, remark, micromark), loaded only when a
// Markdown report is read, and the worker that reads large reports off the
// main thread. Run by `npm run build` after tsc has type-checked.
// bundleDefines() is shared with the VS Code extension's bundle.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a bundle has written in: the version, and a build id hashing every source file and the locked dependencies. */
export function bundleDefines() {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const hash = createHash('sha256');
  const sources = readdirSync(path.join(root, 'server/src'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).sort();
  for (const file of sources) hash.update(file).update(readFileSync(path.join(root, 'server/src', file)));
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  return { __DRL_VERSION__: JSON.stringify(version), __DRL_BUILD__: JSON.stringify(hash.digest('hex').slice(0, 16)) };
}

/** Options every bundle of the server takes. */
export const SERVER_BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's UMD entry requires files by computed names; its ESM entry bundles cleanly.
  mainFields: ['module', 'main'],
  // vscode-languageserver is CommonJS: give its require() calls a real require.
  banner: { js: "import { createRequire as __drlCreateRequire } from 'node:module'; const require = __drlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { build, analyzeMetafile } = await import('esbuild');
  const outdir = path.join(root, 'server/out/bundle');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    ...SERVER_BUNDLE_OPTIONS,
    entryPoints: { main: path.join(root, 'server/src/main.ts'), parseWorker: path.join(root, 'server/src/reports/parseWorker.ts') },
    outdir,
    splitting: true,
    minify: true,
    define: bundleDefines(),
    metafile: true,
    sourcemap: 'linked',
    legalComments: 'linked',
  });
  if (process.argv.includes('--analyze')) console.log(await analyzeMetafile(result.metafile));
}
