/**
 * The index of everything read from the review directories: reports (with the
 * last good version of each), series of rounds, and the open findings of the
 * visible rounds by cited file. Every update returns the files and reports it
 * touched, so callers re-publish only those.
 */
import * as path from 'node:path';
import type { Finding, LineRange, Location, Review } from '../model/review.js';
import type { ReportFileRead } from '../reports/readReportFile.js';
import type { ReportProblem } from '../reports/readResult.js';
import { computeVisibleRounds, type RoundNotice } from './roundNotices.js';
import { compareRounds, computeSeriesKey, describeRound } from './series.js';

/** One report file and what is in effect for it. */
export interface ReportEntry {
  /** Absolute path of the report file. */
  file: string;
  /** Absolute path of the workspace folder it belongs to. */
  root: string;
  /** Report id: the file name without extension. */
  id: string;
  /** Text of the current version, when it could be decoded (problems are placed in it). */
  text?: string;
  /** Problems of the current version. */
  problems: ReportProblem[];
  /** The review in effect: the current version, or the last good one when `stale`. */
  review?: Review;
  /** True when the current version could not be read and `review` is an older one. */
  stale: boolean;
  /** When the review in effect was read. */
  readAt?: Date;
  /** Series key, scoped to the workspace folder. */
  seriesKey?: string;
}

/** A cited place, resolved to a file of the workspace. */
export interface PlacedLocation {
  file: string;
  range?: LineRange;
  location: Location;
}

/** An open finding of a visible round, placed on its primary cited file. */
export interface PlacedFinding {
  /** Stable key: report path relative to its workspace folder, '#', finding id (and '~n' for a repeated id). */
  key: string;
  finding: Finding;
  review: Review;
  report: ReportEntry;
  /** "PR #336 round 6". */
  roundLabel: string;
  primary: PlacedLocation;
  /** Every other cited range and location. */
  related: PlacedLocation[];
}

/** What an update touched. */
export interface ChangeSet {
  /** Cited files whose findings changed. */
  files: Set<string>;
  /** Report files whose problems or state changed. */
  reports: Set<string>;
}

/** Which rounds of each series supply findings, and whether resolved findings are shown. */
export interface Visibility {
  rounds: 'latest' | 'all';
  showResolved: boolean;
}

/** Turns a location's path into a workspace file, or undefined when it cannot be placed. */
export type PathResolver = (root: string, location: Location) => string | undefined;

const defaultResolver: PathResolver = (root, location) => {
  if (location.unresolved || location.pathKind === 'non-file' || location.pathKind === 'directory') return undefined;
  const cited = location.resolvedPath ?? location.path;
  return cited ? path.resolve(root, cited) : undefined;
};

/** The index of reports and findings. One instance per server. */
export class ReviewStore {
  private readonly reports = new Map<string, ReportEntry>();
  private readonly series = new Map<string, Set<string>>();
  private readonly placedBySeries = new Map<string, PlacedFinding[]>();
  /** For each file, the files whose shown findings cite it as a related location; built when first asked after a change. */
  private relatedIndex?: Map<string, Set<string>>;
  private readonly byFile = new Map<string, Map<string, PlacedFinding>>();
  /** Per series, what its report files say about rounds that would show nothing. */
  private readonly noticesBySeries = new Map<string, Map<string, RoundNotice>>();
  private visibility: Visibility = { rounds: 'latest', showResolved: false };

  constructor(private readonly resolvePath: PathResolver = defaultResolver) {}

  /** Records a fresh read of a report file. A read without a review keeps the last good one in effect. */
  setReport(file: string, root: string, read: ReportFileRead): ChangeSet {
    const changes = emptyChanges();
    const previous = this.reports.get(file);
    const entry: ReportEntry = {
      file,
      root,
      id: path.basename(file).replace(/\.[^.]+$/, ''),
      problems: read.result.problems,
      stale: false,
      ...(read.text === undefined ? {} : { text: read.text }),
    };
    if (read.result.review) {
      entry.review = read.result.review;
      entry.readAt = new Date();
    } else if (previous?.review) {
      entry.review = previous.review;
      if (previous.readAt) entry.readAt = previous.readAt;
      entry.stale = true;
    }
    changes.reports.add(file);
    this.detach(previous, changes);
    this.reports.set(file, entry);
    this.attach(entry, changes);
    return changes;
  }

  /** Forgets a report file (deleted or renamed away). */
  removeReport(file: string): ChangeSet {
    const changes = emptyChanges();
    const entry = this.reports.get(file);
    if (!entry) return changes;
    changes.reports.add(file);
    this.detach(entry, changes);
    this.reports.delete(file);
    this.refreshSibling(file, changes);
    return changes;
  }

