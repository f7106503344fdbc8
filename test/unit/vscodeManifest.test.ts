/**
 * The VS Code extension's manifest repeats the server's settings and commands
 * (VS Code reads them from package.json, not from the server). This keeps the
 * copy true: package.json is what client-vscode/scripts/manifest.mjs generates
 * from server/src/settings.ts (run `npm run manifest` in client-vscode when
 * this fails), every deepReview setting is there with its type, default,
 * choices, bounds and description, roundCommand only from the user's machine,
 * and the palette offers every server command and no other.
 */
import { readFileSync } from 'node:fs';
import { computeManifest, MACHINE_SCOPED } from '../../client-vscode/scripts/manifest.mjs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ALL_COMMANDS } from '../../server/src/protocol.js';
import { defaultSettings, Settings } from '../../server/src/settings.js';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, Record<string, unknown>> };
  };
}

const manifestText = readFileSync(fileURLToPath(new URL('../../client-vscode/package.json', import.meta.url)), 'utf8');
const manifest = JSON.parse(manifestText) as Manifest;
const properties = manifest.contributes.configuration.properties;

/** Settings only the VS Code client reads; the server ignores them. */
const CLIENT_ONLY = ['deepReview.server.path', 'deepReview.trace.server'];

/** The part of a JSON Schema that a VS Code configuration property carries. */
function projection(schema: Record<string, unknown>): Record<string, unknown> {
  const keep: Record<string, unknown> = {};
  for (const key of ['type', 'default', 'enum', 'description', 'minimum', 'maximum', 'minLength']) {
    const value = schema[key];
    // zod writes the largest safe integer for an unbounded int; VS Code needs no bound there.
    if (value === undefined || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)) continue;
    keep[key] = value;
  }
  if (schema.properties) {
    keep.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, Record<string, unknown>>).map(([k, v]) => [k, projection(v)]),
    );
  }
  return keep;
}

const serverSchema = z.toJSONSchema(Settings, { io: 'input' }) as { properties: Record<string, Record<string, unknown>> };

describe('client-vscode/package.json', () => {
  it.each(Object.keys(serverSchema.properties))('declares the setting deepReview.%s as the server defines it', (key) => {
    const expected = projection(serverSchema.properties[key]!);
    const declared = properties[`deepReview.${key}`];
    expect(declared, `add to contributes.configuration.properties: "deepReview.${key}": ${JSON.stringify(expected)}`).toBeDefined();
    expect(projection(declared!)).toEqual(expected);
  });

  it('declares no deepReview setting the server does not know, besides the client\'s own', () => {
    const known = new Set([...Object.keys(serverSchema.properties).map((k) => `deepReview.${k}`), ...CLIENT_ONLY]);
    expect(Object.keys(properties).filter((k) => !known.has(k))).toEqual([]);
  });

  it('is what scripts/manifest.mjs generates from the settings schema (run `npm run manifest` in client-vscode)', () => {
    expect(manifestText).toBe(computeManifest(manifestText, serverSchema));
  });

  it('takes roundCommand (the program a round runs) only from the user\'s machine settings, never a workspace\'s', () => {
    expect(MACHINE_SCOPED).toEqual(['roundCommand']);
    for (const key of Object.keys(serverSchema.properties)) {
      const scope = properties[`deepReview.${key}`]?.scope;
      expect(scope, key).toBe(MACHINE_SCOPED.includes(key) ? 'machine' : undefined);
    }
    expect(properties['deepReview.server.path']?.scope).toBe('machine');
  });

  it('offers every server command in the palette, each with a title in the Deep Review category', () => {
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual([...ALL_COMMANDS].sort());
    for (const c of manifest.contributes.commands) {
      expect(c.category).toBe('Deep Review');
      expect(c.title.length, c.command).toBeGreaterThan(5);
    }
  });

  it('offers only commands the server executes', () => {
    const unknown = manifest.contributes.commands.map((c) => c.command).filter((c) => !ALL_COMMANDS.includes(c));
    expect(unknown).toEqual([]);
  });

  it('lets only machine settings name the round command, so a workspace .vscode/settings.json cannot', () => {
    expect(properties['deepReview.roundCommand']?.scope).toBe('machine');
  });

  it('activates in workspaces with the default review directory', () => {
    expect(manifest.activationEvents).toContain(`workspaceContains:${defaultSettings().directory}`);
  });
});
