import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readReportFile } from '../../server/src/reports/readReportFile.js';
import { defaultCacheDirectory, ReportCache } from '../../server/src/reports/reportCache.js';
import { TempWorkspace } from '../support/workspace.js';

const REPORT = `# Deep Review: 20261001-120000-pr-7

| | |
|---|---|
| **Date** | 2026-10-01 12:00 |
| **Round** | 1 (of PR 7) |
| **PR** | [#7](https://example.invalid/pull/7) — A change |

## Important Issues

I1. **The timeout is ignored** — \`src/a.ts:3-4\` [Claude Opus 4.7]

Body.
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'drl-cache-'));
  dirs.push(dir);
  return dir;
}

describe('report cache', () => {
  it('returns what the reader made of the same text, and only for the same text and build', async () => {
    const w = new TempWorkspace();
    dirs.push(w.root);
    const file = w.write('.deep-review/r.md', REPORT);
    const cache = new ReportCache('build-a', tempDir());
    const limits = { maxBytes: 1 << 20, root: w.root, cache };
    const first = await readReportFile(file, limits);
    expect(first.result.review?.findings.map((f) => f.id)).toEqual(['I1']);
    // The entry is written in the background: wait for it by polling the directory's contents.
    const key = cache.key(file, REPORT);
    await expect.poll(() => cache.get(key)).toBeDefined();
    // What the caller does to the review afterwards (resolving paths) never reaches the cache.
    first.result.review!.findings[0]!.locations[0]!.resolvedPath = 'changed/by/caller.ts';
    const again = await readReportFile(file, limits);
    expect(again.result.review?.findings.map((f) => f.title)).toEqual(['The timeout is ignored']);
    expect(again.result.review?.findings[0]?.locations[0]?.resolvedPath).toBeUndefined();
    // A read of the same text is answered from the cache, not by the reader.
    await cache.set(key, { problems: [{ severity: 'info', code: 'from-cache', message: 'cached', offset: 0, length: 0 }] });
    expect((await readReportFile(file, limits)).result.problems.map((p) => p.code)).toEqual(['from-cache']);
    // Another text, another build: another key.
    expect(cache.key(file, `${REPORT}\n`)).not.toBe(key);
    expect(new ReportCache('build-b', tempDir()).key(file, REPORT)).not.toBe(key);
  });

  it('treats a corrupt or foreign entry as a miss', async () => {
    const dir = tempDir();
    const cache = new ReportCache('build-a', dir);
    const key = cache.key('r.json', '{}');
    await cache.set(key, { problems: [] });
    const entryDir = path.join(dir, 'reports-build-a');
    const [entry] = readdirSync(entryDir);
    writeFileSync(path.join(entryDir, entry!), '{"key": "');
    expect(await cache.get(key)).toBeUndefined();
    writeFileSync(path.join(entryDir, entry!), JSON.stringify({ key: 'another', result: { problems: [] } }));
    expect(await cache.get(key)).toBeUndefined();
  });

  it('keeps to its bound and drops the entries of other builds', async () => {
    const dir = tempDir();
    const old = new ReportCache('old-build', dir);
    await old.set(old.key('a.json', 'a'), { problems: [] });
    const cache = new ReportCache('build-a', dir);
    for (let i = 0; i < 5; i++) await cache.set(cache.key('r.json', String(i)), { problems: [] });
    await cache.prune(3);
    expect(existsSync(path.join(dir, 'reports-old-build'))).toBe(false);
    expect(readdirSync(path.join(dir, 'reports-build-a'))).toHaveLength(3);
  });

  it('lives in the user cache directory, never in a workspace', () => {
    expect(defaultCacheDirectory({ XDG_CACHE_HOME: '/home/u/.cache' }, 'linux')).toBe('/home/u/.cache/deep-review-lsp');
    // A relative XDG_CACHE_HOME is ignored, as the XDG specification says: it would land in the working directory.
    expect(defaultCacheDirectory({ XDG_CACHE_HOME: '.cache' }, 'linux')).toMatch(/^\/.*\.cache\/deep-review-lsp$/);
    expect(defaultCacheDirectory({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toContain('deep-review-lsp');
  });
});
