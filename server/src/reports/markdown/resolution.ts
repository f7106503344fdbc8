/**
 * The `## Resolution` section added after publication: a mini table
 * (`| **Addressed** | 2026-08-01 |`, `| **Commit** | … |`, `| **Scope** | … |`)
 * and an item table `| # | Finding | Action | Reason |` whose rows name findings
 * as `Important #1`, `Suggestion S3`, `Testing Gap #2`. Rows that name a
 * consolidated finding give that finding its resolution.
 */
import type { RootContent, Table, TableRow } from 'mdast';
import type { Finding, Review, ResolutionAction } from '../../model/review.js';
import type { ReportProblem } from '../readResult.js';
import { type Part, cellSource, endOf, plainText, startOf } from './source.js';
import { compact, severityOfId, squash } from './text.js';

type Resolution = NonNullable<Review['resolution']>;
type Item = Resolution['items'][number];

/** A resolution item with where it was written, for problems. */
export interface ResolutionRead {
  resolution: Resolution;
  rows: Array<{ item: Item; offset: number; length: number }>;
}

const ACTIONS: ReadonlyArray<[RegExp, ResolutionAction]> = [
  [/^fixed\b/i, 'fixed'],
  [/^skipped\b/i, 'skipped'],
  [/^tests? written\b/i, 'test-written'],
  [/^commented\b/i, 'commented'],
  [/^(?:documentation|docs?) updated\b/i, 'documentation-updated'],
  [/^documented\b/i, 'documented'],
  [/^auto-?resolved\b/i, 'auto-resolved'],
  [/^deferred\b/i, 'deferred'],
];

/** "Fixed (already in HEAD…)" → fixed; unknown wording → other. */
function resolutionAction(text: string): ResolutionAction {
  const t = text.trim();
  return ACTIONS.find(([re]) => re.test(t))?.[1] ?? 'other';
}

