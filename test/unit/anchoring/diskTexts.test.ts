import { mkfifoSync } from './fifo.js';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskTexts } from '../../../server/src/anchoring/diskTexts.js';
import { TempWorkspace } from '../../support/workspace.js';

const spaces: TempWorkspace[] = [];
afterEach(() => spaces.splice(0).forEach((space) => space.dispose()));

describe('cited files read from disk', () => {
  it('never reads a file whose real path leaves its workspace folder, even one linked from inside it', async () => {
    const outside = new TempWorkspace();
    const w = new TempWorkspace();
    spaces.push(outside, w);
    const secret = outside.write('secret.ts', 'password = 1\n');
    w.write('src/a.ts', 'inside\n');
    symlinkSync(secret, w.path('src/linked.ts'));
    const texts = new DiskTexts((file) => (file.startsWith(w.root) ? w.root : undefined));
    expect(await texts.read(w.path('src/a.ts'))).toEqual({ kind: 'text', text: 'inside\n' });
    expect(await texts.read(w.path('src/linked.ts'))).toEqual({ kind: 'unreadable' });
    expect(await texts.read(secret)).toEqual({ kind: 'unreadable' });
    expect(await texts.read(w.path('src/missing.ts'))).toEqual({ kind: 'missing' });
  });

  it('sees a changed file at once outside a batch, and reads each file once inside one', async () => {
    const w = new TempWorkspace();
    spaces.push(w);
    const file = w.write('src/a.ts', 'one\n');
    const texts = new DiskTexts((f) => (f.startsWith(w.root) ? w.root : undefined));
    expect(await texts.read(file)).toEqual({ kind: 'text', text: 'one\n' });
    writeFileSync(file, 'two, longer\n');
    expect(await texts.read(file)).toEqual({ kind: 'text', text: 'two, longer\n' });
    await texts.batch(async () => {
      expect(await texts.read(file)).toEqual({ kind: 'text', text: 'two, longer\n' });
      // Within one batch the file is as it was first read in it.
      writeFileSync(file, 'three, longer still\n');
      expect(await texts.read(file)).toEqual({ kind: 'text', text: 'two, longer\n' });
      rmSync(file);
      expect(await texts.read(file)).toEqual({ kind: 'text', text: 'two, longer\n' });
    });
    expect(await texts.read(file)).toEqual({ kind: 'missing' });
  });

  it('does not block on a pipe named like a cited file', async () => {
    const w = new TempWorkspace();
    spaces.push(w);
    const pipe = w.path('src/pipe.ts');
    w.write('src/keep.ts', '\n');
    if (!mkfifoSync(pipe)) return;
    const texts = new DiskTexts((f) => (f.startsWith(w.root) ? w.root : undefined));
    expect(await texts.read(pipe)).toEqual({ kind: 'unreadable' });
  });
});
