// npm's prepare step: builds (type-checks, compiles and bundles) the server. `npm install -g .` in a fresh clone runs
// it before any dependency is installed (a global folder install only links the
// clone), so when the compiler is missing this installs the clone's own
// dependencies first, from the lock file, and the linked command then works.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(tsc)) {
  // npm tells its scripts where it is; fall back to the npm on the PATH.
  const npmCli = process.env.npm_execpath;
  const [command, prefix] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  console.error('deep-review-lsp: installing the build dependencies of this clone (npm ci) before building');
  // --ignore-scripts: this script is the prepare step; --global=false: the outer command may be a global install.
  run(command, [...prefix, 'ci', '--include=dev', '--ignore-scripts', '--global=false', '--no-audit', '--no-fund']);
}
run(process.execPath, [tsc, '-p', 'tsconfig.json']);
run(process.execPath, [path.join(root, 'server', 'bundle.mjs')]);
