/**
 * The smallest line edits that turn one text into another, through jsdiff's
 * line diff, as LSP TextEdits against the first text.
 */
import { diffArrays } from 'diff';
import type { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The end-of-line sequence a text uses (its first one), `\n` when it has none. */
export function eolOf(text: string): string {
  const at = text.indexOf('\n');
  return at > 0 && text[at - 1] === '\r' ? '\r\n' : '\n';
}

/** Lines of a text, each with its line end, so joining them gives the text back. */
function linesWithEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Edits turning `before` into `after`, each replacing whole lines; none when they are equal. */
export function computeLineEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const document = TextDocument.create('file:///before', 'plaintext', 0, before);
  const a = linesWithEnds(before);
  const b = linesWithEnds(after);
  // Lines the two share at both ends are no edit: only the middle is diffed (a fix changes a few lines of a long file).
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const changes = diffArrays(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const edits: TextEdit[] = [];
  let offset = 0;
  for (let i = 0; i < head; i++) offset += a[i]!.length;
  let pending: { start: number; end: number; text: string } | undefined;
  const flush = () => {
    if (pending) edits.push({ range: { start: document.positionAt(pending.start), end: document.positionAt(pending.end) }, newText: pending.text });
    pending = undefined;
  };
  for (const change of changes) {
    const text = change.value.join('');
    if (!change.added && !change.removed) {
      flush();
      offset += text.length;
      continue;
    }
    pending ??= { start: offset, end: offset, text: '' };
    if (change.removed) {
      offset += text.length;
      pending.end = offset;
    } else pending.text += text;
  }
  flush();
  return edits;
}

/** Applies edits to a text (as the client will). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///text', 'plaintext', 0, text), edits);
}
