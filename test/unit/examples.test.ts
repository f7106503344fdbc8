/**
 * Keeps the example workspaces honest: every review in `examples/<name>/.deep-review/`
 * must be valid, cite files and lines that exist, quote them exactly, and carry
 * fixes that apply to the quoted code. The README demo, the client tests and
 * anyone trying the server by hand rely on these files.
 *
 * The workspace holds the code as the latest round reviewed it. Findings that a
 * later round fixed (resolution "fixed") quote code that is gone; for them the
 * checks run against the quoted text instead of the file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Review, type Finding, type LineRange } from '../../server/src/model/review.js';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

interface ExampleReview {
  workspace: string;
  file: string;
  input: unknown;
  review: Review;
}

function loadExamples(): ExampleReview[] {
  const found: ExampleReview[] = [];
  for (const name of readdirSync(examplesDir)) {
    const reviewDir = path.join(examplesDir, name, '.deep-review');
    if (!existsSync(reviewDir)) continue;
    for (const file of readdirSync(reviewDir).filter((f) => f.endsWith('.json')).sort()) {
      const input: unknown = JSON.parse(readFileSync(path.join(reviewDir, file), 'utf8'));
      const parsed = Review.safeParse(input);
      if (!parsed.success) {
        throw new Error(`${name}/.deep-review/${file} does not match the review model:\n${parsed.error.message}`);
      }
      found.push({ workspace: path.join(examplesDir, name), file, input, review: parsed.data });
    }
  }
  return found;
}

/** Paths of input keys the schema silently dropped: zod strips unknown keys, so a typo would pass parsing. */
function droppedKeys(input: unknown, output: unknown, at = '$'): string[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((item, i) => droppedKeys(item, output[i], `${at}[${i}]`));
  }
  if (isRecord(input) && isRecord(output)) {
    return Object.keys(input).flatMap((key) =>
      key in output ? droppedKeys(input[key], output[key], `${at}.${key}`) : [`${at}.${key}`],
    );
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fileLines(workspace: string, relPath: string): string[] {
  return readFileSync(path.join(workspace, relPath), 'utf8').split('\n');
}

function citedText(lines: string[], ranges: LineRange[]): string {
  return ranges.map((r) => lines.slice(r.start - 1, r.end).join('\n')).join('\n');
}

/** The two sides of a plusminus or unified-context diff: lines before and after it applies. */
function diffSides(text: string): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  for (const line of text.split('\n')) {
    const body = line.slice(1);
    if (line.startsWith('-')) before.push(body);
    else if (line.startsWith('+')) after.push(body);
    else if (line.startsWith(' ')) {
      before.push(body);
      after.push(body);
    } else throw new Error(`diff line without a -, + or space prefix: ${JSON.stringify(line)}`);
  }
  return { before, after };
}

/** 1-based line numbers where `block` occurs as consecutive lines of `lines`. */
function occurrences(lines: string[], block: string[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i + block.length <= lines.length; i++) {
    if (block.every((line, j) => lines[i + j] === line)) starts.push(i + 1);
  }
  return starts;
}

const isFixed = (finding: Finding) => finding.resolution?.action === 'fixed';
const seriesKey = (review: Review) => `${review.repository?.slug ?? '?'}#${review.pr?.number ?? '?'}`;

const examples = loadExamples();
const findingsOf = (predicate: (f: Finding) => boolean) =>
  examples.flatMap((e) =>
    e.review.findings.filter(predicate).map((finding) => ({ ...e, finding, name: `${e.file} ${finding.id}` })),
  );

