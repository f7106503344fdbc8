/**
 * Temporary workspaces for tests: each test writes its files into a fresh
 * directory, and review files are built from small typed helpers.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FindingInput, ReviewInput } from '../../server/src/model/review.js';

/** A temporary workspace folder. */
export class TempWorkspace {
  readonly root: string;

  constructor(prefix = 'drl-') {
    // realpath: on some systems tmpdir is behind a link, and the server reports real paths.
    this.root = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  }

  /** Absolute path of a workspace-relative path. */
  path(relative: string): string {
    return path.join(this.root, relative);
  }

  /** Writes a file (creating directories); objects are written as JSON. */
  write(relative: string, content: string | Buffer | object): string {
    const file = this.path(relative);
    mkdirSync(path.dirname(file), { recursive: true });
    const data = typeof content === 'string' || Buffer.isBuffer(content) ? content : `${JSON.stringify(content, null, 2)}\n`;
    writeFileSync(file, data);
    return file;
  }

  /** Removes a file or directory. */
  remove(relative: string): void {
    rmSync(this.path(relative), { recursive: true, force: true });
  }

  /** Deletes the whole workspace. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A source file of `lines` numbered lines ("line 1" ...). */
export function numberedLines(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
}

/** A finding citing `file` at `start`-`end`. */
export function finding(id: string, severity: FindingInput['severity'], file: string, start: number, end = start, extra: Partial<FindingInput> = {}): FindingInput {
  return {
    id,
    severity,
    title: `${id} title`,
    agents: [{ family: 'claude', model: 'Claude Opus 4.7' }],
    locations: [{ path: file, ranges: [{ start, end }] }],
    ...extra,
  };
}

/** A review of PR `pr`, round `round`, with the given findings. */
export function review(pr: number, round: number, findings: FindingInput[], extra: Partial<ReviewInput> = {}): ReviewInput {
  return {
    schemaVersion: 1,
    kind: 'review',
    date: `2026-11-${String(round).padStart(2, '0')}T10:00`,
    repository: { slug: 'example/shop' },
    pr: { number: pr, title: 'Example change' },
    round: { number: round },
    findings,
    ...extra,
  };
}
