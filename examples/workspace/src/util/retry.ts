/**
 * Retrying calls to the item backend with exponential backoff.
 */

export interface RetryOptions {
  /** Total attempts, the first one included. */
  attempts: number;
  /** Delay before the second attempt; it doubles after each failure. */
  baseDelayMs: number;
  /** Upper bound of a single delay. */
  maxDelayMs: number;
  /** Stops waiting between attempts. */
  signal?: AbortSignal;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
};

/** A non-2xx answer from the backend. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Calls `fn` until it succeeds or the attempts run out, then rethrows the last error. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastError = err;
      if (attempt === options.attempts) break;
      const delay = Math.min(options.baseDelayMs * 2 ** (attempt - 1), options.maxDelayMs);
      await sleep(delay, options.signal);
    }
  }
  throw lastError;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
