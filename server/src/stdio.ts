/**
 * The language server over stdio, loaded by main.ts only for `--stdio`, so the
 * command-line subcommands never load the protocol library.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

/** Starts the server on this process's stdin and stdout. */
export function startStdioServer(): void {
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}
