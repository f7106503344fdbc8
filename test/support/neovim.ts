/**
 * Runs a real headless Neovim through a plan of steps (test/clients/neovim-driver.lua)
 * on a fresh copy of the example workspace, and returns what it recorded.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const DRIVER = path.join(REPO, 'test/clients/neovim-driver.lua');
/** The plugin folder, as a plugin manager puts it on 'runtimepath'. */
export const PLUGIN_DIR = path.join(REPO, 'client-neovim');
/** The old single-file entry, loaded with dofile. */
export const LEGACY_MODULE = path.join(REPO, 'client-neovim/deep_review.lua');
export const SERVER_ENTRY = path.join(REPO, 'bin/deep-review-lsp.js');
export const BUILT_SERVER = path.join(REPO, 'server/out/main.js');

export interface SeenDiagnostic {
  file: string;
  line: number;
  endLine: number;
  code: string | null;
  severity: number;
  source: string | null;
  message: string;
}

export interface StepRecord {
  op: string;
  name: string;
  reached?: boolean;
  expected?: string[];
  diagnostics?: SeenDiagnostic[];
  clients?: string[];
  ok?: boolean;
  error?: string | null;
  line?: number;
  value?: unknown;
  /** code_action: the titles offered on the line. */
  offered?: string[];
  /** code_action: the buffer's lines after the edit; hover: the float's lines. */
  lines?: string[];
  /** hover: the float's size. */
  width?: number;
  height?: number;
  /** definition: where the cursor landed. */
  file?: string;
  text?: string;
}

export interface DriverResults {
  nvim: { major: number; minor: number; patch: number };
  steps: StepRecord[];
  /** Every server the client started, in order. */
  started: { name: string; root: string }[];
  notifications: { message: string; level: number | null }[];
  stopped?: boolean;
  error?: string;
}

export type Step =
  | { op: 'edit'; path: string; name?: string }
  | { op: 'wait'; expect: string[]; name: string; contains?: string }
  | { op: 'code_action'; name: string; line: number; title: string; expect: string }
  // Steps of neovim-navigation-steps.lua (Load.stepModules).
  | { op: 'ready'; name: string }
  | { op: 'cursor'; name: string; search: string; offset?: number }
  | { op: 'hover'; name: string }
  | { op: 'definition'; name: string }
  | { op: 'write'; path: string; text: string }
  | { op: 'delete'; path: string }
  | { op: 'ex'; command: string; name?: string }
  | { op: 'search'; text: string; name?: string }
  | { op: 'lua'; code: string; name: string }
  | { op: 'until'; code: string; name: string };

export interface NeovimRun {
  results: DriverResults;
  log: string;
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The nvim on PATH, if any. */
export const NVIM = findOnPath('nvim');

/** Temporary directories of one test file, removed after each test. */
export function useTemporaryDirs(): { make: () => string } {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make() {
      const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'deep-review-nvim-')));
      dirs.push(base);
      return base;
    },
  };
}

/** A fresh copy of the example workspace under `base`, by its real path so buffer names match the server's URIs. */
export function copyExample(base: string): string {
  const root = path.join(base, 'workspace');
  cpSync(path.join(REPO, 'examples/workspace'), root, { recursive: true });
  return root;
}

/** How the client is loaded and set up. */
export interface Load {
  /** `rtp`: the plugin folder on 'runtimepath'; `module`: dofile the old entry. */
  via: 'rtp' | 'module';
  /** Passed to setup(); `cmd` defaults to the built server. */
  setup: Record<string, unknown>;
  /** Lua files adding step types to the driver. */
  stepModules?: string[];
}

/** Runs Neovim through the steps; returns what it recorded. */
export function runNeovim(root: string, load: Load, steps: Step[]): NeovimRun {
  const base = path.dirname(root);
  const home = path.join(base, 'home');
  mkdirSync(home, { recursive: true });
  const plan = {
    root,
    ...(load.via === 'rtp' ? { rtp: PLUGIN_DIR } : { module: LEGACY_MODULE }),
    ...(load.stepModules ? { stepModules: load.stepModules } : {}),
    results: path.join(base, 'results.json'),
    // Generous: the machine running the tests may be busy; every wait ends as soon as its predicate holds.
    timeoutMs: 20_000,
    setup: { cmd: [process.execPath, SERVER_ENTRY, '--stdio'], ...load.setup },
    steps,
  };
  const planFile = path.join(base, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const run = spawnSync(NVIM!, ['--headless', '--clean', '-c', 'lua dofile(os.getenv("DEEP_REVIEW_NVIM_DRIVER"))'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 50_000,
    env: {
      ...process.env,
      DEEP_REVIEW_NVIM_DRIVER: DRIVER,
      DEEP_REVIEW_NVIM_PLAN: planFile,
      // Keeps Neovim's log, state and cache files inside the test's directory.
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_STATE_HOME: path.join(home, 'state'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
    },
  });
  const lspLog = path.join(home, 'cache/nvim/lsp.log');
  const log = [
    `nvim exit ${run.status} signal ${run.signal ?? '-'}`,
    run.error ? `spawn error: ${run.error.message}` : '',
    run.stdout.trim(),
    run.stderr.trim(),
    existsSync(lspLog) ? readFileSync(lspLog, 'utf8') : '',
  ]
    .filter(Boolean)
    .join('\n');
  if (!existsSync(plan.results)) throw new Error(`Neovim wrote no results.\n${log}`);
  const results = JSON.parse(readFileSync(plan.results, 'utf8')) as DriverResults;
  if (results.error) throw new Error(`The Lua driver failed: ${results.error}\n${log}`);
  expect(run.status, log).toBe(0);
  return { results, log };
}

/** The record of a named step, which must have run. */
export function step(run: NeovimRun, name: string): StepRecord {
  const found = run.results.steps.find((s) => s.name === name);
  expect(found, `step "${name}" never ran (an earlier wait timed out?)\n${run.log}\n${JSON.stringify(run.results.notifications)}`).toBeDefined();
  return found!;
}

/** The diagnostics of a named `wait` step, reached as expected. */
export function waited(run: NeovimRun, name: string): SeenDiagnostic[] {
  const record = step(run, name);
  const seen = record.diagnostics ?? [];
  if (!record.reached) {
    // Shows the diagnostics seen last against the ones the step waited for.
    const keys = seen.map((d) => `${d.file}:${d.line}:${d.code}`).sort();
    expect(keys, `timed out waiting for "${name}"\n${run.log}`).toEqual(record.expected);
  }
  return seen;
}

/** The value of a named `until` step, which must have been reached. */
export function reached<T>(run: NeovimRun, name: string): T {
  const record = step(run, name);
  expect(record.reached, `timed out waiting for "${name}"; last value ${JSON.stringify(record.value)}\nnotifications: ${JSON.stringify(run.results.notifications)}\n${run.log}`).toBe(true);
  return record.value as T;
}
