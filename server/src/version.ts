/** The package version: set by the bundler, else read once from package.json next to the build output. */
import { readFileSync } from 'node:fs';

// Replaced by the bundler (server/bundle.mjs): the version string, and a hash of the sources bundled.
declare const __DRL_VERSION__: string | undefined;
declare const __DRL_BUILD__: string | undefined;

function readVersion(): string {
  if (typeof __DRL_VERSION__ === 'string') return __DRL_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** deep-review-lsp's version; a bundle has it written in at build time. */
export const VERSION = readVersion();

/**
 * Identity of the bundled build (a hash of its sources and locked dependencies), or
 * undefined when running from unbundled sources, whose behaviour can change without
 * any version changing: what keys caches of derived data.
 */
export const BUILD_ID: string | undefined = typeof __DRL_BUILD__ === 'string' ? __DRL_BUILD__ : undefined;
