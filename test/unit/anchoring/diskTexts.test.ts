import { symlinkSync } from 'node:fs';
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
});
