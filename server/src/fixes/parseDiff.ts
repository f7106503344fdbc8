/**
 * Reads a fix diff in any style the reports use (FORMAT.md §5.5): bare `-`/`+`
 * lines, context diffs without headers, `@@` hunks, and complete git patches
 * over several files, new and deleted files included. Well-formed patches go
 * through jsdiff's parser; hand-written ones, whose hunk counts are often wrong,
 * are read line by line.
 */
import { parsePatch, type StructuredPatch } from 'diff';
import type { FixDiff } from '../model/review.js';
import type { FilePatch, Hunk, HunkLine, ParsedDiff } from './types.js';

const HUNK_HEADER = /^@@+ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@+/;
/** Lines that stand for omitted code: they end a hunk, and the next one is located on its own. */
const ELISION = /^(?:\.\.\.|…|(?:\/\/|#|--|;|\/\*)\s*(?:\.\.\.|…)(?:\s*\*\/)?|<!--\s*(?:\.\.\.|…)\s*-->)$/;

/** Reads a diff into file patches; a diff that names no file gives one patch without a path. */
export function parseFixDiff(diff: Pick<FixDiff, 'format' | 'text'>): ParsedDiff {
  const text = diff.text.replace(/\r\n?/g, '\n');
  // A removed line may itself start with "--" (a comment in SQL or Lua): file headers come as a ---/+++ pair.
  const named = diff.format === 'git-patch' || /^diff --git /m.test(text) || /^--- \S.*\n\+\+\+ \S/m.test(text);
  const files = named ? readNamedPatch(text) : [{ kind: 'modify' as const, hunks: readHunks(text.split('\n')) }];
  if ('error' in files) return files;
  const changing = files.filter((file) => file.kind !== 'modify' || file.hunks.length > 0);
  if (changing.length === 0) return { error: 'the diff changes nothing' };
  return { files: changing };
}

function readNamedPatch(text: string): FilePatch[] | { error: string } {
  let structured: StructuredPatch[] | undefined;
  try {
    structured = parsePatch(text);
  } catch {
    structured = undefined; // hand-written hunk counts: read leniently below
  }
  if (structured && structured.every((p) => p.hunks.length > 0 || p.isCreate || p.isDelete)) {
    const out: FilePatch[] = [];
    for (const patch of structured) {
      if (patch.isRename || patch.isCopy) return { error: `renamed or copied files are not supported (${patch.newFileName ?? ''})` };
      if (patch.isBinary) return { error: `binary changes cannot be applied (${patch.newFileName ?? ''})` };
      const create = patch.isCreate === true || patch.oldFileName === '/dev/null';
      const remove = patch.isDelete === true || patch.newFileName === '/dev/null';
      const name = remove ? patch.oldFileName : patch.newFileName;
      const hunks = patch.hunks.flatMap((hunk) => splitHunk(hunk.lines, hunk.oldStart));
      out.push({ ...(name ? { path: stripPrefix(name) } : {}), kind: create ? 'create' : remove ? 'delete' : 'modify', hunks });
    }
    return out;
  }
  return readPatchLeniently(text);
}

/** One part per `diff --git` (or per `---`/`+++` header pair), hunks read line by line. */
function readPatchLeniently(text: string): FilePatch[] {
  const lines = text.split('\n');
  const out: FilePatch[] = [];
  let current: { path?: string; create: boolean; remove: boolean; body: string[] } | undefined;
  let inBody = false;
  const flush = () => {
    if (current) {
      const kind = current.create ? 'create' : current.remove ? 'delete' : 'modify';
      out.push({ ...(current.path ? { path: current.path } : {}), kind, hunks: readHunks(current.body) });
    }
    current = { create: false, remove: false, body: [] };
    inBody = false;
  };
  lines.forEach((line, i) => {
    const git = /^diff --git a\/(\S+) b\/(\S+)/.exec(line);
    const headerPair = line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
    if (git || !current || (inBody && headerPair)) flush();
    const part = current!;
    if (git) {
      part.path = git[2]!;
      return;
    }
    if (!inBody) {
      if (/^new file mode/.test(line) || line === '--- /dev/null') part.create = true;
      else if (/^deleted file mode/.test(line) || line === '+++ /dev/null') part.remove = true;
      else if (line.startsWith('+++ ')) part.path = stripPrefix(line.slice(4).split('\t')[0]!.trim());
      else if (line.startsWith('--- ')) part.path ??= stripPrefix(line.slice(4).split('\t')[0]!.trim());
      else if (HUNK_HEADER.test(line)) {
        inBody = true;
        part.body.push(line);
      }
      return;
    }
    part.body.push(line);
  });
  flush();
  return out.filter((file) => file.path !== undefined || file.hunks.length > 0);
}

function stripPrefix(name: string): string {
  return name.replace(/^[ab]\//, '');
}

/** Hunks of headerless diff lines: `@@` lines and elisions start a new hunk; hunks without changes are dropped. */
function readHunks(lines: readonly string[]): Hunk[] {
  const hunks: Hunk[] = [];
  let current: HunkLine[] = [];
  let oldStart: number | undefined;
  const flush = () => {
    hunks.push(...splitHunk(current.map(prefixed), oldStart));
    current = [];
  };
  const body = trimBlankEnds(lines);
  for (const line of body) {
    const header = HUNK_HEADER.exec(line);
    if (header || /^@@/.test(line)) {
      flush();
      oldStart = header ? Number(header[1]) : undefined;
      continue;
    }
    if (line.startsWith('\\')) continue; // "\ No newline at end of file"
    if (line.startsWith('+')) current.push({ kind: 'add', text: line.slice(1) });
    else if (line.startsWith('-')) current.push({ kind: 'remove', text: line.slice(1) });
    // A context line whose leading blank was lost is still context.
    else current.push({ kind: 'context', text: line.startsWith(' ') ? line.slice(1) : line });
  }
  flush();
  return hunks;
}

function prefixed(line: HunkLine): string {
  return (line.kind === 'add' ? '+' : line.kind === 'remove' ? '-' : ' ') + line.text;
}

/** Splits prefixed hunk lines at elisions; keeps the parts that change something. */
function splitHunk(lines: readonly string[], oldStart: number | undefined): Hunk[] {
  const out: Hunk[] = [];
  let part: HunkLine[] = [];
  let first = true;
  const flush = () => {
    if (part.some((line) => line.kind !== 'context')) out.push({ lines: part, ...(first && oldStart !== undefined ? { oldStart } : {}) });
    if (part.length > 0) first = false;
    part = [];
  };
  for (const line of lines) {
    if (line.startsWith('\\')) continue;
    const kind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'remove' : 'context';
    const text = kind === 'context' && !line.startsWith(' ') ? line : line.slice(1);
    if (kind === 'context' && ELISION.test(text.trim())) {
      flush();
      continue;
    }
    part.push({ kind, text });
  }
  flush();
  return out;
}

function trimBlankEnds(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end);
}
