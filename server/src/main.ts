/**
 * The deep-review-lsp executable: argv, stdio and process hooks; nothing else.
 */
import { parseArgs } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { runCheck, runFindings, runImport, runSchema, type Output } from './cli/commands.js';
import { runExport } from './cli/export.js';
import { runHelixConfig } from './cli/helixConfig.js';
import { startServer } from './server.js';
import { VERSION } from './version.js';

const HELP = `deep-review-lsp ${VERSION}: deep-review findings in any LSP editor

Usage:
  deep-review-lsp --stdio                       run the language server over stdio
  deep-review-lsp check [DIR]                   validate a review directory and list its open findings
                                                (exit 1 when a report is invalid)
  deep-review-lsp findings [DIR] [--format vimgrep|json]
                                                open findings for quickfix lists and scripts
      check and findings also take --rounds latest|all and --show-resolved
  deep-review-lsp import REPORT.md [-o OUT.json]
                                                convert a Markdown report to review JSON
  deep-review-lsp schema [-o FILE]              print the JSON Schema of review files
  deep-review-lsp export [DIR] --format sarif [-o FILE]
                                                open findings as SARIF 2.1.0 (code scanning, SARIF viewers)
  deep-review-lsp helix-config [--languages a,b] [--directory NAME]
                                                a Helix languages.toml adding the server to every language
  deep-review-lsp --version | --help

DIR is a workspace folder holding .deep-review/, or the review directory itself
(default: the current directory).`;

const io: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      stdio: { type: 'boolean' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
      // No default here: each command has its own (findings: vimgrep, export: sarif).
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      rounds: { type: 'string', default: 'latest' },
      'show-resolved': { type: 'boolean', default: false },
      languages: { type: 'string' },
      directory: { type: 'string' },
      // Accepted because some clients always pass it; the server ignores it.
      clientProcessId: { type: 'string' },
    },
  });
  if (values.version) {
    io.out(VERSION);
    return 0;
  }
  const [command, dir = '.', ...rest] = positionals;
  if (values.stdio && command === undefined) {
    // stdout belongs to the protocol from here on: route stray console output to stderr.
    console.log = console.error;
    console.info = console.error;
    startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
    return -1;
  }
  if (values.help || command === undefined) {
    io.out(HELP);
    return values.help ? 0 : 2;
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}"`);
  if (values.rounds !== 'latest' && values.rounds !== 'all') throw new UsageError(`--rounds takes latest or all, not "${values.rounds}"`);
  const visibility = { rounds: values.rounds, showResolved: values['show-resolved'] ?? false } as const;
  switch (command) {
    case 'check':
      return runCheck(dir, visibility, io);
    case 'findings':
      return runFindings(dir, values.format ?? 'vimgrep', visibility, io);
    case 'export':
      return runExport(dir, values.format ?? 'sarif', values.output, visibility, io);
    case 'helix-config':
      if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}"`);
      return runHelixConfig(
        {
          ...(values.languages !== undefined ? { languages: values.languages.split(',').map((l) => l.trim()).filter(Boolean) } : {}),
          ...(values.directory !== undefined ? { directory: values.directory } : {}),
        },
        io,
      );
    case 'schema':
      return runSchema(values.output, io);
    case 'import':
      if (positionals[1] === undefined) throw new UsageError('import needs a report: deep-review-lsp import REPORT.md [-o OUT.json]');
      return runImport(dir, values.output, io);
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: Error) => {
    const usage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`deep-review-lsp: ${error.message}${usage ? '\nRun deep-review-lsp --help for usage.' : ''}`);
    process.exitCode = usage ? 2 : 1;
  },
);
