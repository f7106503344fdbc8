/**
 * Reader for review JSON. Errors are placed at the offending field of the file
 * (jsonc-parser keeps offsets), and one bad finding never hides the good ones.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type * as z from 'zod';
import { Finding, ReviewHeader, SCHEMA_VERSION, type Review } from '../model/review.js';
import { checkLocations } from './checkLocations.js';
import type { ReadResult, ReportProblem } from './readResult.js';

type JsonPath = (string | number)[];

/** Stands for the syntax tree when jsonc-parser cannot build one: problems are then placed at the start. */
const NO_TREE: Node = { type: 'null', offset: 0, length: 0 };

/**
 * jsonc-parser's tree, or undefined when the text nests too deep for it: it
 * recurses, and a stack overflow there would lose every finding of the report.
 */
function safeParseTree(text: string, errors: ParseError[]): Node | undefined {
  try {
    return parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch {
    return undefined;
  }
}

/** Reads review JSON text into a review, with every problem placed in the text. */
export function readReviewJson(text: string): ReadResult {
  // JSON.parse is several times faster than building a syntax tree; the tree is
  // built only when something has to be placed in the text.
  let value: unknown;
  try {
    value = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (error) {
    return { problems: syntaxProblems(text, (error as Error).message) };
  }
  if (value === undefined) {
    return { problems: [{ severity: 'error', code: 'empty', message: 'The review file is empty', offset: 0, length: 0 }] };
  }
  let tree: Node | undefined;
  const place = (path: JsonPath): Node => {
    tree ??= safeParseTree(text, []) ?? NO_TREE;
    return nodeFor(tree, path);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [problemAt(place([]), 'error', 'schema', 'A review must be a JSON object')] };
  }
  const problems: ReportProblem[] = [];
  const { findings: rawFindings, ...headerValue } = value as Record<string, unknown>;
  const header = readHeader(headerValue, place, problems);
  if (!header) return { problems };

  const findings: Review['findings'] = [];
  const keptIndex: number[] = []; // file index of each kept finding
  if (rawFindings !== undefined && !Array.isArray(rawFindings)) {
    problems.push(problemAt(place(['findings']), 'error', 'schema', '"findings" must be an array'));
  } else {
    (rawFindings ?? []).forEach((item: unknown, index: number) => {
      const parsed = Finding.safeParse(item);
      if (parsed.success) {
        findings.push(parsed.data);
        keptIndex.push(index);
        return;
      }
      const label = describeFinding(item, index);
      for (const issue of parsed.error.issues) {
        const path: JsonPath = ['findings', index, ...(issue.path as JsonPath)];
        problems.push(problemAt(place(path), 'error', 'schema', `${label} is not shown: ${formatIssue(path, issue)}`));
      }
    });
  }

  const review: Review = { ...header, findings };
  problems.push(
    ...checkLocations(review, (findingIndex, locationIndex, field) => {
      const node = place(['findings', keptIndex[findingIndex] ?? findingIndex, 'locations', locationIndex, field]);
      return { offset: node.offset, length: node.length };
    }),
  );
  problems.push(...checkDuplicateIds(review, (findingIndex) => place(['findings', keptIndex[findingIndex] ?? findingIndex, 'id'])));
  return { review, problems };
}

function readHeader(
  headerValue: Record<string, unknown>,
  place: (path: JsonPath) => Node,
  problems: ReportProblem[],
): z.infer<typeof ReviewHeader> | undefined {
  const candidate = { ...headerValue };
  if (candidate.schemaVersion !== SCHEMA_VERSION) {
    const message =
      candidate.schemaVersion === undefined
        ? `Not a review file: "schemaVersion": ${SCHEMA_VERSION} is missing`
        : `Unsupported "schemaVersion" ${JSON.stringify(candidate.schemaVersion)}; this server reads version ${SCHEMA_VERSION}`;
    problems.push(problemAt(place(['schemaVersion']), 'error', 'schema', message));
    return undefined;
  }
  // Drop each optional field that does not validate, so the findings still show.
  for (let attempt = 0; attempt < 50; attempt++) {
    const parsed = ReviewHeader.safeParse(candidate);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      const path = issue.path as JsonPath;
      if (typeof key !== 'string' || !(key in candidate)) {
        problems.push(problemAt(place(path), 'error', 'schema', formatIssue(path, issue)));
        return undefined;
      }
      problems.push(problemAt(place(path), 'warning', 'schema', `${formatIssue(path, issue)}; "${key}" is ignored`));
      delete candidate[key];
    }
  }
  return undefined;
}

/** Flags findings that share an id: both are shown, but the id no longer names one finding. */
export function checkDuplicateIds(review: Review, place: (findingIndex: number) => { offset: number; length: number }): ReportProblem[] {
  const seen = new Map<string, number>();
  const problems: ReportProblem[] = [];
  review.findings.forEach((finding, index) => {
    const first = seen.get(finding.id);
    if (first === undefined) {
      seen.set(finding.id, index);
      return;
    }
    const { offset, length } = place(index);
    problems.push({
      severity: 'warning',
      code: 'duplicate-id',
      message: `Duplicate finding id "${finding.id}" (also used by finding ${first + 1}); both are shown, but references to "${finding.id}" are ambiguous`,
      offset,
      length,
    });
  });
  return problems;
}

/** The first syntax error, placed by jsonc-parser (the ones after it are its echoes). */
function syntaxProblems(text: string, parseMessage: string): ReportProblem[] {
  const errors: ParseError[] = [];
  if (!safeParseTree(text, errors)) {
    const at = Number(/position (\d+)/.exec(parseMessage)?.[1] ?? 0);
    return [{ severity: 'error', code: 'invalid-json', message: `Invalid JSON: ${parseMessage}`, offset: at, length: 1 }];
  }
  const first = errors[0];
  return [
    {
      severity: 'error',
      code: 'invalid-json',
      message: first ? `Invalid JSON: ${describeParseError(printParseErrorCode(first.error))}` : 'Invalid JSON',
      offset: first?.offset ?? 0,
      length: Math.max(first?.length ?? 0, 1),
    },
  ];
}

function nodeFor(tree: Node, path: JsonPath): Node {
  // Walk up the path until a node exists: a missing field is reported on its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (node) {
      // Point at the property key for objects' members, which is where users look.
      return node;
    }
  }
  return tree;
}

function problemAt(node: Node, severity: ReportProblem['severity'], code: string, message: string): ReportProblem {
  return { severity, code, message, offset: node.offset, length: node.length };
}

function describeFinding(item: unknown, index: number): string {
  const id = item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : undefined;
  return id ? `Finding ${id} (findings[${index}])` : `findings[${index}]`;
}

function formatIssue(path: JsonPath, issue: z.core.$ZodIssue): string {
  const where = path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
  return `${where || 'review'}: ${issue.message}`;
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'property name expected',
    ValueExpected: 'value expected',
    ColonExpected: 'colon expected',
    CommaExpected: 'comma expected',
    CloseBraceExpected: 'closing brace expected (is the file complete?)',
    CloseBracketExpected: 'closing bracket expected (is the file complete?)',
    EndOfFileExpected: 'end of file expected',
    InvalidCommentToken: 'comments are not allowed',
    UnexpectedEndOfComment: 'unexpected end of comment',
    UnexpectedEndOfString: 'unterminated string (is the file complete?)',
    UnexpectedEndOfNumber: 'unexpected end of number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character',
  };
  return words[code] ?? code;
}
