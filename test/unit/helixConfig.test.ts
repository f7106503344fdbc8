/**
 * `deep-review-lsp helix-config`: the printed languages.toml parses as TOML,
 * defines the server with required-root-patterns, and adds it to every
 * language Helix knows after that language's own default servers.
 */
import { spawnSync } from 'node:child_process';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { computeHelixConfig, HELIX_SERVER_NAME } from '../../server/src/cli/helixConfig.js';
import { HELIX_LANGUAGES } from '../../server/src/cli/helix/languages.js';
import { BIN } from '../support/lspClient.js';

type ServerRef = string | { name: string; 'except-features': string[] };
interface HelixToml {
  'language-server': Record<string, { command: string; args: string[]; 'required-root-patterns': string[]; config?: unknown }>;
  language: { name: string; 'language-servers': ServerRef[] }[];
}

const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'helix-config', ...args], { encoding: 'utf8' });

describe('helix-config', () => {
  it('prints TOML that adds the server to every language, after its default servers', () => {
    const result = run([]);
    expect(result.status, result.stderr).toBe(0);
    const toml = parse(result.stdout) as unknown as HelixToml;
    const server = toml['language-server'][HELIX_SERVER_NAME]!;
    expect(server.command).toBe('deep-review-lsp');
    expect(server.args).toEqual(['--stdio']);
    expect(server['required-root-patterns']).toEqual(['.deep-review']);
    expect(server.config).toBeUndefined();

    expect(toml.language.map((l) => l.name)).toEqual(HELIX_LANGUAGES.map(([name]) => name));
    expect(new Set(toml.language.map((l) => l.name)).size).toBe(toml.language.length);
    for (const language of toml.language) {
      const servers = language['language-servers'];
      expect(servers.at(-1), language.name).toBe(HELIX_SERVER_NAME);
      expect(servers.filter((s) => s === HELIX_SERVER_NAME), language.name).toHaveLength(1);
    }
    const byName = new Map(toml.language.map((l) => [l.name, l['language-servers']]));
    expect(byName.get('rust')).toEqual(['rust-analyzer', HELIX_SERVER_NAME]);
    expect(byName.get('python')).toEqual(['ty', 'ruff', 'jedi', 'pylsp', 'zuban', HELIX_SERVER_NAME]);
    expect(byName.get('go')).toEqual(['gopls', 'golangci-lint-lsp', HELIX_SERVER_NAME]);
    // Languages with no server of their own get only this one.
    expect(byName.get('make')).toEqual([HELIX_SERVER_NAME]);
    // Feature exclusions are kept as Helix writes them.
    expect(byName.get('erlang')?.[0]).toEqual({ name: 'erlang-ls', 'except-features': ['document-symbols', 'workspace-symbols'] });
    expect(byName.get('gts')?.[0]).toEqual({ name: 'typescript-language-server', 'except-features': ['format', 'diagnostics'] });
    // Helix knows a few hundred languages; a short table would drop most of them.
    expect(toml.language.length).toBeGreaterThan(300);
  });

  it('--languages keeps only the named languages, in the order given', () => {
    const result = run(['--languages', 'typescript, go,typescript']);
    expect(result.status, result.stderr).toBe(0);
    const toml = parse(result.stdout) as unknown as HelixToml;
    expect(toml.language).toEqual([
      { name: 'typescript', 'language-servers': ['typescript-language-server', HELIX_SERVER_NAME] },
      { name: 'go', 'language-servers': ['gopls', 'golangci-lint-lsp', HELIX_SERVER_NAME] },
    ]);
  });

  it('--directory changes the root pattern and tells the server', () => {
    const toml = parse(computeHelixConfig({ languages: ['c'], directory: 'reviews' })) as unknown as HelixToml;
    const server = toml['language-server'][HELIX_SERVER_NAME]!;
    expect(server['required-root-patterns']).toEqual(['reviews']);
    expect(server.config).toEqual({ deepReview: { directory: 'reviews' } });
  });

  it('refuses a language Helix does not know, with a message and exit code 2', () => {
    const result = run(['--languages', 'rust,klingon']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(
      'deep-review-lsp helix-config: Helix has no language "klingon" (its names are those of `hx --health`, e.g. rust, typescript, python)',
    );
  });
});
