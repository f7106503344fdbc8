// Markdown reports in the review directory, and `import` to review JSON: the
// imported JSON validates against the committed schema and gives the same
// diagnostics as the Markdown it came from. Uses the real reports of the corpus.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { runImport } from '../../server/src/cli/commands.js';
import { BIN, REPO_ROOT, startClient, type TestClient } from '../support/lspClient.js';
import { finding, numberedLines, review, TempWorkspace } from '../support/workspace.js';

const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus/reports');
const hasCorpus = existsSync(CORPUS);
if (!hasCorpus) console.warn(`Report corpus not found at ${CORPUS}: the tests that read real reports are skipped.`);

let client: TestClient | undefined;
const spaces: TempWorkspace[] = [];
afterEach(async () => {
  await client?.close();
  client = undefined;
  for (const ws of spaces.splice(0)) ws.dispose();
});

function workspace(): TempWorkspace {
  const ws = new TempWorkspace();
  spaces.push(ws);
  return ws;
}

/** The real binary, for the command's contract. */
function importReport(report: string, out?: string) {
  const result = spawnSync(process.execPath, [BIN, 'import', report, ...(out ? ['-o', out] : [])], { encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The same command in-process, for the many reports of the corpus. */
async function importInProcess(report: string, out: string) {
  const err: string[] = [];
  const code = await runImport(report, out, { out: () => undefined, err: (text) => err.push(text) });
  return { code, err: err.join('\n') };
}

/** Every file the review cites, created with enough lines, so diagnostics can be placed. */
function createCitedFiles(ws: TempWorkspace, reviewJson: { findings: { locations: { path?: string; pathKind?: string; ranges: { end: number }[] }[] }[] }) {
  for (const f of reviewJson.findings) {
    for (const location of f.locations) {
      if (!location.path || location.pathKind === 'non-file' || location.pathKind === 'directory' || location.path.includes('..')) continue;
      if (location.path.startsWith('/')) continue;
      const lines = Math.max(50, ...location.ranges.map((r) => r.end + 5));
      const target = ws.path(location.path);
      if (!existsSync(target)) ws.write(location.path, numberedLines(lines));
    }
  }
}

const comparable = (diagnostics: Diagnostic[]) =>
  diagnostics.map((d) => ({ code: d.code, range: d.range, severity: d.severity, message: d.message, related: d.relatedInformation?.length ?? 0 }));

describe('Markdown reports', () => {
  it('a review JSON of the same name wins over the Markdown report, and the report says so', async () => {
    const ws = workspace();
    ws.write('a.go', numberedLines(20));
    ws.write(
      '.deep-review/20260101-pr-1.md',
      '# Deep Review: 20260101-pr-1\n\n| | |\n|---|---|\n| **Date** | 2026-01-01 10:00 |\n| **PR** | #1 |\n| **Round** | 1 |\n\n## Important Issues\n\nI1. **From the Markdown** — `a.go:3` [Claude Opus 4.7]\n\nBody.\n',
    );
    client = await startClient({ folders: [ws.root], settings: { debounceMs: 0 } });
    expect(client.diagnosticsFor(ws.path('a.go')).map((d) => d.message)).toEqual(['From the Markdown [Claude Opus 4.7] (PR #1 round 1)']);
    ws.write('.deep-review/20260101-pr-1.json', review(1, 1, [finding('I1', 'important', 'a.go', 9, 9, { title: 'From the JSON' })]));
    await client.waitForDiagnostics(ws.path('a.go'), (d) => d.length === 1 && (d[0]!.message as string).startsWith('From the JSON'));
    const notes = await client.waitForDiagnostics(ws.path('.deep-review/20260101-pr-1.md'), (d) => d.length > 0);
    expect(notes.map((d) => d.message)).toEqual(['20260101-pr-1.json has the same name and is used instead of this report']);
    ws.remove('.deep-review/20260101-pr-1.json');
    await client.waitForDiagnostics(ws.path('a.go'), (d) => d.length === 1 && (d[0]!.message as string).startsWith('From the Markdown'));
  });

  it('import refuses what is not a report, with the reason', () => {
    const ws = workspace();
    const missing = importReport(ws.path('nope.md'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('This file no longer exists, or is a link to a file that does not exist');
    ws.write('empty.md', '');
    const empty = importReport(ws.path('empty.md'));
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('no review could be read');
  });
});

describe.skipIf(!hasCorpus)('real reports from the corpus', () => {
  const reports = hasCorpus ? readdirSync(CORPUS).filter((f) => f.endsWith('.md')).sort() : [];
  const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas/review.schema.json'), 'utf8'));
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);

  it.each(reports)('import %s writes JSON that validates against schemas/review.schema.json', async (name) => {
    const ws = workspace();
    const out = ws.path('out.json');
    const result = await importInProcess(path.join(CORPUS, name), out);
    expect(result.code, result.err).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const valid = validate(json);
    expect(valid, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(Array.isArray(json.findings)).toBe(true);
    for (const f of json.findings) expect(['critical', 'important', 'suggestion']).toContain(f.severity);
  });

  it('struck and withdrawn findings are imported and marked', () => {
    const ws = workspace();
    const out = ws.path('msys2.json');
    expect(importReport(path.join(CORPUS, '20260318-173320-msys2.md'), out).code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const struck = json.findings.filter((f: { struck?: unknown }) => f.struck);
    expect(struck.length).toBeGreaterThan(0);
    expect(json.findings.length).toBe(9);
  });

  it('a PR series dropped into .deep-review shows the latest round, and its imported JSON gives the same diagnostics', async () => {
    const series = reports.filter((name) => name.endsWith('-pr-10637.md'));
    expect(series).toHaveLength(4);
    // Workspace one: the four Markdown rounds next to matching source files.
    const md = workspace();
    const latest = path.join(CORPUS, series[series.length - 1]!);
    for (const name of series) md.write(`.deep-review/${name}`, readFileSync(path.join(CORPUS, name)));
    // Workspace two: the same rounds, imported to JSON.
    const json = workspace();
    for (const name of series) {
      const out = json.path(`.deep-review/${name.replace(/\.md$/, '.json')}`);
      json.write(`.deep-review/${name.replace(/\.md$/, '.json')}`, '');
      expect((await importInProcess(path.join(CORPUS, name), out)).code).toBe(0);
    }
    const latestJson = JSON.parse(readFileSync(json.path(`.deep-review/${path.basename(latest).replace(/\.md$/, '.json')}`), 'utf8'));
    createCitedFiles(md, latestJson);
    createCitedFiles(json, latestJson);

    client = await startClient({ folders: [md.root], settings: { debounceMs: 0 } });
    const fromMarkdown = new Map([...client.diagnostics].filter(([uri, d]) => d.length > 0 && !uri.includes('/.deep-review/')).map(([uri, d]) => [uri.slice(`file://${md.root}`.length), comparable(d)]));
    await client.close();
    client = await startClient({ folders: [json.root], settings: { debounceMs: 0 } });
    const fromJson = new Map([...client.diagnostics].filter(([uri, d]) => d.length > 0 && !uri.includes('/.deep-review/')).map(([uri, d]) => [uri.slice(`file://${json.root}`.length), comparable(d)]));

    // Round 4 of 4 has 0 C / 0 I / 2 S (corpus README); both are open.
    const all = [...fromMarkdown.values()].flat();
    expect(all.map((d) => d.code).sort()).toEqual(['S1', 'S2']);
    expect(all.every((d) => (d.message as string).endsWith('(PR #10637 round 4)'))).toBe(true);
    expect(fromJson).toEqual(fromMarkdown);
  });
});
