/**
 * Live edits: while a document is open, findings are placed in its text as it
 * was opened and then carried through the buffer's edits, the way an editor's
 * marks move (a line diff from the opened text to the buffer, once per version).
 */
import { computeLineMap, LineMap } from './lineMap.js';

/** An open document as the placer sees it. */
export interface OpenText {
  text: string;
  version: number;
}

/** What placements of an open document are computed against, and how to carry them to the buffer. */
export interface LiveView {
  /** The text when the document was opened. */
  base: string;
  /** From the opened text to the buffer now. */
  map: LineMap;
  /** The buffer's lines now. */
  lines: readonly string[];
}

interface Tracked {
  base: string;
  baseLines: string[];
  latest?: { version: number; text: string; view: LiveView };
}

/** The opened text of every open document, and the line map to its buffer. */
export class LiveEdits {
  private readonly open = new Map<string, Tracked>();

  /** Remembers a document's text as it was opened. */
  opened(uri: string, text: string): void {
    this.open.set(uri, { base: text, baseLines: splitLines(text) });
  }

  /** Forgets a closed document; its findings are placed from the file on disk again. */
  closed(uri: string): void {
    this.open.delete(uri);
  }

  /** The view of an open document at its current version. */
  view(uri: string, now: OpenText): LiveView {
    let tracked = this.open.get(uri);
    if (!tracked) {
      // Opened before anyone listened: its text now is where marks start.
      tracked = { base: now.text, baseLines: splitLines(now.text) };
      this.open.set(uri, tracked);
    }
    const latest = tracked.latest;
    if (latest && latest.version === now.version && latest.text.length === now.text.length) return latest.view;
    const lines = now.text === tracked.base ? tracked.baseLines : splitLines(now.text);
    const map = now.text === tracked.base ? LineMap.identity : computeLineMap(tracked.baseLines, lines);
    const view = { base: tracked.base, map, lines };
    tracked.latest = { version: now.version, text: now.text, view };
    return view;
  }
}

/** Lines of a text, the way every placement step counts them. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
