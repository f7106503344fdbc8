// Bundles the server into server/out/bundle/: one file for start-up (Node
// resolves and reads one module instead of a few hundred), and a separate
// chunk for the Markdown reader (unified, remark, micromark), loaded only when
// a Markdown report is read. Run by `npm run build` after tsc has type-checked.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// What the build is made of: every source file and the locked dependency versions.
const hash = createHash('sha256');
const sources = readdirSync(path.join(root, 'server/src'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).sort();
for (const file of sources) hash.update(file).update(readFileSync(path.join(root, 'server/src', file)));
hash.update(readFileSync(path.join(root, 'package-lock.json')));
const buildId = hash.digest('hex').slice(0, 16);

rmSync(path.join(root, 'server/out/bundle'), { recursive: true, force: true });
const result = await build({
  entryPoints: [path.join(root, 'server/src/main.ts')],
  outdir: path.join(root, 'server/out/bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // jsonc-parser's UMD entry requires files by computed names; its ESM entry bundles cleanly.
  mainFields: ['module', 'main'],
  target: 'node20',
  define: { __DRL_VERSION__: JSON.stringify(version), __DRL_BUILD__: JSON.stringify(buildId) },
  metafile: true,
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // vscode-languageserver is CommonJS: give its require() calls a real require.
  banner: { js: "import { createRequire as __drlCreateRequire } from 'node:module'; const require = __drlCreateRequire(import.meta.url);" },
});

if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile));
}
