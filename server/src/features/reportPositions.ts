/**
 * Where things are inside a report file: each finding's lines (Markdown reports
 * record them as `span`; in review JSON the finding's object is found in the
 * text), where the header ends, and offsets as LSP positions. Cached per read of
 * the report.
 */
import { visit } from 'jsonc-parser';
import type { Position, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../model/review.js';
import type { ReportEntry } from '../store/reviewStore.js';

interface Positions {
  document: TextDocument;
  /** 0-based line ranges of each finding of the review in effect. */
  findings: Map<Finding, Range>;
  /** 0-based line of the first finding; the lines above are the report's header. */
  headerEnd: number;
}

/** Finding ranges and positions of report files; one per feature, cached by report read. */
export class ReportPositions {
  private readonly cache = new WeakMap<ReportEntry, Positions>();

  /** The range of a finding in its report (whole lines), or the first line when it cannot be found. */
  findingRange(entry: ReportEntry, finding: Finding): Range {
    return this.of(entry).findings.get(finding) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }

  /** The finding of the report whose lines hold a position. */
  findingAt(entry: ReportEntry, position: Position): Finding | undefined {
    for (const [finding, range] of this.of(entry).findings) {
      if (range.start.line <= position.line && position.line <= range.end.line) return finding;
    }
    return undefined;
  }

  /** True when a position is in the report's header, above its first finding. */
  inHeader(entry: ReportEntry, position: Position): boolean {
    return position.line < this.of(entry).headerEnd;
  }

  /** An offset of the report text as a position. */
  positionAt(entry: ReportEntry, offset: number): Position {
    return this.of(entry).document.positionAt(offset);
  }

  /** A position of the report text as an offset. */
  offsetAt(entry: ReportEntry, position: Position): number {
    return this.of(entry).document.offsetAt(position);
  }

  private of(entry: ReportEntry): Positions {
    let positions = this.cache.get(entry);
    if (!positions) {
      positions = computePositions(entry);
      this.cache.set(entry, positions);
    }
    return positions;
  }
}

function computePositions(entry: ReportEntry): Positions {
  const text = entry.text ?? '';
  const document = TextDocument.create('file:///report', 'plaintext', 0, text);
  const findings = new Map<Finding, Range>();
  const review = entry.review;
  // A stale entry's review was read from an older text: its spans may not fit, so none are given.
  if (review && !entry.stale) {
    const objects = /\.json$/i.test(entry.file) ? findingObjects(text) : [];
    review.findings.forEach((finding, i) => {
      if (finding.span) {
        const last = Math.min(finding.span.endLine, document.lineCount) - 1;
        findings.set(finding, { start: { line: finding.span.startLine - 1, character: 0 }, end: { line: last, character: lineLength(document, last) } });
        return;
      }
      const range = objects[i];
      if (range) findings.set(finding, range);
    });
  }
  let headerEnd = document.lineCount;
  for (const range of findings.values()) headerEnd = Math.min(headerEnd, range.start.line);
  return { document, findings, headerEnd };
}

/**
 * The range of each object of the top-level `findings` array. A visit, not a
 * tree: the first hover on a finding of a large review JSON pays for one scan only.
 */
function findingObjects(text: string): Range[] {
  const ranges: Range[] = [];
  const stack: ('object' | 'array')[] = [];
  let rootProperty: string | undefined;
  let inFindings = false;
  let start: Position | undefined;
  visit(text, {
    onObjectProperty(property) {
      if (stack.length === 1) rootProperty = property;
    },
    onObjectBegin(_offset, _length, line, character) {
      stack.push('object');
      if (inFindings && stack.length === 3) start = { line, character };
    },
    onObjectEnd(_offset, _length, line, character) {
      if (inFindings && stack.length === 3 && start) ranges.push({ start, end: { line, character: character + 1 } });
      stack.pop();
    },
    onArrayBegin() {
      stack.push('array');
      if (stack.length === 2 && rootProperty === 'findings') inFindings = true;
    },
    onArrayEnd() {
      stack.pop();
      if (stack.length === 1) inFindings = false;
    },
  });
  return ranges;
}

function lineLength(document: TextDocument, line: number): number {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '').length;
}
