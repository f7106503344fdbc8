/**
 * The `path:line` citations written in a report file (code spans in Markdown
 * and in JSON strings, and the `path` of each location object of review JSON),
 * and the workspace file each one names. Links, go-to-definition and the
 * citation hover all read citations from here.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Finding, Location } from '../model/review.js';
import { parseCitation } from '../reports/markdown/locations.js';
import type { PlacedLocation, ReportEntry } from '../store/reviewStore.js';

/** One citation in a report's text. */
export interface ReportCitation {
  /** Offset and length of the cited text in the report. */
  offset: number;
  length: number;
  location: Location;
  /** The finding whose location this is, when it is one of a finding's own locations. */
  finding?: Finding;
}

/** Most citations read from one report; the rest are prose nobody links. */
const MAX_CITATIONS = 5_000;

/** Every citation with line numbers in a report's text, in text order. */
export function computeReportCitations(entry: ReportEntry): ReportCitation[] {
  const text = entry.text ?? '';
  const found: ReportCitation[] = [];
  const own = ownLocations(entry);
  if (/\.json$/i.test(entry.file)) found.push(...jsonLocationCitations(entry, text));
  const taken = new Set(found.map((c) => c.offset));
  // Code spans: in Markdown as written, in JSON inside string values (backticks are never JSON syntax).
  const span = /`([^`\n]{1,400})`/g;
  for (let m = span.exec(text); m && found.length < MAX_CITATIONS; m = span.exec(text)) {
    const inner = m[1]!;
    const location = parseCitation(inner);
    if (!location.path || location.ranges.length === 0 || location.pathKind === 'non-file' || location.pathKind === 'directory') continue;
    const offset = m.index + 1;
    if (taken.has(offset)) continue;
    const citation: ReportCitation = { offset, length: inner.length, location };
    const match = own.get(locationKey(location));
    if (match) {
      citation.location = match.location;
      citation.finding = match.finding;
    }
    found.push(citation);
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** Citations of each report read, computed once per read (a report's entry is replaced when it is read again). */
export class ReportCitationIndex {
  private readonly cache = new WeakMap<ReportEntry, ReportCitation[]>();

  /** The citations of a report, in text order. */
  of(entry: ReportEntry): ReportCitation[] {
    let citations = this.cache.get(entry);
    if (!citations) this.cache.set(entry, (citations = computeReportCitations(entry)));
    return citations;
  }
}

/** The citation under an offset of the report text. */
export function citationAt(citations: readonly ReportCitation[], offset: number): ReportCitation | undefined {
  return citations.find((c) => c.offset <= offset && offset <= c.offset + c.length);
}

/** A citation's first range as a location to place, or undefined when its path names no workspace file. */
export async function resolveCitation(
  entry: ReportEntry,
  citation: ReportCitation,
  exists: (file: string) => Promise<boolean>,
): Promise<PlacedLocation | undefined> {
  const file = await resolveCitedFile(entry, citation.location, exists);
  if (!file || !(await staysInside(entry.root, file))) return undefined;
  const range = citation.location.ranges[0];
  return { file, location: citation.location, ...(range ? { range } : {}) };
}

/**
 * A citation's lines are shown in a hover, so a link in the workspace that
 * points outside it (a report and its code may come from anyone's branch) must
 * not be followed.
 */
async function staysInside(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
    return realFile.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}

/**
 * Paths in prose are often shortened (`window/index.ts:69` for
 * `pkg/app/window/index.ts`): tried as written, then below each directory of
 * the paths the report's findings resolved to. Never outside the workspace folder.
 */
async function resolveCitedFile(entry: ReportEntry, location: Location, exists: (file: string) => Promise<boolean>): Promise<string | undefined> {
  const cited = (location.resolvedPath ?? location.path ?? '').replace(/\\/g, '/');
  if (cited === '' || location.unresolved) return undefined;
  const inside = (relative: string) => {
    const file = path.resolve(entry.root, relative);
    return file.startsWith(entry.root + path.sep) ? file : undefined;
  };
  if (path.isAbsolute(cited)) return undefined;
  const direct = inside(cited);
  if (direct && (await exists(direct))) return direct;
  const tried = new Set<string>();
  for (const finding of entry.review?.findings ?? []) {
    for (const own of finding.locations) {
      const resolved = (own.resolvedPath ?? own.path ?? '').replace(/\\/g, '/');
      if (own.unresolved || !resolved.includes('/')) continue;
      if (!cited.includes('/') && path.posix.basename(resolved) === cited) {
        const file = inside(resolved);
        if (file && (await exists(file))) return file;
      }
      for (let dir = path.posix.dirname(resolved); dir !== '.' && dir !== '/' && dir !== ''; dir = path.posix.dirname(dir)) {
        const candidate = `${dir}/${cited}`;
        if (tried.has(candidate)) continue;
        tried.add(candidate);
        const file = inside(candidate);
        if (file && (await exists(file))) return file;
      }
    }
  }
  return undefined;
}

function ownLocations(entry: ReportEntry): Map<string, { location: Location; finding: Finding }> {
  const own = new Map<string, { location: Location; finding: Finding }>();
  for (const finding of entry.review?.findings ?? []) {
    for (const location of finding.locations) {
      if (location.path && !own.has(locationKey(location))) own.set(locationKey(location), { location, finding });
    }
  }
  return own;
}

/** A citation is a finding's own location when it names the same path and lines. */
function locationKey(location: Location): string {
  return `${location.path}\u0000${location.ranges.map((r) => `${r.start}-${r.end}`).join(',')}`;
}

function jsonLocationCitations(entry: ReportEntry, text: string): ReportCitation[] {
  const tree = parseTree(text);
  const review = entry.review;
  if (!tree || !review || entry.stale) return [];
  const found: ReportCitation[] = [];
  review.findings.forEach((finding, i) => {
    finding.locations.forEach((location, j) => {
      const node = findNodeAtLocation(tree, ['findings', i, 'locations', j, 'path']);
      if (node && location.path && location.ranges.length > 0) found.push({ offset: node.offset + 1, length: Math.max(node.length - 2, 0), location, finding });
    });
  });
  return found;
}
