/**
 * Fixes: the `Fix` label in its variants (`Fix:`, `**Fix:**`, `Fix (optional):`,
 * `Fix options, in order of preference:`, `Fix — make …`), the roles of fenced
 * blocks, and the style of a diff.
 */
import type { CodeBlock, FixDiff } from '../../model/review.js';

/** A `Fix` label at the start of a paragraph's plain text. */
export interface FixLabel {
  /** "Fix", "Fix (optional)", "Fix options, in order of preference". */
  label: string;
  /** Text after the label on the same paragraph. */
  rest: string;
}

/** Reads a Fix label from the start of a paragraph's plain text; undefined when there is none. */
export function readFixLabel(text: string): FixLabel | undefined {
  const t = text.trimStart();
  if (!/^Fix(?:es)?\b/.test(t) || /^Fixed\b/.test(t)) return undefined;
  let i = t.startsWith('Fixes') ? 5 : 3;
  // "Fix options, in order of preference:", "Fix options:"
  const options = /^\s+options?\b[^:\n]{0,80}/.exec(t.slice(i));
  if (options) i += options[0].length;
  else {
    const paren = /^\s*\([^)\n]{0,120}\)/.exec(t.slice(i));
    if (paren) i += paren[0].length;
  }
  const sep = /^\s*(?::|—|–|--)\s*/.exec(t.slice(i));
  if (!sep) return undefined;
  return { label: t.slice(0, i).trim(), rest: t.slice(i + sep[0].length) };
}

/** The role a fence's info string gives a block: `bash repro`, `text repro-output`, `diff patch`. */
export function roleFromInfo(info: string): CodeBlock['role'] | undefined {
  const words = info.trim().split(/\s+/);
  for (const word of words.slice(1)) {
    const w = word.toLowerCase();
    if (w === 'repro' || w === 'repro-output' || w === 'patch') return w;
  }
  return undefined;
}

/** True for a block whose language says it is a diff. */
export function isDiffBlock(block: Pick<CodeBlock, 'lang' | 'info'>): boolean {
  const lang = block.lang?.toLowerCase();
  return lang === 'diff' || lang === 'patch' || roleFromInfo(block.info) === 'patch';
}

/** Classifies a diff: full git patch, with @@ hunks, with context lines, or bare -/+ lines. */
export function classifyDiff(text: string, info: string): FixDiff {
  const lines = text.split('\n');
  const gitPatch = roleFromInfo(info) === 'patch' || lines.some((l) => l.startsWith('diff --git '));
  if (gitPatch) {
    const files = new Set<string>();
    for (const line of lines) {
      const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(line);
      if (m?.[2] !== undefined) files.add(m[2]);
    }
    return { format: 'git-patch', text, ...(files.size > 0 ? { files: [...files] } : {}) };
  }
  if (lines.some((l) => /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/.test(l))) return { format: 'unified-hunks', text };
  // Unchanged context lines start with a blank; blank lines alone say nothing.
  if (lines.some((l) => l.startsWith(' ') && l.trim() !== '')) return { format: 'unified-context', text };
  return { format: 'plusminus', text };
}
