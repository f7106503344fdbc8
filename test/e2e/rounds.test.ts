import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CancellationTokenSource, type CodeAction } from 'vscode-languageserver-protocol';
import type { RoundResult } from '../../server/src/protocol.js';
import { REPO_ROOT, type TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const sessions = useSessions();
const SCRIPT = path.join(REPO_ROOT, 'test/fixtures/round-command.mjs');

/** A workspace with round 1 of PR #7 and, outside the review directory, the round 2 the stand-in command will "produce". */
function files() {
  return {
    'src/a.ts': numberedLines(20),
    '.deep-review/round1.json': review(7, 1, [finding('I1', 'important', 'src/a.ts', 3), finding('S1', 'suggestion', 'src/a.ts', 8)], {
      reviewedCommit: { sha: 'abc1234def5678', source: 'json' },
      branch: { name: 'feature/checkout' },
    }),
    'incoming/round2.json': review(7, 2, [finding('I1', 'important', 'src/a.ts', 4), finding('S2', 'suggestion', 'src/a.ts', 12)]),
  };
}

function command(...args: string[]): string[] {
  return [process.execPath, SCRIPT, ...args];
}

const REPORT = command('report', 'incoming/round2.json', '.deep-review/round{nextRound}.json');
const HOLD = command('hold', 'release', 'incoming/round2.json', '.deep-review/round{nextRound}.json');

function run(c: TestClient, args: unknown[] = [{}]): Promise<RoundResult> {
  return c.request<RoundResult>('workspace/executeCommand', { command: 'deepReview.newRound', arguments: args });
}

/** True when the process is gone (a zombie waiting for a parent that never reaps counts as gone). */
function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}

/** Polls a condition the server sends no notification for (a process ending). */
async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function logValue(c: TestClient, name: string): string {
  const line = c.logs.find((l) => l.includes(`] ${name}=`));
  if (!line) throw new Error(`no ${name}= line in the log: ${c.logs.join('\n')}`);
  return line.slice(line.indexOf(`${name}=`) + name.length + 1);
}

