/**
 * The placer every feature goes through: live edits of an open document, then
 * git, the quoted snippet, a similar snippet, else an orphan; a finding whose
 * file is gone says so. Placements are cached per file text and location, so
 * publishing again does no work until the file or the report changes.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Disposable, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Review } from '../model/review.js';
import type { PlacedLocation } from '../store/reviewStore.js';
import { computeTextIndex, parseAnchor, type TextIndex } from './anchorText.js';
import { computeBorrowedQuote } from './borrowedQuote.js';
import { DiskTexts } from './diskTexts.js';
import { GitLineMaps } from './gitLines.js';
import { computeLineMap, type MappedSpan } from './lineMap.js';
import { LiveEdits, splitLines, type OpenText } from './liveEdits.js';
import { computePlacement, lineRange } from './placeLocation.js';
import { placeCitedLines, type Placement, type Placer } from './placement.js';
import type { GitRunner } from '../git/gitRunner.js';

/** What the placer needs from the server. */
export interface AnchoringOptions {
  /** The open buffer of a URI, if the editor has it open. */
  openDocument(uri: string): OpenText | undefined;
  /** The workspace folder holding a file (git runs there), if any. */
  rootOf(file: string): string | undefined;
  /** Runs git; resolves undefined when git is missing or fails. */
  git: GitRunner;
  /** Similarity (0 to 1) a snippet must reach to be placed approximately. */
  threshold(): number;
  /** The reader of files on disk, when the server shares one among features. */
  disk?: DiskTexts;
}

/** Texts whose lines and search index are kept (see `indexOf`). */
const MAX_DERIVED = 64;

/** Characters of text whose placements are kept (the disk reader keeps as much); the least recently used go beyond this. */
const MAX_TEXT_CHARS = 64 * 1024 * 1024;

interface TextEntry {
  text: string;
  /** The text's lines, split on first use and dropped with the index (see `derived`). */
  lines?: string[];
  index?: TextIndex;
  placements: WeakMap<Location, Map<string, Promise<Placement>>>;
}

/** The real placer: live edits, git, anchor text, fuzzy, orphan. One per server. */
export class AnchoringPlacer implements Placer {
  private readonly live = new LiveEdits();
  private readonly disk: DiskTexts;
  private readonly gitMaps: GitLineMaps;
  private readonly texts = new Map<string, TextEntry>();
  /** Entries holding their lines or search index, least recently used first. */
  private readonly derived = new Set<TextEntry>();
  private textChars = 0;

  constructor(private readonly options: AnchoringOptions) {
    this.disk = options.disk ?? new DiskTexts((file) => options.rootOf(file));
    this.gitMaps = new GitLineMaps(options.git);
  }

  /** Follows documents opening and closing, so their edits carry findings along. */
  follow(documents: TextDocuments<TextDocument>): Disposable {
    const subscriptions = [
      documents.onDidOpen((event) => this.live.opened(event.document.uri, event.document.getText())),
      documents.onDidClose((event) => this.live.closed(event.document.uri)),
    ];
    return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
  }

  async place(placed: PlacedLocation, review: Review): Promise<Placement> {
    const uri = pathToFileURL(placed.file).toString();
    const open = this.options.openDocument(uri);
    if (open) {
      const view = this.live.view(uri, open);
      const base = await this.placeInText(placed, review, view.base);
      return carryThroughEdits(base, view.map.unchanged ? undefined : view.map.mapSpan(spanOf(base)), view.lines);
    }
    const disk = await this.disk.read(placed.file);
    if (disk.kind === 'missing') return this.placeGone(placed);
    if (disk.kind === 'unreadable') return placeCitedLines(placed, undefined);
    return this.placeInText(placed, review, disk.text);
  }

  private placeGone(placed: PlacedLocation): Placement {
    const root = this.options.rootOf(placed.file);
    const shown = root ? path.relative(root, placed.file).split(path.sep).join('/') : placed.location.path ?? placed.file;
    return { ...placeCitedLines(placed, undefined), method: 'file-gone', note: `(outdated: ${shown} no longer exists)` };
  }

  /** Steps 2 to 5 in one text (the file on disk, or an open document as it was opened), cached. */
  private placeInText(placed: PlacedLocation, review: Review, text: string): Promise<Placement> {
    const entry = this.entry(placed.file, text);
    const sha = placed.location.commit ?? review.reviewedCommit?.sha ?? '';
    const threshold = this.options.threshold();
    const key = `${placed.range?.start ?? ''}-${placed.range?.end ?? ''}@${sha}~${threshold}`;
    let byRange = entry.placements.get(placed.location);
    if (!byRange) entry.placements.set(placed.location, (byRange = new Map()));
    let placement = byRange.get(key);
    if (!placement) {
      placement = this.compute(placed, review, entry, sha, threshold);
      byRange.set(key, placement);
    }
    return placement;
  }

