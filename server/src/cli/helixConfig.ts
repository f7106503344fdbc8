/**
 * `helix-config`: a Helix `languages.toml` that adds deep-review-lsp to every
 * language Helix knows. Helix replaces a language's server list instead of
 * extending it, so each language is written with its default servers first.
 */
import type { Output } from './commands.js';
import { HELIX_LANGUAGES, HELIX_LANGUAGES_COMMIT, type HelixServerRef } from './helix/languages.js';

/** The server's name in the generated `[language-server.*]` table. */
export const HELIX_SERVER_NAME = 'deep-review-lsp';

/** What the generated configuration may be asked for. */
export interface HelixConfigOptions {
  /** Only these languages (Helix names); all when absent. */
  languages?: string[];
  /** The review directory the server must find at the root before Helix starts it. */
  directory?: string;
}

/** A language name the table does not know. */
export class UnknownHelixLanguageError extends Error {}

/** TOML basic strings accept JSON's escapes for the characters these names and paths hold. */
const str = (text: string) => JSON.stringify(text);

function serverRef(ref: HelixServerRef): string {
  if (typeof ref === 'string') return str(ref);
  return `{ name = ${str(ref.name)}, except-features = [${ref.exceptFeatures.map(str).join(', ')}] }`;
}

/** The languages.toml text. */
export function computeHelixConfig(options: HelixConfigOptions = {}): string {
  const known = new Map(HELIX_LANGUAGES.map(([name, servers]) => [name, servers]));
  const wanted = options.languages ?? HELIX_LANGUAGES.map(([name]) => name);
  const unknown = wanted.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UnknownHelixLanguageError(
      `Helix has no language ${unknown.map((n) => `"${n}"`).join(', ')} (its names are those of \`hx --health\`, e.g. rust, typescript, python)`,
    );
  }
  const directory = options.directory ?? '.deep-review';
  const lines = [
    '# deep-review-lsp for Helix: merge into ~/.config/helix/languages.toml (or a project\'s .helix/languages.toml).',
    '# Each language keeps the default servers Helix gives it (helix-editor/helix languages.toml',
    `# at ${HELIX_LANGUAGES_COMMIT.slice(0, 12)}) and gets deep-review-lsp after them. If you already list servers`,
    '# for a language, add "deep-review-lsp" to your own list instead of taking the one here.',
    '',
    `[language-server.${HELIX_SERVER_NAME}]`,
    `command = ${str('deep-review-lsp')}`,
    `args = [${str('--stdio')}]`,
    '# Started only where the project root holds the review directory.',
    `required-root-patterns = [${str(directory)}]`,
    ...(directory !== '.deep-review' ? [`config = { deepReview = { directory = ${str(directory)} } }`] : []),
  ];
  for (const name of [...new Set(wanted)]) {
    const servers = [...(known.get(name) ?? []).map(serverRef), str(HELIX_SERVER_NAME)];
    lines.push('', '[[language]]', `name = ${str(name)}`, `language-servers = [${servers.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** `helix-config [--languages a,b] [--directory DIR]`: prints the configuration; 2 for an unknown language. */
export function runHelixConfig(options: HelixConfigOptions, io: Output): number {
  try {
    io.out(computeHelixConfig(options).trimEnd());
    return 0;
  } catch (error) {
    if (!(error instanceof UnknownHelixLanguageError)) throw error;
    io.err(`deep-review-lsp helix-config: ${error.message}`);
    return 2;
  }
}
