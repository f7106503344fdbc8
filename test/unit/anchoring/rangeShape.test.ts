import { describe, expect, it } from 'vitest';
import { rangeStartAbove } from '../../../server/src/anchoring/rangeShape.js';

describe('where a range holding a quote begins', () => {
  const lines = [
    'func before() {', //     0
    '\treturn', //            1
    '}', //                   2
    '', //                    3
    '// open answers.', //    4
    'func open() {', //       5
    '\tvar f File', //        6
    '', //                    7
    '\tf.check()', //         8
    '\tif f == nil {', //     9
    '\t\treturn', //          10
    '\t}', //                 11
  ];

  it('is the code enclosing the quote, above blank lines and comments', () => {
    expect(rangeStartAbove(lines, 0, 10)).toBe(5);
  });

  it('takes the statements run into the quote at its own indentation, up to a blank or closing line', () => {
    expect(rangeStartAbove(lines, 6, 9)).toBe(8);
    expect(rangeStartAbove(lines, 0, 9)).toBe(5);
  });

  it('never reaches past a closed block into the code before it', () => {
    expect(rangeStartAbove(lines, 0, 5)).toBe(5);
    expect(rangeStartAbove(['\tif a {', '\t\tx()', '\t}', '\ty()'], 0, 3)).toBe(3);
  });

  it('stays within the lines it may use, counting a tab as four columns', () => {
    expect(rangeStartAbove(lines, 9, 10)).toBe(9);
    expect(rangeStartAbove(['x()', '    a()', '\tb()'], 1, 2)).toBe(1);
    expect(rangeStartAbove(['a()'], -5, 0)).toBe(0);
  });
});