describe('deepReview.newRound', () => {
  it('says how to set a command when none is configured', async () => {
    const { c } = await sessions.start(files());
    const result = await run(c);
    expect(result.status).toBe('not-configured');
    expect(c.messages.at(-1)?.message).toBe(
      'No round command is set. Set deepReview.roundCommand in your editor\'s user settings (or initializationOptions) to the argv array of the program that starts a review round, e.g. ["deep-review", "--pr", "{pr}", "--round", "{nextRound}"]; it is never read from the repository',
    );
  });

  it('runs the command with placeholders and environment, shows progress, logs its output, and summarises the new round when it lands', async () => {
    const { w, c } = await sessions.start(files(), {
      debounceMs: 0,
      roundCommand: [...REPORT, 'pr={pr}', 'series={series}', 'branch={branch}', 'round={round}', 'sha={reviewSha}', 'prev={previousReport}', 'triage={triageFile}', 'ws={workspaceFolder}', '{unknown'],
    });
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => d.code)).toEqual(['I1', 'S1']);
    const result = await run(c);
    expect(result).toMatchObject({ status: 'finished', exitCode: 0, series: 'pr:7', summary: 'Round 2: 1 important, 1 suggestion; 1 fixed since round 1' });

    const argv = JSON.parse(logValue(c, 'argv')) as string[];
    expect(argv.slice(3)).toEqual([
      'pr=7',
      'series=pr:7',
      'branch=feature/checkout',
      'round=1',
      'sha=abc1234def5678',
      `prev=${w.path('.deep-review/round1.json')}`,
      `triage=${w.path('.deep-review/triage.json')}`,
      `ws=${w.root}`,
      '{unknown',
    ]);
    expect(JSON.parse(logValue(c, 'env'))).toEqual({
      DEEP_REVIEW_SERIES: 'pr:7',
      DEEP_REVIEW_PR: '7',
      DEEP_REVIEW_BRANCH: 'feature/checkout',
      DEEP_REVIEW_ROUND: '1',
      DEEP_REVIEW_NEXT_ROUND: '2',
      DEEP_REVIEW_REVIEW_SHA: 'abc1234def5678',
      DEEP_REVIEW_PREVIOUS_REPORT: w.path('.deep-review/round1.json'),
      DEEP_REVIEW_TRIAGE_FILE: w.path('.deep-review/triage.json'),
      DEEP_REVIEW_WORKSPACE_FOLDER: w.root,
    });
    expect(logValue(c, 'cwd')).toBe(w.root);

    // Progress: created by the server, begun, one report per output line, ended.
    expect(c.progressTokens).toHaveLength(1);
    const mine = c.progress.filter((p) => p.token === c.progressTokens[0]);
    expect(mine[0]?.value).toMatchObject({ kind: 'begin', title: 'Review round 2 of PR #7', cancellable: true });
    expect(mine.filter((p) => p.value.kind === 'report').map((p) => p.value.message)).toEqual(
      expect.arrayContaining(['reviewing 1/2', 'a note on stderr', 'reviewing 2/2', 'wrote .deep-review/round2.json']),
    );
    expect(mine.at(-1)?.value.kind).toBe('end');

    // The log keeps the output, under the review directory, and is not read as a report.
    const logs = readdirSync(w.path('.deep-review/logs'));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^round-pr-7-2-.*\.log$/);
    expect(result.log).toBe(pathToFileURL(w.path(`.deep-review/logs/${logs[0]}`)).toString());
    const log = readFileSync(w.path(`.deep-review/logs/${logs[0]}`), 'utf8');
    expect(log).toContain('reviewing 2/2');
    expect(log).toContain('# exited with code 0');
    expect(c.reportsRead.flatMap((b) => b.reports).filter((r) => r.includes('/logs/'))).toEqual([]);

    // Diagnostics switched to round 2, and the user was told what it found.
    await c.waitForDiagnostics(w.path('src/a.ts'), (d) => d.some((x) => x.code === 'S2'));
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => `${d.code}@${d.range.start.line + 1}`)).toEqual(['I1@4', 'S2@12']);
    await c.waitFor('the summary', () => c.messages.some((m) => m.message === 'Round 2: 1 important, 1 suggestion; 1 fixed since round 1'));
  });

  it('takes the command from initializationOptions, and reports through a client-given progress token', async () => {
    const w = sessions.workspace(files());
    const c = await sessions.client({ folders: [w.root], initializationOptions: { deepReview: { debounceMs: 0, roundCommand: REPORT } } });
    const result = await c.request<RoundResult>('workspace/executeCommand', { command: 'deepReview.newRound', arguments: [{ series: 'PR #7' }], workDoneToken: 'mine' });
    expect(result.status).toBe('finished');
    expect(c.progressTokens).toEqual([]);
    const kinds = c.progress.filter((p) => p.token === 'mine').map((p) => p.value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds).toContain('report');
    expect(kinds.at(-1)).toBe('end');
  });

  it('refuses a second run of the same series while one runs, and cancels the whole process tree with deepReview.cancelRound', async () => {
    const { w, c } = await sessions.start(files(), { debounceMs: 0, roundCommand: HOLD });
    const first = run(c);
    await c.waitFor('the command to wait', () => c.logs.some((l) => l.endsWith('waiting for the signal file')));
    const pid = Number(logValue(c, 'pid'));
    const child = Number(logValue(c, 'child'));
    expect(isGone(pid) || isGone(child)).toBe(false);

    const second = await run(c);
    expect(second.status).toBe('refused');
    expect(second.message).toMatch(/^Review round 2 of PR #7 is already running \(since \d{4}-\d\d-\d\dT[\d:.]+Z\); cancel it with deepReview\.cancelRound before starting another$/);
    expect(c.messages.at(-1)?.message).toBe(second.message);

    // The code action now offers to cancel.
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: pathToFileURL(w.path('src/a.ts')).toString() },
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
      context: { diagnostics: [] },
    });
    expect(actions.map((a) => a.title)).toContain('Cancel review round 2 of PR #7');

    expect(await c.request('workspace/executeCommand', { command: 'deepReview.cancelRound', arguments: [{ series: 'pr:7' }] })).toBe(1);
    const result = await first;
    expect(result.status).toBe('cancelled');
    expect(result.message).toMatch(/^Review round 2 of PR #7 was cancelled; the round command and every process it started were stopped \(log: \.deep-review\/logs\/round-pr-7-2-.*\.log\)$/);
    await waitUntil('the command and its child to end', () => isGone(pid) && isGone(child));
    expect(existsSync(w.path('.deep-review/round2.json'))).toBe(false);
    expect(c.progress.filter((p) => p.token === c.progressTokens[0]).at(-1)?.value.kind).toBe('end');

    // The server is still usable: a new run goes through.
    // (Pushed settings are applied before the next message is handled.)
    await c.notify('workspace/didChangeConfiguration', { settings: { deepReview: { debounceMs: 0, roundCommand: REPORT } } });
    expect(await run(c)).toMatchObject({ status: 'finished', summary: 'Round 2: 1 important, 1 suggestion; 1 fixed since round 1' });
  });

  it('cancels through window/workDoneProgress/cancel', async () => {
    const { c } = await sessions.start(files(), { debounceMs: 0, roundCommand: HOLD });
    const first = run(c);
    await c.waitFor('the command to wait', () => c.logs.some((l) => l.endsWith('waiting for the signal file')));
    const pid = Number(logValue(c, 'pid'));
    const child = Number(logValue(c, 'child'));
    await c.notify('window/workDoneProgress/cancel', { token: c.progressTokens[0] });
    expect((await first).status).toBe('cancelled');
    await waitUntil('the command and its child to end', () => isGone(pid) && isGone(child));
  });

  it('starts the first round of a folder without reports', async () => {
    const { w, c } = await sessions.start({ 'src/a.ts': numberedLines(20), 'incoming/round2.json': files()['incoming/round2.json'] }, { debounceMs: 0, roundCommand: [...REPORT, '{round}|{nextRound}|{pr}'] });
    const result = await run(c);
    expect(result).toMatchObject({ status: 'finished', series: '', summary: 'Round 2: 1 important, 1 suggestion' });
    expect(JSON.parse(logValue(c, 'argv')).at(-1)).toBe('|1|');
    expect(existsSync(w.path('.deep-review/round1.json'))).toBe(true);
    await c.waitForDiagnostics(w.path('src/a.ts'), (d) => d.length === 2);
  });

  it('cancels when the client cancels the request', async () => {
    const { c } = await sessions.start(files(), { debounceMs: 0, roundCommand: HOLD });
    const source = new CancellationTokenSource();
    const first = c.connection.sendRequest('workspace/executeCommand', { command: 'deepReview.newRound', arguments: [{}] }, source.token) as Promise<RoundResult>;
    await c.waitFor('the command to wait', () => c.logs.some((l) => l.endsWith('waiting for the signal file')));
    const pid = Number(logValue(c, 'pid'));
    const child = Number(logValue(c, 'child'));
    source.cancel();
    // The server answers a cancelled request as it ends; the client side rejects at once.
    await first.catch(() => undefined);
    await waitUntil('the command and its child to end', () => isGone(pid) && isGone(child));
  });

  it('shows no progress to a client that cannot show it, and still logs every line', async () => {
    const w = sessions.workspace(files());
    const c = await sessions.client({
      folders: [w.root],
      settings: { debounceMs: 0, roundCommand: REPORT },
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: {} } },
    });
    expect((await run(c)).status).toBe('finished');
    expect(c.progressTokens).toEqual([]);
    expect(c.progress).toEqual([]);
    expect(c.logs.filter((l) => l.startsWith('[Review round 2 of PR #7] reviewing'))).toEqual(['[Review round 2 of PR #7] reviewing 1/2', '[Review round 2 of PR #7] reviewing 2/2']);
  });

  it('lets a held run finish when released, and the second series is not blocked by the first', async () => {
    const more = { ...files(), '.deep-review/other.json': review(8, 3, [finding('I9', 'important', 'src/a.ts', 1)]) };
    const { w, c } = await sessions.start(more, { debounceMs: 0, roundCommand: HOLD });
    const first = run(c, [{ series: 'pr:7' }]);
    await c.waitFor('the command to wait', () => c.logs.some((l) => l.endsWith('waiting for the signal file')));
    // Another series may run at the same time; it is told apart by its own title.
    await c.notify('workspace/didChangeConfiguration', { settings: { deepReview: { debounceMs: 0, roundCommand: command('fail') } } });
    const other = await run(c, [{ series: 'PR #8' }]);
    expect(other.status).toBe('failed');
    expect(other.message).toMatch(/^Review round 4 of PR #8: the round command failed with exit code 3; see its log \.deep-review\/logs\/round-pr-8-4-.*\.log$/);
    w.write('release', 'go');
    const result = await first;
    expect(result).toMatchObject({ status: 'finished', summary: 'Round 2: 1 important, 1 suggestion; 1 fixed since round 1' });
  });

  it('says when the command was killed, and the server stays usable', async () => {
    const { w, c } = await sessions.start(files(), { debounceMs: 0, roundCommand: command('kill') });
    const result = await run(c);
    expect(result).toMatchObject({ status: 'failed', signal: 'SIGKILL' });
    expect(c.messages.at(-1)?.message).toMatch(/^Review round 2 of PR #7: the round command was killed by SIGKILL; see its log \.deep-review\/logs\/.*\.log$/);
    const reload = await c.request('workspace/executeCommand', { command: 'deepReview.reload', arguments: [] });
    expect(reload).toBeNull();
    expect(c.diagnosticsFor(w.path('src/a.ts')).map((d) => d.code)).toEqual(['I1', 'S1']);
  });

  it('stops a command that runs past the timeout, with the processes it started', async () => {
    const { c } = await sessions.start(files(), { debounceMs: 0, roundCommand: HOLD, roundTimeoutSeconds: 1 });
    const result = await run(c);
    expect(result.status).toBe('timed-out');
    expect(result.message).toMatch(
      /^Review round 2 of PR #7: the round command was still running after 1 s \(deepReview\.roundTimeoutSeconds\) and was stopped; see its log \.deep-review\/logs\/.*\.log$/,
    );
    const pid = Number(logValue(c, 'pid'));
    const child = Number(logValue(c, 'child'));
    await waitUntil('the command and its child to end', () => isGone(pid) && isGone(child));
  });

  it('says when the program cannot be started', async () => {
    const { c } = await sessions.start(files(), { debounceMs: 0, roundCommand: ['/nonexistent/deep-review-round', '{pr}'] });
    const result = await run(c);
    expect(result.status).toBe('failed');
    expect(result.message).toBe('Review round 2 of PR #7: the round command could not be started: spawn /nonexistent/deep-review-round ENOENT');
    expect(c.messages.at(-1)?.message).toBe(result.message);
  });

  it('refuses a round command with an unknown placeholder in the settings, keeping the previous one', async () => {
    const { c } = await sessions.start(files(), { debounceMs: 0, roundCommand: ['review', '{pull}'] });
    expect(c.messages.map((m) => m.message)).toContain(
      'deepReview.roundCommand: unknown placeholder {pull} (known: {series} {pr} {branch} {round} {nextRound} {reviewSha} {previousReport} {triageFile} {workspaceFolder}); keeping []',
    );
    expect((await run(c)).status).toBe('not-configured');
  });

  it('offers "Start review round 2 of PR #7" as a code action that runs the command', async () => {
    const { w, c } = await sessions.start(files(), { debounceMs: 0, roundCommand: REPORT });
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: pathToFileURL(w.path('src/a.ts')).toString() },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    const start = actions.find((a) => a.title === 'Start review round 2 of PR #7');
    expect(start?.kind).toBe('source.deepReview.round');
    const filtered = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: pathToFileURL(w.path('src/a.ts')).toString() },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['refactor'] },
    });
    expect(filtered.map((a) => a.title)).not.toContain('Start review round 2 of PR #7');
    // Offered on the report file too.
    const onReport = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: pathToFileURL(w.path('.deep-review/round1.json')).toString() },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    expect(onReport.map((a) => a.title)).toContain('Start review round 2 of PR #7');
    const result = await c.request<RoundResult>('workspace/executeCommand', start!.command);
    expect(result.status).toBe('finished');
  });

  it('asks which series when there are several and none is given', async () => {
    const more = { ...files(), '.deep-review/other.json': review(8, 3, [finding('I9', 'important', 'src/a.ts', 1)]) };
    const { c } = await sessions.start(more, { debounceMs: 0, roundCommand: command('fail') });
    c.answerMessageRequest = (request) => request.actions?.find((a) => a.title === 'PR #8') ?? null;
    const result = await run(c);
    expect(c.messageRequests.at(-1)).toEqual({ type: 3, message: 'Start the next review round of which series?', actions: [{ title: 'PR #7' }, { title: 'PR #8' }] });
    expect(result.message).toMatch(/^Review round 4 of PR #8: /);
    c.answerMessageRequest = () => null;
    expect((await run(c)).status).toBe('not-chosen');
  });
});
