/**
 * The header table under a report's title: one `| **Key** | value |` row per
 * field. Known keys fill the review's header fields; any other row is kept
 * verbatim in `extraHeader`. A known field whose value cannot be read becomes a
 * warning on its cell and is kept in `extraHeader` too, so nothing is lost.
 */
import type { Table } from 'mdast';
import type { ReviewHeader } from '../../model/review.js';
import type { ReportProblem } from '../readResult.js';
import { parseReviewers } from './agents.js';
import {
  type CommitEntry,
  parseAuthor,
  parseBranch,
  parseCommits,
  parseDate,
  parseMode,
  parsePr,
  parseRepository,
  parseReviewSha,
  parseRound,
  parseVerdict,
  parseWallClock,
} from './headerFields.js';
import { type Part, cellSource, endOf, plainText, startOf } from './source.js';
import { compact } from './text.js';

/** What the header table says. */
export interface HeaderRead {
  fields: Partial<ReviewHeader>;
  reviewSha?: { sha: string; note?: string; raw: string };
  commits: CommitEntry[];
  /** The `Kind` row ("Supply chain scan"). */
  kindRow?: string;
}

type Reader = (value: string, out: HeaderRead) => boolean;

const set =
  <K extends keyof ReviewHeader>(key: K, parse: (cell: string) => ReviewHeader[K] | undefined): Reader =>
  (value, out) => {
    const parsed = parse(value);
    if (parsed === undefined) return false;
    out.fields[key] = parsed;
    return true;
  };

const READERS: Record<string, { reader: Reader; expected: string }> = {
  date: {
    reader: (value, out) => {
      const date = parseDate(value);
      if (date === undefined) return false;
      out.fields.date = date;
      out.fields.dateRaw = value;
      return true;
    },
    expected: 'a date such as 2026-04-22 15:04',
  },
  repo: { reader: set('repository', parseRepository), expected: 'owner/name, optionally as a link' },
  repository: { reader: set('repository', parseRepository), expected: 'owner/name, optionally as a link' },
  round: { reader: set('round', parseRound), expected: 'a round number such as "4 (of PR #309)"' },
  mode: { reader: set('mode', parseMode), expected: 'a mode such as "Thorough (2 passes)"' },
  author: { reader: set('author', parseAuthor), expected: 'an author such as [@user](https://github.com/user)' },
  pr: { reader: set('pr', parsePr), expected: 'a pull request such as "[#336](https://…/pull/336) — title"' },
  'pull request': { reader: set('pr', parsePr), expected: 'a pull request such as "[#336](https://…/pull/336) — title"' },
  branch: { reader: set('branch', parseBranch), expected: 'a branch name' },
  target: {
    reader: (value, out) => {
      out.fields.target = value;
      return value !== '';
    },
    expected: 'a review target',
  },
  commits: {
    reader: (value, out) => {
      out.commits = parseCommits(value);
      out.fields.commits = out.commits.map((c) => compact({ sha: c.sha, subject: c.subject }));
      return out.commits.length > 0;
    },
    expected: 'commits such as "`fca9713` subject<br>`0123abc` subject"',
  },
  'review sha': {
    reader: (value, out) => {
      const sha = parseReviewSha(value);
      if (sha === undefined) return false;
      out.reviewSha = sha;
      return true;
    },
    expected: 'a commit SHA in backticks',
  },
  reviewers: {
    reader: (value, out) => {
      out.fields.reviewers = parseReviewers(value).map((r) => compact(r));
      return out.fields.reviewers.length > 0;
    },
    expected: 'a comma-separated list of reviewer models',
  },
  verdict: { reader: set('verdict', parseVerdict), expected: 'a verdict such as "**Merge with fixes** — why"' },
  'wall-clock time': { reader: set('wallClock', parseWallClock), expected: 'a duration such as "21 min 57 s"' },
  'wall-clock': { reader: set('wallClock', parseWallClock), expected: 'a duration such as "21 min 57 s"' },
  'wall clock time': { reader: set('wallClock', parseWallClock), expected: 'a duration such as "21 min 57 s"' },
  updated: {
    reader: (value, out) => {
      out.fields.updated = value;
      return value !== '';
    },
    expected: 'text',
  },
  period: {
    reader: (value, out) => {
      out.fields.period = value;
      return value !== '';
    },
    expected: 'a period',
  },
};

/** Header rows read at most: real headers have a dozen; a longer table is hostile or not a header. */
const MAX_HEADER_ROWS = 500;

/** Reads the header table of a report. */
export function readHeaderTable(part: Part, table: Table, problems: ReportProblem[]): HeaderRead {
  const out: HeaderRead = { fields: {}, commits: [] };
  const extra: Array<[string, string]> = [];
  const rows = table.children;
  if (rows.length > MAX_HEADER_ROWS) {
    // Rows past the limit are never read: their cells' inline content is never even parsed.
    const first = rows[MAX_HEADER_ROWS]!;
    problems.push({
      severity: 'warning',
      code: 'header-too-long',
      message: `The header table has ${rows.length} rows; only the first ${MAX_HEADER_ROWS} are read.`,
      offset: startOf(part, first),
      length: Math.max(0, endOf(part, table) - startOf(part, first)),
    });
  }
  for (const row of rows.slice(0, MAX_HEADER_ROWS)) {
    const [keyCell, ...valueCells] = row.children;
    if (keyCell === undefined) continue;
    const keyWritten = plainText(keyCell).trim().replace(/:$/, '').trim();
    if (keyWritten === '') continue;
    const valueCell = valueCells[0];
    const value = valueCell ? cellSource(part, valueCell) : '';
    const key = keyWritten.toLowerCase();
    if (key === 'kind') out.kindRow = value;
    // Row names come from the report: "constructor" must not find Object's.
    const known = Object.hasOwn(READERS, key) ? READERS[key] : undefined;
    if (known === undefined) {
      extra.push([keyWritten, value]);
      continue;
    }
    let ok = false;
    try {
      ok = known.reader(value, out);
    } catch {
      ok = false;
    }
    if (!ok) {
      extra.push([keyWritten, value]);
      const at = valueCell ?? keyCell;
      problems.push({
        severity: 'warning',
        code: 'header-field',
        message: `The ${keyWritten} row could not be read: expected ${known.expected}.`,
        offset: startOf(part, at),
        length: Math.max(0, endOf(part, at) - startOf(part, at)),
      });
    }
  }
  // fromEntries defines own properties, so a row named "__proto__" cannot reach the prototype.
  if (extra.length > 0) out.fields.extraHeader = Object.fromEntries(extra);
  return out;
}