  private async compute(placed: PlacedLocation, review: Review, entry: TextEntry, sha: string, threshold: number): Promise<Placement> {
    const git = placed.range && sha ? await this.gitSpan(placed, entry, sha) : undefined;
    // Cited lines quoted by no snippet of their own may be quoted by another finding of the review.
    const borrowed = !placed.location.anchorText && placed.range ? computeBorrowedQuote(placed.location, placed.range, review) : undefined;
    const anchor = parseAnchor(placed.location.anchorText ?? borrowed?.text);
    return computePlacement({
      // A borrowed quote is of this range alone, so the location's other ranges do not move with it.
      ...(placed.range ? { cited: placed.range, ranges: borrowed ? [placed.range] : placed.location.ranges } : {}),
      ...(borrowed ? { quotedBy: borrowed.from } : {}),
      lines: this.linesOf(entry),
      index: () => this.indexOf(entry),
      ...(anchor ? { anchor } : {}),
      ...(git ? { git, gitCommit: sha.slice(0, 7) } : {}),
      threshold,
    });
  }

  /** Where git says the cited lines went, in `entry`'s text; undefined when git cannot tell. */
  private async gitSpan(placed: PlacedLocation, entry: TextEntry, sha: string): Promise<MappedSpan | undefined> {
    const root = this.options.rootOf(placed.file);
    if (!root || !placed.range) return undefined;
    const disk = await this.disk.read(placed.file);
    if (disk.kind !== 'text') return undefined;
    const toDisk = await this.gitMaps.lineMap(root, sha, placed.file, disk.text);
    if (!toDisk) return undefined;
    const span = { start: placed.range.start - 1, end: Math.max(placed.range.end, placed.range.start) - 1 };
    // An open document may differ from the disk: carry git's answer on to its text.
    return disk.text === entry.text ? toDisk.mapSpan(span) : toDisk.followedBy(computeLineMap(splitLines(disk.text), this.linesOf(entry))).mapSpan(span);
  }

  /**
   * The lines and search index of a text, made on first use. Only the most
   * recently used are kept: together they are several times the size of the
   * text, and once a file's findings are placed (and cached) they are seldom
   * needed again.
   */
  private indexOf(entry: TextEntry): TextIndex {
    this.touch(entry);
    return (entry.index ??= computeTextIndex(this.linesOf(entry)));
  }

  private linesOf(entry: TextEntry): string[] {
    this.touch(entry);
    return (entry.lines ??= splitLines(entry.text));
  }

  private touch(entry: TextEntry): void {
    this.derived.delete(entry);
    this.derived.add(entry);
    if (this.derived.size > MAX_DERIVED) {
      const oldest = this.derived.values().next().value!;
      this.derived.delete(oldest);
      delete oldest.index;
      delete oldest.lines;
    }
  }

  private entry(file: string, text: string): TextEntry {
    let entry = this.texts.get(file);
    if (entry && entry.text === text) {
      this.texts.delete(file);
      this.texts.set(file, entry);
      return entry;
    }
    entry = { text, placements: new WeakMap() };
    this.forget(file);
    this.texts.set(file, entry);
    this.textChars += text.length;
    while (this.textChars > MAX_TEXT_CHARS && this.texts.size > 1) this.forget(this.texts.keys().next().value!);
    return entry;
  }

  private forget(file: string): void {
    const entry = this.texts.get(file);
    if (!entry) return;
    this.derived.delete(entry);
    this.textChars -= entry.text.length;
    this.texts.delete(file);
  }
}

/** The note of a placement whose cited lines were all changed or deleted in the open buffer. */
export const LINES_DELETED_NOTE = '(its cited lines were deleted in the editor)';

function spanOf(placement: Placement): { start: number; end: number } {
  return { start: placement.range.start.line, end: placement.range.end.line };
}

/** A placement in the opened text, carried to the buffer: moved by edits, or collapsed where its lines were deleted. */
function carryThroughEdits(base: Placement, mapped: MappedSpan | undefined, lines: readonly string[]): Placement {
  if (!mapped || base.method === 'orphan' || base.method === 'file-gone') {
    return base.method === 'orphan' ? { ...base, range: lineRange(lines, 0, 0) } : base;
  }
  if (mapped.kind === 'gone') {
    return { method: 'live', range: lineRange(lines, mapped.at.start, mapped.at.start), note: LINES_DELETED_NOTE };
  }
  const range = lineRange(lines, mapped.span.start, mapped.span.end);
  return mapped.moved ? { method: 'live', range, ...(base.note ? { note: base.note } : {}) } : { ...base, range };
}
