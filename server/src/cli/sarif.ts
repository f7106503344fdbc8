/**
 * `export --format sarif`: the open findings of the visible rounds as a SARIF
 * 2.1.0 log, for GitHub code scanning and other SARIF viewers. Pure: the
 * caller hands in the findings and a way to read cited files.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FixDiff, Severity } from '../model/review.js';
import { computeFingerprint } from '../store/fingerprint.js';
import type { PlacedFinding, PlacedLocation } from '../store/reviewStore.js';

/** The `$schema` a SARIF 2.1.0 log names. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The key of the finding fingerprint in `partialFingerprints`. */
export const FINGERPRINT_KEY = 'deepReviewFingerprint/v1';

/** The triage state of a finding, as the triage file records it (`runExport` reads it). */
export interface TriageState {
  status: 'dismissed' | 'accepted' | 'open';
  reason?: string;
}

/** Looks up a finding's triage by its fingerprint and key. */
export type TriageLookup = (fingerprint: string, key: string) => TriageState | undefined;

/** What the exporter needs besides the findings. */
export interface SarifContext {
  /** The workspace folder; artifact URIs are relative to it. */
  root: string;
  toolVersion: string;
  /** The current text of a workspace file (path relative to root), or undefined when it cannot be read. */
  readFile: (relative: string) => string | undefined;
  triage?: TriageLookup;
}

/** Why a fix diff was not exported, per finding key (for the command's summary). */
export type SkippedFixes = Map<string, string[]>;

type Json = Record<string, unknown>;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', important: 'warning', suggestion: 'note' };

function ruleId(severity: Severity, category: string | undefined): string {
  return category ? `deep-review/${severity}/${slug(category)}` : `deep-review/${severity}`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'other';
}

const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** A cited range as a SARIF region; the anchor text is its snippet. */
function region(placed: PlacedLocation): Json | undefined {
  if (!placed.range && !placed.location.anchorText) return undefined;
  const out: Json = {};
  if (placed.range) {
    out.startLine = placed.range.start;
    out.endLine = Math.max(placed.range.start, placed.range.end);
  }
  if (placed.location.anchorText) out.snippet = { text: placed.location.anchorText };
  return out;
}

function physicalLocation(root: string, placed: PlacedLocation): Json {
  const reg = region(placed);
  return {
    artifactLocation: { uri: relative(root, placed.file), uriBaseId: '%SRCROOT%' },
    ...(reg ? { region: reg } : {}),
  };
}

/** One contiguous edit a diff describes: lines to find and lines to put in their place. */
interface Hunk {
  file?: string;
  before: string[];
  after: string[];
}

/** Splits a fix diff of any style into hunks: '@@' lines and file headers separate them. */
export function computeHunks(diff: FixDiff): Hunk[] {
  const hunks: Hunk[] = [];
  let file: string | undefined;
  let current: Hunk | undefined;
  const flush = () => {
    if (current && (current.before.length > 0 || current.after.length > 0)) hunks.push(current);
    current = undefined;
  };
  for (const line of diff.text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.startsWith('diff --git ') || line.startsWith('index ') || line.startsWith('--- ')) {
      flush();
      continue;
    }
    if (line.startsWith('+++ ')) {
      flush();
      const named = line.slice(4).trim().replace(/^b\//, '');
      file = named === '/dev/null' ? undefined : named;
      continue;
    }
    if (line.startsWith('@@')) {
      flush();
      continue;
    }
    current ??= { file, before: [], after: [] };
    if (line.startsWith('-')) current.before.push(line.slice(1));
    else if (line.startsWith('+')) current.after.push(line.slice(1));
    else {
      const context = line.startsWith(' ') ? line.slice(1) : line;
      current.before.push(context);
      current.after.push(context);
    }
  }
  flush();
  // A trailing blank line of a fenced block is not part of the edit.
  for (const hunk of hunks) {
    while (hunk.before.at(-1) === '' && hunk.after.at(-1) === '') {
      hunk.before.pop();
      hunk.after.pop();
    }
  }
  return hunks.filter((h) => h.before.length > 0);
}

/** 1-based first line where `needle` occurs in `lines` (trailing spaces ignored), if exactly once. */
function findOnce(lines: string[], needle: string[]): number | 'none' | 'many' {
  const norm = (s: string) => s.replace(/\s+$/, '');
  const want = needle.map(norm);
  let found: number | undefined;
  for (let i = 0; i + want.length <= lines.length; i++) {
    let j = 0;
    while (j < want.length && norm(lines[i + j]!) === want[j]) j++;
    if (j === want.length) {
      if (found !== undefined) return 'many';
      found = i + 1;
    }
  }
  return found ?? 'none';
}

/**
 * The SARIF `fixes` of a finding: each diff whose every hunk is found exactly
 * once in today's text of its file becomes one fix. A diff that does not apply
 * is left out, and why is added to `skipped`.
 */
