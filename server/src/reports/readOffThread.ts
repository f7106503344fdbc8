/**
 * Reads large reports in a worker thread: a report of several megabytes takes
 * the reader a second or more, and the server must keep answering meanwhile.
 * Small reports, and runs from source where no compiled worker exists, are read
 * on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readReviewText } from './readReviewText.js';
import type { ReadResult } from './readResult.js';

/** Reports at least this long (in UTF-16 code units) are read in a worker. */
export const OFF_THREAD_CHARS = 256 * 1024;
/** A worker still reading after this long is stopped, and the report says so. */
const WORKER_TIMEOUT_MS = 60_000;

const WORKER = new URL('./parseWorker.js', import.meta.url);

/** Reads report text like readReviewText, in a worker thread when the text is large. */
export async function readReviewTextOffThread(fileName: string, text: string, html?: string, minChars = OFF_THREAD_CHARS): Promise<ReadResult> {
  if (text.length < minChars || !existsSync(fileURLToPath(WORKER))) return readReviewText(fileName, text, html);
  return new Promise<ReadResult>((resolve) => {
    const worker = new Worker(WORKER);
    let settled = false;
    const finish = (result: ReadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const failed = (message: string): ReadResult => ({ problems: [{ severity: 'error', code: 'reader-failed', message, offset: 0, length: 0 }] });
    const timer = setTimeout(() => finish(failed(`Reading this report took longer than ${WORKER_TIMEOUT_MS / 1000} s; it was stopped`)), WORKER_TIMEOUT_MS);
    worker.once('message', (reply: { result?: ReadResult; error?: string }) =>
      finish(reply.result ?? failed(`The report could not be read: ${reply.error ?? 'no answer'}`)),
    );
    worker.once('error', (error) => finish(failed(`The report could not be read: ${error.message}`)));
    worker.once('exit', () => finish(failed('The report could not be read: its reader stopped')));
    worker.postMessage({ fileName, text, ...(html === undefined ? {} : { html }) });
  });
}
