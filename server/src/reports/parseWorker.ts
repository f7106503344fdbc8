/**
 * The worker thread that reads one large report, so the server's own thread
 * keeps answering the editor meanwhile. Receives { fileName, text, html }, posts the ReadResult.
 */
import { parentPort } from 'node:worker_threads';
import { readReviewText } from './readReviewText.js';

parentPort?.once('message', async (message: { fileName: string; text: string; html?: string }) => {
  try {
    parentPort!.postMessage({ result: await readReviewText(message.fileName, message.text, message.html) });
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error)?.message ?? String(error) });
  }
});
