/**
 * The fix engine on real code: every diff fix of a corpus report whose old lines
 * are in the cited files at the reviewed commit (../shared/realcode/<report>/review)
 * must apply there, and at the later commit (later/) be recognised as applied,
 * as no longer applicable, or as still applicable where that code did not change.
 * Prints the rates. Skipped with a note when ../shared is absent, except with CI=true.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { placeCitedLines } from '../../../server/src/anchoring/placement.js';
import { computeFixCandidates } from '../../../server/src/fixes/candidates.js';
import { computeFixFiles, computeFixStatus } from '../../../server/src/fixes/computeFix.js';
import { applyTextEdits } from '../../../server/src/fixes/textEdits.js';
import type { FileState, FixStatus, FixTarget } from '../../../server/src/fixes/types.js';
import type { Finding, FixDiff, Location } from '../../../server/src/model/review.js';
import { corpusAvailable, corpusReader, reviewOf } from '../markdown/corpus.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const REALCODE = path.resolve(repoRoot, '../shared/realcode');
const available = corpusAvailable && existsSync(path.join(REALCODE, 'README.md'));

interface SourceFile {
  path: string;
  citedAs?: string;
  alsoCitedAs?: string[];
  reviewBlob?: string;
  laterBlob?: string;
}

/** The realcode folders that have a corpus report. */
function coveredReports(): string[] {
  if (!available) return [];
  return readdirSync(REALCODE)
    .filter((stem) => existsSync(path.join(REALCODE, stem, 'SOURCE.json')))
    .filter((stem) => existsSync(path.resolve(REALCODE, '../corpus/reports', `${stem}.md`)))
    .sort();
}

/** The stored file a cited path names: as stored, as cited by a bare name, or as a path suffix. */
function storedPath(files: SourceFile[], location: Location): string | undefined {
  const cited = location.resolvedPath ?? location.path;
  if (!cited) return undefined;
  const found = files.find((f) => f.path === cited || f.citedAs === cited || (f.alsoCitedAs ?? []).includes(cited) || f.path.endsWith(`/${cited}`));
  return found?.path;
}

function statusOn(root: string, finding: Finding, diff: FixDiff, files: SourceFile[], texts = new Map<string, string>()): { status: FixStatus; targets: FixTarget[] } {
  const targets: FixTarget[] = [];
  for (const location of finding.locations) {
    const stored = storedPath(files, location);
    if (!stored) continue;
    const file = path.join(root, stored);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    for (const range of location.ranges.length > 0 ? location.ranges : [undefined]) {
      const placement = placeCitedLines({ file, location, ...(range ? { range } : {}) }, text?.split(/\r?\n/));
      targets.push({ file, near: { start: placement.range.start.line, end: placement.range.end.line } });
    }
  }
  const listed = computeFixFiles(diff, root, targets);
  if ('error' in listed) return { status: { state: 'refused', reason: listed.error }, targets };
  const states = new Map<string, FileState>();
  for (const file of listed.files) {
    const text = texts.get(file) ?? (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    states.set(file, { inside: true, ...(text === undefined ? {} : { text }) });
  }
  return { status: computeFixStatus({ diff, root, targets, files: states }), targets };
}

describe('fixes on real code', () => {
  if (!available) {
    if (process.env.CI === 'true') it('needs ../shared/realcode and ../shared/corpus', () => expect.fail(`no real code at ${REALCODE}`));
    else it.skip(`skipped: no real code at ${REALCODE} (expected ../shared/realcode beside the repository)`, () => undefined);
    return;
  }

  it('applies every diff fix whose old lines are at the reviewed commit, and classifies it at the later commit', () => {
    const read = corpusReader();
    const rows: string[] = [];
    const count = { fixes: 0, present: 0, applies: 0, laterApplied: 0, laterGone: 0, laterUnchanged: 0, laterOther: 0 };
    const failures: string[] = [];
    for (const stem of coveredReports()) {
      const source = JSON.parse(readFileSync(path.join(REALCODE, stem, 'SOURCE.json'), 'utf8')) as { files: SourceFile[] };
      const review = reviewOf(read(`${stem}.md`));
      for (const finding of review.findings) {
        for (const candidate of computeFixCandidates(finding)) {
          count.fixes++;
          const name = `${stem} ${finding.id}${candidate.label ? ` (${candidate.label})` : ''}`;
          const atReview = statusOn(path.join(REALCODE, stem, 'review'), finding, candidate.diff, source.files).status;
          if (atReview.state === 'missing') {
            rows.push(`${name}: old lines not at review/ (${atReview.reason})`);
            continue;
          }
          count.present++;
          if (atReview.state !== 'applicable') {
            failures.push(`${name} does not apply at review/: ${atReview.state} ${atReview.reason}`);
            continue;
          }
          count.applies++;
          // Applied, the fix must be recognised as applied.
          const after = new Map<string, string>();
          for (const change of atReview.changes) {
            if (change.kind === 'modify') expect(applyTextEdits(change.before, change.edits), name).toBe(change.after);
            if (change.kind !== 'delete') after.set(change.file, change.after);
          }
          const reapplied = statusOn(path.join(REALCODE, stem, 'review'), finding, candidate.diff, source.files, after).status;
          if (reapplied.state !== 'applied') failures.push(`${name} is not recognised as applied once applied: ${reapplied.state}`);
          const laterRoot = path.join(REALCODE, stem, 'later');
          const atLater = statusOn(laterRoot, finding, candidate.diff, source.files).status;
          const unchanged = atReview.changes.every((change) => {
            const stored = source.files.find((f) => change.file.endsWith(`/${f.path}`));
            return stored?.reviewBlob !== undefined && stored.reviewBlob === stored.laterBlob;
          });
          if (atLater.state === 'applied') count.laterApplied++;
          else if (atLater.state === 'missing') count.laterGone++;
          else if (atLater.state === 'applicable') count.laterUnchanged++;
          else {
            count.laterOther++;
            failures.push(`${name} at later/: ${atLater.state} ${atLater.reason}`);
          }
          rows.push(`${name}: applies at review/; later/: ${atLater.state}${atLater.state === 'applicable' ? (unchanged ? ' (file unchanged)' : ' (code there unchanged)') : ''}`);
        }
      }
    }
    const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(0)}%`);
    console.log(
      [
        `Real-code fix rates over ${coveredReports().length} reports, ${count.fixes} diff fixes:`,
        `  old lines at review/: ${count.present}; applies at review/: ${count.applies}/${count.present} (${pct(count.applies, count.present)})`,
        `  at later/: applied ${count.laterApplied}, no longer applicable ${count.laterGone}, still applicable (code unchanged) ${count.laterUnchanged}, unclassified ${count.laterOther}`,
        `  classified at later/: ${count.applies - count.laterOther}/${count.applies} (${pct(count.applies - count.laterOther, count.applies)}); recognised as applied or no longer applicable: ${count.laterApplied + count.laterGone}/${count.applies}`,
        ...rows.map((row) => `  ${row}`),
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(count.present).toBeGreaterThan(0);
  });
});
