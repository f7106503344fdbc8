/**
 * A lock file beside a file that several servers write: created with O_EXCL,
 * so exactly one holder at a time; a lock left by a process that died, or older
 * than the stale limit, is broken.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';

/** How long to wait for a lock, and when a lock counts as abandoned. */
export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** A lock older than this (ms) is abandoned, whoever holds it. */
  staleMs: number;
}

/** Raised when the lock could not be taken; the message says who holds it. */
export class LockTimeoutError extends Error {}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  at: string;
}

const DEFAULTS: LockOptions = { timeoutMs: 5_000, staleMs: 30_000 };

/** Runs `run` while holding `lockFile`; the lock is released however `run` ends. */
export async function withFileLock<T>(lockFile: string, run: () => Promise<T>, options: Partial<LockOptions> = {}): Promise<T> {
  const { timeoutMs, staleMs } = { ...DEFAULTS, ...options };
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), nonce: randomBytes(8).toString('hex'), at: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(lockFile);
    if (holder && (await isAbandoned(lockFile, holder, staleMs))) {
      // Only the lock that was judged abandoned is removed, not one taken since.
      const again = await readOwner(lockFile);
      if (again?.nonce === holder.nonce) await fs.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(
        holder ? `locked by process ${holder.pid} on ${holder.host} since ${holder.at} (${lockFile})` : `locked (${lockFile})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 25);
  }
  try {
    return await run();
  } finally {
    const current = await readOwner(lockFile);
    if (current?.nonce === owner.nonce) await fs.rm(lockFile, { force: true });
  }
}

async function readOwner(lockFile: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(lockFile, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.nonce !== 'string') return { pid: -1, host: '', nonce: '', at: '' };
    return { pid: parsed.pid, host: String(parsed.host ?? ''), nonce: parsed.nonce, at: String(parsed.at ?? '') };
  } catch (error) {
    // Gone, or being written this very moment by its new holder: try again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return undefined;
  }
}

async function isAbandoned(lockFile: string, holder: LockOwner, staleMs: number): Promise<boolean> {
  if (holder.host === os.hostname() && holder.pid > 0 && !isAlive(holder.pid)) return true;
  try {
    const stat = await fs.stat(lockFile);
    return Date.now() - stat.mtimeMs > staleMs;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
