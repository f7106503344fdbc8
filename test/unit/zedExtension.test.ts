/**
 * The Zed extension (client-zed/) cannot be built here (crates.io is out of
 * reach), so this checks what can be: its manifests parse as TOML, register
 * deep-review-lsp for Zed's languages, build a cdylib on zed_extension_api, and
 * the extension starts the server named by the settings or found on the PATH.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(fileURLToPath(new URL(`../../client-zed/${file}`, import.meta.url)), 'utf8');

interface ExtensionToml {
  id: string;
  name: string;
  version: string;
  schema_version: number;
  language_servers: Record<string, { name: string; languages: string[] }>;
}
interface CargoToml {
  package: { name: string; version: string };
  lib: { 'crate-type': string[]; path: string };
  dependencies: Record<string, string>;
}

describe('Zed extension (client-zed)', () => {
  const extension = parse(read('extension.toml')) as unknown as ExtensionToml;
  const cargo = parse(read('Cargo.toml')) as unknown as CargoToml;
  const lib = read('src/lib.rs');

  it('extension.toml registers deep-review-lsp for Zed\'s built-in and common languages', () => {
    expect(extension.id).toBe('deep-review');
    expect(extension.schema_version).toBe(1);
    expect(Object.keys(extension.language_servers)).toEqual(['deep-review-lsp']);
    const server = extension.language_servers['deep-review-lsp']!;
    expect(server.name).toBe('deep-review-lsp');
    for (const language of ['Rust', 'TypeScript', 'TSX', 'JavaScript', 'Python', 'Go', 'C', 'C++', 'Markdown', 'JSON', 'YAML', 'Shell Script']) {
      expect(server.languages, language).toContain(language);
    }
    expect(new Set(server.languages).size).toBe(server.languages.length);
  });

  it('Cargo.toml builds a cdylib on zed_extension_api, at the extension\'s version', () => {
    expect(cargo.lib['crate-type']).toEqual(['cdylib']);
    expect(cargo.lib.path).toBe('src/lib.rs');
    expect(cargo.dependencies.zed_extension_api).toMatch(/^\d+\.\d+\.\d+$/);
    expect(cargo.package.version).toBe(extension.version);
  });

  it('src/lib.rs starts the server from the settings or the PATH, over stdio, under the name extension.toml gives it', () => {
    expect(lib).toContain(`const SERVER: &str = "${Object.keys(extension.language_servers)[0]}";`);
    expect(lib).toContain('worktree.which(SERVER)');
    expect(lib).toContain('args: vec!["--stdio".to_string()]');
    expect(lib).toContain('zed::register_extension!(DeepReviewExtension);');
    expect(lib).toMatch(/fn language_server_workspace_configuration/);
  });
});
