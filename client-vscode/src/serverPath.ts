/**
 * Which server the extension starts: the machine-wide `deepReview.server.path`
 * setting, else the server bundled into the package, else the checkout the
 * extension sits in (development), else `deep-review-lsp` on the PATH.
 */
import * as path from 'node:path';

/** A Node module to run with VS Code's own Node, or a command on the PATH. */
export type ServerChoice = { kind: 'module'; module: string; from: 'setting' | 'bundled' | 'checkout' } | { kind: 'command'; command: string };

/** The server to start, given the extension's folder and a way to test whether a file exists. */
export function chooseServer(configured: string, extensionPath: string, exists: (file: string) => boolean): ServerChoice {
  const setting = configured.trim();
  if (setting) return { kind: 'module', module: setting, from: 'setting' };
  const bundled = path.join(extensionPath, 'dist', 'server.mjs');
  if (exists(bundled)) return { kind: 'module', module: bundled, from: 'bundled' };
  const checkout = path.join(extensionPath, '..', 'bin', 'deep-review-lsp.js');
  if (exists(checkout)) return { kind: 'module', module: checkout, from: 'checkout' };
  return { kind: 'command', command: 'deep-review-lsp' };
}
