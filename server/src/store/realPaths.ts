/**
 * Real paths (links resolved) of many files at once. A file that is not itself
 * a link lies where its directory really is, so each directory is resolved once
 * and each file costs one `lstat`, instead of a `realpath` walking every
 * component of every file. The calls are synchronous: each is a system call of
 * microseconds, and the promise API's thread-pool round trip cost far more. The
 * answers hold for one piece of work (a report read): a new `RealPaths` asks
 * the disk again.
 */
import { lstatSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

export class RealPaths {
  private readonly dirs = new Map<string, string | undefined>();
  private readonly files = new Map<string, string | undefined>();

  /** The real path of `file`, or undefined when it does not exist (or cannot be resolved). */
  of(file: string): string | undefined {
    const absolute = path.resolve(file);
    if (!this.files.has(absolute)) this.files.set(absolute, this.resolve(absolute));
    return this.files.get(absolute);
  }

  private resolve(file: string): string | undefined {
    const parent = path.dirname(file);
    if (parent === file) return realOrUndefined(file);
    const realParent = this.dir(parent);
    if (realParent === undefined) return undefined;
    try {
      return lstatSync(file).isSymbolicLink() ? realOrUndefined(file) : path.join(realParent, path.basename(file));
    } catch {
      return undefined;
    }
  }

  private dir(dir: string): string | undefined {
    if (!this.dirs.has(dir)) this.dirs.set(dir, realOrUndefined(dir));
    return this.dirs.get(dir);
  }
}

function realOrUndefined(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}
