// Writes package.json's contributes.configuration from the server's settings
// schema (server/src/settings.ts, built to server/out/settings.js), so the
// Settings UI shows every deepReview setting with the server's defaults,
// choices, bounds and descriptions. test/unit/vscodeManifest.test.ts fails
// when package.json is stale: run `npm run manifest` here after changing a setting.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Settings the server must only take from the user's machine, never from a workspace. */
export const MACHINE_SCOPED = ['roundCommand'];

/** Settings only this extension reads; the server ignores them. */
export const CLIENT_PROPERTIES = {
  'deepReview.server.path': {
    type: 'string',
    default: '',
    scope: 'machine',
    description:
      "Path to a deep-review-lsp bin/deep-review-lsp.js, run with VS Code's Node. Empty: the server bundled with this extension (or, run from a checkout, that checkout's), else the deep-review-lsp command on PATH",
  },
  'deepReview.trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    description: 'Log the messages between VS Code and the server in the Deep Review output channel',
  },
};

const KEEP = ['type', 'default', 'enum', 'description', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'items', 'properties', 'additionalProperties'];

/** The part of a JSON Schema that a VS Code configuration property carries. */
export function projectSchema(schema) {
  const out = {};
  for (const key of KEEP) {
    let value = schema[key];
    // zod writes the largest safe integer for an unbounded int; VS Code needs no bound there.
    if (value === undefined || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue;
    if (key === 'properties') value = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, projectSchema(v)]));
    if (key === 'items' && value && typeof value === 'object' && !Array.isArray(value)) value = projectSchema(value);
    if (key === 'additionalProperties' && typeof value === 'object') value = projectSchema(value);
    out[key] = value;
  }
  return out;
}

/** contributes.configuration.properties for a settings JSON Schema (zod's toJSONSchema, io: input). */
export function computeProperties(settingsSchema) {
  const properties = { ...CLIENT_PROPERTIES };
  for (const [key, schema] of Object.entries(settingsSchema.properties ?? {})) {
    properties[`deepReview.${key}`] = { ...projectSchema(schema), ...(MACHINE_SCOPED.includes(key) ? { scope: 'machine' } : {}) };
  }
  return properties;
}

/** package.json text with its configuration replaced. */
export function computeManifest(manifestText, settingsSchema) {
  const manifest = JSON.parse(manifestText);
  manifest.contributes.configuration.properties = computeProperties(settingsSchema);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { z } = await import('zod');
  const { Settings } = await import('../../server/out/settings.js');
  const file = fileURLToPath(new URL('../package.json', import.meta.url));
  const text = computeManifest(readFileSync(file, 'utf8'), z.toJSONSchema(Settings, { io: 'input' }));
  writeFileSync(file, text);
  console.log(`${file}: contributes.configuration written from the server's settings`);
}
