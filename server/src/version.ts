/** The package version, read once from package.json next to the build output. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** deep-review-lsp's version; a bundle (the VS Code extension's) has it written in at build time. */
export const VERSION = (globalThis as { __DEEP_REVIEW_VERSION__?: string }).__DEEP_REVIEW_VERSION__ ?? readVersion();
