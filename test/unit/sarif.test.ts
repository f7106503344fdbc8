/**
 * SARIF export: the log validates against the SARIF 2.1.0 JSON Schema, carries
 * rules, locations with snippets, fingerprints and fixes that really turn
 * today's text into the fixed text, and leaves out (and names) fixes that no
 * longer apply. Drives the pure core with a loaded store, and the command.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReviews } from '../../server/src/cli/loadReviews.js';
import { computeHunks, computeSarif, FINGERPRINT_KEY, type SarifContext } from '../../server/src/cli/sarif.js';
import { computeFingerprint } from '../../server/src/store/fingerprint.js';
import { BIN } from '../support/lspClient.js';
import { finding, review, TempWorkspace } from '../support/workspace.js';

// Both are CommonJS modules whose `default` export is the class or plugin.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

const schemaFile = fileURLToPath(new URL('../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url));
const example = fileURLToPath(new URL('../../examples/workspace', import.meta.url));

/**
 * The official schema is draft-04 and uses the uri, uri-reference and date-time
 * formats; its `language` pattern ends in a stray `]`, which only non-unicode
 * regular expressions accept.
 */
function sarifValidator() {
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
}
const validate = sarifValidator();

interface Replacement {
  deletedRegion: { startLine: number; endLine: number };
  insertedContent: { text: string };
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; endLine: number; snippet?: { text: string } } } }[];
  partialFingerprints: Record<string, string>;
  fixes?: { artifactChanges: { artifactLocation: { uri: string }; replacements: Replacement[] }[] }[];
  suppressions?: { kind: string; status: string; justification?: string }[];
  properties: { key: string };
}
interface Log {
  version: string;
  runs: { tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: Result[] }[];
}

/** Applies whole-line replacements (regions without columns) to a text, last first. */
function applyReplacements(text: string, replacements: Replacement[]): string {
  const lines = text.split('\n');
  for (const r of [...replacements].sort((a, b) => b.deletedRegion.startLine - a.deletedRegion.startLine)) {
    const { startLine, endLine } = r.deletedRegion;
    lines.splice(startLine - 1, endLine - startLine + 1, ...r.insertedContent.text.split('\n'));
  }
  return lines.join('\n');
}

async function exportOf(dir: string, extra: Partial<SarifContext> = {}) {
  const { root, store } = await loadReviews(dir);
  const readFile = (relative: string) => {
    try {
      return readFileSync(path.join(root, relative), 'utf8');
    } catch {
      return undefined;
    }
  };
  const { log, skipped } = computeSarif(store.allFindings(), { root, toolVersion: '0.1.0', readFile, ...extra });
  return { log: log as unknown as Log, raw: log, skipped, store, root };
}

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.dispose();
  ws = undefined;
});

