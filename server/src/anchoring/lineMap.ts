/**
 * Line maps: how the lines of one text became the lines of another, as hunks
 * (from git's `-U0` diff or from a line diff of two texts), and how a cited
 * range moves through them the way an editor mark moves.
 */
import { diffArrays } from 'diff';

/** One changed region: `oldCount` lines at `oldStart` became `newCount` lines at `newStart` (0-based). */
export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

/** A 0-based inclusive line range. */
export interface LineSpan {
  start: number;
  end: number;
}

/** Where a range went: its new lines, or gone when every one of its lines was changed or deleted. */
export type MappedSpan =
  | { kind: 'kept'; span: LineSpan; moved: boolean }
  | { kind: 'gone'; /** Where the lines were, in the new text (the replacing lines, or an empty point). */ at: LineSpan };

/** Beyond this many line edits the diff gives up and the middle becomes one hunk. */
const MAX_EDIT_LENGTH = 4000;

/** A line diff between two texts, as hunks sorted by position. */
export class LineMap {
  /** The identity: nothing changed. */
  static readonly identity = new LineMap([]);

  constructor(readonly hunks: readonly Hunk[]) {}

  /** True when the two texts have the same lines. */
  get unchanged(): boolean {
    return this.hunks.length === 0;
  }

  /**
   * Moves a range: lines inserted or deleted above shift it, edits inside keep
   * it (a changed first or last line extends it over the lines that replaced it).
   */
  mapSpan(span: LineSpan): MappedSpan {
    let firstSurvivor: number | undefined;
    let lastSurvivor: number | undefined;
    let startHunk: Hunk | undefined;
    let endHunk: Hunk | undefined;
    for (let line = span.start; line <= span.end; line++) {
      const hunk = this.hunkHolding(line);
      if (hunk) {
        const hunkEnd = hunk.oldStart + hunk.oldCount - 1;
        if (line === span.start) startHunk = hunk;
        if (hunkEnd >= span.end) endHunk = hunk;
        line = hunkEnd; // skip the rest of the hunk
        continue;
      }
      firstSurvivor ??= line;
      lastSurvivor = line;
    }
    if (firstSurvivor === undefined || lastSurvivor === undefined) {
      const first = this.hunkHolding(span.start)!;
      const last = this.hunkHolding(span.end) ?? first;
      const end = last.newCount > 0 ? last.newStart + last.newCount - 1 : last.newStart;
      return { kind: 'gone', at: { start: first.newStart, end: Math.max(first.newStart, end) } };
    }
    const start = startHunk && startHunk.newCount > 0 ? startHunk.newStart : this.mapLine(firstSurvivor);
    const end = endHunk && endHunk.newCount > 0 ? endHunk.newStart + endHunk.newCount - 1 : this.mapLine(lastSurvivor);
    const mapped = { start: Math.min(start, end), end: Math.max(start, end) };
    return { kind: 'kept', span: mapped, moved: mapped.start !== span.start || mapped.end !== span.end };
  }

  /** The new line of an old line that no hunk touches. */
  mapLine(line: number): number {
    let shift = 0;
    for (const hunk of this.hunks) {
      if (hunk.oldStart + hunk.oldCount <= line) shift += hunk.newCount - hunk.oldCount;
      else break;
    }
    return line + shift;
  }

  /** Applies this map, then `next` (which maps this map's new text onward). */
  followedBy(next: LineMap): { mapSpan(span: LineSpan): MappedSpan } {
    return {
      mapSpan: (span) => {
        const first = this.mapSpan(span);
        if (first.kind === 'gone') return first;
        const second = next.mapSpan(first.span);
        return second.kind === 'gone' ? second : { kind: 'kept', span: second.span, moved: first.moved || second.moved };
      },
    };
  }

  private hunkHolding(line: number): Hunk | undefined {
    // Hunks are few and sorted; a binary search keeps long diffs cheap.
    let lo = 0;
    let hi = this.hunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const hunk = this.hunks[mid]!;
      if (line < hunk.oldStart) hi = mid - 1;
      else if (line >= hunk.oldStart + hunk.oldCount) lo = mid + 1;
      else return hunk;
    }
    return undefined;
  }
}

/** The line map from `before` to `after`; common leading and trailing lines are skipped before diffing. */
export function computeLineMap(before: readonly string[], after: readonly string[]): LineMap {
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const oldMiddle = before.slice(prefix, before.length - suffix);
  const newMiddle = after.slice(prefix, after.length - suffix);
  if (oldMiddle.length === 0 && newMiddle.length === 0) return LineMap.identity;
  const whole: Hunk = { oldStart: prefix, oldCount: oldMiddle.length, newStart: prefix, newCount: newMiddle.length };
  if (oldMiddle.length === 0 || newMiddle.length === 0) return new LineMap([whole]);
  const changes = diffArrays(oldMiddle, newMiddle, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return new LineMap([whole]);
  const hunks: Hunk[] = [];
  let oldLine = prefix;
  let newLine = prefix;
  let open: Hunk | undefined;
  for (const change of changes) {
    const count = change.count ?? change.value.length;
    if (!change.added && !change.removed) {
      if (open) hunks.push(open);
      open = undefined;
      oldLine += count;
      newLine += count;
      continue;
    }
    open ??= { oldStart: oldLine, oldCount: 0, newStart: newLine, newCount: 0 };
    if (change.removed) {
      open.oldCount += count;
      oldLine += count;
    } else {
      open.newCount += count;
      newLine += count;
    }
  }
  if (open) hunks.push(open);
  return new LineMap(hunks);
}

/**
 * Hunks of a unified diff with `-U0` (git diff output of one file). Returns
 * undefined when the output is not a text diff of an existing file (binary,
 * added or deleted), so the caller treats the step as unavailable.
 */
export function parseUnifiedHunks(output: string): LineMap | undefined {
  if (output.trim() === '') return LineMap.identity;
  if (/^Binary files /m.test(output) || /^--- \/dev\/null$/m.test(output) || /^\+\+\+ \/dev\/null$/m.test(output)) return undefined;
  const hunks: Hunk[] = [];
  const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm;
  for (let match = header.exec(output); match; match = header.exec(output)) {
    const oldCount = match[2] === undefined ? 1 : Number(match[2]);
    const newCount = match[4] === undefined ? 1 : Number(match[4]);
    // With no lines on a side, unified diff names the line before the change.
    const oldStart = oldCount === 0 ? Number(match[1]) : Number(match[1]) - 1;
    const newStart = newCount === 0 ? Number(match[3]) : Number(match[3]) - 1;
    hunks.push({ oldStart, oldCount, newStart, newCount });
  }
  if (hunks.length === 0) return undefined;
  return new LineMap(hunks.sort((a, b) => a.oldStart - b.oldStart));
}
