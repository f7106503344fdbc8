// FileTexts: an open buffer wins over the disk, and its lines are split once per text, never served stale.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTexts } from '../../server/src/store/fileTexts.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('FileTexts', () => {
  it('splits an open buffer once while its text stays the same, and again when it changes or closes', async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'drl-texts-')));
    dirs.push(dir);
    const file = path.join(dir, 'a.ts');
    writeFileSync(file, 'disk 1\ndisk 2\n');
    const buffers = new Map<string, string>();
    const texts = new FileTexts((uri) => buffers.get(uri));
    expect(await texts.lines(file)).toEqual(['disk 1', 'disk 2', '']);
    buffers.set(pathToFileURL(file).toString(), 'open 1\r\nopen 2');
    const first = await texts.lines(file);
    expect(first).toEqual(['open 1', 'open 2']);
    expect(await texts.lines(file)).toBe(first);
    buffers.set(pathToFileURL(file).toString(), 'open 1\nopen 2\nopen 3');
    expect(await texts.lines(file)).toEqual(['open 1', 'open 2', 'open 3']);
    buffers.clear();
    expect(await texts.lines(file)).toEqual(['disk 1', 'disk 2', '']);
  });
});
