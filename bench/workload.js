// Generates synthetic workspaces for the benchmarks: source files and a review
// directory of review JSON or deep-review Markdown reports. Deterministic
// (seeded), so runs and sides compare like with like. Also records what the
// server must publish (findings per cited file), so every figure can check that
// every diagnostic arrived.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The three workload sizes of the issue: findings = reports x findingsPerReport. */
export const SIZES = {
  small: { reports: 5, findingsPerReport: 100, sourceFiles: 100 },
  medium: { reports: 200, findingsPerReport: 100, sourceFiles: 3000 },
  large: { reports: 1000, findingsPerReport: 100, sourceFiles: 3000 },
};

const SEVERITIES = ['critical', 'important', 'suggestion', 'suggestion', 'suggestion'];
const SOURCE_LINES = 200;

/** The findings of one report: deterministic, spread over `files`. */
export function makeFindings(random, { pr, round, findings, files }) {
  return Array.from({ length: findings }, (_, i) => {
    const file = files[Math.floor(random() * files.length)];
    const start = 1 + Math.floor(random() * (SOURCE_LINES - 10));
    const severity = SEVERITIES[Math.floor(random() * SEVERITIES.length)];
    return {
      severity,
      title: `Finding ${i + 1} of PR ${pr} round ${round}: value${start - 1} is read before it is checked`,
      file,
      start,
      end: start + Math.floor(random() * 5),
      anchor: `export const value${start - 1} = ${start - 1};`,
    };
  });
}

/** One review in the review JSON format. */
export function reviewJson({ pr, round, findings }) {
  const counters = { critical: 0, important: 0, suggestion: 0 };
  return {
    schemaVersion: 1,
    kind: 'review',
    date: `2026-10-${String((round % 28) + 1).padStart(2, '0')}T12:00`,
    repository: { slug: 'bench/repo' },
    pr: { number: pr },
    round: { number: round },
    reviewers: [{ family: 'claude', model: 'Claude Opus 4.7' }, { family: 'codex', model: 'Codex GPT 5.5' }],
    findings: findings.map((f) => ({
      id: `${f.severity[0].toUpperCase()}${++counters[f.severity]}`,
      severity: f.severity,
      title: f.title,
      agents: [{ family: 'claude', model: 'Claude Opus 4.7' }],
      locations: [{ path: f.file, ranges: [{ start: f.start, end: f.end }], anchorText: f.anchor }],
      body: 'The body explains the problem in a paragraph or two. '.repeat(4),
      fix: { label: 'Fix', markdown: 'Check it first.', diffs: [{ format: 'plusminus', text: `-${f.anchor}\n+${f.anchor.replace(';', ' ?? 0;')}` }] },
    })),
  };
}

/** One review as a deep-review Markdown report (the lettered era). */
export function reviewMarkdown({ pr, round, findings }) {
  const sections = { critical: [], important: [], suggestion: [] };
  for (const f of findings) {
    const list = sections[f.severity];
    const id = `${f.severity[0].toUpperCase()}${list.length + 1}`;
    list.push(`${id}. **${f.title}** — \`${f.file}:${f.start}-${f.end}\` [Claude Opus 4.7]

\`\`\`ts
${f.anchor}
\`\`\`

The body explains the problem in a paragraph or two. The body explains the problem in a paragraph or two.

Fix:

\`\`\`diff
-${f.anchor}
+${f.anchor.replace(';', ' ?? 0;')}
\`\`\`
`);
  }
  const section = (heading, list) => `## ${heading}\n\n${list.length > 0 ? list.join('\n') : 'None.\n'}\n---\n\n`;
  return `# Deep Review: 20261001-120000-pr-${pr}

| | |
|---|---|
| **Date** | 2026-10-${String((round % 28) + 1).padStart(2, '0')} 12:00 |
| **Repo** | [bench/repo](https://github.com/bench/repo) |
| **Round** | ${round} (of PR ${pr}) |
| **PR** | [#${pr}](https://github.com/bench/repo/pull/${pr}) — A benchmark change |
| **Commits** | \`0123456789ab\` A benchmark change |
| **Reviewers** | Claude Opus 4.7 (effort: xhigh), Codex GPT 5.5 (effort: xhigh) |
| **Verdict** | **Merge with fixes** — the findings below need fixing |

---

## Executive Summary

A synthetic review for the benchmarks.

---

${section('Critical Issues', sections.critical)}${section('Important Issues', sections.important)}${section('Suggestions', sections.suggestion)}`;
}

/**
 * Writes a workspace: `sourceFiles` source files and `reports` reports of
 * `findingsPerReport` findings each, one PR per report (so every finding is
 * in a latest round and becomes a diagnostic). `format` is json or markdown.
 * Returns the paths and what the server must publish.
 */
export function writeWorkspace({ reports, findingsPerReport, sourceFiles, format = 'json', seed = 1 }) {
  const random = rng(seed);
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-bench-')));
  const files = Array.from({ length: sourceFiles }, (_, i) => `src/module${i % 40}/file${i}.ts`);
  const body = Array.from({ length: SOURCE_LINES }, (_, i) => `export const value${i} = ${i};`).join('\n') + '\n';
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), body);
  }
  mkdirSync(path.join(root, '.deep-review'), { recursive: true });
  const reportFiles = [];
  const perFile = new Map();
  let bytes = 0;
  for (let pr = 1; pr <= reports; pr++) {
    const findings = makeFindings(random, { pr, round: 1, findings: findingsPerReport, files });
    for (const f of findings) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
    const name = path.join(root, '.deep-review', `pr-${pr}`, `20261001-120000-pr-${pr}.${format === 'json' ? 'json' : 'md'}`);
    mkdirSync(path.dirname(name), { recursive: true });
    const text = format === 'json' ? JSON.stringify(reviewJson({ pr, round: 1, findings })) : reviewMarkdown({ pr, round: 1, findings });
    writeFileSync(name, text);
    bytes += Buffer.byteLength(text);
    reportFiles.push(name);
  }
  const expected = new Map([...perFile].map(([file, count]) => [pathToFileURL(path.join(root, file)).toString(), count]));
  return { root, files, reports: reportFiles, findings: reports * findingsPerReport, expected, bytes, format };
}

/** A new round for series `pr`: the same findings moved down a line, as the next round would report them. */
export function writeNextRound(workload, pr, round, seed = 7) {
  const random = rng(seed);
  const findings = makeFindings(random, { pr, round, findings: 100, files: workload.files });
  const name = path.join(workload.root, '.deep-review', `pr-${pr}`, `20261002-120000-pr-${pr}-r${round}.${workload.format === 'json' ? 'json' : 'md'}`);
  const text = workload.format === 'json' ? JSON.stringify(reviewJson({ pr, round, findings })) : reviewMarkdown({ pr, round, findings });
  writeFileSync(name, text);
  return { file: name, findings };
}
