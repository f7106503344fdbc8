/**
 * The fix engine's core: what a fix diff comes to against today's text. Pure:
 * the caller gathers the files (open buffer first) and says which are inside
 * the workspace. Every hunk must be found exactly once, or the fix is refused;
 * all hunks apply or none do; the result is the smallest line edit.
 */
import * as path from 'node:path';
import type { TextEdit } from 'vscode-languageserver';
import type { FixDiff } from '../model/review.js';
import { fileIndentUnit, reindentAdded } from './indentation.js';
import { choosePlace, findAll, hunkSide, normaliseLine } from './locate.js';
import { parseFixDiff } from './parseDiff.js';
import { computeLineEdits, eolOf } from './textEdits.js';
import { Reasons, type FileChange, type FilePatch, type FileState, type FixStatus, type FixTarget, type ParsedDiff } from './types.js';

/** Everything one fix needs. */
export interface FixInput {
  diff: Pick<FixDiff, 'format' | 'text'>;
  /** The workspace folder; no file outside it is ever changed. */
  root: string;
  /** Where a diff without file names may apply: the finding's placed locations, primary first. */
  targets: readonly FixTarget[];
  /** Current state of every file `computeFixFiles` listed. */
  files: ReadonlyMap<string, FileState>;
  /** The diff already parsed, to save parsing it again. */
  parsed?: ParsedDiff;
}

/** The absolute files a fix reads or writes, for the caller to gather; or why the diff cannot be used. */
export function computeFixFiles(diff: Pick<FixDiff, 'format' | 'text'>, root: string, targets: readonly FixTarget[], parsed = parseFixDiff(diff)): { files: string[] } | { error: string } {
  if ('error' in parsed) return parsed;
  const files = new Set<string>();
  for (const patch of parsed.files) {
    if (patch.path === undefined) for (const target of targets) files.add(target.file);
    else {
      const file = resolveInside(root, patch.path);
      if (file === undefined) return { error: Reasons.outside(patch.path) };
      files.add(file);
    }
  }
  return { files: [...files] };
}

/** The workspace file a diff's path names, or undefined when the path leaves the folder. */
export function resolveInside(root: string, relative: string): string | undefined {
  if (path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return undefined;
  const file = path.resolve(root, relative);
  return file.startsWith(root.endsWith(path.sep) ? root : root + path.sep) ? file : undefined;
}

type Outcome = FixStatus | { state: 'applicable'; change: FileChange };

/** What the fix comes to: applicable (with its changes), applied, missing, or refused with a reason. */
export function computeFixStatus(input: FixInput): FixStatus {
  const parsed = input.parsed ?? parseFixDiff(input.diff);
  if ('error' in parsed) return { state: 'refused', reason: parsed.error };
  const outcomes: Outcome[] = [];
  for (const patch of parsed.files) {
    if (patch.path === undefined) outcomes.push(onTargets(patch, input));
    else {
      const file = resolveInside(input.root, patch.path);
      if (file === undefined) return { state: 'refused', reason: Reasons.outside(patch.path) };
      outcomes.push(onFile(patch, file, undefined, input.files.get(file), patch.path));
    }
  }
  return combine(outcomes);
}

function combine(outcomes: Outcome[]): FixStatus {
  const refused = outcomes.find((o) => o.state === 'refused');
  if (refused) return refused;
  const missing = outcomes.find((o) => o.state === 'missing');
  if (missing) return missing;
  const applicable = outcomes.filter((o): o is Extract<Outcome, { change: FileChange }> => o.state === 'applicable' && 'change' in o);
  if (applicable.length === 0) return { state: 'applied', reason: Reasons.applied };
  if (applicable.length < outcomes.length) return { state: 'refused', reason: Reasons.partly(outcomes.length - applicable.length, outcomes.length) };
  return { state: 'applicable', changes: applicable.map((o) => o.change) };
}

/** A diff without file names: the first of the finding's files where it applies or is applied. */
function onTargets(patch: FilePatch, input: FixInput): Outcome {
  if (input.targets.length === 0) return { state: 'refused', reason: Reasons.noTarget };
  const seen = new Set<string>();
  let refused: Outcome | undefined;
  let missing: Outcome | undefined;
  for (const target of input.targets) {
    if (seen.has(target.file)) continue;
    seen.add(target.file);
    const outcome = onFile(patch, target.file, target.near, input.files.get(target.file), path.relative(input.root, target.file));
    if (outcome.state === 'applicable' || outcome.state === 'applied') return outcome;
    if (outcome.state === 'refused') refused ??= outcome;
    else missing ??= outcome;
  }
  return refused ?? missing ?? { state: 'missing', reason: Reasons.missing };
}

function onFile(patch: FilePatch, file: string, near: FixTarget['near'], state: FileState | undefined, shown: string): Outcome {
  if (state && !state.inside) return { state: 'refused', reason: Reasons.outside(shown) };
  if (patch.kind === 'create') return onNewFile(patch, file, state, shown);
  if (patch.kind === 'delete') return onDeletedFile(patch, file, state, shown);
  if (state?.text === undefined) return { state: 'missing', reason: Reasons.missing };
  return onText(patch, file, near, state.text, state.normalised, state.lines);
}

function onNewFile(patch: FilePatch, file: string, state: FileState | undefined, shown: string): Outcome {
  const lines = patch.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'remove').map((l) => l.text));
  const after = lines.join('\n') + '\n';
  if (state?.text !== undefined) {
    return sameLines(state.text, lines) ? { state: 'applied', reason: Reasons.applied } : { state: 'refused', reason: Reasons.exists(shown) };
  }
  return { state: 'applicable', change: { kind: 'create', file, after } };
}

