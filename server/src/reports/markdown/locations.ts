/**
 * Citations: `path:N-M`, `path:N`, `path:N,N-M`, `path:N-M, N-M`, en dashes,
 * bare paths and directories, `:N` continuations of the previous path,
 * commit-qualified `27b856a46:path:N-M`, and non-file targets kept as text.
 */
import type { LineRange, Location } from '../../model/review.js';
import { compact } from './text.js';

/** Longest citation read as a path; anything longer is prose, kept as a non-file target. */
const MAX_CITATION = 400;
/** Line numbers above this are not line numbers. */
const MAX_LINE = 10_000_000;

/** Parses one citation (the content of a code span). `previous` resolves `:N` continuations. */
export function parseCitation(raw: string, previous?: Location): Location {
  const text = raw.trim();
  if (text.length > MAX_CITATION || text === '') return nonFile(raw);
  if (text.startsWith(':')) {
    const ranges = parseRanges(text.slice(1));
    if (ranges !== undefined && previous?.path !== undefined) {
      return compact({ raw: text, path: previous.path, pathKind: previous.pathKind, ranges, commit: previous.commit });
    }
    return nonFile(raw);
  }
  const qualified = /^([0-9a-f]{7,40}):(.+)$/.exec(text);
  if (qualified?.[1] !== undefined && qualified[2] !== undefined && /[/.]/.test(qualified[2])) {
    const inner = parsePathAndRanges(qualified[2]);
    if (inner !== undefined) return { raw: text, path: inner.path, pathKind: 'commit-qualified', ranges: inner.ranges, commit: qualified[1] };
  }
  const parsed = parsePathAndRanges(text);
  if (parsed === undefined) return nonFile(raw);
  return { raw: text, path: parsed.path, pathKind: parsed.kind, ranges: parsed.ranges };
}

/** A target that is not a file (a commit, "PR description"), kept as written. */
export function nonFile(raw: string, commit?: string): Location {
  return compact({ raw: raw.trim(), pathKind: 'non-file' as const, ranges: [], commit });
}

/**
 * Plain-text citations as bracketed (E1) finding titles write them:
 * `app_controller.go:73-88`, `a.go:1 + b.go:2`, `a.go:1, b.go:2`.
 */
export function parsePlainCitations(text: string): Location[] {
  const out: Location[] = [];
  for (const piece of text.split(/\s\+\s|,\s|;\s|\sand\s/)) {
    const t = piece.trim().replace(/^`|`$/g, '');
    if (t === '') continue;
    out.push(parseCitation(t, out[out.length - 1]));
  }
  return out;
}

function parsePathAndRanges(text: string): { path: string; kind: NonNullable<Location['pathKind']>; ranges: LineRange[] } | undefined {
  let path = text;
  let ranges: LineRange[] = [];
  // Only the segment after the last colon can hold line numbers.
  const colon = text.lastIndexOf(':');
  if (colon > 0) {
    const parsed = parseRanges(text.slice(colon + 1));
    if (parsed !== undefined) {
      path = text.slice(0, colon);
      ranges = parsed;
    }
  }
  path = path.trim();
  if (path === '' || /\s/.test(path)) return undefined;
  if (path.endsWith('/')) return { path, kind: 'directory', ranges: [] };
  if (path.includes('/')) return { path, kind: 'repo-relative', ranges };
  if (/\.[A-Za-z0-9]+$/.test(path) || ranges.length > 0) return { path, kind: 'basename', ranges };
  return undefined;
}

/**
 * "57-66", "529–535", "92,98,239,247", "98-110, 262-282", "~325-340" (approximate)
 * → ranges; undefined when not a range list.
 */
export function parseRanges(text: string): LineRange[] | undefined {
  const pieces = text.split(',');
  const out: LineRange[] = [];
  for (const piece of pieces) {
    const m = /^\s*(~|≈)?\s*(\d{1,9})\s*(?:[-–—]\s*~?\s*(\d{1,9}))?\s*$/.exec(piece);
    if (m?.[2] === undefined) return undefined;
    const a = Number(m[2]);
    const b = m[3] === undefined ? a : Number(m[3]);
    if (a < 1 || b < 1 || a > MAX_LINE || b > MAX_LINE) return undefined;
    out.push(m[1] !== undefined ? { start: Math.min(a, b), end: Math.max(a, b), approximate: true } : { start: Math.min(a, b), end: Math.max(a, b) });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Citations written without backticks in a header line: `rsync.go:72-80, 120-136`,
 * `a.go:3 and b.go:5`. A bare range list continues the citation before it.
 * Undefined when the text is not only citations.
 */
export function parseBareCitations(text: string): Location[] | undefined {
  const out: Location[] = [];
  for (const piece of text.split(/,\s*|;\s*|\s+(?:and|also)\s+/)) {
    const t = piece.trim();
    if (t === '') continue;
    const previous = out[out.length - 1];
    const continued = /^~?\d/.test(t) ? parseRanges(t) : undefined;
    if (continued !== undefined && previous !== undefined) {
      previous.ranges.push(...continued);
      previous.raw = `${previous.raw ?? ''}, ${t}`;
      continue;
    }
    const location = parseCitation(t, previous);
    if (location.pathKind === 'non-file' || location.path === undefined || !/[./]/.test(location.path)) return undefined;
    out.push(location);
  }
  return out.length > 0 ? out : undefined;
}
