import { describe, expect, it } from 'vitest';
import { LiveEdits } from '../../../server/src/anchoring/liveEdits.js';
import { computeReportLine } from '../../../server/src/features/goneFiles.js';
import type { Finding } from '../../../server/src/model/review.js';

describe('live edits', () => {
  it('maps from the text as opened to the buffer now, once per version', () => {
    const live = new LiveEdits();
    live.opened('file:///a', 'a\nb\nc\nd\n');
    const first = live.view('file:///a', { text: 'new\na\nb\nc\nd\n', version: 2 });
    expect(first.base).toBe('a\nb\nc\nd\n');
    expect(first.map.mapSpan({ start: 2, end: 3 })).toEqual({ kind: 'kept', span: { start: 3, end: 4 }, moved: true });
    expect(live.view('file:///a', { text: 'new\na\nb\nc\nd\n', version: 2 })).toBe(first);
    const deleted = live.view('file:///a', { text: 'a\nd\n', version: 3 });
    expect(deleted.map.mapSpan({ start: 1, end: 2 })).toEqual({ kind: 'gone', at: { start: 1, end: 1 } });
    live.closed('file:///a');
    // Reopened: marks start again from the text it opens with.
    expect(live.view('file:///a', { text: 'z\n', version: 1 }).map.unchanged).toBe(true);
  });
});

describe('the report line of a finding', () => {
  const finding = (extra: Partial<Finding>) => ({ id: 'I2', ...extra }) as Finding;
  it('is its span in a Markdown report, its id in a review JSON, else the top', () => {
    expect(computeReportLine('x', finding({ span: { startLine: 7, endLine: 9 } }))).toBe(6);
    expect(computeReportLine('{\n  "findings": [\n    { "id": "I1" },\n    {\n      "id" : "I2"', finding({}))).toBe(4);
    expect(computeReportLine('{}', finding({}))).toBe(0);
  });
});
