// Soak: thousands of seeded random file events in the review directory (reports created, edited,
// deleted, renamed, replaced atomically, half-written; the directory and its subfolders removed and
// made again) while requests keep coming; the final diagnostics must equal a fresh server's.
// A few seconds by default; `npm run soak` runs it longer (SOAK_EVENTS, SOAK_SEED).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/lspClient.js';
import { useSessions } from '../support/sessions.js';
import { finding, numberedLines, review } from '../support/workspace.js';

const EVENTS = Number(process.env.SOAK_EVENTS ?? 600);
const SEED = Number(process.env.SOAK_SEED ?? 20261201);
const sessions = useSessions();

/** mulberry32: the same seed gives the same run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOURCES = Array.from({ length: 8 }, (_, i) => `src/f${i}.ts`);
const SLOTS = ['', 'sub/', 'sub/deeper/', 'other/'].flatMap((dir) => Array.from({ length: 4 }, (_, i) => `${dir}r${i}`));

function reportText(random: () => number, slot: string, markdown: boolean): string {
  const pr = 1 + Math.floor(random() * 4);
  const round = 1 + Math.floor(random() * 3);
  const file = SOURCES[Math.floor(random() * SOURCES.length)]!;
  const line = 1 + Math.floor(random() * 40);
  const id = `I${Math.floor(random() * 5)}`;
  if (markdown) {
    return `# Deep Review: ${slot}\n\n| | |\n|---|---|\n| **Date** | 2026-01-0${round} 10:00 |\n| **PR** | #${pr} |\n| **Round** | ${round} |\n\n## Important Issues\n\n${id}. **Seen in ${slot}** — \`${file}:${line}\` [Claude Opus 4.7]\n\nBody.\n`;
  }
  return `${JSON.stringify(review(pr, round, [finding(id, 'important', file, line, line, { title: `seen in ${slot}` })]), null, 1)}\n`;
}

/** Diagnostics as comparable text: every URI with diagnostics, each diagnostic without volatile parts. */
function snapshot(c: TestClient, root: string): string[] {
  const prefix = pathToFileURL(root).toString();
  return [...c.diagnostics.entries()]
    .filter(([, d]) => d.length > 0)
    .flatMap(([uri, d]) => d.map((x) => `${uri.slice(prefix.length)} ${x.range.start.line}:${x.range.start.character} ${x.code} ${x.message}`))
    .sort();
}

describe('soak', () => {
  it(`${EVENTS} random events (seed ${SEED}) end with the diagnostics of a fresh server`, async () => {
    const random = rng(SEED);
    const files: Record<string, string> = { '.deep-review/.keep': '' };
    for (const source of SOURCES) files[source] = numberedLines(50);
    const { w, c } = await sessions.start(files, { debounceMs: 5 });
    const dir = w.path('.deep-review');
    const live = new Map<string, string>(); // what each report holds when complete
    const write = (relative: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    };
    let requests: Promise<unknown>[] = [];
    for (let event = 0; event < EVENTS; event++) {
      const slot = SLOTS[Math.floor(random() * SLOTS.length)]!;
      const markdown = random() < 0.3;
      const name = `${slot}${markdown ? '.md' : '.json'}`;
      const roll = random();
      try {
        if (roll < 0.3) {
          const text = reportText(random, slot, markdown);
          write(name, text);
          live.set(name, text);
        } else if (roll < 0.45) {
          // Half-written: a prefix now; the rest may come later, or never if it is deleted.
          const text = reportText(random, slot, markdown);
          write(name, text.slice(0, Math.floor(text.length * random())));
          live.set(name, text);
        } else if (roll < 0.6) {
          rmSync(path.join(dir, name), { force: true });
          live.delete(name);
        } else if (roll < 0.72) {
          const text = reportText(random, slot, markdown);
          const tmp = path.join(dir, `.${path.basename(name)}.tmp`);
          mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
          writeFileSync(tmp, text);
          renameSync(tmp, path.join(dir, name));
          live.set(name, text);
        } else if (roll < 0.82) {
          const target = `${SLOTS[Math.floor(random() * SLOTS.length)]!}${markdown ? '.md' : '.json'}`;
          const text = live.get(name);
          if (text !== undefined && target !== name) {
            mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
            renameSync(path.join(dir, name), path.join(dir, target));
            live.delete(name);
            live.set(target, text);
          }
        } else if (roll < 0.9) {
          const sub = ['sub', 'sub/deeper', 'other'][Math.floor(random() * 3)]!;
          rmSync(path.join(dir, sub), { recursive: true, force: true });
          for (const key of [...live.keys()]) if (key.startsWith(`${sub}/`)) live.delete(key);
          mkdirSync(path.join(dir, sub), { recursive: true });
        } else if (roll < 0.94) {
          rmSync(dir, { recursive: true, force: true });
          live.clear();
          mkdirSync(dir);
        } else {
          requests.push(c.request('textDocument/codeAction', {
            textDocument: { uri: pathToFileURL(w.path(SOURCES[0]!)).toString() },
            range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
            context: { diagnostics: [] },
          }));
        }
      } catch (error) {
        // A rename of a file removed a moment ago by another step: part of the chaos, not a failure.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (event % 25 === 0) {
        await Promise.all(requests);
        requests = [];
      }
    }
    await Promise.all(requests);
    // Complete every report, so a fresh server and the soaked one read the same files.
    for (const [name, text] of live) write(name, text);
    const fresh = await sessions.client({ folders: [w.root], settings: { debounceMs: 5 } });
    const expected = snapshot(fresh, w.root);
    expect(expected.length).toBeGreaterThan(0);
    await c.waitFor('the soaked server to agree with a fresh one', () => JSON.stringify(snapshot(c, w.root)) === JSON.stringify(expected), 20_000).catch(() => undefined);
    expect(snapshot(c, w.root)).toEqual(expected);
  });
});