describe('SARIF export', () => {
  it('the validator refuses a log that breaks the schema (so its passes mean something)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [] })).toBe(true);
  });

  it('writes the example workspace\'s open findings as a valid SARIF 2.1.0 log', async () => {
    const { log, raw, store } = await exportOf(example);
    expect(validate(raw), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.properties.key.split('#')[1]).sort()).toEqual(['I1', 'I2', 'S1', 'S2', 'S3']);
    const rules = log.runs[0]!.tool.driver.rules;
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const result of results) {
      expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.level).toBe(rules[result.ruleIndex]!.defaultConfiguration.level);
      const placed = [...store.allFindings()].find((p) => p.key === result.properties.key)!;
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toBe(computeFingerprint(placed.finding));
      expect(result.ruleId).toBe(`deep-review/${placed.finding.severity}${placed.finding.category ? `/${placed.finding.category}` : ''}`);
    }
    const i1 = results.find((r) => r.properties.key.endsWith('#I1'))!;
    expect(i1.level).toBe('warning');
    expect(i1.message.text).toContain('`retry` still retries 4xx answers');
    expect(i1.message.text).toContain('(PR #12 round 2)');
    const where = i1.locations[0]!.physicalLocation;
    expect(where.artifactLocation.uri).toBe('src/util/retry.ts');
    expect(where.region?.startLine).toBe(39);
    expect(where.region?.snippet?.text).toContain('lastError = err;');
  });

  it('exports each fix as replacements that turn today\'s file into the fixed one', async () => {
    const { log } = await exportOf(example);
    const i1 = log.runs[0]!.results.find((r) => r.properties.key.endsWith('#I1'))!;
    expect(i1.fixes).toHaveLength(1);
    const change = i1.fixes![0]!.artifactChanges[0]!;
    expect(change.artifactLocation.uri).toBe('src/util/retry.ts');
    const before = readFileSync(path.join(example, 'src/util/retry.ts'), 'utf8');
    const after = applyReplacements(before, change.replacements);
    expect(after).toContain('const permanent = err instanceof HttpError && err.status < 500 && err.status !== 429;');
    expect(after).toContain('if (permanent || attempt === options.attempts) break;');
    expect(after).not.toContain('      if (attempt === options.attempts) break;');
    // Nothing else changed: the same number of lines plus the one added.
    expect(after.split('\n').length).toBe(before.split('\n').length + 1);
  });

  it('leaves out a fix whose lines are gone or repeated, says why, and still exports the finding', async () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', 'const a = 1;\nconst b = 2;\nconst b = 2;\n');
    const gone = { diffs: [{ format: 'plusminus' as const, text: '-const z = 9;\n+const z = 10;' }] };
    const twice = { diffs: [{ format: 'plusminus' as const, text: '-const b = 2;\n+const b = 3;' }] };
    const outside = { diffs: [{ format: 'git-patch' as const, text: '--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-root\n+toor' }] };
    ws.write('.deep-review/r.json', review(1, 1, [
      finding('I1', 'important', 'src/a.ts', 1, 1, { fix: gone }),
      finding('I2', 'important', 'src/a.ts', 2, 2, { fix: twice }),
      finding('I3', 'important', 'src/a.ts', 1, 1, { fix: outside }),
    ]));
    const { log, raw, skipped } = await exportOf(ws.root);
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.results).toHaveLength(3);
    for (const result of log.runs[0]!.results) expect(result.fixes).toBeUndefined();
    expect(skipped.get('.deep-review/r.json#I1')).toEqual(['diff 1: its lines are no longer in src/a.ts']);
    expect(skipped.get('.deep-review/r.json#I2')).toEqual(['diff 1: its lines are more than once in src/a.ts']);
    expect(skipped.get('.deep-review/r.json#I3')).toEqual(['diff 1 names ../etc/passwd, outside the workspace']);
  });

  it('marks a dismissed finding as suppressed when a triage lookup is given', async () => {
    ws = new TempWorkspace();
    ws.write('src/a.ts', 'x\n');
    ws.write('.deep-review/r.json', review(1, 1, [finding('S1', 'suggestion', 'src/a.ts', 1), finding('S2', 'suggestion', 'src/a.ts', 1)]));
    const { log, raw } = await exportOf(ws.root, {
      triage: (_fingerprint, key) => (key.endsWith('#S1') ? { status: 'dismissed', reason: 'intended' } : { status: 'accepted' }),
    });
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    const [s1, s2] = log.runs[0]!.results;
    expect(s1!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'intended' }]);
    expect(s2!.suppressions).toBeUndefined();
  });

  it('splits diffs of every style into hunks', () => {
    expect(computeHunks({ format: 'plusminus', text: '-a\n+b' })).toEqual([{ before: ['a'], after: ['b'] }]);
    expect(computeHunks({ format: 'unified-context', text: ' keep\n-a\n+b\n' })).toEqual([{ before: ['keep', 'a'], after: ['keep', 'b'] }]);
    expect(computeHunks({ format: 'git-patch', text: 'diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1,2 +1,2 @@\n-a\n+b\n@@ -9 +9 @@\n-c\n+d' })).toEqual([
      { file: 'x.ts', before: ['a'], after: ['b'] },
      { file: 'x.ts', before: ['c'], after: ['d'] },
    ]);
    // Only additions: nowhere to apply them.
    expect(computeHunks({ format: 'plusminus', text: '+new' })).toEqual([]);
  });

  it('deep-review-lsp export writes the log to a file, and refuses an unknown format', () => {
    ws = new TempWorkspace();
    const out = ws.path('out.sarif');
    const ok = spawnSync(process.execPath, [BIN, 'export', example, '--format', 'sarif', '-o', out], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`5 finding(s) written to ${out}`);
    expect(validate(JSON.parse(readFileSync(out, 'utf8')))).toBe(true);
    const bad = spawnSync(process.execPath, [BIN, 'export', example, '--format', 'csv'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('Unknown export format "csv"; use sarif');
  });
});
