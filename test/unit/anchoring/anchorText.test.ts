import { describe, expect, it } from 'vitest';
import { computeTextIndex, findAnchor, matchesLine, parseAnchor, partialAnchor } from '../../../server/src/anchoring/anchorText.js';

const text = [
  'package main',
  '',
  'func run(ctx context.Context, name string, opts ...Option) error {',
  '\tif err := start(ctx); err != nil {',
  '\t\treturn fmt.Errorf("start %s: %w", name, err)',
  '\t}',
  '',
  '\tfor _, item := range items {',
  '\t\tlog(item)',
  '\t}',
  '\treturn nil',
  '}',
];

describe('anchor text', () => {
  const index = computeTextIndex(text);

  it('finds a snippet whatever its indentation and spacing', () => {
    const anchor = parseAnchor('if err := start(ctx); err != nil {\n    return fmt.Errorf("start %s: %w", name,  err)\n}')!;
    expect(findAnchor(index, anchor)).toEqual([{ start: 3, end: 5 }]);
  });

  it('finds a quote cut mid-line as part of a line: the first line a line\'s end, the last a line\'s start, one line any part', () => {
    expect(findAnchor(index, parseAnchor('start(ctx)')!)).toEqual([]);
    expect(findAnchor(index, partialAnchor(parseAnchor('start(ctx)')!))).toEqual([{ start: 3, end: 3 }]);
    const cut = partialAnchor(parseAnchor('err != nil {\n    return fmt.Errorf("start')!);
    expect(findAnchor(index, cut)).toEqual([{ start: 3, end: 4 }]);
    // Only the ends are cut: a line in the middle still matches whole.
    expect(findAnchor(index, partialAnchor(parseAnchor('err != nil {\nreturn\n}')!))).toEqual([]);
  });

  it('looks only in the given lines when told where to look', () => {
    const anchor = partialAnchor(parseAnchor('log(item)')!);
    expect(findAnchor(index, anchor)).toEqual([{ start: 8, end: 8 }]);
    expect(findAnchor(index, anchor, [{ start: 0, end: 5 }])).toEqual([]);
    expect(findAnchor(index, anchor, [{ start: 0, end: 5 }, { start: 7, end: 9 }])).toEqual([{ start: 8, end: 8 }]);
  });

  it('lets a line of ... stand for any number of lines, and ... inside a line for part of it', () => {
    const anchor = parseAnchor('func run(ctx context.Context, ...) error {\n    ...\n    for _, item := range items {')!;
    expect(anchor.items.map((item) => (item === 'gap' ? 'gap' : item.pieces.length))).toEqual([2, 'gap', 1]);
    expect(findAnchor(index, anchor)).toEqual([{ start: 2, end: 7 }]);
    expect(findAnchor(index, parseAnchor('if err := start(ctx); err != nil {\n// …\nreturn nil')!)).toEqual([{ start: 3, end: 10 }]);
  });

  it('skips blank lines on both sides', () => {
    expect(findAnchor(index, parseAnchor('\t}\n\n\n\tfor _, item := range items {')!)).toEqual([{ start: 5, end: 7 }]);
  });

  it('does not match a changed line, nor a snippet that runs on past the change', () => {
    expect(findAnchor(index, parseAnchor('if err := begin(ctx); err != nil {')!)).toEqual([]);
    expect(findAnchor(index, parseAnchor('\t\tlog(item)\n\t}\n\treturn err')!)).toEqual([]);
  });

  it('has nothing to look for in a snippet of elisions and blanks', () => {
    expect(parseAnchor('...\n\n…')).toBeUndefined();
    expect(parseAnchor(undefined)).toBeUndefined();
  });

  it('anchors an elided line at both ends unless the elision is there', () => {
    const pattern = (s: string) => parseAnchor(s)!.lines[0]!;
    expect(matchesLine('foo(a,b,c)', pattern('foo(...)'))).toBe(true);
    expect(matchesLine('xfoo(a,b,c)', pattern('foo(...)'))).toBe(false);
    expect(matchesLine('foo(a,b,c)', pattern('...b,c)'))).toBe(true);
    expect(matchesLine('foo(a)', pattern('foo(a...a)'))).toBe(false);
  });
});
