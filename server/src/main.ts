/**
 * The deep-review-lsp executable: argv, stdio and process hooks; nothing else.
 * Each subcommand loads its modules only when it runs, so `--version` and the
 * one-report commands do not pay for the language server's start-up.
 */
import { parseArgs } from 'node:util';
import { processOutput, type Output } from './cli/output.js';
import type { Visibility } from './store/reviewStore.js';
import { VERSION } from './version.js';

const HELP = `deep-review-lsp ${VERSION}: deep-review findings in any LSP editor

Usage:
  deep-review-lsp --stdio                       run the language server over stdio
  deep-review-lsp check [DIR]                   validate a review directory and list its open findings
                                                (exit 1 when a report is invalid)
  deep-review-lsp findings [DIR] [--format vimgrep|json]
                                                open findings for quickfix lists and scripts
      check and findings also take --rounds latest|all, --show-resolved and
      --show-dismissed (findings dismissed in the triage file are left out)
  deep-review-lsp import REPORT.md [-o OUT.json]
                                                convert a Markdown report to review JSON
  deep-review-lsp schema [review|triage] [-o FILE]
                                                print the JSON Schema of review files or of the triage file
  deep-review-lsp export [DIR] --format sarif [-o FILE]
                                                open findings as SARIF 2.1.0 (code scanning, SARIF viewers)
  deep-review-lsp helix-config [--languages a,b] [--directory NAME]
                                                a Helix languages.toml adding the server to every language
  deep-review-lsp --version | --help

DIR is a workspace folder holding .deep-review/, or the review directory itself
(default: the current directory).`;

/** Every option of every subcommand; a subcommand reads the ones it takes. */
const OPTIONS = {
  stdio: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  // No default here: each command has its own (findings: vimgrep, export: sarif).
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  rounds: { type: 'string', default: 'latest' },
  'show-resolved': { type: 'boolean', default: false },
  'show-dismissed': { type: 'boolean', default: false },
  languages: { type: 'string' },
  directory: { type: 'string' },
  // Accepted because some clients always pass it; the server ignores it.
  clientProcessId: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

/** What a subcommand is handed: its positional arguments (after its name) and every option. */
interface Invocation {
  args: string[];
  values: Values;
  io: Output;
}

/** A subcommand: how many positionals it takes and what it runs (loading its modules then). */
interface Subcommand {
  maxArgs: number;
  run(invocation: Invocation): Promise<number>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  check: {
    maxArgs: 1,
    run: async ({ args, values, io }) => (await import('./cli/commands.js')).runCheck(args[0] ?? '.', visibilityOf(values), io, { showDismissed: values['show-dismissed'] ?? false }),
  },
  findings: {
    maxArgs: 1,
    run: async ({ args, values, io }) => (await import('./cli/commands.js')).runFindings(args[0] ?? '.', values.format ?? 'vimgrep', visibilityOf(values), io, { showDismissed: values['show-dismissed'] ?? false }),
  },
  import: {
    maxArgs: 1,
    run: async ({ args, values, io }) => {
      if (args[0] === undefined) throw new UsageError('import needs a report: deep-review-lsp import REPORT.md [-o OUT.json]');
      return (await import('./cli/importReport.js')).runImport(args[0], values.output, io);
    },
  },
  export: {
    maxArgs: 1,
    run: async ({ args, values, io }) => (await import('./cli/export.js')).runExport(args[0] ?? '.', values.format ?? 'sarif', values.output, visibilityOf(values), io),
  },
  'helix-config': {
    maxArgs: 0,
    run: async ({ values, io }) =>
      (await import('./cli/helixConfig.js')).runHelixConfig(
        {
          ...(values.languages !== undefined ? { languages: values.languages.split(',').map((l) => l.trim()).filter(Boolean) } : {}),
          ...(values.directory !== undefined ? { directory: values.directory } : {}),
        },
        io,
      ),
  },
  schema: {
    maxArgs: 1,
    run: async ({ args, values, io }) => (await import('./cli/schema.js')).runSchema(values.output, io, args[0]),
  },
};

function visibilityOf(values: Values): Visibility {
  if (values.rounds !== 'latest' && values.rounds !== 'all') throw new UsageError(`--rounds takes latest or all, not "${values.rounds}"`);
  return { rounds: values.rounds, showResolved: values['show-resolved'] ?? false };
}

async function main(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  if (values.version) {
    io.out(VERSION);
    return 0;
  }
  const [command, ...args] = positionals;
  if (values.stdio && command === undefined) {
    // stdout belongs to the protocol from here on: route stray console output to stderr.
    console.log = console.error;
    console.info = console.error;
    (await import('./stdio.js')).startStdioServer();
    return -1;
  }
  if (values.help || command === undefined) {
    io.out(HELP);
    return values.help ? 0 : 2;
  }
  const subcommand = Object.hasOwn(SUBCOMMANDS, command) ? SUBCOMMANDS[command] : undefined;
  if (!subcommand) throw new UsageError(`Unknown command "${command}"`);
  if (args.length > subcommand.maxArgs) throw new UsageError(`Unexpected argument "${args[subcommand.maxArgs]}"`);
  return subcommand.run({ args, values, io });
}

class UsageError extends Error {}

const io = processOutput();
main(process.argv.slice(2), io).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: Error) => {
    const usage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`deep-review-lsp: ${error.message}${usage ? '\nRun deep-review-lsp --help for usage.' : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
