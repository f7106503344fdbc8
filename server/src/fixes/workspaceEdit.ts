/**
 * Turns a fix's file changes into a WorkspaceEdit the client can apply:
 * versioned document edits when the client takes `documentChanges`, file
 * creation and deletion only when it supports those resource operations.
 */
import { pathToFileURL } from 'node:url';
import type { CreateFile, DeleteFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { FileChange } from './types.js';

/** What the client said it can do with a WorkspaceEdit. */
export interface EditAbilities {
  documentChanges: boolean;
  /** `create`, `rename`, `delete` as the client lists them. */
  resourceOperations: readonly string[];
}

/** A WorkspaceEdit for the changes, or why the client cannot take it. */
export function computeWorkspaceEdit(
  changes: readonly FileChange[],
  abilities: EditAbilities,
  versionOf: (uri: string) => number | undefined,
  shown: (file: string) => string = (file) => file,
): { edit: WorkspaceEdit } | { error: string } {
  const resources = changes.filter((c) => c.kind !== 'modify');
  if (resources.length > 0) {
    for (const change of resources) {
      const operation = change.kind === 'create' ? 'create' : 'delete';
      if (!abilities.documentChanges || !abilities.resourceOperations.includes(operation)) {
        return { error: `the editor cannot ${operation} files through an edit, so ${shown(change.file)} is not ${operation}d` };
      }
    }
  }
  if (!abilities.documentChanges) {
    const byUri: Record<string, TextEdit[]> = {};
    for (const change of changes) if (change.kind === 'modify') byUri[pathToFileURL(change.file).toString()] = change.edits;
    return { edit: { changes: byUri } };
  }
  const documentChanges: (TextDocumentEdit | CreateFile | DeleteFile)[] = [];
  for (const change of changes) {
    const uri = pathToFileURL(change.file).toString();
    if (change.kind === 'modify') documentChanges.push({ textDocument: { uri, version: versionOf(uri) ?? null }, edits: change.edits });
    else if (change.kind === 'create') {
      documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: change.after }] });
    } else documentChanges.push({ kind: 'delete', uri, options: { ignoreIfNotExists: false } });
  }
  return { edit: { documentChanges } };
}
