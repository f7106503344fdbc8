import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyTriage } from '../../server/src/model/triage.js';
import { withFileLock } from '../../server/src/store/fileLock.js';
import { isServerOwnedFile } from '../../server/src/store/reviewDirectoryFiles.js';
import { applyDecision, formatTriage, parseTriageText, TriageFile } from '../../server/src/store/triage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-triage-')));
  dirs.push(dir);
  return dir;
}

const FP = ['0123456789abcdef', 'fedcba9876543210', 'aaaaaaaaaaaaaaaa'];
const decision = (state: 'dismissed' | 'accepted' | 'open', reason?: string) => ({ state, ...(reason ? { reason } : {}), by: 'ada', at: '2026-12-01T10:00:00.000Z', round: 6 });
const about = { id: 'I1', title: 'A title' };

describe('triage text', () => {
  it('places a JSON syntax error where it is', () => {
    const text = '{\n  "triageVersion": 1\n  "findings": {}\n}\n';
    const read = parseTriageText(text);
    expect(read.triage).toBeUndefined();
    expect(read.problems).toEqual([{ message: 'The triage file is not valid JSON: a comma is missing; fix it by hand (it is not overwritten until then)', offset: text.indexOf('"findings"'), length: '"findings"'.length }]);
  });

  it('refuses comments, which writing would lose', () => {
    expect(parseTriageText('{ // mine\n"triageVersion": 1 }').problems[0]!.message).toBe(
      'The triage file is not valid JSON: comments are not allowed (they would be lost when the server writes the file); fix it by hand (it is not overwritten until then)',
    );
  });

  it('places a schema problem at the value, and a bad key at the key', () => {
    const text = formatTriage(applyDecision(emptyTriage(), FP[0]!, decision('dismissed'), about)).replace('"dismissed"', '"gone"');
    const [problem] = parseTriageText(text).problems;
    expect(problem!.message).toBe(`Triage file: findings.${FP[0]}.state: Invalid option: expected one of "dismissed"|"accepted"|"open"; fix it by hand (it is not overwritten until then)`);
    expect(text.slice(problem!.offset, problem!.offset + problem!.length)).toBe('"gone"');
    const badKey = text.replace('"gone"', '"dismissed"').replace(FP[0]!, 'not-a-fingerprint');
    const [keyProblem] = parseTriageText(badKey).problems;
    expect(keyProblem!.message).toMatch(/^Triage file: findings\.not-a-fingerprint: /);
    expect(badKey.slice(keyProblem!.offset, keyProblem!.offset + 19)).toBe('"not-a-fingerprint"');
  });

  it('keeps earlier decisions in the history, and writes findings in fingerprint order', () => {
    let triage = applyDecision(emptyTriage(), FP[1]!, decision('dismissed', 'later'), about);
    triage = applyDecision(triage, FP[0]!, decision('accepted'), about);
    triage = applyDecision(triage, FP[1]!, decision('open', 'real'), about);
    expect(triage.findings[FP[1]!]).toMatchObject({ state: 'open', reason: 'real', history: [{ state: 'dismissed', reason: 'later' }] });
    const text = formatTriage(triage);
    expect(text.indexOf(FP[0]!)).toBeLessThan(text.indexOf(FP[1]!));
    expect(parseTriageText(text).triage).toEqual(triage);
  });

  it('keeps fields it does not know (a hand-added note survives a write)', () => {
    const text = JSON.stringify({ triageVersion: 1, note: 'ours', findings: { [FP[0]!]: { ...decision('accepted'), finding: about, history: [], ticket: 'JIRA-1' } } });
    const triage = parseTriageText(text).triage!;
    const written = JSON.parse(formatTriage(applyDecision(triage, FP[1]!, decision('dismissed'), about)));
    expect(written.note).toBe('ours');
    expect(written.findings[FP[0]!].ticket).toBe('JIRA-1');
  });
});

