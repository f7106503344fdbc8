/**
 * Where the command-line tools write, and what they may write to a terminal:
 * text from report files is escaped so it cannot drive the terminal, and a
 * closed pipe (`deep-review-lsp findings | head`) ends the command quietly.
 */

/** Where a tool writes: `out` for results, `err` for problems and notes. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * C0 and C1 controls (ESC, BEL, CR, ...), DEL, and the Unicode bidirectional
 * controls and line separators that reorder or hide text.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` made safe to print on one terminal line: tab becomes a blank, every
 * other control or bidi character is written as a visible escape (`\x1b`,
 * `\u202e`), so a report cannot set the window title, write the clipboard,
 * hide or reorder text.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\t') return ' ';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** JSON text with the characters JSON.stringify leaves raw that a terminal acts on (DEL, C1, bidi) written as \u escapes: the same data. */
export function jsonForTerminal(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The process's stdout and stderr as an Output. A reader that goes away (EPIPE)
 * ends the process with status 0 and no message: what it wanted it has.
 */
export function processOutput(): Output {
  const quietOnClosedPipe = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  };
  process.stdout.on('error', quietOnClosedPipe);
  process.stderr.on('error', quietOnClosedPipe);
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
  };
}
