// The floor of a cold start: a process that does only what any server must do
// to show the same findings. It reads and parses every report (JSON.parse, or
// remark-parse + gfm for Markdown), then writes the same publishDiagnostics
// messages the server publishes to its stdout pipe, framed as LSP messages.
// Usage: node bench/floor.js LIST.json  (written by bench/run.js)
import { readFileSync } from 'node:fs';

const { reports, format, messages } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let parse = JSON.parse;
if (format === 'markdown') {
  const { unified } = await import('unified');
  const { default: remarkParse } = await import('remark-parse');
  const { default: remarkGfm } = await import('remark-gfm');
  const processor = unified().use(remarkParse).use(remarkGfm);
  parse = (text) => processor.parse(text);
}
let nodes = 0;
for (const file of reports) nodes += parse(readFileSync(file, 'utf8')) ? 1 : 0;
// One write per message, as a server does, respecting the pipe's back-pressure.
for (const params of JSON.parse(readFileSync(messages, 'utf8'))) {
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params });
  if (!process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)) {
    await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}
if (nodes !== reports.length) process.exitCode = 1;