describe('the triage file', () => {
  it('a missing file is an empty triage; updates are written whole and renamed into place', async () => {
    const root = tempDir();
    const file = new TriageFile(path.join(root, '.deep-review', 'triage.json'), root);
    await file.reload();
    expect(file.current()).toEqual(emptyTriage());
    await file.update((t) => applyDecision(t, FP[0]!, decision('dismissed'), about));
    expect(JSON.parse(readFileSync(file.file, 'utf8')).findings[FP[0]!].state).toBe('dismissed');
    expect(readFileSync(file.file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('two writers under the lock lose nothing', async () => {
    const root = tempDir();
    const target = path.join(root, '.deep-review', 'triage.json');
    const a = new TriageFile(target, root);
    const b = new TriageFile(target, root);
    const keys = Array.from({ length: 16 }, (_, i) => i.toString(16).padStart(16, '0'));
    await Promise.all(keys.map((key, i) => (i % 2 ? a : b).update((t) => applyDecision(t, key, decision('dismissed'), about))));
    expect(Object.keys(JSON.parse(readFileSync(target, 'utf8')).findings).sort()).toEqual(keys);
  });

  it('never overwrites a file it cannot read', async () => {
    const root = tempDir();
    const target = path.join(root, 'triage.json');
    writeFileSync(target, '{ broken');
    const file = new TriageFile(target, root);
    await expect(file.update((t) => t)).rejects.toThrow(/^triage\.json has problems \(The triage file is not valid JSON: .*\); it is not overwritten\. Fix or remove it, then try again$/);
    expect(readFileSync(target, 'utf8')).toBe('{ broken');
  });
});

describe('the triage file outside the folder', () => {
  it('is refused when the review directory is a link that leaves the workspace folder', async () => {
    const root = tempDir();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, path.join(root, '.deep-review'));
    const file = new TriageFile(path.join(root, '.deep-review', 'triage.json'), root);
    await expect(file.update((t) => t)).rejects.toThrow(
      `${path.join(root, '.deep-review')} leads outside the workspace folder (to ${elsewhere}); the triage file is not written there`,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('the lock file', () => {
  it('breaks a lock left by a process that is gone', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'triage.json.lock');
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), nonce: 'old', at: 'then' }));
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2_000 })).toBe('ran');
    expect(() => readFileSync(lock)).toThrow();
  });

  it('breaks a lock older than the stale limit, and waits out a live one with a message', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'triage.json.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere', nonce: 'live', at: '2026-12-01T10:00:00Z' }));
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 50 })).rejects.toThrow(`locked by process ${process.pid} on elsewhere since 2026-12-01T10:00:00Z (${lock})`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2_000, staleMs: 30_000 })).toBe('ran');
  });

  it('releases the lock when the work fails', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'x.lock');
    await expect(withFileLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withFileLock(lock, async () => 'again', { timeoutMs: 100 })).toBe('again');
  });
});

describe('files the server owns in the review directory', () => {
  it('are the triage file, its lock and temporary files, and the logs; nothing else', () => {
    const dir = '/w/.deep-review';
    expect(isServerOwnedFile(dir, '/w/.deep-review/triage.json')).toBe(true);
    expect(isServerOwnedFile(dir, '/w/.deep-review/triage.json.lock')).toBe(true);
    expect(isServerOwnedFile(dir, '/w/.deep-review/.triage.json.12.ab.tmp')).toBe(true);
    expect(isServerOwnedFile(dir, '/w/.deep-review/logs/round-pr-7-2.log')).toBe(true);
    expect(isServerOwnedFile(dir, '/w/.deep-review/sub/triage.json')).toBe(false);
    expect(isServerOwnedFile(dir, '/w/.deep-review/logs.json')).toBe(false);
    expect(isServerOwnedFile(dir, '/w/.deep-review/round1.json')).toBe(false);
    expect(isServerOwnedFile(dir, '/w/triage.json')).toBe(false);
  });
});