function computeFixes(placed: PlacedFinding, context: SarifContext, skipped: SkippedFixes): Json[] {
  const diffs = placed.finding.fix?.diffs ?? [];
  const fixes: Json[] = [];
  const primary = relative(context.root, placed.primary.file);
  const why = (reason: string) => skipped.set(placed.key, [...(skipped.get(placed.key) ?? []), reason]);
  for (const [index, diff] of diffs.entries()) {
    const hunks = computeHunks(diff);
    if (hunks.length === 0) {
      why(`diff ${index + 1} removes or keeps no line, so there is no place to apply it`);
      continue;
    }
    const byFile = new Map<string, Json[]>();
    let failed: string | undefined;
    for (const hunk of hunks) {
      const file = hunk.file ?? primary;
      const resolved = path.resolve(context.root, file);
      const inside = relative(context.root, resolved);
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        failed = `diff ${index + 1} names ${file}, outside the workspace`;
        break;
      }
      const text = context.readFile(inside);
      if (text === undefined) {
        failed = `diff ${index + 1}: ${inside} cannot be read`;
        break;
      }
      const lines = text.replace(/\r\n/g, '\n').split('\n');
      const at = findOnce(lines, hunk.before);
      if (typeof at !== 'number') {
        failed = `diff ${index + 1}: its lines are ${at === 'none' ? 'no longer' : 'more than once'} in ${inside}`;
        break;
      }
      const replacements = byFile.get(inside) ?? [];
      replacements.push({
        deletedRegion: { startLine: at, endLine: at + hunk.before.length - 1 },
        // Lines without columns run to the end of endLine, its line end excluded (SARIF 3.30.x).
        insertedContent: { text: hunk.after.join('\n') },
      });
      byFile.set(inside, replacements);
    }
    if (failed) {
      why(failed);
      continue;
    }
    fixes.push({
      description: { text: diffs.length > 1 ? `${placed.finding.fix?.label ?? 'Fix'} (diff ${index + 1} of ${diffs.length})` : (placed.finding.fix?.label ?? 'Fix') },
      artifactChanges: [...byFile].map(([uri, replacements]) => ({
        artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
        replacements,
      })),
    });
  }
  return fixes;
}

function agentsText(placed: PlacedFinding): string {
  const names = [...new Set(placed.finding.agents.map((a) => a.model ?? a.raw ?? a.role ?? '').filter(Boolean))];
  return names.length > 0 ? ` [${names.join(', ')}]` : '';
}

/** The SARIF log of these findings, and why any fix was left out. */
export function computeSarif(findings: Iterable<PlacedFinding>, context: SarifContext): { log: Json; skipped: SkippedFixes } {
  const ordered = [...findings].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rules: Json[] = [];
  const ruleIndex = new Map<string, number>();
  const skipped: SkippedFixes = new Map();
  const results: Json[] = [];
  for (const placed of ordered) {
    const { finding } = placed;
    const id = ruleId(finding.severity, finding.category);
    if (!ruleIndex.has(id)) {
      ruleIndex.set(id, rules.length);
      const what = finding.category ? `${finding.severity} ${finding.category}` : finding.severity;
      rules.push({
        id,
        name: id.split('/').slice(1).map((part) => part.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())).join(''),
        shortDescription: { text: `${/^[aeiou]/.test(what) ? 'An' : 'A'} ${what} finding of a deep review` },
        defaultConfiguration: { level: LEVEL[finding.severity] },
        properties: { tags: ['deep-review', finding.severity, ...(finding.category ? [finding.category] : [])] },
      });
    }
    const fingerprint = computeFingerprint(finding);
    const triage = context.triage?.(fingerprint, placed.key);
    const fixes = computeFixes(placed, context, skipped);
    const body = finding.body.trim();
    results.push({
      ruleId: id,
      ruleIndex: ruleIndex.get(id),
      level: LEVEL[finding.severity],
      message: {
        text: `${finding.id}: ${finding.title.replace(/\s+/g, ' ').trim()}${agentsText(placed)} (${placed.roundLabel})`,
        ...(body ? { markdown: `**${finding.id}: ${finding.title}**\n\n${body}` } : {}),
      },
      locations: [{ physicalLocation: physicalLocation(context.root, placed.primary) }],
      ...(placed.related.length > 0
        ? { relatedLocations: placed.related.map((loc, i) => ({ id: i + 1, physicalLocation: physicalLocation(context.root, loc) })) }
        : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
      ...(fixes.length > 0 ? { fixes } : {}),
      ...(triage && triage.status === 'dismissed'
        ? { suppressions: [{ kind: 'external', status: 'accepted', ...(triage.reason ? { justification: triage.reason } : {}) }] }
        : {}),
      properties: {
        key: placed.key,
        report: relative(context.root, placed.report.file),
        round: placed.roundLabel,
        severity: finding.severity,
        ...(finding.category ? { category: finding.category } : {}),
        ...(triage ? { triage: triage.status } : {}),
      },
    });
  }
  const rootUri = pathToFileURL(context.root.endsWith(path.sep) ? context.root : `${context.root}${path.sep}`).href;
  return {
    log: {
      $schema: SARIF_SCHEMA_URI,
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'deep-review-lsp', version: context.toolVersion, semanticVersion: context.toolVersion, rules } },
          originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
          columnKind: 'utf16CodeUnits',
          results,
        },
      ],
    },
    skipped,
  };
}
