/** The package version: set by the bundler, else read once from package.json next to the build output. */
import { readFileSync } from 'node:fs';

// Replaced by the bundler (server/bundle.mjs) with the version string.
declare const __DRL_VERSION__: string | undefined;

function readVersion(): string {
  if (typeof __DRL_VERSION__ === 'string') return __DRL_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** deep-review-lsp's version. */
export const VERSION = readVersion();
