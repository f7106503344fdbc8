import { describe, expect, it } from 'vitest';
import { computeTextIndex, parseAnchor } from '../../../server/src/anchoring/anchorText.js';
import { computePlacement, type PlacementInput } from '../../../server/src/anchoring/placeLocation.js';

const body = Array.from({ length: 40 }, (_, i) => `filler(${i + 1})`);
const code = ['func handle(req *Request) error {', '\tif req.Body == nil {', '\t\treturn errNoBody', '\t}', '\treturn process(req.Body)', '}'];
/** A file with the quoted code at 1-based line `at`. */
function file(at: number, quoted = code): string[] {
  return [...body.slice(0, at - 1), ...quoted, ...body.slice(at - 1)];
}
const snippet = code.slice(0, 4).join('\n');

function place(lines: string[], extra: Partial<PlacementInput> & Pick<PlacementInput, 'cited'>) {
  const index = computeTextIndex(lines);
  return computePlacement({ lines, index: () => index, threshold: 0.8, ...extra });
}
const lineSpan = (p: ReturnType<typeof place>) => [p.range.start.line + 1, p.range.end.line + 1];

describe('placing one location', () => {
  it('keeps the cited lines when the snippet is there, starts up to three lines before, or lies inside them', () => {
    for (const at of [10, 9, 7]) {
      const p = place(file(at), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet)! });
      expect([p.method, lineSpan(p), p.note], `snippet at ${at}`).toEqual(['anchor', [10, 13], undefined]);
    }
    const inside = place(file(12), { cited: { start: 10, end: 20 }, anchor: parseAnchor(snippet)! });
    expect(lineSpan(inside)).toEqual([10, 20]);
  });

  it('takes a snippet that starts after the cited lines and runs past them for code that moved', () => {
    const p = place(file(11), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet)! });
    expect([p.method, lineSpan(p)]).toEqual(['anchor', [11, 14]]);
  });

  it('follows the snippet when the code moved, and says from where', () => {
    const p = place(file(25), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet)! });
    expect([p.method, lineSpan(p), p.note]).toEqual(['anchor', [25, 28], '(moved from line 10; found by its quoted code)']);
  });

  it('prefers the occurrence nearest the cited lines', () => {
    const twice = [...file(5), ...code];
    const p = place(twice, { cited: { start: 30, end: 33 }, anchor: parseAnchor(snippet)! });
    expect(lineSpan(p)).toEqual([47, 50]);
  });

  it('places a changed snippet by likeness above the threshold, and orphans it below', () => {
    const edited = ['func handle(r *Request) error {', '\tif r.Body == nil {', '\t\treturn errNoBody', '\t}', '\treturn process(r.Body)', '}'];
    const p = place(file(30, edited), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet + '\n\treturn process(req.Body)')! });
    expect(p.method).toBe('fuzzy');
    expect(lineSpan(p)).toEqual([30, 33]);
    expect(p.note).toMatch(/^\(moved from line 10; placed by likeness: \d\d% like the quoted code\)$/);
    const strict = place(file(30, edited), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet + '\n\treturn process(req.Body)')!, threshold: 0.99 });
    expect([strict.method, lineSpan(strict), strict.note]).toEqual(['orphan', [1, 1], '(outdated: the quoted code is no longer in this file; it was cited at line 10)']);
  });

  it('takes git first: mapped lines win over the snippet', () => {
    const p = place(file(25), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet)!, git: { kind: 'kept', span: { start: 24, end: 27 }, moved: true }, gitCommit: 'abc1234' });
    expect([p.method, lineSpan(p), p.note]).toEqual(['git', [25, 28], '(moved from line 10 of abc1234)']);
  });

  it('sets git aside when its lines hold no copy of the snippet the file has elsewhere (a wrong reviewed commit)', () => {
    const p = place(file(10), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet)!, git: { kind: 'kept', span: { start: 30, end: 33 }, moved: true }, gitCommit: 'abc1234' });
    expect([p.method, lineSpan(p), p.note]).toEqual(['anchor', [10, 13], undefined]);
  });

  it('looks for the snippet near where git saw the cited lines replaced, and orphans them without one', () => {
    const p = place(file(25), { cited: { start: 10, end: 13 }, anchor: parseAnchor(snippet)!, git: { kind: 'gone', at: { start: 23, end: 23 } } });
    expect([p.method, lineSpan(p)]).toEqual(['anchor', [25, 28]]);
    const none = place(file(25), { cited: { start: 10, end: 13 }, git: { kind: 'gone', at: { start: 23, end: 23 } }, gitCommit: 'abc1234' });
    expect([none.method, lineSpan(none), none.note]).toEqual(['orphan', [1, 1], '(outdated: the cited lines were changed since abc1234; cited at line 10)']);
  });

  it('moves every range of a location together, by how far its snippet moved', () => {
    const ranges = [{ start: 10, end: 13 }, { start: 20, end: 20 }];
    const second = place(file(25), { cited: ranges[1]!, ranges, anchor: parseAnchor(snippet)! });
    expect(lineSpan(second)).toEqual([35, 35]);
    const inPlace = place(file(10), { cited: ranges[1]!, ranges, anchor: parseAnchor(snippet)! });
    expect(lineSpan(inPlace)).toEqual([20, 20]);
  });

  it('places one distinctive line of a snippet that quotes more than this file', () => {
    // As many lines cited as quoted: where the range starts is the snippet's business alone.
    const p = place(file(25), { cited: { start: 10, end: 12 }, anchor: parseAnchor('// other.go:3\nsomethingElse()\n' + code[0])! });
    expect([p.method, lineSpan(p)]).toEqual(['anchor', [23, 25]]);
  });

  it('starts a moved range that was longer than its snippet at the code enclosing the snippet, not at the snippet', () => {
    // Cited 10-15 (the whole function), quoting only its last lines: moved down 15 lines.
    const quote = code.slice(1, 5).join('\n');
    const p = place(file(25, ['', ...code]), { cited: { start: 10, end: 15 }, anchor: parseAnchor(quote)! });
    expect([p.method, lineSpan(p)]).toEqual(['anchor', [26, 31]]);
    // Comments and closing lines above the snippet never open the range.
    const commented = place(file(25, ['}', '', '// handle answers a request.', ...code]), { cited: { start: 10, end: 15 }, anchor: parseAnchor(quote)! });
    expect(lineSpan(commented)).toEqual([28, 33]);
  });

  it('takes one line of a snippet at the end of the cited lines for code that moved when the rest of the snippet runs past them', () => {
    // The snippet's last line changed, so only its first line is found: at the cited range's last line.
    const changed = [...code.slice(0, 5), '} // handle'];
    const p = place(file(13, changed), { cited: { start: 10, end: 13 }, anchor: parseAnchor(code.join('\n'))! });
    expect([p.method, lineSpan(p)]).toEqual(['anchor', [13, 16]]);
  });

  it('takes no line the file repeats as evidence of where the snippet is, even at the cited lines', () => {
    const repeated = ['if len(tr.added) != 2 {', '\tt.Fatalf("tracker.Add = %v", tr.added)', '}'];
    const lines = [...body.slice(0, 9), repeated[0]!, '\tt.Fatalf("something else")', '}', ...body.slice(9, 20), ...repeated];
    const p = place(lines, { cited: { start: 10, end: 12 }, anchor: parseAnchor('s.Tick(scan)\n' + repeated[0] + '\n\tt.Fatalf("want the expose re-asserted once")\n}')!, threshold: 0.95 });
    expect([p.method, p.note]).toEqual(['orphan', '(outdated: the quoted code is no longer in this file; it was cited at line 10)']);
  });

  it('places a snippet that is only part of a line on that line, and follows it once it moved', () => {
    const lines = [...body.slice(0, 9), 'const f = open(path);', ...body.slice(9)];
    const p = place(lines, { cited: { start: 10, end: 10 }, anchor: parseAnchor('open(path)')! });
    expect([p.method, lineSpan(p), p.note]).toEqual(['anchor', [10, 10], undefined]);
    const moved = place(['', '', ...lines], { cited: { start: 5, end: 5 }, anchor: parseAnchor('open(path)')! });
    expect([moved.method, lineSpan(moved)]).toEqual(['anchor', [12, 12]]);
  });

  it('without a snippet or git, shows the cited lines as written, or says they are past the end', () => {
    expect(lineSpan(place(file(25), { cited: { start: 3, end: 4 } }))).toEqual([3, 4]);
    const past = place(['a', 'b'], { cited: { start: 9, end: 9 } });
    expect([past.method, past.note]).toEqual(['past-end', '(cited line 9 is past the end of the file, which has 2 lines)']);
  });
});
