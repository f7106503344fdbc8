/**
 * The types of the fix engine: a fix diff parsed into file patches and hunks,
 * what a fix needs to know about the current text, and what it comes to.
 */
import type { TextEdit } from 'vscode-languageserver';

/** One line of a hunk, without its `+`/`-`/` ` prefix. */
export interface HunkLine {
  kind: 'context' | 'remove' | 'add';
  text: string;
}

/** A run of changes with the lines around them, located on its own. */
export interface Hunk {
  lines: HunkLine[];
  /** 1-based first old line from an `@@` header, a hint only: reports' line numbers drift. */
  oldStart?: number;
}

/** The changes a diff makes to one file. */
export interface FilePatch {
  /** Workspace-relative path the diff names; undefined when it names none (the finding's file then). */
  path?: string;
  kind: 'modify' | 'create' | 'delete';
  hunks: Hunk[];
}

/** A diff read into file patches, or why it cannot be read. */
export type ParsedDiff = { files: FilePatch[] } | { error: string };

/** A file a diff without file names may apply to: one of the finding's placed locations. */
export interface FixTarget {
  file: string;
  /** 0-based lines where the finding is placed in today's text; matches nearest it win ties. */
  near?: { start: number; end: number };
}

/** What the engine knows about one file: its current text (undefined when there is none) and whether it is inside the workspace. */
export interface FileState {
  text?: string;
  /** False when the real path leaves the workspace folder. */
  inside: boolean;
  /** The text's lines as `normaliseLine` gives them, when the caller computed them once for many fixes. */
  normalised?: readonly string[];
  /** The text split into lines, when the caller computed them once for many fixes. */
  lines?: readonly string[];
}

/** One change to one file, ready to become part of a WorkspaceEdit. */
export type FileChange =
  | { kind: 'modify'; file: string; before: string; after: string; edits: TextEdit[] }
  | { kind: 'create'; file: string; after: string }
  | { kind: 'delete'; file: string; before: string };

/** What a fix comes to against the current text. */
export type FixStatus =
  /** Every hunk was found exactly once: these changes apply it. */
  | { state: 'applicable'; changes: FileChange[] }
  /** Its new lines are there and its old lines are gone. */
  | { state: 'applied'; reason: string }
  /** The code it changes is no longer there. */
  | { state: 'missing'; reason: string }
  /** It cannot be applied safely, and why (ambiguous, partly applied, outside the workspace, unreadable, ...). */
  | { state: 'refused'; reason: string };

/** Reasons said to the user, kept in one place so tests and hover agree. */
export const Reasons = {
  missing: 'the code it changes is no longer there',
  applied: 'already applied',
  ambiguous: (count: number) => `ambiguous: ${count} places match`,
  partly: (done: number, total: number) => `already partly applied (${done} of ${total} changes are there); apply the rest by hand`,
  outside: (file: string) => `${file} is outside the workspace folder`,
  noAnchor: 'the fix only adds lines and does not say where',
  exists: (file: string) => `${file} already exists`,
  deletedChanged: (file: string) => `${file} has changed since the review, so it is not deleted`,
  noTarget: 'the finding cites no file in the workspace',
  unreadable: (file: string) => `${file} cannot be read`,
  nothing: 'the diff changes nothing',
} as const;
