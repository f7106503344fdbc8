// Makes a named pipe with the system's mkfifo; false where there is none.
import { execFileSync } from 'node:child_process';

export function mkfifoSync(file: string): boolean {
  try {
    execFileSync('mkfifo', [file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
