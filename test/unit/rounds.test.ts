import { describe, expect, it } from 'vitest';
import { Review, type FindingInput } from '../../server/src/model/review.js';
import { computeRoundEnvironment, computeRoundValues, environmentName, substitutePlaceholders } from '../../server/src/rounds/placeholders.js';
import { LineSplitter } from '../../server/src/rounds/roundProcess.js';
import { computeRoundSummary, describeRoundSummary } from '../../server/src/rounds/summary.js';
import { parseSettings } from '../../server/src/settings.js';

const f = (id: string, severity: FindingInput['severity'], title: string, extra: Partial<FindingInput> = {}): FindingInput => ({
  id,
  severity,
  title,
  locations: [{ path: 'src/a.ts', ranges: [{ start: 1, end: 1 }] }],
  ...extra,
});
const round = (n: number, findings: FindingInput[]) => Review.parse({ schemaVersion: 1, round: { number: n }, pr: { number: 336 }, findings });

describe('placeholders', () => {
  const latest = {
    file: '/w/.deep-review/r6.md',
    review: Review.parse({ schemaVersion: 1, round: { number: 6 }, pr: { number: 336 }, branch: { name: 'fix/\u0000x\nline' }, reviewedCommit: { sha: 'not a sha; rm -rf', source: 'json' } }),
  };
  const values = computeRoundValues({ root: '/w', series: 'pr:336', latest, triageFile: '/w/.deep-review/triage.json' });

  it('are replaced in each argument, several to an argument; other braces are kept', () => {
    expect(substitutePlaceholders(['review', '--pr={pr}', '{round}->{nextRound}', '{nope}', '{}'], values)).toEqual(['review', '--pr=336', '6->7', '{nope}', '{}']);
  });

  it('drop control characters and anything but a commit id from report values', () => {
    expect(values.branch).toBe('fix/xline');
    expect(values.reviewSha).toBe('');
    expect(values.previousReport).toBe('/w/.deep-review/r6.md');
  });

  it('are exported as DEEP_REVIEW_* variables', () => {
    expect(environmentName('nextRound')).toBe('DEEP_REVIEW_NEXT_ROUND');
    expect(computeRoundEnvironment(values)).toMatchObject({ DEEP_REVIEW_PR: '336', DEEP_REVIEW_NEXT_ROUND: '7', DEEP_REVIEW_WORKSPACE_FOLDER: '/w' });
  });

  it('make round 1 the next round of a folder without reports', () => {
    expect(computeRoundValues({ root: '/w', series: '', triageFile: '/t' })).toMatchObject({ round: '', nextRound: '1', pr: '', previousReport: '' });
  });
});

describe('the roundCommand setting', () => {
  it('is an argv array; a string is refused', () => {
    expect(parseSettings({ roundCommand: ['a', '{pr}'] }).settings.roundCommand).toEqual(['a', '{pr}']);
    expect(parseSettings({ roundCommand: 'review --pr {pr}' }).errors).toEqual(['deepReview.roundCommand: Invalid input: expected array, received string; keeping []']);
    expect(parseSettings({ roundCommand: [' ', 'x'] }).errors).toEqual(['deepReview.roundCommand: the first element must name the program; keeping []']);
  });
});

describe('the round summary', () => {
  it('counts open findings by severity and the previous round\'s findings that are gone', () => {
    const previous = round(6, [f('I1', 'important', 'Kept'), f('I2', 'important', 'Gone'), f('S1', 'suggestion', 'Renamed away'), f('S2', 'suggestion', 'Still open', {})]);
    const next = round(7, [
      f('I1', 'important', 'Kept'),
      f('S1', 'suggestion', 'New one'),
      f('S2', 'suggestion', 'New two'),
      f('S3', 'suggestion', 'Reworded', { priorRefs: [{ round: 6, localId: 'S2', relation: 'unaddressed', raw: '(round 6 S2 unaddressed)' }] }),
      f('S4', 'suggestion', 'Struck', { struck: { kind: 'struck' } }),
    ]);
    const summary = computeRoundSummary(next, previous);
    expect(summary).toEqual({ round: 7, previousRound: 6, open: { critical: 0, important: 1, suggestion: 3 }, fixed: 2, dismissed: 0 });
    expect(describeRoundSummary(summary)).toBe('Round 7: 1 important, 3 suggestions; 2 fixed since round 6');
  });

  it('says when nothing is open, and counts dismissed findings apart', () => {
    const next = round(2, [f('S1', 'suggestion', 'Dismissed before')]);
    expect(describeRoundSummary(computeRoundSummary(next, round(1, []), () => true))).toBe('Round 2: no open findings (1 dismissed earlier); 0 fixed since round 1');
    expect(describeRoundSummary(computeRoundSummary(round(1, [f('C1', 'critical', 'x')]), undefined))).toBe('Round 1: 1 critical');
  });
});

describe('output lines', () => {
  it('are split on any line end, across chunks; the last one without an end is kept', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('one\ntw');
    splitter.push('o\r\nthree 10%\rthree 20%');
    splitter.end();
    expect(lines).toEqual(['one', 'two', 'three 10%', 'three 20%']);
  });
});
