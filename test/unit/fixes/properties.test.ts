// Property tests of the fix engine on random diffs and texts: it never throws, and an applicable fix's edits give exactly the text it promises.
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFixFiles, computeFixStatus } from '../../../server/src/fixes/computeFix.js';
import { applyTextEdits } from '../../../server/src/fixes/textEdits.js';
import type { FileState } from '../../../server/src/fixes/types.js';
import type { FixDiff } from '../../../server/src/model/review.js';

const ROOT = path.resolve('/workspace');
const FILE = path.join(ROOT, 'a.go');
const word = fc.constantFrom('return nil', '\treturn err', '    x := 1', '}', '', '...', '@@ -1 +1 @@', 'diff --git a/a.go b/a.go', '--- a/a.go', '+++ b/a.go', '\t\tcall()');
const line = fc.tuple(fc.constantFrom('', ' ', '-', '+', '\\'), word).map(([prefix, text]) => prefix + text);

describe('the fix engine on random input', () => {
  it('never throws, and an applicable fix edits the text into exactly what it says, keeping its line ends', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.array(word, { maxLength: 20 }),
        fc.constantFrom<FixDiff['format']>('plusminus', 'unified-context', 'unified-hunks', 'git-patch'),
        fc.constantFrom('\n', '\r\n'),
        (diffLines, textLines, format, eol) => {
          const diff: FixDiff = { format, text: diffLines.join('\n') };
          const text = textLines.join(eol) + eol;
          const targets = [{ file: FILE, near: { start: 0, end: 3 } }];
          const listed = computeFixFiles(diff, ROOT, targets);
          if ('error' in listed) return;
          const files = new Map<string, FileState>(listed.files.map((file) => [file, { inside: true, ...(file === FILE ? { text } : {}) }]));
          const status = computeFixStatus({ diff, root: ROOT, targets, files });
          if (status.state !== 'applicable') {
            expect(status.reason.length).toBeGreaterThan(0);
            return;
          }
          for (const change of status.changes) {
            if (change.kind === 'modify') {
              expect(applyTextEdits(change.before, change.edits)).toBe(change.after);
              // A CRLF file stays CRLF.
              if (eol === '\r\n') expect(/(^|[^\r])\n/.test(change.after)).toBe(false);
            }
            expect(change.file.startsWith(ROOT + path.sep)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