describe('example workspaces', () => {
  it('has reviews to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map((e) => [e.file, e] as const))('%s uses only keys the model knows', (_file, e) => {
    expect(droppedKeys(e.input, e.review)).toEqual([]);
  });

  it.each(examples.map((e) => [e.file, e] as const))('%s cites files that exist', (_file, e) => {
    const missing = e.review.findings
      .flatMap((f) => f.locations.map((l) => l.path ?? ''))
      .filter((p) => !existsSync(path.join(e.workspace, p)));
    expect(missing).toEqual([]);
  });

  it.each(findingsOf((f) => !isFixed(f)).map((x) => [x.name, x] as const))(
    '%s quotes its cited lines exactly',
    (_name, { workspace, finding }) => {
      expect(finding.locations.length).toBeGreaterThan(0);
      for (const location of finding.locations) {
        expect(location.ranges.length).toBeGreaterThan(0);
        const lines = fileLines(workspace, location.path ?? '');
        expect(location.anchorText, `${location.path}:${location.ranges[0]?.start}`).toBe(citedText(lines, location.ranges));
      }
    },
  );

  it.each(findingsOf((f) => !isFixed(f) && (f.fix?.diffs.length ?? 0) > 0).map((x) => [x.name, x] as const))(
    '%s has a fix that applies at its cited lines',
    (_name, { workspace, finding }) => {
      const primary = finding.locations[0]!;
      const lines = fileLines(workspace, primary.path ?? '');
      for (const diff of finding.fix!.diffs) {
        const { before } = diffSides(diff.text);
        const starts = occurrences(lines, before);
        expect(starts, `the diff's old side must occur once in ${primary.path}`).toHaveLength(1);
        const [start] = starts as [number];
        const end = start + before.length - 1;
        const cited = primary.ranges[0]!;
        expect(start <= cited.end && end >= cited.start, `diff at ${start}-${end} misses cited ${cited.start}-${cited.end}`).toBe(true);
      }
    },
  );

  it.each(findingsOf(isFixed).map((x) => [x.name, x] as const))(
    '%s is really fixed: its fix applied to the quoted code, which is gone from the file',
    (_name, { workspace, finding }) => {
      const primary = finding.locations[0]!;
      const quoted = (primary.anchorText ?? '').split('\n');
      for (const diff of finding.fix?.diffs ?? []) {
        expect(occurrences(quoted, diffSides(diff.text).before)).toHaveLength(1);
      }
      const lines = fileLines(workspace, primary.path ?? '');
      expect(citedText(lines, primary.ranges)).not.toBe(primary.anchorText);
    },
  );

  it.each(findingsOf((f) => (f.fix?.diffs.length ?? 0) > 0).map((x) => [x.name, x] as const))(
    '%s shows the same diff in its fix Markdown',
    (_name, { finding }) => {
      for (const diff of finding.fix!.diffs) {
        expect(finding.fix!.markdown).toContain('```diff\n' + diff.text + '\n```');
      }
    },
  );

  it('refers only to findings that exist in earlier rounds of the same series', () => {
    const byRound = new Map(examples.map((e) => [`${seriesKey(e.review)} ${e.review.round?.number}`, e.review]));
    const dangling = findingsOf((f) => f.priorRefs.length > 0).flatMap(({ review, finding, name }) =>
      finding.priorRefs
        .filter((ref) => {
          const earlier = byRound.get(`${seriesKey(review)} ${ref.round}`);
          return !earlier || (ref.round ?? 0) >= (review.round?.number ?? 0) || !earlier.findings.some((f) => f.id === ref.localId);
        })
        .map((ref) => `${name} -> ${ref.raw}`),
    );
    expect(dangling).toEqual([]);
  });

  it('shows a later round that fixes some findings and carries others, so "latest" and "all" rounds differ', () => {
    const [first, second] = examples.map((e) => e.review);
    expect(first?.round?.number).toBe(1);
    expect(second?.round?.number).toBe(2);
    expect(seriesKey(second!)).toBe(seriesKey(first!));
    const carried = new Set(second!.findings.flatMap((f) => f.priorRefs.filter((r) => r.relation === 'unaddressed').map((r) => r.localId)));
    expect(first!.findings.filter(isFixed).length).toBeGreaterThan(0);
    expect(first!.findings.filter((f) => carried.has(f.id)).length).toBeGreaterThan(0);
    expect(second!.findings.some((f) => f.struck)).toBe(true);
  });
});
