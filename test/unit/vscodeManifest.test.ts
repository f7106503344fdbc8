/**
 * The VS Code extension's manifest repeats the server's settings and commands
 * (VS Code reads them from package.json, not from the server). This keeps the
 * copy true: every deepReview setting of server/src/settings.ts, with its type,
 * default, choices, bounds and description, and no command the server lacks.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ALL_COMMANDS } from '../../server/src/protocol.js';
import { defaultSettings, Settings } from '../../server/src/settings.js';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, Record<string, unknown>> };
  };
}

const manifest = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../client-vscode/package.json', import.meta.url)), 'utf8'),
) as Manifest;
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
