import { it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { useSessions, type Files } from '../support/sessions.js';
import { corpusReports, fillerLines } from '../support/corpusReports.js';
const sessions = useSessions();
it('prints', async () => {
  const files: Files = {};
  for (const round of corpusReports(/-pr-336\.md$/)) files[`.deep-review/${round.name}`] = round.text;
  files['pkg/service/cmd/service.go'] = fillerLines(500);
  files['cmd/rdd/service.go'] = fillerLines(400);
  files['pkg/cli/exit/exit.go'] = fillerLines(400);
  const { w, c } = await sessions.start(files, { debounceMs: 0, rounds: 'all', showResolved: true });
  for (const [f, line] of [['pkg/cli/exit/exit.go', 58], ['.deep-review/20260422-150402-pr-336.md', 3], ['.deep-review/20260422-150402-pr-336.md', 120]] as const) {
    const h: any = await c.request('textDocument/hover', { textDocument: { uri: pathToFileURL(w.path(f)).toString() }, position: { line: line, character: 5 } });
    console.log('=====', f, line, h?.contents?.kind, '\n' + h?.contents?.value);
  }
});
