/**
 * The triage file of one review directory: read and validated (problems placed
 * in its text), and changed only under its lock, by re-reading what is on disk,
 * applying one decision and renaming a complete new file over it. A file that
 * cannot be read is never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { emptyTriage, Triage, TRIAGE_VERSION, type TriageDecision, type TriageEntry } from '../model/triage.js';
import { computeOutsideFolder } from './reviewDirectoryFiles.js';
import { withFileLock, LockTimeoutError, type LockOptions } from './fileLock.js';

/** A problem of the triage file, at an offset of its text. */
export interface TriageProblem {
  message: string;
  offset: number;
  length: number;
}

/** The triage file as read: the triage when it is valid, its text and its problems. */
export interface TriageRead {
  triage?: Triage;
  text?: string;
  problems: TriageProblem[];
}

/** Raised when a decision cannot be recorded; the message is for the user. */
export class TriageWriteError extends Error {}

/** Reads triage text; any problem means the file is not used and not written. */
export function parseTriageText(text: string): TriageRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The syntax tree is built only to place a problem: it costs far more than JSON.parse.
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    const what = first ? describeParseError(first) : 'it is empty';
    return { text, problems: [{ message: `The triage file is not valid JSON: ${what}; fix it by hand (it is not overwritten until then)`, offset: first?.offset ?? 0, length: first?.length ?? 0 }] };
  }
  const result = Triage.safeParse(value);
  if (result.success) return { text, triage: result.data, problems: [] };
  const tree = parseTree(text, [], { disallowComments: true });
  return {
    text,
    problems: result.error.issues.map((issue) => {
      let node = tree && findNodeAtLocation(tree, issue.path as (string | number)[]);
      // A missing key is reported at the object that lacks it.
      for (let up = issue.path.length - 1; tree && !node && up >= 0; up--) node = findNodeAtLocation(tree, issue.path.slice(0, up) as (string | number)[]);
      const at = node?.parent?.type === 'property' && issue.code === 'invalid_key' ? node.parent : node;
      const where = issue.path.length > 0 ? issue.path.join('.') : 'the file';
      return {
        message: `Triage file: ${where}: ${issue.message}; fix it by hand (it is not overwritten until then)`,
        offset: at?.offset ?? 0,
        length: at?.length ?? 0,
      };
    }),
  };
}

function describeParseError(error: ParseError): string {
  const names: Record<string, string> = {
    InvalidCommentToken: 'comments are not allowed (they would be lost when the server writes the file)',
    CommaExpected: 'a comma is missing',
    PropertyNameExpected: 'a property name is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: 'a colon is missing',
    CloseBraceExpected: 'a closing brace is missing',
    CloseBracketExpected: 'a closing bracket is missing',
    EndOfFileExpected: 'text follows the end of the JSON value',
  };
  const code = printParseErrorCode(error.error);
  return names[code] ?? code;
}

/** Reads the triage file; a missing file is an empty triage. `previous` is reused when the text is the same. */
export async function readTriageFile(file: string, previous?: TriageRead): Promise<TriageRead> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { triage: emptyTriage(), problems: [] };
    return { problems: [{ message: `The triage file cannot be read: ${(error as Error).message}`, offset: 0, length: 0 }] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return previous?.text === text ? previous : parseTriageText(text);
}

/** Records a decision about a finding; the decision in force moves into the history. */
export function applyDecision(triage: Triage, fingerprint: string, decision: TriageDecision, finding: TriageEntry['finding']): Triage {
  const previous = triage.findings[fingerprint];
  const history = previous ? [...previous.history, decisionOf(previous)] : [];
  return { ...triage, findings: { ...triage.findings, [fingerprint]: { ...decision, finding, history } } };
}

function decisionOf(entry: TriageEntry): TriageDecision {
  const { finding: _finding, history: _history, ...decision } = entry;
  return decision;
}

/** The file's text: findings in fingerprint order, so diffs of the committed file stay small. */
export function formatTriage(triage: Triage): string {
  const findings = Object.fromEntries(Object.entries(triage.findings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...triage, triageVersion: TRIAGE_VERSION, findings }, null, 2)}\n`;
}

/** The triage file of one review directory, with the last good triage in effect. */
export class TriageFile {
  private triage: Triage = emptyTriage();
  private read: TriageRead = { triage: emptyTriage(), problems: [] };
  /** Reads and updates run one at a time, so an older read never lands after a newer one. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    /** Absolute path of the triage file. */
    readonly file: string,
    /** Absolute path of the workspace folder; nothing is written outside it. */
    readonly root: string,
    private readonly lockOptions: Partial<LockOptions> = {},
  ) {}

  /** The triage in effect: the file's, or the last good one while it has problems. */
  current(): Triage {
    return this.triage;
  }

  /** The problems of the file as last read, and its text. */
  lastRead(): TriageRead {
    return this.read;
  }

  /** Re-reads the file; true when what is in effect or its problems changed. */
  reload(): Promise<boolean> {
    return this.serial(async () => this.take(await readTriageFile(this.file, this.read)));
  }

  /** Applies a change under the lock to what is on disk now, and writes the result atomically. */
  update(change: (triage: Triage) => Triage): Promise<Triage> {
    return this.serial(() => this.updateNow(change));
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async updateNow(change: (triage: Triage) => Triage): Promise<Triage> {
    await this.checkInsideRoot();
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    try {
      return await withFileLock(`${this.file}.lock`, async () => {
        const onDisk = await readTriageFile(this.file, this.read);
        this.take(onDisk);
        if (!onDisk.triage) {
          throw new TriageWriteError(
            `${path.relative(this.root, this.file)} has problems (${onDisk.problems[0]?.message ?? 'unreadable'}); it is not overwritten. Fix or remove it, then try again`,
          );
        }
        const next = change(onDisk.triage);
        const text = formatTriage(next);
        const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
        try {
          const handle = await fs.open(temp, 'wx');
          try {
            await handle.writeFile(text);
            await handle.sync();
          } finally {
            await handle.close();
          }
          await fs.rename(temp, this.file);
        } catch (error) {
          await fs.rm(temp, { force: true });
          throw error;
        }
        this.take({ triage: next, text, problems: [] });
        return next;
      }, this.lockOptions);
    } catch (error) {
      if (error instanceof LockTimeoutError) throw new TriageWriteError(`The triage file is ${error.message}; try again`);
      throw error;
    }
  }

  private take(read: TriageRead): boolean {
    const changed = read !== this.read && (read.text !== this.read.text || JSON.stringify(read.problems) !== JSON.stringify(this.read.problems));
    this.read = read;
    if (read.triage) this.triage = read.triage;
    return changed;
  }

  /** The review directory may be a link; a triage file that would land outside the folder is refused. */
  private async checkInsideRoot(): Promise<void> {
    const outside = await computeOutsideFolder(this.root, path.dirname(this.file));
    if (outside) throw new TriageWriteError(`${outside}; the triage file is not written there`);
  }
}
