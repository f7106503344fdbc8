/**
 * One run of the round command: spawned without a shell in its own process
 * group, its output split into lines and kept in a log, stopped with every
 * process it started on cancel or timeout. Knows nothing of LSP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import * as path from 'node:path';

/** How a run ended. */
export type RoundOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'cancelled' }
  | { kind: 'timed-out'; seconds: number }
  | { kind: 'not-started'; message: string };

/** What to run and where its output goes. */
export interface RoundProcessOptions {
  argv: readonly string[];
  cwd: string;
  /** Added to the server's environment. */
  env: Record<string, string>;
  /** The log file (its directory is created). */
  logFile: string;
  timeoutSeconds: number;
  /** Each complete output line, without its line end. */
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Time between SIGTERM and SIGKILL when stopping (ms). */
  killGraceMs?: number;
}

/** A started run. */
export interface RoundProcess {
  /** Process id of the command (also its process group id), when it started. */
  readonly pid: number | undefined;
  /** Resolves once the command and its output are done. */
  readonly done: Promise<RoundOutcome>;
  /** Stops the command and every process in its group. */
  cancel(): void;
}

/** Starts the round command. Never throws: a command that cannot start ends as 'not-started'. */
export async function startRoundProcess(options: RoundProcessOptions): Promise<RoundProcess> {
  const [program, ...args] = options.argv;
  if (!program) return finished({ kind: 'not-started', message: 'the round command is empty' });
  let log: WriteStream;
  try {
    await fs.mkdir(path.dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile, { flags: 'a' });
    await new Promise<void>((resolve, reject) => log.once('open', () => resolve()).once('error', reject));
  } catch (error) {
    return finished({ kind: 'not-started', message: `its log ${options.logFile} cannot be written: ${(error as Error).message}` });
  }
  log.write(`$ ${JSON.stringify(options.argv)}\n# in ${options.cwd} at ${new Date().toISOString()}\n`);
  let child: ChildProcess;
  try {
    child = spawn(program, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      shell: false,
      // Its own process group, so the command and everything it starts stop together.
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (error) {
    log.end(`# could not start: ${(error as Error).message}\n`);
    return finished({ kind: 'not-started', message: (error as Error).message });
  }
  const grace = options.killGraceMs ?? 3_000;
  let stopReason: RoundOutcome | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: RoundOutcome) => {
    // The command itself may have exited while what it started still holds its output open.
    if (stopReason) return;
    stopReason = reason;
    killGroup(child, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), grace);
  };
  const timeout = setTimeout(() => stop({ kind: 'timed-out', seconds: options.timeoutSeconds }), options.timeoutSeconds * 1000);
  const splitters = (['stdout', 'stderr'] as const).map((stream) => {
    const splitter = new LineSplitter((line) => options.onLine(line, stream));
    child[stream]!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      splitter.push(chunk.toString('utf8'));
    });
    return splitter;
  });
  const done = new Promise<RoundOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: RoundOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      for (const splitter of splitters) splitter.end();
      log.end(`# ${describeOutcomeForLog(outcome)} at ${new Date().toISOString()}\n`, () => resolve(outcome));
    };
    child.once('error', (error) => settle({ kind: 'not-started', message: error.message }));
    child.once('close', (code, signal) => {
      if (stopReason) settle(stopReason);
      else if (signal) settle({ kind: 'signalled', signal });
      else settle({ kind: 'exited', code: code ?? 0 });
    });
  });
  return {
    pid: child.pid,
    done,
    cancel: () => stop({ kind: 'cancelled' }),
  };
}

function finished(outcome: RoundOutcome): RoundProcess {
  return { pid: undefined, done: Promise.resolve(outcome), cancel: () => undefined };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function describeOutcomeForLog(outcome: RoundOutcome): string {
  switch (outcome.kind) {
    case 'exited':
      return `exited with code ${outcome.code}`;
    case 'signalled':
      return `killed by ${outcome.signal}`;
    case 'cancelled':
      return 'cancelled';
    case 'timed-out':
      return `stopped after ${outcome.seconds} s`;
    case 'not-started':
      return `could not start: ${outcome.message}`;
  }
}

/** Splits a stream of text into lines; a carriage return (progress bars) ends a line too. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Adds text; complete lines are passed on. */
  push(text: string): void {
    const parts = (this.rest + text).split(/\r\n|\r|\n/);
    this.rest = parts.pop() ?? '';
    for (const line of parts) this.onLine(line);
  }

  /** Passes on the last line when it had no line end. */
  end(): void {
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
}
