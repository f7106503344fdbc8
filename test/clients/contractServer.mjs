// A language server that speaks the argument contract of server/src/protocol.ts
// for the commands being built on other branches, so the Neovim plugin's side
// of them runs against real JSON-RPC today. It publishes one finding on the
// first file opened, answers hover, code actions and every deepReview.*
// command as the contract says, and appends each request it gets to the JSON
// lines file named by $CONTRACT_LOG. It is a test double: the real features
// are tested by their own suites; neovimPlugin.test.ts runs the plugin against
// the real server once they are merged.
import { appendFileSync } from 'node:fs';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';

const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
const log = (entry) => appendFileSync(process.env.CONTRACT_LOG, `${JSON.stringify(entry)}\n`);
const KEY = '.deep-review/r.json#I1';
const COMMANDS = ['deepReview.reload', 'deepReview.listFindings', 'deepReview.openReport', 'deepReview.applyFix', 'deepReview.applyAllFixes', 'deepReview.dismiss', 'deepReview.accept', 'deepReview.reopen', 'deepReview.newRound', 'deepReview.cancelRound'];
let opened; // { uri } of the first file opened
let root;

const range = { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } };
const diagnostic = (dismissed) => ({ range, severity: dismissed ? 4 : 2, source: 'deep-review', code: 'I1', message: `I1 title (PR #1 round 1)${dismissed ? ' (dismissed)' : ''}`, data: { key: KEY } });
const publish = (state) => connection.sendDiagnostics({ uri: opened, diagnostics: [diagnostic(state === 'dismissed')] });

connection.onInitialize((params) => {
  root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  return {
    capabilities: { textDocumentSync: 1, hoverProvider: true, codeActionProvider: true, executeCommandProvider: { commands: COMMANDS } },
    serverInfo: { name: 'contract-server', version: '0.0.0' },
  };
});
connection.onDidOpenTextDocument(({ textDocument }) => {
  if (opened) return;
  opened = textDocument.uri;
  publish(true);
});
connection.onHover((params) => {
  log({ method: 'textDocument/hover', params });
  return { contents: { kind: 'markdown', value: '**I1 · important** — I1 title\n\nRaised by Claude Opus 4.7; promoted from suggestion by the orchestrator.' } };
});
connection.onCodeAction((params) => {
  log({ method: 'textDocument/codeAction', params });
  return [];
});
connection.onExecuteCommand(async (params, _cancel, workDone) => {
  log({ method: 'workspace/executeCommand', params });
  const [arg] = params.arguments ?? [];
  switch (params.command) {
    case 'deepReview.listFindings':
      return [{ key: KEY, uri: opened, range, severity: 'important', id: 'I1', title: 'I1 title', round: 'PR #1 round 1' }];
    case 'deepReview.openReport':
      return { uri: `${root}/.deep-review/r.json`, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } } };
    case 'deepReview.applyFix':
      await connection.workspace.applyEdit({ label: 'Fix I1', edit: { changes: { [opened]: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'fixed by I1\n' }] } } });
      return null;
    case 'deepReview.dismiss':
      // Dismissed findings stay visible as hints, so they can be reopened from the same place.
      publish('dismissed');
      return null;
    case 'deepReview.reopen':
      publish(true);
      return null;
    case 'deepReview.newRound':
      // Reported on the client's workDoneToken (the library takes it out of params and hands a reporter).
      workDone.begin('Review round 2');
      workDone.report(50, 'reviewers at work');
      workDone.done();
      return null;
    default:
      return null;
  }
});
connection.listen();