  /** Forgets every report under a directory (the review directory disappeared). */
  removeUnder(directory: string): ChangeSet {
    const changes = emptyChanges();
    const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
    for (const file of [...this.reports.keys()]) {
      if (file.startsWith(prefix)) mergeChanges(changes, this.removeReport(file));
    }
    return changes;
  }

  /** Changes which rounds and findings are shown; every series is recomputed. */
  setVisibility(visibility: Visibility): ChangeSet {
    const changes = emptyChanges();
    if (visibility.rounds === this.visibility.rounds && visibility.showResolved === this.visibility.showResolved) return changes;
    this.visibility = { ...visibility };
    for (const key of this.series.keys()) this.recomputeSeries(key, changes);
    return changes;
  }

  /** Report entries, in no particular order. */
  allReports(): IterableIterator<ReportEntry> {
    return this.reports.values();
  }

  /** The entry of one report file. */
  report(file: string): ReportEntry | undefined {
    return this.reports.get(file);
  }

  /** Files that have at least one open finding in a visible round. */
  filesWithFindings(): IterableIterator<string> {
    return this.byFile.keys();
  }

  /** Open findings placed on a file, ordered by line. */
  findingsForFile(file: string): PlacedFinding[] {
    const found = this.byFile.get(file);
    if (!found) return [];
    return [...found.values()].sort((a, b) => (a.primary.range?.start ?? 0) - (b.primary.range?.start ?? 0));
  }

  /** What a report's round says when it would show nothing (all resolved, no valid finding). */
  notice(file: string): RoundNotice | undefined {
    const entry = this.reports.get(file);
    return entry?.seriesKey ? this.noticesBySeries.get(entry.seriesKey)?.get(file) : undefined;
  }

  /** Every round notice, by report file. */
  *allNotices(): IterableIterator<[string, RoundNotice]> {
    for (const notices of this.noticesBySeries.values()) yield* notices;
  }

