/**
 * The one way this server runs git: a workspace is untrusted, so its
 * `.git/config` must not make git run anything (fsmonitor, hooks, pagers,
 * external diffs, textconv and filter drivers, credential helpers, signature
 * programs), only read-only plumbing runs, and the number of processes, their
 * time and their output are bounded. A missing git resolves undefined.
 */
import { execFile } from 'node:child_process';
import { constants as fsConstants, existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Runs git; resolves undefined when git is missing or fails. */
export type GitRunner = (cwd: string, args: string[]) => Promise<string | undefined>;

/** Subcommands that only read the repository; anything else is refused without running. */
const READ_ONLY = new Set(['ls-files', 'log', 'show', 'cat-file', 'rev-parse', 'rev-list', 'diff', 'diff-tree', 'ls-tree', 'merge-base', 'blame', 'show-ref', 'for-each-ref', 'config']);

/** True for a read-only subcommand; `config` only when it reads. */
function isReadOnly(args: readonly string[]): boolean {
  const [command = ''] = args;
  if (!READ_ONLY.has(command)) return false;
  if (command !== 'config') return true;
  const reads = args.some((a) => a === '--get' || a === '--get-all' || a === '--get-regexp' || a === '--list' || a === '-l');
  const writes = args.some((a) => /^(--add|--unset|--unset-all|--replace-all|--rename-section|--remove-section|--edit|-e|--file|-f|--blob)$/.test(a));
  return reads && !writes;
}

/** Bounds of one runner. */
export interface GitLimits {
  /** Git processes running at once; further calls wait their turn. */
  concurrency: number;
  timeoutMs: number;
  maxOutputBytes: number;
}

const DEFAULT_LIMITS: GitLimits = { concurrency: 4, timeoutMs: 10_000, maxOutputBytes: 64 * 1024 * 1024 };

/**
 * Settings given on every command line. Command-line `-c` wins over every
 * config file, so these undo whatever the repository configured.
 */
const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.sshCommand=',
  'core.askPass=',
  'core.gitProxy=',
  'credential.helper=',
  'diff.external=',
  'log.showSignature=false',
  'gpg.program=',
  'gpg.ssh.program=',
  'gpg.x509.program=',
  'protocol.allow=never',
  // A bare repository planted in the workspace is never discovered as "the" repository.
  'safe.bareRepository=explicit',
  'core.untrackedCache=false',
];

/** Environment variables of the user's shell that would redirect or extend git: all GIT_* are dropped. */
function safeEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^GIT_/i.test(key) && !/^(PAGER|SSH_ASKPASS|EDITOR|VISUAL)$/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_ATTR_NOSYSTEM: '1',
    LC_ALL: 'C',
  };
}

