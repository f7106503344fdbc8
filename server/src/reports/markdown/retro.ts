/**
 * Finds the Reconciliation statement of the Agent Performance Retro in its
 * written forms: `**Reconciliation.** …`, `**Reconciliation** — …`,
 * `Reconciliation: …`, or a `### Reconciliation` heading with bullets.
 */
import type { RootContent } from 'mdast';
import { type Part, plainText, sourceOf } from './source.js';
import { dedent } from './text.js';

const LABEL = /^reconciliation\b\s*[:.—–-]*\s*/i;
const WRITTEN_LABEL = /^(?:\*\*|__)?reconciliation\b[^\n]{0,3}?(?:\*\*|__)?\s*[:.—–-]*\s*/i;

/** The Markdown of the Reconciliation statements among a retro section's nodes; each bullet is one text. */
export function reconciliationStatements(part: Part, nodes: readonly RootContent[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RootContent;
    if (node.type === 'paragraph') {
      const text = plainText(node).trim();
      const label = LABEL.exec(text);
      if (label && (node.children[0]?.type === 'strong' || /^reconciliation\s*[:—–-]/i.test(text))) {
        const source = sourceOf(part, node);
        const rest = source.replace(WRITTEN_LABEL, '').trim();
        if (rest !== '') out.push(rest);
      }
      continue;
    }
    if (node.type === 'heading' && /^reconciliation[:.]?$/i.test(plainText(node).trim())) {
      for (let j = i + 1; j < nodes.length; j++) {
        const next = nodes[j] as RootContent;
        if (next.type === 'heading' && next.depth <= node.depth) break;
        if (next.type === 'paragraph') out.push(sourceOf(part, next).trim());
        else if (next.type === 'list') {
          for (const item of next.children) out.push(dedent(sourceOf(part, item).replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')).trim());
        }
      }
    }
  }
  return out.filter((t) => t !== '');
}