const REF =
  /^(critical|important|suggestion|testing gap|documentation gap|design observation|design)s?\b\s*(?:#\s*(\d{1,4}(?:\s*[-–]\s*\d{1,4})?)|([CIS]\d{1,4})\b)?\s*[:.—–-]?\s*/i;

/** Reads "Important #1: title", "Suggestion S3 — title", "Testing Gap #2: …". */
function parseFindingRef(text: string): { ref: Item['ref']; title?: string } {
  const raw = text.trim();
  // "C1: `Thing` throws …": a bare lettered id names its severity by its letter.
  const bare = /^([CIS]\d{1,4})\b\s*[:.—–-]?\s*/.exec(raw);
  if (bare?.[1] !== undefined) {
    const title = raw.slice(bare[0].length).trim();
    return { ref: { kind: severityOfId(bare[1]) ?? 'other', id: bare[1].toUpperCase(), raw }, ...(title ? { title } : {}) };
  }
  const m = REF.exec(raw);
  if (!m) return { ref: { kind: 'other', id: '', raw } };
  const word = (m[1] ?? '').toLowerCase();
  const kind = word === 'testing gap' ? 'testing-gap' : word === 'documentation gap' ? 'documentation-gap' : word.startsWith('design') ? 'design' : word;
  const id = (m[2] ?? m[3] ?? '').replace(/\s+/g, '');
  const title = raw.slice(m[0].length).trim();
  return { ref: { kind, id, raw }, ...(title ? { title } : {}) };
}

/** Reads a Resolution section's nodes. */
export function readResolution(part: Part, nodes: readonly RootContent[], markdown: string): ResolutionRead {
  const resolution: Resolution = { items: [], markdown };
  const rows: ResolutionRead['rows'] = [];
  for (const node of nodes) {
    if (node.type !== 'table') continue;
    const headerCells = (node.children[0]?.children ?? []).map((c) => plainText(c).trim().toLowerCase());
    const findingCol = headerCells.findIndex((c) => c === 'finding' || c === 'item');
    const actionCol = headerCells.findIndex((c) => c === 'action' || c === 'resolution' || c === 'status');
    if (findingCol !== -1 && actionCol !== -1) {
      const reasonCol = headerCells.findIndex((c) => c === 'reason' || c === 'notes' || c === 'note');
      for (const row of node.children.slice(1)) {
        const item = readItem(part, row, findingCol, actionCol, reasonCol);
        if (item) rows.push({ item, offset: startOf(part, row), length: endOf(part, row) - startOf(part, row) });
      }
      continue;
    }
    readKeyValues(part, node, resolution);
  }
  resolution.items = rows.map((r) => r.item);
  return { resolution, rows };
}

function cellAt(part: Part, row: TableRow, index: number): string {
  const cell = row.children[index];
  return cell ? cellSource(part, cell) : '';
}

function readItem(part: Part, row: TableRow, findingCol: number, actionCol: number, reasonCol: number): Item | undefined {
  const findingCell = row.children[findingCol];
  const actionCell = row.children[actionCol];
  if (findingCell === undefined || actionCell === undefined) return undefined;
  const { ref, title } = parseFindingRef(plainText(findingCell));
  const actionRaw = cellAt(part, row, actionCol);
  const actionText = plainText(actionCell).trim();
  const paren = /^[^(]*\((.*)\)\s*$/s.exec(actionText)?.[1];
  const reasonCell = reasonCol !== -1 ? cellAt(part, row, reasonCol) : '';
  const reason = reasonCell || paren?.trim() || undefined;
  return compact({ ref, title: title ? squash(title) : undefined, action: resolutionAction(actionText), actionRaw, reason });
}

function readKeyValues(part: Part, table: Table, resolution: Resolution): void {
  for (const row of table.children) {
    const key = plainText(row.children[0] ?? { type: 'text', value: '' })
      .trim()
      .replace(/:$/, '')
      .toLowerCase();
    const value = cellAt(part, row, 1);
    if (value === '') continue;
    if (key === 'addressed' || key === 'date') resolution.addressed = value;
    else if (key === 'commit' || key === 'commits') resolution.commit = value;
    else if (key === 'scope') resolution.scope = value;
  }
}

/**
 * Gives findings the resolution their rows name. `Important #N` means the N-th
 * important finding: I{N} in lettered reports, important-{N} in numbered ones.
 */
export function linkResolution(read: ResolutionRead, findings: Finding[], problems: ReportProblem[]): void {
  const { resolution } = read;
  const index = indexFindings(findings);
  for (const { item, offset, length } of read.rows) {
    const kind = item.ref.kind;
    if (kind === 'other') {
      // A row the reader cannot tie to anything would otherwise be lost without a word.
      problems.push({
        severity: 'warning',
        code: 'resolution-ref',
        message: `The Resolution row "${item.ref.raw}" names no finding this reader recognises; write it as "Important #1", "Suggestion S3" or "C1: title". It is kept in the Resolution section only.`,
        offset,
        length,
      });
      continue;
    }
    if (kind !== 'critical' && kind !== 'important' && kind !== 'suggestion') continue;
    const finding = findRef(index, kind, item.ref.id);
    if (finding === undefined) {
      problems.push({
        severity: 'warning',
        code: 'resolution-ref',
        message: `The Resolution row "${item.ref.raw}" names no ${kind} finding of this report; its resolution is not applied.`,
        offset,
        length,
      });
      continue;
    }
    finding.resolution = compact({
      action: item.action,
      raw: item.actionRaw,
      reason: item.reason ?? finding.resolution?.reason,
      commit: resolution.commit,
      date: resolution.addressed,
    });
  }
}

/** The findings of one severity by id (the first of each), by id among live ones, and by ordinal. */
interface SeverityIndex {
  byId: Map<string, Finding>;
  liveById: Map<string, Finding>;
  byOrdinal: Map<number, Finding>;
}

/** Looked up once per Resolution row, so built once: a row per finding must not cost a pass over all findings. */
function indexFindings(findings: readonly Finding[]): Map<string, SeverityIndex> {
  const out = new Map<string, SeverityIndex>();
  for (const f of findings) {
    let index = out.get(f.severity);
    if (index === undefined) out.set(f.severity, (index = { byId: new Map(), liveById: new Map(), byOrdinal: new Map() }));
    if (!index.byId.has(f.id)) index.byId.set(f.id, f);
    if (f.struck === undefined && !index.liveById.has(f.id)) index.liveById.set(f.id, f);
    if (f.ordinal !== undefined && !index.byOrdinal.has(f.ordinal)) index.byOrdinal.set(f.ordinal, f);
  }
  return out;
}

function findRef(index: Map<string, SeverityIndex>, severity: 'critical' | 'important' | 'suggestion', id: string): Finding | undefined {
  const same = index.get(severity);
  if (same === undefined) return undefined;
  const letter = /^[CIS]\d+$/i.test(id) ? id.toUpperCase() : undefined;
  const n = /^\d+$/.test(id) ? Number(id) : letter ? Number(letter.slice(1)) : undefined;
  if (letter) {
    const exact = same.byId.get(letter);
    if (exact) return exact;
  }
  if (n === undefined) return undefined;
  const prefix = severity[0]?.toUpperCase() ?? '';
  return same.liveById.get(`${prefix}${n}`) ?? same.byId.get(`${severity}-${n}`) ?? same.byId.get(`${prefix}${n}`) ?? same.byOrdinal.get(n);
}
