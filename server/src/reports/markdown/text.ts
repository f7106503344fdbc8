/**
 * Small string helpers shared by the Markdown report reader. All of them scan
 * linearly; none uses a regular expression that could backtrack on long input.
 */

/** Splits on a separator character that is not inside parentheses, brackets or a code span. */
export function splitTopLevel(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inCode = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') inCode = !inCode;
    else if (inCode) continue;
    else if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === separator && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Removes a `~~…~~` strike-through around a whole string. */
export function stripStrike(text: string): { text: string; struck: boolean } {
  const t = text.trim();
  if (t.length >= 4 && t.startsWith('~~') && t.endsWith('~~')) return { text: t.slice(2, -2).trim(), struck: true };
  return { text: t, struck: false };
}

/** Removes one pair of backticks around a whole string (`` `x` `` → x). */
export function stripCode(text: string): string {
  const t = text.trim();
  let n = 0;
  while (t[n] === '`') n++;
  if (n > 0 && t.length > 2 * n && t.endsWith('`'.repeat(n))) return t.slice(n, -n).trim();
  return t;
}

/** Removes the indentation common to all non-blank lines. */
export function dedent(text: string): string {
  const lines = text.split('\n');
  let common = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let n = 0;
    while (n < line.length && line[n] === ' ') n++;
    common = Math.min(common, n);
  }
  if (common === Infinity || common === 0) return text;
  return lines.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length))).join('\n');
}

/** Removes blank lines and `---` separators at both ends of a Markdown slice. */
export function trimMarkdown(text: string): string {
  const lines = text.split('\n');
  const isFiller = (line: string | undefined) => line !== undefined && (line.trim() === '' || /^ {0,3}(?:-{3,}|\*{3,}|_{3,})\s*$/.test(line));
  let a = 0;
  let b = lines.length;
  while (a < b && isFiller(lines[a])) a++;
  while (b > a && isFiller(lines[b - 1])) b--;
  return lines.slice(a, b).join('\n').trimEnd();
}

/** Collapses runs of whitespace to one blank. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Copies an object without its undefined-valued keys, so JSON round trips are exact. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

const SEVERITY_WORDS: ReadonlyMap<string, 'critical' | 'important' | 'suggestion'> = new Map([
  ['critical', 'critical'],
  ['important', 'important'],
  ['suggestion', 'suggestion'],
  ['suggestions', 'suggestion'],
]);

/** "Critical", "IMPORTANT", "Suggestions" → severity; undefined for other words. */
export function severityWord(word: string): 'critical' | 'important' | 'suggestion' | undefined {
  return SEVERITY_WORDS.get(word.toLowerCase());
}

/** Severity implied by a finding id's letter: C1 → critical, I2 → important, S3 → suggestion. */
export function severityOfId(id: string): 'critical' | 'important' | 'suggestion' | undefined {
  switch (id[0]?.toUpperCase()) {
    case 'C':
      return 'critical';
    case 'I':
      return 'important';
    case 'S':
      return 'suggestion';
    default:
      return undefined;
  }
}
