// Generates a synthetic workspace: source files and a review directory with many
// series of rounds. Deterministic (seeded), so runs compare like with like.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

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

const SEVERITIES = ['critical', 'important', 'suggestion', 'suggestion', 'suggestion'];

/** One review of `findings` findings spread over `files`. */
export function makeReview(random, { pr, round, findings, files }) {
  return {
    schemaVersion: 1,
    kind: 'review',
    date: `2026-10-${String((round % 28) + 1).padStart(2, '0')}T12:00`,
    repository: { slug: 'bench/repo' },
    pr: { number: pr },
    round: { number: round },
    reviewers: [{ family: 'claude', model: 'Claude Opus 4.7' }, { family: 'codex', model: 'Codex GPT 5.5' }],
    findings: Array.from({ length: findings }, (_, i) => {
      const file = files[Math.floor(random() * files.length)];
      const start = 1 + Math.floor(random() * 180);
      return {
        id: `F${i + 1}`,
        severity: SEVERITIES[Math.floor(random() * SEVERITIES.length)],
        title: `Finding ${i + 1} of PR ${pr} round ${round}: something about ${file}`,
        agents: [{ family: 'claude', model: 'Claude Opus 4.7' }],
        locations: [{ path: file, ranges: [{ start, end: start + Math.floor(random() * 5) }] }],
        body: 'The body explains the problem in a paragraph or two. '.repeat(4),
        fix: { label: 'Fix', markdown: 'Do the right thing.', diffs: [{ format: 'plusminus', text: '- old\n+ new' }] },
      };
    }),
  };
}

/**
 * Writes a workspace with `series` PR series of `rounds` rounds each, every
 * round with `findings` findings over `sourceFiles` source files.
 */
export function writeWorkspace({ series = 100, rounds = 3, findings = 80, sourceFiles = 400, seed = 1 } = {}) {
  const random = rng(seed);
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-bench-')));
  const files = Array.from({ length: sourceFiles }, (_, i) => `src/module${i % 40}/file${i}.ts`);
  const body = Array.from({ length: 200 }, (_, i) => `export const value${i} = ${i};`).join('\n') + '\n';
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), body);
  }
  mkdirSync(path.join(root, '.deep-review'), { recursive: true });
  const reports = [];
  for (let pr = 1; pr <= series; pr++) {
    for (let round = 1; round <= rounds; round++) {
      const name = path.join(root, '.deep-review', `pr-${pr}`, `round-${round}.json`);
      mkdirSync(path.dirname(name), { recursive: true });
      writeFileSync(name, JSON.stringify(makeReview(random, { pr, round, findings, files })));
      reports.push(name);
    }
  }
  return { root, files, reports, findings: series * rounds * findings };
}