function onDeletedFile(patch: FilePatch, file: string, state: FileState | undefined, shown: string): Outcome {
  if (state?.text === undefined) return { state: 'applied', reason: Reasons.applied };
  const lines = patch.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== 'add').map((l) => l.text));
  // A deletion whose hunk lists no lines (a patch made with --irreversible-delete) deletes whatever is there.
  if (lines.length > 0 && !sameLines(state.text, lines)) return { state: 'refused', reason: Reasons.deletedChanged(shown) };
  return { state: 'applicable', change: { kind: 'delete', file, before: state.text } };
}

function sameLines(text: string, lines: readonly string[]): boolean {
  const a = text.split(/\r?\n/).map(normaliseLine).filter(Boolean);
  const b = lines.map(normaliseLine).filter(Boolean);
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

function onText(patch: FilePatch, file: string, near: FixTarget['near'], text: string, known?: readonly string[], split?: readonly string[]): Outcome {
  const lines = split ?? text.split(/\r?\n/);
  const normalised = known && known.length === lines.length ? known : lines.map(normaliseLine);
  const places: { hunk: number; at: number; length: number }[] = [];
  let applied = 0;
  let from = 0;
  for (const [index, hunk] of patch.hunks.entries()) {
    const old = hunkSide(hunk, 'old');
    if (old.normalised.length === 0) return { state: 'refused', reason: Reasons.noAnchor };
    const hint = near ?? (hunk.oldStart !== undefined ? { start: hunk.oldStart - 1, end: hunk.oldStart - 1 + old.normalised.length } : undefined);
    let matches = findAll(normalised, old.normalised, from);
    if (addsOnly(hunk) && matches.length > 0) {
      // Lines only added keep the old ones together, so the old side alone cannot tell an applied fix: look for the new side there.
      const fresh = hunkSide(hunk, 'new').normalised;
      const found = findAll(normalised, fresh, from);
      const done = (o: number) => found.some((n) => n <= o + old.normalised.length && o <= n + fresh.length);
      const chosen = choosePlace(matches, old.normalised.length, hint);
      if ('at' in chosen ? done(chosen.at) : matches.every(done)) {
        applied++;
        from = ('at' in chosen ? chosen.at : matches[matches.length - 1]!) + old.normalised.length;
        continue;
      }
      if (!('at' in chosen)) matches = matches.filter((o) => !done(o));
    }
    const place = choosePlace(matches, old.normalised.length, hint);
    if ('at' in place) {
      places.push({ hunk: index, at: place.at, length: old.normalised.length });
      from = place.at + old.normalised.length;
      continue;
    }
    if (place.count > 1) return { state: 'refused', reason: Reasons.ambiguous(place.count) };
    const fresh = hunkSide(hunk, 'new');
    if (fresh.normalised.length > 0 && findAll(normalised, fresh.normalised).length > 0) applied++;
    else return { state: 'missing', reason: Reasons.missing };
  }
  if (places.length === 0) return { state: 'applied', reason: Reasons.applied };
  if (applied > 0) return { state: 'refused', reason: Reasons.partly(applied, patch.hunks.length) };
  const unit = indentUnitOf(lines);
  const replaced = places.map((place) => ({ place, lines: replacement(patch.hunks[place.hunk]!, lines, place.at, unit) }));
  // Every place already reads as the fix would leave it: nothing to do.
  if (replaced.every(({ place, lines: fresh }) => fresh.length === place.length && fresh.every((line, k) => line === lines[place.at + k]))) {
    return { state: 'applied', reason: Reasons.applied };
  }
  return { state: 'applicable', change: lazyChange(file, text, replaced) };
}

/**
 * A modification whose new text and edits are worked out when first read: most
 * statuses are asked only to tell whether a fix is in. Made apart from `onText`
 * so that a remembered status holds the text and the replaced lines, never the
 * file split into lines.
 */
function lazyChange(file: string, text: string, replaced: readonly { place: { at: number; length: number }; lines: string[] }[]): FileChange {
  let after: string | undefined;
  let edits: TextEdit[] | undefined;
  return {
    kind: 'modify',
    file,
    before: text,
    get after() {
      if (after === undefined) {
        const result = text.split(/\r?\n/);
        for (const { place, lines: fresh } of [...replaced].reverse()) result.splice(place.at, place.length, ...fresh);
        after = result.join(eolOf(text));
      }
      return after;
    },
    get edits() {
      return (edits ??= computeLineEdits(text, this.after));
    },
  };
}

/** Each split text's indent unit, worked out once for the many fixes asked about one file. */
const indentUnits = new WeakMap<readonly string[], string>();

function indentUnitOf(lines: readonly string[]): string {
  let unit = indentUnits.get(lines);
  if (unit === undefined) indentUnits.set(lines, (unit = fileIndentUnit(lines)));
  return unit;
}

function addsOnly(hunk: FilePatch['hunks'][number]): boolean {
  return !hunk.lines.some((line) => line.kind === 'remove');
}

/** The new lines of a hunk's place: the file's own context lines, the added lines re-indented. */
function replacement(hunk: FilePatch['hunks'][number], lines: readonly string[], at: number, unit: string): string[] {
  const old = hunkSide(hunk, 'old');
  const position = new Map<number, number>(old.indexes.map((hunkIndex, k) => [hunkIndex, at + k]));
  const matched = new Map<number, string>([...position].map(([hunkIndex, line]) => [hunkIndex, lines[line]!]));
  const added = reindentAdded(hunk, matched, unit);
  const out: string[] = [];
  hunk.lines.forEach((line, i) => {
    if (line.kind === 'add') out.push(added.get(i)!);
    else if (line.kind === 'context' && position.has(i)) out.push(lines[position.get(i)!]!);
  });
  return out;
}
