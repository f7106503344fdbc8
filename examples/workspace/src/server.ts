import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TtlCache } from './cache.js';
import { HttpError, retry } from './util/retry.js';

const DATA_DIR = process.env.ITEMD_DATA_DIR ?? '/var/lib/itemd';
const BACKEND = process.env.ITEMD_BACKEND ?? 'http://127.0.0.1:9090';

const cache = new TtlCache<string, string>({ ttlSeconds: 60, maxEntries: 10_000 });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

async function fetchBackend(key: string): Promise<string> {
  const response = await fetch(`${BACKEND}/items/${encodeURIComponent(key)}`);
  if (!response.ok) throw new HttpError(response.status, `backend answered ${response.status}`);
  return response.text();
}

function fileFor(key: string): string {
  return path.join(DATA_DIR, Buffer.from(key).toString('base64url'));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('x-request-id', randomUUID());
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/items/')) return send(res, 404, '{"error":"not found"}');
  const key = decodeURIComponent(url.pathname.slice('/items/'.length));

  if (req.method === 'GET') {
    const cached = cache.get(key);
    if (cached !== undefined) return send(res, 200, cached);
    const body = await retry(() => fetchBackend(key));
    cache.set(key, body);
    return send(res, 200, body);
  }

  if (req.method === 'PUT') {
    const body = await readBody(req);
    cache.set(key, body);
    await writeFile(fileFor(key), body);
    return send(res, 204, '');
  }

  return send(res, 405, '{"error":"method not allowed"}');
}

createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    console.error(err);
    if (!res.headersSent) send(res, 500, '{"error":"internal"}');
  });
}).listen(Number(process.env.PORT ?? 8080));