/** True when `dir` is `root` or inside it. */
function isInside(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The absolute path of git from PATH, skipping relative entries and every
 * directory inside the workspace (a `git` planted there must never win).
 */
export async function findGit(workspace: string, searchPath = process.env.PATH ?? '', platform = process.platform): Promise<string | undefined> {
  const names = platform === 'win32' ? ['git.exe', 'git.cmd'] : ['git'];
  let realWorkspace: string;
  try {
    realWorkspace = await fs.realpath(workspace);
  } catch {
    realWorkspace = path.resolve(workspace);
  }
  for (const entry of searchPath.split(platform === 'win32' ? ';' : path.delimiter)) {
    if (!entry || !path.isAbsolute(entry)) continue;
    let dir: string;
    try {
      dir = await fs.realpath(entry);
    } catch {
      continue;
    }
    if (isInside(dir, realWorkspace) || isInside(path.resolve(entry), path.resolve(workspace))) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        const stat = await fs.stat(candidate);
        if (!stat.isFile()) continue;
        if (platform !== 'win32') await fs.access(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The filter drivers the repository configures: each is switched off by name,
 * since a diff against the working tree would otherwise run its `clean` command.
 */
function filterOverrides(configListing: string | undefined): string[] {
  const names = new Set<string>();
  for (const entry of (configListing ?? '').split('\0')) {
    const key = entry.split('\n', 1)[0] ?? '';
    const m = /^filter\.(.+)\.(?:clean|smudge|process|required)$/i.exec(key);
    if (m?.[1]) names.add(m[1]);
  }
  return [...names].flatMap((name) => ['-c', `filter.${name}.clean=`, '-c', `filter.${name}.smudge=`, '-c', `filter.${name}.process=`, '-c', `filter.${name}.required=false`]);
}

/** The full argv for one call: safe options first, then the subcommand with its own safety flags. */
export function safeArguments(args: readonly string[], extraConfig: readonly string[] = []): string[] {
  const [command = '', ...rest] = args;
  const own = command === 'log' || command === 'show' || command === 'diff' || command === 'diff-tree' ? ['--no-ext-diff', '--no-textconv'] : command === 'blame' ? ['--no-textconv'] : [];
  return ['--no-pager', '--no-optional-locks', ...SAFE_CONFIG.flatMap((c) => ['-c', c]), ...extraConfig, command, ...own, ...rest];
}

/** Counts running processes and lets callers wait their turn. */
class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** A git runner with its own process bound and its own look-ups of git per workspace. */
export function createGitRunner(limits: Partial<GitLimits> = {}): GitRunner {
  const { concurrency, timeoutMs, maxOutputBytes } = { ...DEFAULT_LIMITS, ...limits };
  const gate = new Gate(concurrency);
  const binaries = new Map<string, Promise<string | undefined>>();
  const filters = new Map<string, Promise<string[]>>();
  const env = safeEnvironment();

  const exec = (git: string, cwd: string, argv: string[]) =>
    gate.run(
      () =>
        new Promise<string | undefined>((resolve) => {
          execFile(git, argv, { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxOutputBytes, windowsHide: true }, (error, stdout) =>
            resolve(error ? undefined : stdout),
          );
        }),
    );

  const repositories = new Map<string, { inside: boolean; until: number }>();
  /** Whether git would find a repository from `cwd`; asked of the disk again after a while (one may be created). */
  const inRepository = (cwd: string) => {
    const now = Date.now();
    let known = repositories.get(cwd);
    if (!known || now >= known.until) repositories.set(cwd, (known = { inside: hasGitDirectory(cwd), until: now + REPOSITORY_RECHECK_MS }));
    return known.inside;
  };

  return async (cwd, args) => {
    if (!isReadOnly(args)) return undefined;
    // Outside any repository git can only fail: it is not started (a process start costs milliseconds).
    if (!inRepository(cwd)) return undefined;
    let binary = binaries.get(cwd);
    if (!binary) binaries.set(cwd, (binary = findGit(cwd)));
    const git = await binary;
    if (!git) return undefined;
    let extra = filters.get(cwd);
    if (!extra) {
      // Reading config runs nothing; its filter names are then switched off on every call.
      extra = exec(git, cwd, safeArguments(['config', '--null', '--get-regexp', '^filter\\.'])).then(filterOverrides);
      filters.set(cwd, extra);
    }
    return exec(git, cwd, safeArguments(args, await extra));
  };
}

/** How long an answer to "is this folder in a repository?" is trusted. */
const REPOSITORY_RECHECK_MS = 5_000;

/**
 * True when `cwd` or a folder above it has a `.git` (directory, or file of a
 * worktree or submodule): the only way git finds a repository here, since
 * every GIT_* variable is dropped and bare repositories are never discovered.
 */
function hasGitDirectory(cwd: string): boolean {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * The server's git: one per process on purpose, because the bound is on this
 * process's children, however many servers it hosts.
 */
export const runGit: GitRunner = createGitRunner();

/** Files changed by each of `shas`, in as few git processes as possible; commits git does not know are left out. */
export async function changedByCommits(git: GitRunner, cwd: string, shas: readonly string[], chunk = 500): Promise<Map<string, string[]> | undefined> {
  const result = new Map<string, string[]>();
  let answered = false;
  for (let i = 0; i < shas.length; i += chunk) {
    const part = shas.slice(i, i + chunk);
    // --ignore-missing: one unknown commit must not lose the others.
    const out = await git(cwd, ['log', '--no-walk=unsorted', '--ignore-missing', '--name-only', '--no-renames', '--format=%x00%H', ...part, '--']);
    if (out === undefined) continue;
    answered = true;
    for (const block of out.split('\0').slice(1)) {
      const [full = '', ...files] = block.split('\n');
      result.set(full, files.filter(Boolean));
    }
  }
  return answered ? result : undefined;
}