  /** The rounds of a series in order, oldest first, whether shown or not (shadowed Markdown reports left out). */
  seriesRounds(seriesKey: string): (ReportEntry & { review: Review })[] {
    return [...(this.series.get(seriesKey) ?? [])]
      .map((file) => this.reports.get(file))
      .filter((entry): entry is ReportEntry & { review: Review } => Boolean(entry?.review) && !this.isShadowed(entry!))
      // Ties go by path, so the round in effect never depends on the order files were read.
      .sort((a, b) => compareRounds(a, b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /** Shown findings read from one report file (only its series is looked at). */
  findingsOfReport(file: string): PlacedFinding[] {
    const key = this.reports.get(file)?.seriesKey;
    return key ? (this.placedBySeries.get(key) ?? []).filter((placed) => placed.report.file === file) : [];
  }

  /** The files whose shown findings cite `file` as one of their other locations (their diagnostics point into it). */
  filesCitingAsRelated(file: string): ReadonlySet<string> {
    if (!this.relatedIndex) {
      this.relatedIndex = new Map();
      for (const placed of this.allFindings()) {
        for (const location of placed.related) {
          let citing = this.relatedIndex.get(location.file);
          if (!citing) this.relatedIndex.set(location.file, (citing = new Set()));
          citing.add(placed.primary.file);
        }
      }
    }
    return this.relatedIndex.get(file) ?? new Set();
  }

  /** Every shown finding of the visible rounds. */
  *allFindings(): IterableIterator<PlacedFinding> {
    for (const placed of this.placedBySeries.values()) yield* placed;
  }

  /** Keys of every series with at least one readable report, each scoped to its workspace folder. */
  seriesKeys(): string[] {
    return [...this.series.keys()];
  }

  private attach(entry: ReportEntry, changes: ChangeSet): void {
    if (!entry.review) return;
    // A report with no series of its own is one by its path: same-named reports in two folders stay apart.
    const byPath = path.relative(entry.root, entry.file).split(path.sep).join('/').replace(/\.[^./]+$/, '');
    entry.seriesKey = `${entry.root}\u0000${computeSeriesKey(entry.review, byPath)}`;
    let members = this.series.get(entry.seriesKey);
    if (!members) this.series.set(entry.seriesKey, (members = new Set()));
    members.add(entry.file);
    this.recomputeSeries(entry.seriesKey, changes);
    this.refreshSibling(entry.file, changes);
  }

  private detach(entry: ReportEntry | undefined, changes: ChangeSet): void {
    if (!entry?.seriesKey) return;
    const members = this.series.get(entry.seriesKey);
    members?.delete(entry.file);
    if (members && members.size === 0) this.series.delete(entry.seriesKey);
    this.recomputeSeries(entry.seriesKey, changes);
  }

  /** A review JSON shadows the Markdown report of the same name; re-evaluate the other one. */
  private refreshSibling(file: string, changes: ChangeSet): void {
    for (const sibling of siblingsOf(file)) {
      const entry = this.reports.get(sibling);
      if (entry?.seriesKey) {
        this.recomputeSeries(entry.seriesKey, changes);
        changes.reports.add(entry.file);
      }
    }
  }

  /** True when a Markdown report is hidden by a readable review JSON of the same name. */
  isShadowed(entry: ReportEntry): boolean {
    if (!/\.(md|markdown)$/i.test(entry.file)) return false;
    const json = this.reports.get(entry.file.replace(/\.(md|markdown)$/i, '.json'));
    return Boolean(json?.review);
  }

  private recomputeSeries(key: string, changes: ChangeSet): void {
    const old = this.placedBySeries.get(key) ?? [];
    for (const placed of old) {
      this.byFile.get(placed.primary.file)?.delete(placed.key);
      if (this.byFile.get(placed.primary.file)?.size === 0) this.byFile.delete(placed.primary.file);
      changes.files.add(placed.primary.file);
    }
    const members = this.seriesRounds(key);
    const { visible, notices } = computeVisibleRounds(members, this.visibility);
    this.updateNotices(key, notices, changes);
    const placed = visible.flatMap((entry) => this.placeFindings(entry));
    if (placed.length > 0) this.placedBySeries.set(key, placed);
    else this.placedBySeries.delete(key);
    this.relatedIndex = undefined;
    for (const finding of placed) {
      let onFile = this.byFile.get(finding.primary.file);
      if (!onFile) this.byFile.set(finding.primary.file, (onFile = new Map()));
      onFile.set(finding.key, finding);
      changes.files.add(finding.primary.file);
    }
  }

  private updateNotices(key: string, notices: Map<string, RoundNotice>, changes: ChangeSet): void {
    const old = this.noticesBySeries.get(key) ?? new Map<string, RoundNotice>();
    for (const file of new Set([...old.keys(), ...notices.keys()])) {
      if (JSON.stringify(old.get(file)) !== JSON.stringify(notices.get(file))) changes.reports.add(file);
    }
    if (notices.size > 0) this.noticesBySeries.set(key, notices);
    else this.noticesBySeries.delete(key);
  }

  private placeFindings(entry: ReportEntry & { review: Review }): PlacedFinding[] {
    const relative = path.relative(entry.root, entry.file).split(path.sep).join('/');
    const roundLabel = describeRound(entry.review);
    const seen = new Map<string, number>();
    const placed: PlacedFinding[] = [];
    for (const finding of entry.review.findings) {
      const count = (seen.get(finding.id) ?? 0) + 1;
      seen.set(finding.id, count);
      // Struck findings were never findings; resolved ones are shown only on request.
      if (finding.struck || (finding.resolution && !this.visibility.showResolved)) continue;
      const cited = this.placeLocations(entry.root, finding);
      const [primary, ...related] = cited;
      if (!primary) continue;
      placed.push({
        key: `${relative}#${finding.id}${count > 1 ? `~${count}` : ''}`,
        finding,
        review: entry.review,
        report: entry,
        roundLabel,
        primary,
        related,
      });
    }
    return placed;
  }

  private placeLocations(root: string, finding: Finding): PlacedLocation[] {
    const placed: PlacedLocation[] = [];
    for (const location of finding.locations) {
      const file = this.resolvePath(root, location);
      if (!file) continue;
      if (location.ranges.length === 0) placed.push({ file, location });
      for (const range of location.ranges) placed.push({ file, range, location });
    }
    return placed;
  }
}

/** The reports a file shadows or is shadowed by: a review JSON and the Markdown reports of its name. */
function siblingsOf(file: string): string[] {
  if (/\.json$/i.test(file)) return [file.replace(/\.json$/i, '.md'), file.replace(/\.json$/i, '.markdown')];
  if (/\.(md|markdown)$/i.test(file)) return [file.replace(/\.(md|markdown)$/i, '.json')];
  return [];
}

/** An empty change set. */
export function emptyChanges(): ChangeSet {
  return { files: new Set(), reports: new Set() };
}

/** Adds `more` into `into`. */
export function mergeChanges(into: ChangeSet, more: ChangeSet): ChangeSet {
  for (const file of more.files) into.files.add(file);
  for (const report of more.reports) into.reports.add(report);
  return into;
}
