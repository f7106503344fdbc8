/** Reading a file synchronously without any chance of blocking on a pipe or device. */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/**
 * A regular file's text, read without blocking on anything else: it is opened
 * non-blocking and checked on the open descriptor, so a file swapped for a pipe
 * after the stat cannot stall the server. Undefined when it is no regular file,
 * or is larger than `maxBytes` (checked on the descriptor too). With `noFollow`,
 * a link is not followed (opening it fails).
 */
export function readRegularFileSync(file: string, maxBytes = Number.POSITIVE_INFINITY, noFollow = false): string | undefined {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
