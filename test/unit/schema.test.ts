import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Review, reviewJsonSchema } from '../../server/src/model/review.js';
import { Triage, triageJsonSchema } from '../../server/src/model/triage.js';
import { REPO_ROOT } from '../support/lspClient.js';

describe('schemas/review.schema.json', () => {
  it('is the one generated from the zod model (run `npm run schemas` after changing the model)', () => {
    const committed = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas/review.schema.json'), 'utf8'));
    expect(committed).toEqual(reviewJsonSchema());
  });

  it('describes every field of a finding', () => {
    const schema = reviewJsonSchema() as { properties: { findings: { items: { properties: Record<string, { description?: string }> } } } };
    const finding = schema.properties.findings.items.properties;
    for (const [name, field] of Object.entries(finding)) {
      if (name === 'raw') continue;
      expect(field.description ?? JSON.stringify(field).includes('"description"'), name).toBeTruthy();
    }
  });

  it('needs only schemaVersion and, per finding, id, severity and title', () => {
    const minimal = Review.parse({ schemaVersion: 1, findings: [{ id: 'I1', severity: 'important', title: 'T' }] });
    expect(minimal.findings[0]).toMatchObject({ agents: [], locations: [], body: '', notes: [], reconciliation: [], priorRefs: [] });
    expect(minimal.kind).toBe('review');
  });
});

describe('schemas/triage.schema.json', () => {
  it('is the one generated from the zod model (run `npm run schemas` after changing the model)', () => {
    const committed = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas/triage.schema.json'), 'utf8'));
    expect(committed).toEqual(triageJsonSchema());
  });

  it('needs only the version; findings are keyed by 16-hex-digit fingerprints', () => {
    expect(Triage.parse({ triageVersion: 1 }).findings).toEqual({});
    expect(Triage.safeParse({ triageVersion: 1, findings: { 'src/a.ts#I1': { state: 'dismissed', at: 'x', finding: { id: 'I1', title: 't' } } } }).success).toBe(false);
  });
});
