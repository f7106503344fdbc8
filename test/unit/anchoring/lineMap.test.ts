import { describe, expect, it } from 'vitest';
import { computeLineMap, LineMap, parseUnifiedHunks } from '../../../server/src/anchoring/lineMap.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe('line maps', () => {
  it('shifts a range by the lines inserted above it, and keeps it when nothing changed', () => {
    const before = lines(20);
    const after = [...before.slice(0, 3), 'new a', 'new b', ...before.slice(3)];
    const map = computeLineMap(before, after);
    expect(map.mapSpan({ start: 9, end: 11 })).toEqual({ kind: 'kept', span: { start: 11, end: 13 }, moved: true });
    expect(map.mapSpan({ start: 0, end: 2 })).toEqual({ kind: 'kept', span: { start: 0, end: 2 }, moved: false });
    expect(computeLineMap(before, before).unchanged).toBe(true);
  });

  it('keeps a range whose inside was edited, growing over inserted lines', () => {
    const before = lines(20);
    const after = [...before.slice(0, 10), 'inserted', ...before.slice(10)];
    after[9] = 'line 10 edited';
    expect(computeLineMap(before, after).mapSpan({ start: 8, end: 12 })).toEqual({ kind: 'kept', span: { start: 8, end: 13 }, moved: true });
  });

  it('extends over the lines that replaced a changed first line', () => {
    const before = lines(10);
    const after = [...before.slice(0, 4), 'five, rewritten', 'and split', ...before.slice(5)];
    expect(computeLineMap(before, after).mapSpan({ start: 4, end: 6 })).toEqual({ kind: 'kept', span: { start: 4, end: 7 }, moved: true });
  });

  it('says a range is gone when every one of its lines was deleted or rewritten', () => {
    const before = lines(10);
    const deleted = [...before.slice(0, 4), ...before.slice(7)];
    expect(computeLineMap(before, deleted).mapSpan({ start: 4, end: 6 })).toEqual({ kind: 'gone', at: { start: 4, end: 4 } });
    const rewritten = [...before.slice(0, 4), 'x', 'y', ...before.slice(7)];
    expect(computeLineMap(before, rewritten).mapSpan({ start: 5, end: 6 })).toEqual({ kind: 'gone', at: { start: 4, end: 5 } });
  });

  it('reads the hunks of git diff -U0, and refuses what is not a text diff of an existing file', () => {
    const out = [
      'diff --git a/f.go b/f.go',
      '--- a/f.go',
      '+++ b/f.go',
      '@@ -3,0 +4,2 @@ func a() {',
      '+x',
      '+y',
      '@@ -10,2 +12 @@',
      '-a',
      '-b',
      '+c',
      '@@ -20 +21,0 @@',
      '-gone',
    ].join('\n');
    const map = parseUnifiedHunks(out)!;
    expect(map.hunks).toEqual([
      { oldStart: 3, oldCount: 0, newStart: 3, newCount: 2 },
      { oldStart: 9, oldCount: 2, newStart: 11, newCount: 1 },
      { oldStart: 19, oldCount: 1, newStart: 21, newCount: 0 },
    ]);
    // Old line 5 (0-based 4) is below the insertion: two lines down.
    expect(map.mapLine(4)).toBe(6);
    // Old line 25 is below all three: +2, -1, -1.
    expect(map.mapLine(24)).toBe(24);
    expect(parseUnifiedHunks('')).toBe(LineMap.identity);
    expect(parseUnifiedHunks('Binary files a/x and b/x differ\n')).toBeUndefined();
    expect(parseUnifiedHunks('--- a/f.go\n+++ /dev/null\n@@ -1,3 +0,0 @@\n')).toBeUndefined();
  });

  it('maps through two maps in turn', () => {
    const a = lines(10);
    const b = ['top', ...a];
    const c = ['top', 'top 2', ...a];
    expect(computeLineMap(a, b).followedBy(computeLineMap(b, c)).mapSpan({ start: 5, end: 5 })).toEqual({ kind: 'kept', span: { start: 7, end: 7 }, moved: true });
  });
});
