/**
 * The fixes a finding offers, one per diff: its `fix.diffs`, or, for a review
 * that gives none, the diff-like blocks with role `fix` or `patch`. Code given
 * as the fix instead of a diff says nothing about what it replaces, so it is
 * described, never applied.
 */
import type { CodeBlock, Finding, FixDiff } from '../model/review.js';

/** One applicable diff of a finding. */
export interface FixCandidate {
  /** Position among the finding's diffs, the `option` of `deepReview.applyFix`. */
  option: number;
  diff: FixDiff;
  /** "option 2", "diff 1 of 2", or empty when the finding has one diff. */
  label: string;
}

/** The diffs a finding offers, in the report's order. */
export function computeFixCandidates(finding: Finding): FixCandidate[] {
  const diffs = finding.fix?.diffs.length ? finding.fix.diffs : finding.blocks.filter(isDiffLike).map(blockDiff);
  const options = finding.fix?.options ?? [];
  return diffs.map((diff, option) => {
    const firstLine = diff.text.split('\n').find((line) => line.trim() !== '') ?? '';
    const inOption = options.length > 1 ? options.findIndex((text) => firstLine !== '' && text.includes(firstLine)) : -1;
    const label = inOption !== -1 ? `option ${inOption + 1}` : diffs.length > 1 ? `diff ${option + 1} of ${diffs.length}` : '';
    return { option, diff, label };
  });
}

/** True when a finding gives its fix only as code to write, which is never applied automatically. */
export function hasOnlyReplacementCode(finding: Finding): boolean {
  return computeFixCandidates(finding).length === 0 && (finding.fix?.replacementCode.length ?? 0) > 0;
}

function isDiffLike(block: CodeBlock): boolean {
  if (block.role !== 'fix' && block.role !== 'patch') return false;
  const lang = block.lang?.toLowerCase();
  return block.role === 'patch' || lang === 'diff' || lang === 'patch' || /^diff --git /m.test(block.text);
}

function blockDiff(block: CodeBlock): FixDiff {
  const text = block.text;
  if (block.role === 'patch' || /^diff --git /m.test(text)) return { format: 'git-patch', text };
  if (/^@@ -\d+/m.test(text)) return { format: 'unified-hunks', text };
  return { format: text.split('\n').some((l) => l.startsWith(' ') && l.trim() !== '') ? 'unified-context' : 'plusminus', text };
}
